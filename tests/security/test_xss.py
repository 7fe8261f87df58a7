"""XSS: a classic payload in every text field applicants and editors fill shows as text wherever it
appears (public pages, the re-displayed form, the API, feeds, the calendar file, the open-data
exports, the reviewers' admin, the applications export, the emails), never as markup or a template;
spreadsheet cells that would run as formulas are neutralised."""

import csv
import io
import json
from html import unescape
from xml.etree import ElementTree

import openpyxl
import pytest
from django.core import mail
from django.utils.html import escape
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from challenges.models import Application, QuestionType
from devtools.demo.home import index_pages_for_search
from site_core.models import Division, PartnerCity
from site_core.text.spreadsheet import SPREADSHEET_FORMULA_STARTS
from tests.security.application_posts import csv_export_rows, post_application, question_field, valid_fields
from tests.security.conftest import build_public_site
from tests.security.hostile import encode

pytestmark = pytest.mark.django_db

# One string carrying the classic payloads, short enough for a 120-character name with a suffix:
# a formula start, attribute breaking quotes, an onerror image, a script, an SVG onload, template
# syntax (Django's and Jinja's). javascript: URLs are tested in URL fields below.
PAYLOAD = "=1+\"><img src=x onerror=alert(1)><script>alert(2)</script><svg/onload=alert(3)>'{{7|add:7}}{%debug%}"
SHORT_PAYLOAD = '"><svg/onload=alert(5)>'  # for the 40-character phone field
LIVE_MARKUP = ("<script>alert(", "<img src=x onerror", "<svg/onload", "<svg onload")
JAVASCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.fixture
def site(site_tree):
    site = build_public_site(site_tree, PAYLOAD)
    site.challenge.questions.add(site.challenge.questions.model(label=f"{PAYLOAD} question", field_type="text"))
    site.challenge.save_revision().publish()
    site.challenge.refresh_from_db()
    SearchPromotion.objects.create(
        query=Query.get("zones"), page=site.challenge, description=f"{PAYLOAD} promotion", sort_order=0
    )
    index_pages_for_search()
    return site


def assert_no_live_markup(text: str, where: str) -> None:
    for marker in LIVE_MARKUP:
        assert marker not in text, (where, marker)
    lowered = text.lower()
    assert 'href="javascript:' not in lowered, where
    assert 'src="javascript:' not in lowered, where


def assert_shown_as_text(html: str, where: str) -> None:
    """No live markup, and the payload is there, escaped (so the test cannot pass on a page that
    simply left the field out)."""
    assert_no_live_markup(html, where)
    assert escape(PAYLOAD) in html, where


def public_pages(site) -> list[str]:
    challenge = site.challenge.url
    return [
        "/en/",
        "/en/challenges/",
        challenge,
        f"{challenge}apply/",
        "/en/challenges/open-data/",
        "/en/news/",
        "/en/news/2017/03/",
        site.release.url,
        "/en/partner-cities/",
        "/en/partner-cities/bloomington/",
        site.story.url,
        "/en/jobs/",
        site.posting.url,
        "/en/search/?q=challenge",
        "/en/search/?q=zones",
    ]


def test_editor_text_shows_as_text_on_every_public_page(client, site):
    for url in public_pages(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.content.decode(), url)


def test_the_image_alt_texts_and_office_details_are_escaped_attributes_and_text(client, site):
    release = client.get(site.release.url).content.decode()
    assert f'alt="{escape(PAYLOAD)} alt text"' in release
    story = client.get(site.story.url).content.decode()
    assert f'alt="{escape(PAYLOAD)} story alt"' in story
    apply_form = client.get(f"{site.challenge.url}apply/").content.decode()
    assert f"{escape(PAYLOAD)} privacy officer" in apply_form  # the notice of collection
    assert f"{escape(PAYLOAD)} question" in apply_form  # an editor's question label


