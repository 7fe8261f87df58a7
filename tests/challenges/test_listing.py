"""The challenge list: filters that survive any input, open calls first, a fixed query count."""

import pytest

from tests.conftest import assert_constant_queries
from tests.factories import DivisionFactory, TopicFactory, add_live_pages, build_challenge, make_challenge

pytestmark = pytest.mark.django_db


def titles_in_order(html: str, titles: list[str]) -> list[str]:
    return sorted((title for title in titles if title in html), key=html.index)


def test_open_and_closing_soon_come_first_then_upcoming_then_the_rest(client, challenge_index):
    make_challenge(challenge_index, title="Completed call", opens=-200, closes=-150, stint_start=-120, stint_end=-10)
    make_challenge(challenge_index, title="Upcoming call", opens=10, closes=40)
    make_challenge(challenge_index, title="Open call", opens=-5, closes=30)
    make_challenge(challenge_index, title="Closing soon call", opens=-20, closes=3)
    make_challenge(challenge_index, title="Under review call", opens=-60, closes=-2)
    html = client.get("/en/challenges/").content.decode()
    order = titles_in_order(
        html, ["Completed call", "Upcoming call", "Open call", "Closing soon call", "Under review call"]
    )
    assert order == ["Closing soon call", "Open call", "Upcoming call", "Under review call", "Completed call"]


def test_status_filter_open_includes_closing_soon(client, challenge_index):
    make_challenge(challenge_index, title="Open call", opens=-5, closes=30)
    make_challenge(challenge_index, title="Closing soon call", opens=-20, closes=3)
    make_challenge(challenge_index, title="Upcoming call", opens=10, closes=40)
    html = client.get("/en/challenges/?status=open").content.decode()
    assert "Open call" in html
    assert "Closing soon call" in html
    assert "Upcoming call" not in html
    assert '<option value="open" selected>' in html
    assert "2 challenges" in html


def test_closed_filter_shows_calls_under_review(client, challenge_index):
    make_challenge(challenge_index, title="Under review call", opens=-60, closes=-2)
    make_challenge(challenge_index, title="Open call", opens=-5, closes=30)
    html = client.get("/en/challenges/?status=closed").content.decode()
    assert "Under review call" in html
    assert "Open call" not in html


def test_division_and_topic_filters_combine(client, site_tree, challenge_index):
    transit = DivisionFactory(name="Transportation Services", slug="transportation")
    other = DivisionFactory(name="Other Division", slug="other")
    data = TopicFactory(name="Open data", slug="open-data")
    match = make_challenge(challenge_index, title="Transit data call", division=transit)
    match.topics.add(data)
    match.save_revision().publish()
    make_challenge(challenge_index, title="Transit call without the topic", division=transit)
    make_challenge(challenge_index, title="Other division call", division=other)
    html = client.get("/en/challenges/?division=transportation&topic=open-data").content.decode()
    assert "Transit data call" in html
    assert "Transit call without the topic" not in html
    assert "Other division call" not in html
    assert '<option value="transportation" selected>' in html
    assert '<option value="open-data" selected>' in html


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "division=%3Cscript%3E",
        "topic=" + "x" * 5000,
        "status=open&status=upcoming",
        "page=abc",
        "page=99999",
        "division=%00",
        "status=%F0%9F%92%A5",
        "topic[]=a",
    ],
)
def test_unknown_or_hostile_filter_values_never_fail(client, challenge_index, query):
    make_challenge(challenge_index, title="Open call")
    response = client.get(f"/en/challenges/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_unknown_filter_value_is_ignored_with_a_notice(client, challenge_index):
    make_challenge(challenge_index, title="Open call")
    html = client.get("/en/challenges/?status=bogus").content.decode()
    assert "Open call" in html
    assert "is not one of the choices for this filter" in html


def test_empty_result_says_what_to_do(client, challenge_index):
    make_challenge(challenge_index, title="Open call")
    html = client.get("/en/challenges/?status=completed").content.decode()
    assert "No challenges match these filters" in html
    assert "Clear filters" in html


def test_pagination_keeps_the_filters(client, challenge_index):
    for _ in range(13):
        make_challenge(challenge_index)
    html = client.get("/en/challenges/?status=open").content.decode()
    assert 'href="?status=open&amp;page=2"' in html


def test_listing_renders_in_the_same_queries_with_10_or_500_challenges(client, site_tree, challenge_index):
    division = DivisionFactory()
    topic = TopicFactory()

    def add_challenges(count):
        challenges = []
        for number in range(count):
            challenge = build_challenge(opens=-number, closes=number - 100 if number % 2 else 30, division=division)
            challenge.topics = [topic]
            challenges.append(challenge)
        add_live_pages(challenge_index, challenges)

    url = f"/en/challenges/?division={division.slug}&topic={topic.slug}"
    assert_constant_queries(client, url, add_challenges)
    # The pages went in without signals: the second count was of a fresh render, not of cached values.
    assert "500 challenges match your filters" in client.get(url).content.decode()
