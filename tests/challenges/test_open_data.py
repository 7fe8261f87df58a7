"""The challenges' open data: one row per live, public challenge of a language, the same rows as CSV
(formula-safe, readable by Excel) and JSON (with the licence), described on …/challenges/open-data/."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from challenges.models import KeyDateKind
from challenges.open_data import (
    COLUMN_NAMES,
    CSV_BOM,
    ChallengeFacts,
    challenge_row,
    csv_cell,
    csv_text,
    dataset_data,
    json_document,
)
from challenges.status import Status
from site_core.local_time import city_zone
from site_core.models import OfficeDetails
from site_core.text.plain import plain_text
from tests.conftest import assert_constant_queries
from tests.factories import (
    ChallengeIndexPageFactory,
    DivisionFactory,
    TopicFactory,
    add_live_pages,
    build_challenge,
    make_challenge,
)

OPEN_DATA = "/en/challenges/open-data/"
CSV_URL = OPEN_DATA + "challenges.csv"
JSON_URL = OPEN_DATA + "challenges.json"
LICENCE = "Open Government Licence \N{EN DASH} Toronto"
LICENCE_FR = "Licence du gouvernement ouvert \N{EN DASH} Toronto"


def toronto(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=city_zone())


def facts(**overrides) -> ChallengeFacts:
    values = {
        "id": 7,
        "title": "Safer school zones",
        "url": "https://example.ca/en/challenges/safer-school-zones/",
        "language": "en",
        "status": Status.COMPLETED,
        "division": "Transportation Services",
        "topics": ("Mobility", "Open data"),
        "key_dates": (
            (KeyDateKind.CLOSES, toronto(2027, 3, 1, 17)),
            (KeyDateKind.INFO_SESSION, toronto(2027, 2, 20, 12)),
            (KeyDateKind.OPENS, toronto(2027, 1, 15, 9)),
            (KeyDateKind.INFO_SESSION, toronto(2027, 2, 10, 12)),
            (KeyDateKind.DEMO_DAY, toronto(2027, 7, 20, 14)),
        ),
        "stint_length_weeks": 16,
        "award_value": "Up to $60,000",
        "award_amount": Decimal("60000"),
        "procurement_path": "<p>Non-competitive procurement up to a limit.</p>",
        "outcome": (
            '<p>Piloted in 12 schools &amp; <a href="/x">reported</a>.</p><ul><li>Speeds fell</li><li>Kept</li></ul>'
        ),
        "selected_teams": "Team A\n\n  Team B  \n",
        "procurement_outcome": "procured",
        "last_updated": datetime.datetime(2027, 8, 1, 14, 30, 5, 123456, tzinfo=datetime.UTC),
    }
    return ChallengeFacts(**{**values, **overrides})


# --- the pure rules -------------------------------------------------------------------------------


def test_a_row_has_every_column_in_order():
    row = challenge_row(facts())
    assert list(row) == COLUMN_NAMES
    assert row["id"] == 7
    assert row["status"] == "completed"
    assert row["topics"] == ["Mobility", "Open data"]
    assert row["stint_length_weeks"] == 16


def test_dates_are_iso_8601_in_toronto_with_their_offset_and_the_first_of_each_kind():
    row = challenge_row(facts())
    assert row["opens"] == "2027-01-15T09:00:00-05:00"
    assert row["info_session"] == "2027-02-10T12:00:00-05:00"  # the first of two
    assert row["closes"] == "2027-03-01T17:00:00-05:00"
    assert row["demo_day"] == "2027-07-20T14:00:00-04:00"  # daylight saving time
    assert row["selection"] is None and row["stint_start"] is None
    assert row["last_updated"] == "2027-08-01T10:30:05-04:00"  # from UTC, to the second


def test_rich_text_becomes_plain_text_and_teams_a_list():
    row = challenge_row(facts())
    assert row["outcome"] == "Piloted in 12 schools & reported.\nSpeeds fell\nKept"
    assert row["procurement_path"] == "Non-competitive procurement up to a limit."
    assert row["selected_teams"] == ["Team A", "Team B"]
    assert plain_text("") == ""
    assert plain_text("<p>One<br>two</p>") == "One\ntwo"


def test_paragraphs_are_never_glued_together():
    row = challenge_row(facts(outcome="<p>a</p><p>b</p>", procurement_path="<h3>Path</h3><p>Buy</p>"))
    assert row["outcome"] == "a\nb"
    assert row["procurement_path"] == "Path\nBuy"


def test_amounts_have_two_decimals_and_empty_values_are_none():
    assert challenge_row(facts())["award_amount_cad"] == "60000.00"
    row = challenge_row(
        facts(
            award_amount=None,
            award_value="",
            division="",
            outcome="",
            procurement_outcome="",
            selected_teams="",
            key_dates=(),
            last_updated=None,
        )
    )
    assert row["award_amount_cad"] is None
    assert row["award_value"] is None and row["division"] is None and row["outcome"] is None
    assert row["procurement_outcome"] is None and row["last_updated"] is None and row["opens"] is None
    assert row["selected_teams"] == []


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        (["=cmd", "Open data"], "'=cmd; Open data"),
        (["Mobility", "Open data"], "Mobility; Open data"),
        ([], ""),
        (None, ""),
        (16, "16"),
        ("Safe title", "Safe title"),
    ],
)
def test_csv_cells_are_safe_in_spreadsheets(value, cell):
    assert csv_cell(value) == cell


def test_csv_reads_back_with_the_csv_module():
    rows = [challenge_row(facts()), challenge_row(facts(id=8, title="=1+1", outcome="<p>Line one</p><p>Line, two</p>"))]
    text = csv_text(rows)
    assert text.startswith(CSV_BOM)
    parsed = list(csv.DictReader(io.StringIO(text.removeprefix(CSV_BOM))))
    assert [row["id"] for row in parsed] == ["7", "8"]
    assert parsed[0]["topics"] == "Mobility; Open data"
    assert parsed[0]["award_amount_cad"] == "60000.00"
    assert parsed[1]["title"] == "'=1+1"
    assert parsed[1]["outcome"] == "Line one\nLine, two"
    assert "\r\n" in text  # RFC 4180 line ends


def test_json_document_and_dataset_description():
    document = json_document(
        [challenge_row(facts())],
        licence=LICENCE,
        licence_url="https://open.toronto.ca/open-data-licence/",
        generated_at=datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC),
        source="https://example.ca/en/challenges/open-data/",
    )
    assert list(document) == ["licence", "licence_url", "generated_at", "source", "challenges"]
    assert document["generated_at"] == "2027-01-01T07:00:00-05:00"
    data = dataset_data(
        name="Open data: challenges",
        description="Every challenge.",
        url="https://example.ca/en/challenges/open-data/",
        language="en-CA",
        licence_url="https://open.toronto.ca/open-data-licence/",
        publisher="Civic Innovation Office",
        modified=None,
        csv_url="https://example.ca/a.csv",
        json_url="https://example.ca/a.json",
    )
    assert data["@type"] == "Dataset"
    assert data["license"] == "https://open.toronto.ca/open-data-licence/"
    assert [item["encodingFormat"] for item in data["distribution"]] == ["text/csv", "application/json"]
    assert "dateModified" not in data


# --- the downloads --------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_csv_download(client, challenge_index):
    division = DivisionFactory(name="Transportation Services")
    challenge = make_challenge(
        challenge_index, title="=HYPERLINK(1)", division=division, award_amount=60000, publish=False
    )
    challenge.topics.add(TopicFactory(name="Open data"))
    challenge.save_revision().publish()
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == 'attachment; filename="challenges-en.csv"'
    assert response["Cache-Control"] == "public, max-age=900"
    assert response.content.startswith(b"\xef\xbb\xbf")
    (row,) = read_csv(response)
    assert list(row) == COLUMN_NAMES
    assert row["title"] == "'=HYPERLINK(1)"  # neutralised: Excel shows it as text
    assert row["url"] == "http://testserver" + challenge.url
    assert row["language"] == "en"
    assert row["status"] == "open"
    assert row["division"] == "Transportation Services"
    assert row["topics"] == "Open data"
    assert row["award_amount_cad"] == "60000.00"
    assert row["id"] == str(challenge.pk)


@pytest.mark.django_db
def test_json_download_with_the_licence(client, challenge_index):
    make_challenge(challenge_index, title="=1+1")
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="challenges-en.json"'
    document = json.loads(response.content)
    assert document["licence"] == LICENCE
    assert document["licence_url"] == "https://open.toronto.ca/open-data-licence/"
    assert document["source"] == "http://testserver" + OPEN_DATA
    assert datetime.datetime.fromisoformat(document["generated_at"]).tzinfo is not None
    (row,) = document["challenges"]
    assert list(row) == COLUMN_NAMES
    assert row["title"] == "=1+1"  # JSON is not a spreadsheet: the text as written
    assert row["topics"] == [] and row["selected_teams"] == []


@pytest.mark.django_db
def test_only_live_public_challenges_of_the_language(client, challenge_index):
    public = make_challenge(challenge_index, title="Public call")
    make_challenge(challenge_index, title="Draft call", live=False, publish=False)
    private = make_challenge(challenge_index, title="Private call")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="letmein")
    unpublished = make_challenge(challenge_index, title="Withdrawn call")
    unpublished.unpublish()
    changed = make_challenge(challenge_index, title="Published title")
    changed.title = "Draft title"
    changed.save_revision()
    titles = [row["title"] for row in read_csv(client.get(CSV_URL))]
    assert titles == ["Public call", "Published title"]
    json_titles = [row["title"] for row in json.loads(client.get(JSON_URL).content)["challenges"]]
    assert json_titles == titles
    assert public.pk in [row["id"] for row in json.loads(client.get(JSON_URL).content)["challenges"]]


@pytest.fixture
def french_challenge(site_tree, challenge_index):
    """A challenge and its French translation, and the office's details in French."""
    challenge = make_challenge(challenge_index, title="Safer school zones", award_value="Up to $60,000")
    index_fr = challenge_index.copy_for_translation(site_tree.french)
    index_fr.title = "Défis"
    index_fr.save_revision().publish()
    challenge_fr = challenge.copy_for_translation(site_tree.french)
    challenge_fr.title = "Des zones scolaires plus sûres"
    challenge_fr.award_value = "Jusqu'à 60 000 $"
    challenge_fr.save_revision().publish()
    OfficeDetails.objects.create(
        locale=site_tree.french,
        office_name="Bureau de l'innovation civique",
        open_data_licence_name=LICENCE_FR,
    )
    return challenge_fr