def test_query_values_echoed_back_are_escaped(client, site):
    listings = {
        "/en/challenges/": ("status", "division", "topic", "page"),
        "/en/news/": ("type", "topic", "page"),
        "/en/jobs/": ("division", "type", "page"),
        "/en/search/": ("q", "type", "page"),
        "/en/partner-cities/bloomington/": ("page",),
    }
    for url, names in listings.items():
        for name in names:
            response = client.get(f"{url}?{name}={encode(PAYLOAD)}")
            assert response.status_code == 200, (url, name)
            assert_no_live_markup(response.content.decode(), f"{url}?{name}=")


def test_applicant_answers_come_back_escaped_in_a_refused_form(client, site):
    question = question_field(site.challenge, QuestionType.TEXT)
    fields = valid_fields(
        site.challenge,
        organisation_name=PAYLOAD,
        contact_name=PAYLOAD,
        phone=SHORT_PAYLOAD,
        website=f"javascript:alert(1)//{PAYLOAD}",
        proposal_summary=PAYLOAD,
        email=f"{SHORT_PAYLOAD}@example.ca",
        **{question: PAYLOAD},
    )
    response = post_application(client, site.challenge, fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert_shown_as_text(html, "re-displayed form")
    assert f'value="{escape(PAYLOAD)}"' in html


def test_the_api_returns_the_text_exactly_as_json_never_as_html(client, site):
    for page in [site.challenge, site.release, site.story, site.posting]:
        response = client.get(f"/api/v2/pages/{page.pk}/?fields=*")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = response.json()
        assert data["title"] == page.title
        assert data["title"].startswith(PAYLOAD)
    challenge = client.get(f"/api/v2/pages/{site.challenge.pk}/?fields=*").json()
    assert challenge["division"]["name"] == f"{PAYLOAD} division"
    assert challenge["summary"] == f"{PAYLOAD} challenge summary"


def feed_texts(body: bytes, tag: str) -> list[str]:
    """The titles or descriptions of an RSS document (the channel's and the items'), as a feed
    reader reads them (XML-decoded). The parse itself proves that the payload did not break the
    document's structure."""
    document = ElementTree.fromstring(body)  # noqa: S314 - the site's own response, in a test
    return [element.text or "" for element in document.iter() if element.tag == tag]


def test_feeds_keep_titles_as_plain_text_and_escape_descriptions_readers_render_as_html(client, site):
    """A title is plain text (RSS Best Practices Profile): XML-escaped once, it comes back exactly,
    payload included, and cannot break the document. A description is HTML: plain text is
    HTML-escaped once before the XML escaping, so a reader decoding the XML gets no live markup
    (site_core/listings/feeds.py)."""
    for url in (
        "/en/challenges/feed/",
        "/en/news/feed/",
        "/en/news/feed/news-release/",
        "/en/jobs/feed/",
        "/en/partner-cities/feed/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert any(PAYLOAD in title for title in feed_texts(response.content, "title")), url
        descriptions = feed_texts(response.content, "description")
        assert any(PAYLOAD in unescape(text) for text in descriptions), url
        for text in descriptions:
            assert_no_live_markup(text, url)


def test_the_calendar_file_holds_the_text_in_its_own_properties(client, site):
    """Line breaks in a title (only a forged admin post can put them there) stay inside their
    property: no extra property or event, and the file is still served."""
    site.challenge.title = f"{PAYLOAD}\r\nATTACH:https://evil.example/x.exe\nBEGIN:VEVENT"
    site.challenge.save_revision().publish()
    response = client.get(f"{site.challenge.url}calendar.ics")
    assert response.status_code == 200
    lines = response.content.decode().split("\r\n")
    assert not [line for line in lines if line.startswith("ATTACH")]
    assert lines.count("BEGIN:VEVENT") == site.challenge.key_dates.count()
    assert "{{7|add:7}}" in response.content.decode()


def test_open_data_files_keep_the_text_exactly_and_neutralise_formulas(client, site):
    response = client.get("/en/challenges/open-data/challenges.csv")
    assert response["Content-Type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert row["title"] == f"'{PAYLOAD} challenge"  # starts with "=": read as text, not as a formula
    assert row["division"] == f"'{PAYLOAD} division"
    document = client.get("/en/challenges/open-data/challenges.json")
    assert document["Content-Type"].startswith("application/json")
    [challenge] = json.loads(document.content)["challenges"]
    assert challenge["title"] == f"{PAYLOAD} challenge"


@pytest.fixture
def application(client, site):
    question = question_field(site.challenge, QuestionType.TEXT)
    fields = valid_fields(
        site.challenge,
        organisation_name=PAYLOAD,
        contact_name=PAYLOAD,
        phone=SHORT_PAYLOAD,
        proposal_summary=f"@SUM(1+1)\n{PAYLOAD}",
        **{question: PAYLOAD},
    )
    response = post_application(client, site.challenge, fields, filename=f"{SHORT_PAYLOAD}.pdf")
    assert response.status_code == 302
    return Application.objects.get()


def test_the_reviewers_admin_shows_applications_as_text(admin_client, site, application):
    for url in (
        "/admin/",  # the dashboard's panels name challenges
        "/admin/applications/",
        f"/admin/applications/?q={encode(PAYLOAD)}",
        f"/admin/applications/inspect/{application.pk}/",
        f"/admin/applications/edit/{application.pk}/",
        f"/admin/pages/{site.challenge_index.pk}/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.content.decode(), url)


def test_the_applications_csv_keeps_the_text_and_starts_no_cell_with_a_formula(admin_client, application):
    [row] = csv_export_rows(admin_client)
    assert row["Organisation"] == f"'{PAYLOAD}"
    assert row["Proposal summary"] == f"'@SUM(1+1)\n{PAYLOAD}"
    assert row["Challenge"] == f"'{PAYLOAD} challenge"
    assert f"{PAYLOAD} question: {PAYLOAD}" in row["Answers"]
    for heading, cell in row.items():
        assert not cell.startswith(SPREADSHEET_FORMULA_STARTS), heading


def test_the_applications_xlsx_stores_every_cell_as_text(admin_client, application):
    response = admin_client.get("/admin/applications/?export=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = next(workbook.active.iter_rows(min_row=2, max_row=2))
    assert f"'{PAYLOAD}" in [cell.value for cell in cells]
    assert all(cell.data_type != "f" for cell in cells)


def test_the_emails_are_plain_text_carrying_the_text_as_typed(client, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_application(client, site.challenge, valid_fields(site.challenge, contact_name=PAYLOAD))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", [])
        assert f"{PAYLOAD} challenge" in message.subject  # a header is text: no HTML entities either
        assert f"{PAYLOAD} challenge" in message.body
    confirmation = next(message for message in mail.outbox if message.to == ["alex@example.ca"])
    # The applicant's email carries no text typed into the form (issue 19): not the contact's name.
    assert PAYLOAD not in confirmation.body.replace(f"{PAYLOAD} challenge", "")
    assert confirmation.body.startswith("Hello,\n")


def test_editor_web_address_fields_refuse_script_urls(admin_client, site):
    """Links editors enter (a division's or partner city's website) are checked by the admin form:
    a javascript: or data: address is refused and nothing changes."""
    for snippet, model in ((site.division, Division), (site.city, PartnerCity)):
        edit_url = f"/admin/snippets/site_core/{model._meta.model_name}/edit/{snippet.pk}/"
        form = admin_client.get(edit_url).context["form"]
        for url in JAVASCRIPT_URLS:
            data = {name: form.initial.get(name) or "" for name in form.fields}
            data.update(website=url, name="Renamed")
            response = admin_client.post(edit_url, data)
            assert response.status_code == 200, (model, url)  # the form again, with its error
            snippet.refresh_from_db()
            assert snippet.website != url.strip()
            assert snippet.name != "Renamed"
