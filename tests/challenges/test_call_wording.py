"""What a challenge says about applying follows its status: a closed call no longer tells people to
"apply before the deadline" (the editor's how-to text) but when applications closed, and the card of
an upcoming call on the listing says when it opens."""

import pytest
from django.utils import translation

from devtools.demo.translation import translate_with_localize
from site_core.local_time import city_zone
from site_core.text.locale_formats import datetime_text
from tests.conftest import assert_constant_queries
from tests.factories import add_live_pages, build_challenge, make_challenge

pytestmark = pytest.mark.django_db

HOW_TO_APPLY = (
    "<ul><li>Read the whole call.</li>"
    "<li>Apply before the deadline. You will receive a reference number and a confirmation by email.</li></ul>"
)


def shown(moment, language: str = "en") -> str:
    """A moment as the templates show it: Toronto wall clock, in `language` (the datetime_text filter)."""
    with translation.override(language):
        return datetime_text(moment.astimezone(city_zone()))


@pytest.mark.parametrize(
    ("status", "dates"),
    [
        ("under-review", {"opens": -60, "closes": -2}),
        ("in-progress", {"opens": -90, "closes": -40, "stint_start": -10}),
        ("completed", {"opens": -200, "closes": -150, "stint_start": -120, "stint_end": -20}),
    ],
)
def test_a_closed_call_says_when_applications_closed_not_how_to_apply(
    client, challenge_index, clock_stands_still, status, dates
):
    challenge = make_challenge(challenge_index, how_to_apply=HOW_TO_APPLY, **dates)
    assert challenge.status.value == status
    html = client.get(challenge.url).content.decode()
    assert "Apply before the deadline" not in html
    assert "Read the whole call" not in html
    assert f'href="{challenge.url}apply/"' not in html
    assert 'href="#how-to-apply"' not in html
    assert '<h2 id="apply-heading">Applications</h2>' in html
    assert ">How to apply</h2>" not in html
    assert (
        f"Applications for this challenge are closed. The deadline was {shown(challenge.closes_at)} "
        '<span class="timezone">(Toronto time, E'
    ) in html


def test_a_completed_call_keeps_its_outcome(client, challenge_index, clock_stands_still):
    challenge = make_challenge(
        challenge_index,
        how_to_apply=HOW_TO_APPLY,
        opens=-200,
        closes=-150,
        stint_start=-120,
        stint_end=-20,
        selected_teams="Team Alpha",
        outcome_summary="<p>The pilot cut waiting times by half.</p>",
    )
    html = client.get(challenge.url).content.decode()
    assert "Apply before the deadline" not in html
    assert '<h2 id="outcome-heading">Outcome</h2>' in html
    assert "Team Alpha" in html
    assert "The pilot cut waiting times by half." in html


def test_a_closed_call_says_so_in_french(client, site_tree, challenge_index, clock_stands_still):
    translate_with_localize(challenge_index, site_tree.french, {challenge_index.title: "Défis"})
    challenge = make_challenge(challenge_index, title="Closed call", how_to_apply=HOW_TO_APPLY, opens=-60, closes=-2)
    french = translate_with_localize(challenge, site_tree.french, {"Closed call": "Appel fermé"})
    html = client.get(french.url).content.decode()
    assert '<h2 id="apply-heading">Candidatures</h2>' in html
    assert (
        "La période de candidature pour ce défi est terminée. "
        f'La date limite était le {shown(challenge.closes_at, "fr")} <span class="timezone">(heure de Toronto'
    ) in html


def test_an_open_call_still_says_how_to_apply(client, challenge_index, clock_stands_still):
    challenge = make_challenge(challenge_index, how_to_apply=HOW_TO_APPLY, opens=-5, closes=12)
    html = client.get(challenge.url).content.decode()
    assert '<h2 id="apply-heading">How to apply</h2>' in html
    assert "Apply before the deadline" in html
    assert f'href="{challenge.url}apply/"' in html
    assert "The deadline was" not in html


def test_an_upcoming_call_keeps_its_how_to_and_says_when_it_opens(client, challenge_index, clock_stands_still):
    challenge = make_challenge(challenge_index, how_to_apply=HOW_TO_APPLY, opens=10, closes=40)
    assert challenge.status.value == "upcoming"
    html = client.get(challenge.url).content.decode()
    assert '<h2 id="apply-heading">How to apply</h2>' in html
    assert "Apply before the deadline" in html
    assert f"Applications open: {shown(challenge.opens_at)}" in html
    assert f'href="{challenge.url}apply/"' not in html


def card_meta(html: str, title: str) -> str:
    """The meta line of the card titled `title`."""
    card = html[html.index(f">{title}</a>") :]
    start = card.index('<p class="card__meta">') + len('<p class="card__meta">')
    return card[start : card.index("</p>", start)]


def test_the_card_of_an_upcoming_call_shows_when_it_opens(client, challenge_index, clock_stands_still):
    upcoming = make_challenge(challenge_index, title="Upcoming call", opens=10, closes=40)
    no_deadline_yet = make_challenge(challenge_index, title="Deadline to come", opens=15, closes=None)
    make_challenge(challenge_index, title="Open call", opens=-5, closes=12)
    html = client.get("/en/challenges/").content.decode()

    meta = card_meta(html, "Upcoming call")
    assert meta.startswith(f'Opens {shown(upcoming.opens_at)} <span class="timezone">(Toronto time, E')
    assert f" · Deadline: {shown(upcoming.closes_at)} " in meta
    assert card_meta(html, "Deadline to come").startswith(f"Opens {shown(no_deadline_yet.opens_at)} ")
    assert "Deadline" not in card_meta(html, "Deadline to come")
    # An open call's card is as before: the countdown and the deadline, no opening date.
    assert card_meta(html, "Open call").startswith("Closes in 12 days · Deadline: ")


def test_the_card_of_an_upcoming_call_shows_when_it_opens_in_french(
    client, site_tree, challenge_index, clock_stands_still
):
    french_index = translate_with_localize(challenge_index, site_tree.french, {challenge_index.title: "Défis"})
    upcoming = make_challenge(challenge_index, title="Upcoming call", slug="upcoming-call", opens=10, closes=40)
    translate_with_localize(upcoming, site_tree.french, {"Upcoming call": "Appel à venir", "upcoming-call": "appel"})
    html = client.get(french_index.url).content.decode()

    meta = card_meta(html, "Appel à venir")
    opens = shown(upcoming.opens_at, "fr")
    assert meta.startswith(f'Ouverture\u00a0: {opens} <span class="timezone">(heure de Toronto')  # NBSP: French colon
    assert f" · Date limite\u00a0: {shown(upcoming.closes_at, 'fr')} " in meta


def test_listing_of_upcoming_calls_renders_in_the_same_queries_with_few_or_many(client, challenge_index):
    def add_challenges(count):
        add_live_pages(challenge_index, [build_challenge(opens=10 + number % 5, closes=60) for number in range(count)])

    assert_constant_queries(client, "/en/challenges/?status=upcoming", add_challenges, small=5, large=40)
    assert "Opens " in client.get("/en/challenges/?status=upcoming").content.decode()