@pytest.mark.django_db
def test_french_downloads_are_in_french(client, french_challenge):
    base = french_challenge.get_parent().url + "open-data/"
    assert base == "/fr/challenges/open-data/"
    csv_response = client.get(base + "challenges.csv")
    assert csv_response["Content-Disposition"] == 'attachment; filename="challenges-fr.csv"'
    (row,) = read_csv(csv_response)
    assert row["title"] == "Des zones scolaires plus sûres"
    assert row["award_value"] == "Jusqu'à 60 000 $"
    assert row["language"] == "fr"
    assert row["url"].startswith("http://testserver/fr/")
    document = json.loads(client.get(base + "challenges.json").content)
    assert document["licence"] == LICENCE_FR
    assert [row["title"] for row in document["challenges"]] == ["Des zones scolaires plus sûres"]
    english = json.loads(client.get(JSON_URL).content)
    assert [row["title"] for row in english["challenges"]] == ["Safer school zones"]


# --- the page that describes the data ---------------------------------------------------------------


@pytest.mark.django_db
def test_open_data_page_describes_the_data(client, challenge_index):
    challenge = make_challenge(challenge_index, title="Safer school zones")
    response = client.get(OPEN_DATA)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Open data: challenges"
    hrefs = [link["href"] for link in soup.select("main a[href]")]
    assert CSV_URL in hrefs and JSON_URL in hrefs
    assert "/api/v2/pages/?type=challenges.ChallengePage&fields=*&locale=en" in hrefs
    licence = soup.find("a", href="https://open.toronto.ca/open-data-licence/")
    assert licence.get_text() == LICENCE
    dictionary = [cell.get_text(strip=True) for cell in soup.select("table tbody th[scope=row]")]
    assert dictionary == COLUMN_NAMES
    updated = soup.select_one("time[datetime]")
    challenge.refresh_from_db()
    # To the second: HTML's <time datetime> takes no microseconds (site_tags.html_datetime).
    assert datetime.datetime.fromisoformat(updated["datetime"]) == challenge.last_published_at.replace(microsecond=0)
    assert "The files list 1 challenge." in soup.get_text()
    datasets = [
        json.loads(script.string)
        for script in soup.select('script[type="application/ld+json"]')
        if '"Dataset"' in script.string
    ]
    (dataset,) = datasets
    assert dataset["license"] == "https://open.toronto.ca/open-data-licence/"
    assert dataset["distribution"][0]["contentUrl"] == "http://testserver" + CSV_URL
    assert dataset["inLanguage"] == "en-CA"


