"""A challenge page tells an applicant what, who, when and how, and exports its dates and feed."""

import datetime

import feedparser
import icalendar
import pytest
from django.utils import timezone

from challenges.models import KeyDateKind
from tests.conftest import assert_constant_queries
from tests.factories import NewsReleasePageFactory, make_challenge

pytestmark = pytest.mark.django_db


def test_open_challenge_shows_badge_countdown_and_call_to_apply(client, challenge_index):
    challenge = make_challenge(challenge_index, title="Open call", opens=-5, closes=12)
    html = client.get(challenge.url).content.decode()
    assert 'class="status-badge status-badge--open">Open</span>' in html
    assert "Closes in 12 days" in html
    assert "(Toronto time, E" in html  # EST or EDT, named
    assert 'href="#how-to-apply"' in html
    assert f'href="{challenge.url}apply/"' in html


def test_last_day_says_closes_today(client, challenge_index, time_machine):
    time_machine.move_to(timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0), tick=False)
    deadline = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)  # noon in Toronto: hours left
    challenge = make_challenge(challenge_index, opens=-5, closes=deadline)
    assert "Closes today" in client.get(challenge.url).content.decode()


def test_closed_challenge_offers_no_way_to_apply(client, challenge_index):
    challenge = make_challenge(challenge_index, opens=-60, closes=-2)
    html = client.get(challenge.url).content.decode()
    assert "Under review" in html
    assert "Applications for this challenge are closed." in html
    assert f'href="{challenge.url}apply/"' not in html


def test_announcements_are_on_top_while_the_call_is_open(client, challenge_index):
    challenge = make_challenge(challenge_index, opens=-5, closes=20, publish=False)
    challenge.announcements.add(challenge.announcements.model(title="Deadline extended", body="<p>More time.</p>"))
    challenge.save_revision().publish()
    html = client.get(challenge.url).content.decode()
    assert html.index("Deadline extended") < html.index('id="problem-heading"')


def test_announcements_move_below_once_the_call_closes(client, challenge_index):
    challenge = make_challenge(challenge_index, opens=-60, closes=-2, publish=False)
    challenge.announcements.add(challenge.announcements.model(title="Deadline extended", body="<p>More time.</p>"))
    challenge.save_revision().publish()
    html = client.get(challenge.url).content.decode()
    assert html.index("Deadline extended") > html.index('id="problem-heading"')


def test_faq_items_are_disclosure_widgets(client, challenge_index):
    challenge = make_challenge(
        challenge_index, faq=[("faq_item", {"question": "Who can apply?", "answer": "<p>Anyone.</p>"})]
    )
    assert "<summary>Who can apply?</summary>" in client.get(challenge.url).content.decode()


def test_related_news_lists_releases_that_link_to_the_challenge(client, site_tree, challenge_index):
    challenge = make_challenge(challenge_index, title="Open call")
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="We launched a call")
    release.related_challenge_links.create(challenge=challenge)
    release.save()
    assert "We launched a call" in client.get(challenge.url).content.decode()


def test_calendar_file_has_every_key_date_as_an_event_with_a_stable_uid(client, challenge_index):
    challenge = make_challenge(
        challenge_index, title="Calendar call", opens=-5, info_session=3, closes=20, stint_start=40
    )
    response = client.get(challenge.url + "calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 4
    assert {str(event["SUMMARY"]).split(":")[0] for event in events} == {
        str(KeyDateKind.OPENS.label),
        str(KeyDateKind.INFO_SESSION.label),
        str(KeyDateKind.CLOSES.label),
        str(KeyDateKind.STINT_START.label),
    }
    deadline = next(event for event in events if str(event["SUMMARY"]).startswith("Application deadline"))
    assert deadline.decoded("DTSTART") == challenge.closes_at.replace(microsecond=0)
    assert deadline["DTSTART"].params["TZID"] == "America/Toronto"
    assert "DTSTAMP" in deadline
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert timezone_component["TZID"] == "America/Toronto"
    again = icalendar.Calendar.from_ical(client.get(challenge.url + "calendar.ics").content)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)


def test_feed_lists_challenges_newest_first_and_parses_cleanly(client, challenge_index):
    older = make_challenge(challenge_index, title="Older call")
    newer = make_challenge(challenge_index, title="Newer call")
    type(older).objects.filter(pk=older.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=3))
    response = client.get("/en/challenges/feed/")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    assert feed.entries[0].link == "http://testserver" + newer.url
    assert feed.entries[0].id


def test_listing_advertises_its_feed(client, challenge_index):
    html = client.get("/en/challenges/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html


def test_challenge_page_queries_do_not_grow_with_key_dates_and_related_news(client, site_tree, challenge_index):
    challenge = make_challenge(challenge_index, title="Open call")

    def add_related(count):
        for _ in range(count):
            release = NewsReleasePageFactory(parent=site_tree.news_index)
            release.related_challenge_links.create(challenge=challenge)
            release.save()

    assert_constant_queries(client, challenge.url, add_related, small=3, large=30)


def test_home_page_shows_open_challenges_only(client, site_tree, challenge_index):
    make_challenge(challenge_index, title="Open call", opens=-5, closes=20)
    make_challenge(challenge_index, title="Upcoming call", opens=5, closes=20)
    html = client.get("/en/").content.decode()
    assert "Open call" in html
    assert "Upcoming call" not in html
