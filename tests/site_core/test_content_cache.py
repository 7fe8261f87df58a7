"""Values derived from published content (which sections are private, the newsroom's period menu
and counts, the home page's latest news, the header's translations) come from the shared cache and
are never stale: any change readers could see replaces them at once. The page cache is off here
(test settings), so every request renders."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from site_core.caching import content_cache
from site_core.listings.queries import restricted_paths
from tests.conftest import count_queries
from tests.factories import NewsReleasePageFactory

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def release_titles(html: str) -> list[str]:
    return re.findall(r'class="card__title"><a class="card__link" href="[^"]*">([^<]+)</a>', html)


def result_count(html: str) -> str:
    return re.search(r'<p class="result-count" role="status">([^<]+)</p>', html).group(1).strip()


def test_a_value_is_computed_once_and_again_after_any_published_change(site_tree):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert content_cache.remember("answer", ("en",), compute) == 1
    assert content_cache.remember("answer", ("en",), compute) == 1
    assert content_cache.remember("answer", ("fr",), compute) == 2  # other parts, other value
    NewsReleasePageFactory(parent=site_tree.news_index)  # a page published
    assert content_cache.remember("answer", ("en",), compute) == 3


def test_with_the_cache_down_values_are_computed_from_the_database(site_tree, settings, caplog):
    settings.CACHES = UNREACHABLE_REDIS
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Still listed")
    assert content_cache.remember("answer", (), lambda: 42) == 42
    assert "Shared cache unavailable" in caplog.text
    assert restricted_paths() == []
    PageViewRestriction.objects.create(page=release, restriction_type=PageViewRestriction.LOGIN)
    assert restricted_paths() == [release.path]


def test_a_section_made_private_leaves_the_listings_at_once(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Internal memo")
    NewsReleasePageFactory(parent=site_tree.news_index, title="Public notice")
    assert "Internal memo" in release_titles(client.get("/en/news/").content.decode())
    restriction = PageViewRestriction.objects.create(page=release, restriction_type=PageViewRestriction.PASSWORD)
    html = client.get("/en/news/").content.decode()
    assert release_titles(html) == ["Public notice"]
    assert result_count(html) == "1 release"
    restriction.delete()
    assert "Internal memo" in release_titles(client.get("/en/news/").content.decode())


def test_a_restricted_section_filters_listings_without_a_query_per_restriction(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index)
    NewsReleasePageFactory(parent=site_tree.news_index)  # the listing is never empty (no prefetch then)
    client.get("/en/news/")
    client.get("/en/news/")
    unrestricted, _response = count_queries(client, "/en/news/")
    for _ in range(3):
        PageViewRestriction.objects.create(page=release, restriction_type=PageViewRestriction.LOGIN)
    client.get("/en/news/")  # refills the cached paths
    restricted, response = count_queries(client, "/en/news/")
    assert response.status_code == 200 and release.title not in response.content.decode()
    assert restricted == unrestricted


def test_the_period_menu_and_the_count_follow_a_publish_at_once(client, site_tree):
    NewsReleasePageFactory(
        parent=site_tree.news_index, release_date=datetime.datetime(2019, 5, 2, 15, tzinfo=datetime.UTC)
    )
    html = client.get("/en/news/").content.decode()
    assert result_count(html) == "1 release"
    assert "/en/news/2017/" not in html
    client.get("/en/news/")  # served from the cached menu and count now
    older = NewsReleasePageFactory(
        parent=site_tree.news_index, live=False, release_date=datetime.datetime(2017, 3, 10, 15, tzinfo=datetime.UTC)
    )
    older.save_revision().publish()
    html = client.get("/en/news/").content.decode()
    assert result_count(html) == "2 releases"
    assert '<a href="/en/news/2017/">2017</a> <span class="card__meta">(1)</span>' in html
    older.refresh_from_db()  # live, as publish() made it
    older.unpublish()
    html = client.get("/en/news/").content.decode()
    assert result_count(html) == "1 release" and "/en/news/2017/" not in html


def test_the_last_30_days_count_is_not_cached(client, site_tree):
    # Its query depends on the time of the request: caching by query would store a count a request.
    def stored_counts() -> int:
        return sum("derived:listing-count:" in key for key in cache._cache)  # local memory in tests

    NewsReleasePageFactory(parent=site_tree.news_index, release_date=timezone.now() - datetime.timedelta(days=2))
    client.get("/en/news/")
    assert stored_counts() == 1  # the whole listing's count is stored
    client.get("/en/news/recent/")
    client.get("/en/news/recent/")
    assert stored_counts() == 1
    assert "1 release" in client.get("/en/news/recent/").content.decode()


def test_the_home_page_shows_the_pinned_release_first_then_the_newest(client, site_tree):
    now = timezone.now()
    old = NewsReleasePageFactory(
        parent=site_tree.news_index, title="Pinned from last year", release_date=now - datetime.timedelta(days=400)
    )
    for days in (1, 2, 3, 4):
        NewsReleasePageFactory(
            parent=site_tree.news_index, title=f"{days} days old", release_date=now - datetime.timedelta(days=days)
        )
    assert release_titles(client.get("/en/").content.decode()) == ["1 days old", "2 days old", "3 days old"]
    home = site_tree.home
    home.featured_release = old
    home.save_revision().publish()
    assert release_titles(client.get("/en/").content.decode()) == ["Pinned from last year", "1 days old", "2 days old"]
    NewsReleasePageFactory(
        parent=site_tree.news_index, title="Just out", release_date=now - datetime.timedelta(hours=1)
    )
    assert release_titles(client.get("/en/").content.decode()) == ["Pinned from last year", "Just out", "1 days old"]
    old.unpublish()
    assert release_titles(client.get("/en/").content.decode()) == ["Just out", "1 days old", "2 days old"]
