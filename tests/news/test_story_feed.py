"""The partner cities' RSS feeds (every story, and one city's): newest first, in their own language,
public stories only, in queries that do not grow, purged from the proxy when a story is published."""

import datetime
from html import unescape
from xml.etree import ElementTree

import feedparser
import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from site_core.caching import proxy_cache
from site_core.local_time import city_zone
from tests.conftest import assert_constant_queries
from tests.factories import PartnerCityFactory, PartnerCityIndexPageFactory, PartnerStoryPageFactory, add_live_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(site_tree):
    index = PartnerCityIndexPageFactory(parent=site_tree.home)
    austin = PartnerCityFactory(name="Austin", slug="austin", description="Austin's innovation team.")
    durham = PartnerCityFactory(name="Durham", slug="durham")
    return index, austin, durham


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    return feed


def story(index, title, city, day, **fields):
    return PartnerStoryPageFactory(parent=index, title=title, partner_city=city, story_date=day, **fields)


def test_the_feed_lists_every_story_newest_first(client, partners):
    index, austin, durham = partners
    story(index, "Oldest", austin, datetime.date(2017, 5, 1))
    newest = story(index, "Newest", durham, datetime.date(2018, 5, 1), summary="Durham's bus pilot.")
    story(index, "Middle", austin, datetime.date(2017, 11, 20))
    type(newest).objects.filter(pk=newest.pk).update(
        first_published_at=datetime.datetime(2018, 5, 1, 16, 45, tzinfo=city_zone())
    )
    feed = read_feed(client, "/en/partner-cities/feed/")
    assert feed.feed.title == "Stories from partner cities"
    assert feed.feed.link == "http://testserver/en/partner-cities/"
    assert [entry.title for entry in feed.entries] == ["Newest", "Middle", "Oldest"]
    first, middle, _oldest = feed.entries
    assert first.link == "http://testserver" + newest.url
    assert first.id == f"urn:uuid:{newest.translation_key}:{newest.locale_id}"
    assert unescape(first.description) == "Durham's bus pilot."  # HTML, as readers read it
    assert [tag.term for tag in first.tags] == ["Durham"]
    # Published on the story's date: that moment; otherwise the start of its date in Toronto.
    assert first.published_parsed[:5] == (2018, 5, 1, 20, 45)  # 4:45 p.m. EDT
    assert middle.published_parsed[:4] == (2017, 11, 20, 5)  # midnight EST is 5 a.m. UTC


def test_each_city_has_a_feed_of_its_own_stories(client, partners):
    index, austin, durham = partners
    story(index, "Older Austin story", austin, datetime.date(2017, 5, 1))
    story(index, "Newer Austin story", austin, datetime.date(2018, 5, 1))
    story(index, "Durham story", durham, datetime.date(2018, 6, 1))
    feed = read_feed(client, "/en/partner-cities/austin/feed/")
    assert [entry.title for entry in feed.entries] == ["Newer Austin story", "Older Austin story"]
    assert feed.feed.title == "Stories from partner cities: Austin"
    assert feed.feed.link == "http://testserver/en/partner-cities/austin/"
    assert unescape(feed.feed.description) == "Austin's innovation team."
    assert read_feed(client, "/en/partner-cities/durham/feed/").feed.description == "Durham, Texas, United States"
    assert client.get("/en/partner-cities/atlantis/feed/").status_code == 404


def test_a_story_named_like_a_city_does_not_hide_the_citys_feed(client, partners):
    index, austin, _durham = partners
    story(index, "A story called Austin", austin, datetime.date(2018, 5, 1), slug="austin")
    feed = read_feed(client, "/en/partner-cities/austin/feed/")
    assert [entry.title for entry in feed.entries] == ["A story called Austin"]


def test_the_pages_announce_their_feeds_in_the_head_and_on_the_page(client, partners):
    html = client.get("/en/partner-cities/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Partner city stories (RSS)" '
        'href="/en/partner-cities/feed/">'
    ) in html
    assert '<a href="/en/partner-cities/feed/">Follow new stories by RSS</a>' in html
    city = client.get("/en/partner-cities/austin/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Stories from partner cities: Austin (RSS)" '
        'href="/en/partner-cities/austin/feed/">'
    ) in city
    assert 'title="Partner city stories (RSS)" href="/en/partner-cities/feed/">' in city
    assert '<a href="/en/partner-cities/austin/feed/">Follow this city\'s stories by RSS</a>' in city


