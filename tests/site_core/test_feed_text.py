"""Every RSS feed of the site (challenges, news and each release type, jobs, partner stories of every
city and of one), in both languages, read by a real feed parser: valid, titles back exactly as typed
(apostrophes and ampersands included), descriptions HTML escaped exactly once (site_core/listings/feeds.py)."""

import datetime
from html import unescape

import feedparser
import pytest

from tests.factories import (
    JobIndexPageFactory,
    JobPostingPageFactory,
    NewsIndexPageFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
)
from tests.factories.challenges import ChallengeIndexPageFactory, make_challenge

pytestmark = pytest.mark.django_db

ENGLISH = "Toronto's R&D"
FRENCH = "Offres d'emploi : R&D"
DOUBLE_ESCAPES = ("&#x27;", "&#39;", "&amp;#", "&amp;amp;", "&amp;lt;")


def fill(home, locale, text: str, suffix: str) -> list[str]:
    """An index of each kind under `home` in `locale`, with one item each whose title, summary and
    index introduction hold `text`; returns the feed addresses."""
    kw = {"parent": home, "locale": locale, "intro": f"{text} intro"}
    challenges = ChallengeIndexPageFactory(slug=f"challenges-{suffix}", **kw)
    make_challenge(challenges, title=f"{text} challenge", slug=f"rd-challenge-{suffix}", summary=f"{text} summary")
    news = NewsIndexPageFactory(slug=f"news-{suffix}", **kw)
    NewsReleasePageFactory(parent=news, title=f"{text} release", lead=f"{text} summary", release_type="news-release")
    jobs = JobIndexPageFactory(slug=f"jobs-{suffix}", **kw)
    JobPostingPageFactory(parent=jobs, title=f"{text} job", summary=f"{text} summary")
    partners = PartnerCityIndexPageFactory(slug=f"partners-{suffix}", **kw)
    city = PartnerCityFactory(locale=locale, slug=f"city-{suffix}", name=f"{text} city", description=f"{text} city")
    PartnerStoryPageFactory(
        parent=partners,
        title=f"{text} story",
        summary=f"{text} summary",
        partner_city=city,
        story_date=datetime.date(2018, 1, 1),
    )
    return [
        f"{challenges.url}feed/",
        f"{news.url}feed/",
        f"{news.url}feed/news-release/",
        f"{jobs.url}feed/",
        f"{partners.url}feed/",
        f"{partners.url}city-{suffix}/feed/",
    ]


@pytest.fixture
def feeds(site_tree):
    site_tree.news_index.delete()  # one newsroom per language, made by fill()
    return {
        ENGLISH: fill(site_tree.home, site_tree.english, ENGLISH, "en"),
        FRENCH: fill(site_tree.home_fr, site_tree.french, FRENCH, "fr"),
    }


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    assert feed.version == "rss20", url
    assert len(feed.entries) == 1, url
    return response.content.decode(), feed


@pytest.mark.parametrize("text", [ENGLISH, FRENCH])
def test_every_feed_parses_and_gives_titles_back_exactly(client, feeds, text):
    for url in feeds[text]:
        _raw, feed = parse(client, url)
        assert feed.entries[0].title.startswith(f"{text} "), (url, feed.entries[0].title)
        assert feed.entries[0].title_detail.type == "text/plain", url


@pytest.mark.parametrize("text", [ENGLISH, FRENCH])
def test_every_feed_escapes_descriptions_exactly_once(client, feeds, text):
    for url in feeds[text]:
        raw, feed = parse(client, url)
        for description in (feed.feed.description, feed.entries[0].description):
            assert unescape(description).startswith(f"{text} "), (url, description)
            assert not [escaped for escaped in DOUBLE_ESCAPES if escaped in description], (url, description)
        assert "&amp;#x27;" not in raw and "&#x27;" not in raw, url  # no escaped apostrophe anywhere


def test_the_french_feeds_speak_french(client, feeds):
    channel_titles = {parse(client, url)[1].feed.title for url in feeds[FRENCH]}
    assert "Emplois au Bureau de l'innovation civique" in channel_titles
    assert "Défis du Bureau de l'innovation civique" in channel_titles
    _raw, jobs = parse(client, feeds[FRENCH][3])
    assert jobs.entries[0].title == "Offres d'emploi : R&D job"
    assert jobs.feed.language == "fr"


def test_markup_typed_in_a_summary_is_shown_not_run(client, site_tree):
    index = JobIndexPageFactory(parent=site_tree.home)
    JobPostingPageFactory(parent=index, title="<b>R&D</b> lead", summary="Use <script>alert(1)</script> & more")
    _raw, feed = parse(client, f"{index.url}feed/")
    entry = feed.entries[0]
    assert "<script" not in entry.description
    assert unescape(entry.description).startswith("Use <script>alert(1)</script> & more")
