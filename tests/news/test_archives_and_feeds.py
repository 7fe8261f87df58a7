"""Archives by Toronto's calendar, the 30-day window, filters, and feeds that parse."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from news.archive import period_bounds
from site_core.local_time import city_zone
from tests.conftest import assert_constant_queries
from tests.factories import NewsReleasePageFactory, TopicFactory, add_live_pages

pytestmark = pytest.mark.django_db


def release(site_tree, title, when, **fields):
    return NewsReleasePageFactory(parent=site_tree.news_index, title=title, release_date=when, **fields)


def test_a_late_evening_release_belongs_to_its_toronto_month(client, site_tree):
    # 11:30 p.m. on 31 March in Toronto is already 1 April in UTC.
    release(site_tree, "Last day of March", datetime.datetime(2017, 3, 31, 23, 30, tzinfo=city_zone()))
    release(site_tree, "First day of April", datetime.datetime(2017, 4, 1, 0, 0, tzinfo=city_zone()))
    march = client.get("/en/news/2017/03/").content.decode()
    april = client.get("/en/news/2017/04/").content.decode()
    assert "Last day of March" in march and "First day of April" not in march
    assert "First day of April" in april and "Last day of March" not in april


def test_new_years_eve_belongs_to_the_old_year(client, site_tree):
    release(site_tree, "New Year's Eve", datetime.datetime(2017, 12, 31, 23, 59, tzinfo=city_zone()))
    release(site_tree, "New Year's Day", datetime.datetime(2018, 1, 1, 0, 0, tzinfo=city_zone()))
    html = client.get("/en/news/2017/").content.decode()
    assert "Eve" in html and "New Year&#x27;s Day" not in html


@pytest.mark.parametrize("path", ["2017/13/", "2017/00/", "1500/", "9999/", "2017/3/", "17/", "2017/03/32/"])
def test_impossible_periods_are_not_found(client, site_tree, path):
    assert client.get(f"/en/news/{path}").status_code == 404


def test_period_navigation_lists_only_periods_with_releases(client, site_tree):
    release(site_tree, "March release", datetime.datetime(2017, 3, 10, 10, tzinfo=city_zone()))
    release(site_tree, "May release", datetime.datetime(2018, 5, 1, 10, tzinfo=city_zone()))
    html = client.get("/en/news/2017/").content.decode()
    assert 'href="/en/news/2017/03/"' in html
    assert 'href="/en/news/2017/04/"' not in html
    assert 'href="/en/news/2018/"' in html
    assert 'href="/en/news/2016/"' not in html


def test_recent_shows_exactly_the_last_30_days(client, site_tree):
    now = timezone.now()
    release(site_tree, "Twenty-nine days ago", now - datetime.timedelta(days=29, hours=23))
    release(site_tree, "Thirty-one days ago", now - datetime.timedelta(days=30, minutes=5))
    html = client.get("/en/news/recent/").content.decode()
    assert "Twenty-nine days ago" in html
    assert "Thirty-one days ago" not in html


def test_type_and_topic_filters_combine_and_bad_values_are_ignored(client, site_tree):
    topic = TopicFactory(slug="transit")
    match = release(site_tree, "Transit statement", timezone.now(), release_type="statement")
    match.topics.add(topic)
    match.save()
    release(site_tree, "Other statement", timezone.now(), release_type="statement")
    release(site_tree, "Transit advisory", timezone.now(), release_type="media-advisory")
    html = client.get("/en/news/?type=statement&topic=transit").content.decode()
    assert "Transit statement" in html and "Other statement" not in html and "Transit advisory" not in html
    bad = client.get("/en/news/?type=%3Cscript%3E&topic=nope&page=zz")
    assert bad.status_code == 200
    assert "Transit advisory" in bad.content.decode()
    assert "<script>" not in bad.content.decode()


def test_feed_is_valid_rss_with_the_required_elements(client, site_tree):
    release(site_tree, "Older", datetime.datetime(2017, 3, 9, 15, tzinfo=city_zone()), lead="Older lead.")
    release(site_tree, "Newer", datetime.datetime(2017, 3, 10, 10, tzinfo=city_zone()), lead="Newer lead.")
    feed = feedparser.parse(client.get("/en/news/feed/").content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    first = feed.entries[0]
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    assert first.link == "http://testserver/en/news/" + first.link.rsplit("/news/", 1)[1]
    assert first.id and first.description == "Newer lead."
    assert first.published_parsed[:4] == (2017, 3, 10, 15)  # 10 a.m. Toronto is 3 p.m. UTC


def test_each_release_type_has_its_own_feed(client, site_tree):
    release(site_tree, "A statement", timezone.now(), release_type="statement")
    release(site_tree, "An advisory", timezone.now(), release_type="media-advisory")
    feed = feedparser.parse(client.get("/en/news/feed/statement/").content)
    assert [entry.title for entry in feed.entries] == ["A statement"]
    assert client.get("/en/news/feed/nonsense/").status_code == 404


def test_pages_announce_their_feeds_to_browsers(client, site_tree):
    html = client.get("/en/news/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="News releases (RSS)" href="/en/news/feed/">' in html
    assert 'href="/en/news/feed/backgrounder/"' in html


def test_period_bounds_follow_toronto_not_utc():
    start, end = period_bounds(2017, 3)
    assert start.utcoffset() == datetime.timedelta(hours=-5)  # EST on 1 March
    assert end.utcoffset() == datetime.timedelta(hours=-4)  # EDT on 1 April


def test_newsroom_pages_render_in_the_same_queries_with_10_or_500_releases(client, site_tree):
    topic = TopicFactory()
    made = []

    def add_releases(count):
        # Half are recent, half from March 2017: every listing has more than a page at both sizes.
        releases = [
            NewsReleasePageFactory.build(
                title=f"Release {number}",
                release_date=timezone.now() - datetime.timedelta(days=number % 20)
                if number % 2
                else datetime.datetime(2017, 3, 1 + number % 28, 10, tzinfo=city_zone()),
                topics=[topic],
            )
            for number in range(len(made), len(made) + count)
        ]
        made.extend(add_live_pages(site_tree.news_index, releases))

    urls = ["/en/news/", "/en/news/recent/", "/en/news/2017/03/", "/en/news/feed/"]
    assert_constant_queries(client, urls, add_releases)