def test_drafts_unpublished_scheduled_and_private_stories_never_appear(client, partners):
    index, austin, _durham = partners
    story(index, "Public story", austin, datetime.date(2018, 1, 1))
    story(index, "Draft story", austin, datetime.date(2018, 1, 2), live=False)
    story(index, "Withdrawn story", austin, datetime.date(2018, 1, 3)).unpublish()
    scheduled = story(index, "Scheduled story", austin, datetime.date(2018, 1, 4), live=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    private = story(index, "Private story", austin, datetime.date(2018, 1, 5))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for url in ("/en/partner-cities/feed/", "/en/partner-cities/austin/feed/"):
        assert [entry.title for entry in read_feed(client, url).entries] == ["Public story"], url


def test_the_french_feeds_list_french_stories_only_in_french(client, site_tree, partners):
    from devtools.demo.translation import translate_with_localize

    index, austin, _durham = partners
    story(index, "English story", austin, datetime.date(2018, 1, 1))
    french_index = translate_with_localize(index, site_tree.french, {})
    montreal = PartnerCityFactory(locale=site_tree.french, name="Montréal", slug="montreal", region="Québec")
    french = story(french_index, "Récit de Montréal", montreal, datetime.date(2018, 2, 1), summary="Un essai.")
    feed = read_feed(client, f"{french_index.url}feed/")
    assert feed.feed.language == "fr"
    assert feed.feed.title == "Récits des villes partenaires"
    assert [(entry.title, entry.link, entry.description) for entry in feed.entries] == [
        ("Récit de Montréal", "http://testserver" + french.url, "Un essai.")
    ]
    city_feed = read_feed(client, f"{french_index.url}montreal/feed/")
    assert [entry.title for entry in city_feed.entries] == ["Récit de Montréal"]
    assert client.get(f"{french_index.url}austin/feed/").status_code == 404  # Austin is not translated
    english = read_feed(client, "/en/partner-cities/feed/")
    assert [entry.title for entry in english.entries] == ["English story"]
    assert client.get("/en/partner-cities/montreal/feed/").status_code == 404


def test_titles_are_plain_text_and_summaries_are_escaped_once_for_readers_that_show_them_as_html(client, partners):
    index, austin, _durham = partners
    story(index, "<img src=x onerror=alert(1)>", austin, datetime.date(2018, 1, 1), summary="<b>Bold</b> & more")
    document = ElementTree.fromstring(client.get("/en/partner-cities/feed/").content)  # noqa: S314 - ours
    (item,) = document.iter("item")
    assert item.findtext("title") == "<img src=x onerror=alert(1)>"  # plain text, XML-escaped once
    assert item.findtext("description") == "&lt;b&gt;Bold&lt;/b&gt; &amp; more"


def test_the_feeds_are_read_in_the_same_queries_with_10_or_500_stories(client, partners):
    index, austin, durham = partners

    def add_stories(count):
        stories = [
            PartnerStoryPageFactory.build(partner_city=austin if number % 2 else durham) for number in range(count)
        ]
        add_live_pages(index, stories)

    urls = ["/en/partner-cities/feed/", "/en/partner-cities/austin/feed/"]
    assert_constant_queries(client, urls, add_stories)


def test_publishing_a_story_purges_both_of_its_feeds(partners):
    index, austin, _durham = partners
    published = story(index, "Purged", austin, datetime.date(2018, 1, 1), slug="purged")
    paths = {url.split("testserver", 1)[1] for url in proxy_cache.change_urls(published)}
    assert {
        "/en/partner-cities/purged/",
        "/en/partner-cities/",
        "/en/partner-cities/feed/",
        "/en/partner-cities/austin/",
        "/en/partner-cities/austin/feed/",
        "/en/partner-cities/durham/feed/",  # the index's own addresses: every city's feed
    } <= paths
