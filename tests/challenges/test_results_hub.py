"""The results hub (/en/results/, /fr/resultats/): completed challenges only, with their outcome,
filters that survive any input, figures counted from the pages, the CSV of the same rows, and a fixed
number of queries whatever the number of challenges."""

import csv
import datetime
import io

import pytest

from challenges.models import ChallengePage, ResultsPage
from challenges.outcomes import normalised_teams, team_names
from news.models import NewsReleaseRelatedChallenge
from site_core.text.locale_formats import money
from tests.conftest import assert_constant_queries
from tests.factories import (
    ChallengeIndexPageFactory,
    DivisionFactory,
    NewsReleasePageFactory,
    TopicFactory,
    add_live_pages,
    build_challenge,
    make_challenge,
)
from tests.home.test_home_page import HOME_QUERY_BUDGET

pytestmark = pytest.mark.django_db

# Within the home page's 12 queries, like every page since issue 24 (8 today: the routing's two, the
# listing, the figures (one aggregate), the releases of the cards shown (one prefetch), the header).
# The year filter's options are cached.
RESULTS_QUERY_BUDGET = HOME_QUERY_BUDGET

COMPLETED = {"opens": -200, "closes": -150, "stint_start": -120, "stint_end": -10}


@pytest.fixture
def results_page(site_tree):
    page = ResultsPage(title="Results", slug="results", intro="What our challenges achieved.")
    site_tree.home.add_child(instance=page)
    page.save_revision().publish()
    return page


def completed_challenge(index, **fields) -> ChallengePage:
    return make_challenge(index, **{**COMPLETED, **fields})


def release_about(site_tree, challenge, *, live=True, title="City procures the pilot"):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title=title, live=live)
    NewsReleaseRelatedChallenge.objects.create(page=release, challenge=challenge, locale=site_tree.english)
    return release


# --- the rules ---------------------------------------------------------------------------------


def test_each_non_blank_line_of_selected_teams_is_one_team():
    assert team_names("  Pathfinder Labs \n\n\r\nNouveaux Départs Co-op\n") == [
        "Pathfinder Labs",
        "Nouveaux Départs Co-op",
    ]


def test_saving_a_challenge_stores_its_teams_one_per_line_without_blank_lines(challenge_index):
    challenge = completed_challenge(challenge_index, selected_teams="A team \r\n\r\n  Another team\n")
    challenge.refresh_from_db()
    assert challenge.selected_teams == normalised_teams("A team\nAnother team") == "A team\nAnother team"


# --- what the page lists -----------------------------------------------------------------------


def test_only_completed_live_challenges_are_listed(client, challenge_index, results_page):
    completed_challenge(challenge_index, title="Completed call")
    completed_challenge(challenge_index, title="Completed draft", publish=False, live=False)
    make_challenge(challenge_index, title="Stint in progress", opens=-200, closes=-150, stint_start=-20, stint_end=30)
    make_challenge(challenge_index, title="Open call", opens=-5, closes=30)
    html = client.get("/en/results/").content.decode()
    assert "Completed call" in html
    assert [title for title in ["Completed draft", "Stint in progress", "Open call"] if title in html] == []
    assert "1 completed challenge" in html


def test_a_card_shows_teams_outcome_procurement_award_and_the_council_report(client, challenge_index, results_page):
    completed_challenge(
        challenge_index,
        title="Newcomers call",
        summary="Newcomers cannot find employment services.",
        selected_teams="Pathfinder Labs\nNouveaux Départs Co-op",
        outcome_summary="<p>A plain-language guide was piloted.</p>",
        procurement_outcome="procured",
        award_amount=75000,
        council_reports=[
            (
                "report",
                {
                    "title": "Results of the pilot",
                    "url": "https://secure.toronto.ca/council/agenda-item.do?item=2026.EC8.4",
                    "reference": "EC8.4",
                    "date": datetime.date(2026, 5, 12),
                },
            )
        ],
    )
    html = client.get("/en/results/").content.decode()
    for text in [
        "Newcomers cannot find employment services.",
        "<li>Pathfinder Labs</li>",
        "<li>Nouveaux Départs Co-op</li>",
        "A plain-language guide was piloted.",
        "The City procured the solution",
        money(75000, "en"),
        'href="https://secure.toronto.ca/council/agenda-item.do?item=2026.EC8.4">Results of the pilot</a>',
        "item EC8.4",
    ]:
        assert text in html, text


