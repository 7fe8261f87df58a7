"""The full-page cache for anonymous visitors: served without SQL, kept apart by language and
query, never for editors or forms, stale the moment published content changes."""

import datetime
import io
import socket
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from site_core.caching import generation, page_cache, query_params
from site_core.models import SiteSettings
from tests.challenges import conftest as challenge_fixtures
from tests.conftest import count_queries, worker_redis_url
from tests.factories import (
    ChallengeIndexPageFactory,
    DivisionFactory,
    NewsReleasePageFactory,
    TopicFactory,
    make_challenge,
)
from tests.site_core.test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

privacy_notice = challenge_fixtures.privacy_notice  # the application form needs a complete notice


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def site_tree(site_tree):
    # A site's settings row is created on the first visit, which (as any settings save) empties the
    # cache; a running site has it long before.
    SiteSettings.for_site(site_tree.site)
    return site_tree


@pytest.fixture
def challenge_index(site_tree):
    return ChallengeIndexPageFactory(parent=site_tree.home)


@pytest.fixture
def editor_client(django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.ca", "correct horse battery staple")
    editor = Client()
    editor.force_login(user)
    return editor


def test_a_repeat_anonymous_get_makes_no_sql_query_and_returns_the_same_bytes(client, site_tree):
    first_count, first = count_queries(client, "/en/")
    assert first_count > 0 and first["X-Page-Cache"] == "miss"
    second_count, second = count_queries(client, "/en/")
    assert second_count == 0
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Cache-Control"] == first["Cache-Control"]


def test_cacheable_pages_tell_proxies_and_browsers_how_to_keep_them(client, site_tree, settings):
    settings.PAGE_CACHE_PROXY_MAX_AGE = 45
    response = client.get("/en/")
    directives = {item.strip() for item in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", f"s-maxage={page_cache.proxy_max_age('/en/')}", "must-revalidate"}
    assert response["ETag"].startswith('"')


def test_proxy_copies_expire_spread_over_a_quarter_of_their_lifetime_the_same_on_every_server(settings):
    """A proxy's copies stored in the same second must not all expire in the same second (after a
    publish each would render at once): the lifetime is shortened by up to a quarter, by address, with
    a CRC rather than Python's per-process hash, so every app server gives a page the same."""
    settings.PAGE_CACHE_PROXY_MAX_AGE = 60
    paths = [f"/en/news/release-{number}/" for number in range(200)]
    ages = [page_cache.proxy_max_age(path) for path in paths]
    assert min(ages) >= 45 and max(ages) <= 60
    assert len(set(ages)) == 16  # every second of the quarter is used
    assert ages == [page_cache.proxy_max_age(path) for path in paths]
    assert page_cache.proxy_max_age("/en/") == 60 - zlib.crc32(b"/en/") % 16
    settings.PAGE_CACHE_PROXY_MAX_AGE = 3
    assert page_cache.proxy_max_age("/en/") == 3


def test_a_matching_if_none_match_gets_a_304_from_the_cache(client, site_tree):
    etag = client.get("/en/")["ETag"]
    count, response = count_queries(client, "/en/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and count == 0
    assert response["X-Page-Cache"] == "hit"  # a 304 says where it came from too
    assert response.content == b""
    assert client.get("/en/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_english_and_french_are_cached_apart(client, site_tree):
    english = client.get("/en/").content
    french = client.get("/fr/").content
    assert english != french
    assert '<html lang="fr"' in client.get("/fr/").content.decode()
    assert '<html lang="en"' in english.decode()
    assert client.get("/en/").content == english


def test_the_query_string_is_normalised_in_the_key(client, site_tree, challenge_index):
    first = client.get("/en/challenges/?status=open&division=x")
    assert first["X-Page-Cache"] == "miss"
    count, second = count_queries(client, "/en/challenges/?division=x&status=open")
    assert count == 0 and second["X-Page-Cache"] == "hit"
    assert client.get("/en/challenges/?division=y&status=open")["X-Page-Cache"] == "miss"


def test_a_logged_in_editor_neither_gets_nor_fills_the_cached_copy(client, editor_client, site_tree):
    editor_client.get("/en/")
    editor_count, editor_page = count_queries(editor_client, "/en/")
    assert editor_count > 0 and "X-Page-Cache" not in editor_page
    assert "private" in editor_page["Cache-Control"]
    assert client.get("/en/")["X-Page-Cache"] == "miss"  # the editor's visits stored nothing
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    editor_count, editor_page = count_queries(editor_client, "/en/")
    assert editor_count > 0 and "X-Page-Cache" not in editor_page  # nor gets the anonymous copy


@pytest.mark.usefixtures("privacy_notice")
def test_the_application_form_is_never_cached(client, site_tree, challenge_index):
    make_challenge(challenge_index, slug="potholes")
    for _ in range(2):
        response = client.get("/en/challenges/potholes/apply/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "private" in response["Cache-Control"]


def test_not_found_redirects_and_search_are_not_cached(client, site_tree):
    assert client.get("/en/no-such-page/").status_code == 404
    assert "X-Page-Cache" not in client.get("/en/no-such-page/")
    assert client.get("/").status_code == 302
    assert "X-Page-Cache" not in client.get("/")
    assert "X-Page-Cache" not in client.get("/en/search/?q=transit")


def test_publishing_a_page_shows_at_once(client, site_tree):
    assert "Fresh announcement" not in client.get("/en/news/").content.decode()
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Fresh announcement", slug="fresh", live=False)
    assert client.get("/en/news/")["X-Page-Cache"] == "hit"  # a draft changes nothing
    release.save_revision().publish()
    response = client.get("/en/news/")
    assert response["X-Page-Cache"] == "miss"
    assert "Fresh announcement" in response.content.decode()


def test_unpublishing_and_deleting_a_page_show_at_once(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Short-lived notice", slug="short")
    release.save_revision().publish()
    assert "Short-lived notice" in client.get("/en/news/").content.decode()
    assert client.get("/en/news/short/").status_code == 200
    release.unpublish()
    assert "Short-lived notice" not in client.get("/en/news/").content.decode()
    assert client.get("/en/news/short/").status_code == 404
    other = NewsReleasePageFactory(parent=site_tree.news_index, title="Deleted notice", slug="deleted")
    other.save_revision().publish()
    assert "Deleted notice" in client.get("/en/news/").content.decode()
    other.delete()
    assert "Deleted notice" not in client.get("/en/news/").content.decode()


def test_a_draft_save_leaves_the_cache_alone(client, site_tree):
    client.get("/en/")
    home = site_tree.home
    home.title = "Draft title"
    home.save_revision()
    assert client.get("/en/")["X-Page-Cache"] == "hit"


def test_editing_a_snippet_shows_at_once(client, site_tree, challenge_index):
    division = DivisionFactory(name="Transportation Services")
    make_challenge(challenge_index, slug="buses", division=division)
    assert "Transportation Services" in client.get("/en/challenges/buses/").content.decode()
    division.name = "Mobility Services"
    division.save()
    html = client.get("/en/challenges/buses/").content.decode()
    assert "Mobility Services" in html and "Transportation Services" not in html


def test_saving_site_settings_shows_at_once(client, site_tree):
    assert "press@example.ca" not in client.get("/en/").content.decode()
    site_settings = SiteSettings.for_site(site_tree.site)
    site_settings.contact_email = "press@example.ca"
    site_settings.save()
    assert "press@example.ca" in client.get("/en/").content.decode()


def test_making_a_section_private_takes_its_pages_out_of_the_cache_at_once(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Internal memo", slug="memo")
    assert client.get("/en/news/memo/").status_code == 200
    assert "Internal memo" in client.get("/en/news/").content.decode()
    restriction = PageViewRestriction.objects.create(page=release, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/en/news/memo/").status_code == 302  # to the login page, not the cached copy
    assert "Internal memo" not in client.get("/en/news/").content.decode()
    restriction.delete()
    assert client.get("/en/news/memo/").status_code == 200
    groups_only = PageViewRestriction.objects.create(page=release, restriction_type=PageViewRestriction.GROUPS)
    client.get("/en/")
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    groups_only.groups.add(Group.objects.create(name="Staff only"))
    assert client.get("/en/")["X-Page-Cache"] == "miss"


def test_the_scheduler_publishing_an_embargoed_release_shows_at_once(client, site_tree, time_machine):
    go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    release = NewsReleasePageFactory(
        parent=site_tree.news_index, title="Embargoed news", slug="embargoed", live=False, release_date=go_live_at
    )
    release.go_live_at = go_live_at
    release.save_revision().publish()
    assert "Embargoed news" not in client.get("/en/news/").content.decode()
    time_machine.move_to(go_live_at + datetime.timedelta(seconds=0.2))
    assert client.get("/en/news/")["X-Page-Cache"] == "hit"  # time alone changes nothing here
    call_command("publish_scheduled", stdout=io.StringIO())
    assert "Embargoed news" in client.get("/en/news/").content.decode()


def test_the_clear_page_cache_command_empties_it(client, site_tree):
    client.get("/en/")
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    call_command("clear_page_cache", stdout=io.StringIO())
    assert client.get("/en/")["X-Page-Cache"] == "miss"


def test_turned_off_it_neither_serves_nor_marks_pages(client, site_tree, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/en/")
    response = client.get("/en/")
    # Rendered again (its parts may come from the shared cache, reading no row: its templates ran).
    assert response.templates and "X-Page-Cache" not in response


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("topic=z&topic=a&page=2", "page=2&topic=z&topic=a"),
        ("q=" + "x" * 300, None),
        ("&".join(f"p{n}=1" for n in range(10)), None),
    ],
)
def test_normalised_query(query, expected):
    assert query_params.normalised_query(query) == expected


@pytest.mark.parametrize(
    ("status", "cache_control", "vary", "cookies", "expected"),
    [
        (200, "", "Cookie", False, True),
        (200, "", "", True, False),
        (404, "", "", False, False),
        (302, "", "", False, False),
        (200, "private, no-cache", "", False, False),
        (200, "no-store", "", False, False),
        (200, "", "Accept-Language, Cookie", False, False),
    ],
)
def test_may_store(status, cache_control, vary, cookies, expected):
    assert page_cache.may_store(status, cache_control, vary, cookies, streaming=False) is expected


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_a_repeat_get_is_served_from_it_and_a_publish_empties_it(client, site_tree, settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": worker_redis_url()}
    }
    caches["default"].clear()
    try:
        client.get("/en/news/")
        count, response = count_queries(client, "/en/news/")
        assert count == 0 and response["X-Page-Cache"] == "hit"
        release = NewsReleasePageFactory(parent=site_tree.news_index, title="Redis notice", slug="redis", live=False)
        release.save_revision().publish()
        assert "Redis notice" in client.get("/en/news/").content.decode()
    finally:
        caches["default"].clear()


def test_with_the_cache_down_invalidation_does_not_stop_publishing(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with django_capture_on_commit_callbacks(execute=True):
        generation.bump_generation()
    assert "could not invalidate cached pages" in caplog.text


def test_production_settings_point_wagtails_purge_at_the_proxy():
    script = (
        "from django.conf import settings; from wagtail.contrib.frontend_cache.utils import get_backends;"
        "print(type(get_backends()['proxy']).__name__, settings.WAGTAILFRONTENDCACHE['proxy']['LOCATION'])"
    )
    env = {**PRODUCTION_ENV, "FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:8080"}
    result = run_manage("shell", "-c", script, env=env)
    assert result.stdout.strip().splitlines()[-1] == "PurgeBackend http://127.0.0.1:8080", result.stderr
    configured = "from django.conf import settings; print(hasattr(settings, 'WAGTAILFRONTENDCACHE'))"
    result = run_manage("shell", "-c", configured, env=PRODUCTION_ENV)  # unset: no purge
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


class PurgeRecorder(BaseHTTPRequestHandler):
    received: list[tuple[str, str, str]] = []

    def do_PURGE(self):
        self.received.append((self.command, self.path, self.headers["Host"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_proxy(settings):
    """A local stand-in for the caching proxy that records the PURGE requests it gets."""
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "site_core.caching.proxy_cache.PurgeBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    PurgeRecorder.received = []
    yield PurgeRecorder.received
    server.shutdown()
    server.server_close()


def test_publishing_a_page_purges_its_url_from_the_proxy(site_tree, purge_proxy, django_capture_on_commit_callbacks):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Purged notice", slug="purged", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        release.save_revision().publish()
        assert purge_proxy == []  # nothing before the publish commits
    assert ("PURGE", "/en/news/purged/", "testserver") in purge_proxy
    # The listings that show its card, the home page and the sitemaps too.
    paths = {path for _method, path, _host in purge_proxy}
    assert {"/en/", "/en/news/", "/en/news/feed/", "/en/news/recent/", "/sitemap.xml", "/sitemap-en.xml"} <= paths
    local = timezone.localtime(release.release_date)
    assert f"/en/news/{local:%Y}/{local:%m}/" in paths  # its month's archive


# --- Parameters no page reads ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/en/", "/fr/", "/en/news/", "/en/news/feed/", "/en/challenges/", "/en/news/read-me/"]
)
def test_parameters_no_page_reads_are_answered_from_the_plain_pages_entry(client, site_tree, challenge_index, path):
    """Campaign tags and random parameters (?utm_source=, ?fbclid=) do not make a render and an
    entry each: the page never reads them, so the plain URL's entry answers."""
    NewsReleasePageFactory(parent=site_tree.news_index, title="Read me", slug="read-me")
    plain = client.get(path)
    assert plain.status_code == 200
    client.get(f"{path}?utm_source=newsletter")  # the first with a parameter learns what the page reads
    for junk in ("utm_source=newsletter&utm_campaign=march", "fbclid=IwAR0x", "x7f3=1&utm_medium=email"):
        count, answer = count_queries(client, f"{path}?{junk}")
        assert answer["X-Page-Cache"] == "hit", (path, junk)
        assert count == 0 and answer.content == plain.content


def test_a_stream_of_random_parameters_fills_neither_the_cache_nor_the_renderer(client, site_tree):
    client.get("/en/news/")
    client.get("/en/news/?warm=1")
    before = len(cache._cache)  # locmem's store: every entry the page cache wrote
    misses = sum(client.get(f"/en/news/?utm_x={n:04d}")["X-Page-Cache"] == "miss" for n in range(300))
    assert misses == 0
    assert len(cache._cache) == before


def test_parameters_a_page_reads_still_make_entries_of_their_own(client, site_tree, challenge_index):
    client.get("/en/challenges/?utm_source=x")  # learned: the listing reads status, topic, division...
    first = client.get("/en/challenges/?status=open&utm_source=a")
    other = client.get("/en/challenges/?status=closed&utm_source=b")
    assert first["X-Page-Cache"] == other["X-Page-Cache"] == "miss"
    again = client.get("/en/challenges/?utm_source=c&status=open")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content


def test_reading_the_whole_query_string_keeps_every_parameter_in_the_key():
    tracked = query_params.ReadTracking("page=2&utm_source=x&topic=a")
    assert tracked.get("page") == "2" and "topic" in tracked
    assert tracked.names_read == {"page", "topic"} and not tracked.read_all
    for reads_everything in (list, len, dict, lambda q: q.urlencode(), lambda q: q.copy(), lambda q: q.items()):
        tracked = query_params.ReadTracking("page=2&utm_source=x")
        reads_everything(tracked)
        assert tracked.read_all
    reduced = query_params.reduced_query("utm_source=x&topic=b&topic=a&page=2", {"page", "topic"})
    assert reduced == "page=2&topic=b&topic=a"


def test_restricting_a_section_purges_its_pages_and_archives_in_queries_that_do_not_grow(site_tree, purge_proxy):
    """A view restriction on the newsroom purges every release, every archive period and the feeds,
    computed in the same number of queries for 5 releases as for 40."""
    from site_core.caching import proxy_cache

    def releases(count: int, first: int):
        for number in range(first, first + count):
            NewsReleasePageFactory(
                parent=site_tree.news_index,
                slug=f"release-{number}",
                release_date=datetime.datetime(2017, 1 + number % 12, 10, 15, tzinfo=datetime.UTC),
            )

    counts = []
    for count, first in ((5, 0), (35, 5)):
        releases(count, first)
        news_index = site_tree.news_index.specific
        proxy_cache.change_urls(news_index, descendants=True)  # the per-process caches (content types, sites)
        with CaptureQueriesContext(connection) as captured:
            urls = proxy_cache.change_urls(news_index, descendants=True)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
    paths = {url.split("testserver", 1)[1] for url in urls}
    assert {f"/en/news/release-{number}/" for number in range(40)} <= paths
    assert {"/en/news/2017/", "/en/news/2017/03/", "/en/news/feed/news-release/", "/en/"} <= paths


def test_a_new_slug_purges_the_old_addresses_of_the_page_and_its_children(
    site_tree, purge_proxy, django_capture_on_commit_callbacks
):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Renamed", slug="renamed")
    news = site_tree.news_index.specific
    news.slug = "newsroom"
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    paths = {path for _method, path, _host in purge_proxy}
    assert {"/en/news/", f"/en/news/{release.slug}/", "/en/newsroom/"} <= paths


def test_people_s_records_and_the_emails_sent_leave_the_page_cache_alone(site_tree):
    """Subscribing, each alert's link key, a registration: none is on a public page, so none makes every
    cached page stale (a send of 20,000 alerts writes 20,000 keys)."""
    from home.alerts.models import AlertBroadcast, Subscriber, Subscription
    from home.events.models import EventSeats

    before = generation.current_generation()
    subscriber = Subscriber.objects.create(email="someone@example.ca", language="en")
    subscriber.new_key()
    Subscription.objects.create(subscriber=subscriber, list_key="news")
    subscriber.subscriptions.all().delete()
    AlertBroadcast.objects.create(page=site_tree.home, list_key="news")
    EventSeats.objects.create(translation_key=site_tree.home.translation_key)
    assert generation.current_generation() == before
    TopicFactory(name="Transit", slug="transit")  # content: stale
    assert generation.current_generation() != before


def test_while_the_redis_breaker_is_open_pages_render_without_the_cache_and_one_request_tries_it_after(
    client, site_tree, settings
):
    """A Redis failure a moment ago (site_core/services/dependencies/breakers.py): the page cache does
    not call a cache every call to which would be skipped; it renders at once and says nothing of a
    cache. After the cooldown the next request tries the cache again, and it is used."""
    from site_core.services.dependencies import cache_breaker

    assert client.get("/en/")["X-Page-Cache"] == "miss"
    settings.DEPENDENCY_BREAKER_COOLDOWN_SECONDS = 60
    cache_breaker.failed("a test's refused connection", "down")
    try:
        answer = client.get("/en/")
        assert answer.status_code == 200 and "X-Page-Cache" not in answer
        assert "private" in answer["Cache-Control"]  # not stored anywhere on its way either
        settings.DEPENDENCY_BREAKER_COOLDOWN_SECONDS = 0
        assert client.get("/en/")["X-Page-Cache"] == "hit"  # the trial request
    finally:
        cache_breaker.reset()