@pytest.mark.django_db
def test_french_page_gives_the_licence_in_french(client, french_challenge):
    html = client.get("/fr/challenges/open-data/").content.decode()
    assert LICENCE_FR in html
    assert 'href="/fr/challenges/open-data/challenges.csv"' in html


@pytest.mark.django_db
def test_the_challenges_list_links_to_the_open_data(client, challenge_index):
    soup = BeautifulSoup(client.get("/en/challenges/").content, "html.parser")
    assert soup.find("a", href=OPEN_DATA) is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["challenges.xml", "other.csv", "challenges.csv/extra", "challenges.json.csv", "..%2Fchallenges.csv"]
)
def test_other_file_names_are_not_found(client, challenge_index, path):
    assert client.get(OPEN_DATA + path).status_code == 404


@pytest.mark.django_db
def test_same_queries_with_10_or_500_challenges(client, site_tree, privacy_notice):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    division = DivisionFactory()
    topics = [TopicFactory(), TopicFactory()]

    def add_challenges(count):
        challenges = []
        for number in range(count):
            challenge = build_challenge(
                opens=-number,
                closes=number - 100 if number % 2 else 30,
                info_session=-1,
                division=division,
                outcome_summary="<p>What we learned.</p>",
            )
            challenge.topics = topics
            challenges.append(challenge)
        add_live_pages(index, challenges)

    counts = assert_constant_queries(client, [OPEN_DATA, CSV_URL, JSON_URL], add_challenges)
    print("Open data queries with 500 challenges:", counts)