def test_the_challenge_page_shows_its_council_reports(client, challenge_index):
    challenge = completed_challenge(
        challenge_index,
        council_reports=[("report", {"title": "Pilot results", "url": "https://example.ca/r", "reference": "EX12.3"})],
    )
    html = client.get(challenge.url).content.decode()
    assert "City Council and committee reports" in html
    assert '<a href="https://example.ca/r">Pilot results</a>' in html
    assert "item EX12.3" in html


def test_a_card_links_live_public_releases_only(client, site_tree, challenge_index, results_page):
    challenge = completed_challenge(challenge_index, title="Procured call")
    release_about(site_tree, challenge, title="City buys the guide")
    release_about(site_tree, challenge, title="Embargoed release", live=False)
    html = client.get("/en/results/").content.decode()
    assert "City buys the guide" in html
    assert "Embargoed release" not in html


def test_figures_are_counted_from_the_completed_pages(client, challenge_index, results_page):
    completed_challenge(challenge_index, selected_teams="A\nB", procurement_outcome="procured")
    completed_challenge(challenge_index, selected_teams="C", procurement_outcome="not-procured")
    completed_challenge(challenge_index, selected_teams="")
    make_challenge(challenge_index, opens=-5, closes=30, selected_teams="Not counted", procurement_outcome="procured")
    response = client.get("/en/results/")
    assert response.context["figures"] == {"challenges": 3, "teams": 3, "procured": 1}
    html = response.content.decode()
    assert "<dt>Teams engaged</dt><dd>3</dd>" in html


# --- filters -----------------------------------------------------------------------------------


def test_division_topic_and_outcome_filters_combine(client, challenge_index, results_page):
    transit = DivisionFactory(name="Transportation Services", slug="transportation")
    data = TopicFactory(name="Open data", slug="open-data")
    match = completed_challenge(
        challenge_index, title="Procured transit call", division=transit, procurement_outcome="procured"
    )
    match.topics.add(data)
    match.save_revision().publish()
    completed_challenge(
        challenge_index, title="Not procured transit call", division=transit, procurement_outcome="not-procured"
    )
    completed_challenge(challenge_index, title="Other call", procurement_outcome="procured")
    html = client.get("/en/results/?division=transportation&topic=open-data&outcome=procured").content.decode()
    assert "Procured transit call" in html
    assert "Not procured transit call" not in html
    assert "Other call" not in html
    html = client.get("/en/results/?outcome=not-procured").content.decode()
    assert "Not procured transit call" in html and "Procured transit call" not in html


def test_the_year_is_that_of_the_stints_end_on_torontos_calendar(client, challenge_index, results_page):
    # 03:00 UTC on January 1, 2026 is 22:00 on December 31, 2025 in Toronto.
    new_years_eve = datetime.datetime(2026, 1, 1, 3, tzinfo=datetime.UTC)
    completed_challenge(challenge_index, title="Ended on New Year's Eve", stint_end=new_years_eve)
    completed_challenge(challenge_index, title="Ended in 2026", stint_end=new_years_eve + datetime.timedelta(days=30))
    html = client.get("/en/results/?year=2025").content.decode()
    assert "Ended on New Year" in html
    assert "Ended in 2026" not in html
    assert '<option value="2025" selected>2025</option>' in html


@pytest.mark.parametrize(
    "query", ["year=1999", "year=abc", "outcome=%3Cscript%3E", "division=" + "x" * 5000, "page=99999", "year[]=1"]
)
def test_unknown_or_hostile_filter_values_never_fail(client, challenge_index, results_page, query):
    completed_challenge(challenge_index, title="Completed call")
    response = client.get(f"/en/results/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Completed call" in html
    assert "<script>" not in html


def test_pagination_keeps_the_filters(client, challenge_index, results_page):
    for _ in range(11):
        completed_challenge(challenge_index, procurement_outcome="procured")
    html = client.get("/en/results/?outcome=procured").content.decode()
    assert 'href="?outcome=procured&amp;page=2"' in html


# --- the dataset --------------------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_the_completed_rows_the_filters_select_with_formula_safe_cells(
    client, challenge_index, results_page
):
    completed_challenge(
        challenge_index,
        title='=HYPERLINK("http://evil")',
        selected_teams="@team\nOther",
        procurement_outcome="procured",
    )
    completed_challenge(challenge_index, title="Not procured call", procurement_outcome="not-procured")
    make_challenge(challenge_index, title="Open call", opens=-5, closes=30)
    html = client.get("/en/results/?outcome=procured").content.decode()
    assert 'href="/en/results/results.csv?outcome=procured"' in html
    response = client.get("/en/results/results.csv?outcome=procured")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="results-en.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://evil")']
    assert rows[0]["selected_teams"] == "'@team; Other"
    assert rows[0]["status"] == "completed"
    assert len(csv_rows(client.get("/en/results/results.csv"))) == 2


# --- French -------------------------------------------------------------------------------------


def test_the_french_hub_lists_french_challenges_with_french_money(client, site_tree, challenge_index, results_page):
    completed_challenge(challenge_index, title="English call", award_amount=128000)
    index_fr = ChallengeIndexPageFactory(parent=site_tree.home_fr, locale=site_tree.french, title="Défis", slug="defis")
    completed_challenge(index_fr, title="Défi terminé", award_amount=128000, locale=site_tree.french)
    page_fr = ResultsPage(title="Résultats", slug="resultats", locale=site_tree.french)
    site_tree.home_fr.add_child(instance=page_fr)
    page_fr.save_revision().publish()
    html = client.get("/fr/resultats/").content.decode()
    assert "Défi terminé" in html
    assert "English call" not in html
    assert money(128000, "fr") in html


# --- queries ------------------------------------------------------------------------------------


def test_the_hub_renders_in_the_same_queries_with_10_or_500_completed_challenges(
    client, site_tree, challenge_index, results_page
):
    division = DivisionFactory()
    topic = TopicFactory()
    release = NewsReleasePageFactory(parent=site_tree.news_index)

    def add_challenges(count):
        challenges = []
        for _ in range(count):
            challenge = build_challenge(
                **COMPLETED,
                division=division,
                selected_teams="Team one\nTeam two",
                procurement_outcome="procured",
                award_amount=50000,
                council_reports=[("report", {"title": "Report", "url": "https://example.ca/", "reference": "EX1.1"})],
            )
            challenge.topics = [topic]
            challenges.append(challenge)
        add_live_pages(challenge_index, challenges)
        NewsReleaseRelatedChallenge.objects.bulk_create(
            NewsReleaseRelatedChallenge(page=release, challenge=challenge, locale=site_tree.english)
            for challenge in challenges
        )

    url = f"/en/results/?division={division.slug}&topic={topic.slug}&outcome=procured"
    queries = assert_constant_queries(client, url, add_challenges)
    assert queries <= RESULTS_QUERY_BUDGET, f"{queries} queries, over the budget of {RESULTS_QUERY_BUDGET}"
    html = client.get(url).content.decode()
    assert "500 completed challenges match your filters" in html
    assert "<dt>Teams engaged</dt><dd>1000</dd>" in html
    assert release.title in html
