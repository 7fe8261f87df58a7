"""One render per page and generation (issue 24, item 1): when a change makes every cached page stale,
concurrent requests for a page render it once. After a change that only added or edited content,
the others are served the copy from before the change meanwhile (marked stale, kept by no proxy);
after one that took content away, they wait for the new copy. Checked with real threads against the
real middleware, on the per-process cache and on Redis through django-redis (production's)."""

import threading

import pytest
from django.core.cache import caches
from django.db import connections, transaction
from django.http import HttpResponseNotFound
from django.test import Client

from home.models import HomePage
from site_core.caching import generation, page_cache
from site_core.models import SiteSettings
from site_core.services import dependencies
from site_core.settings.base import redis_caches
from tests.conftest import worker_redis_url
from tests.factories import NewsReleasePageFactory
from tests.site_core.test_page_cache import redis_reachable

pytestmark = pytest.mark.django_db(transaction=True)  # the threads read what the test committed

RENDER_SECONDS = 0.4
VISITORS = 8


@pytest.fixture(params=["memory", "redis"])
def shared_cache(request, settings):
    """The page cache on this process's memory (cache.add as the lock) or on Redis (its own lock)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_RENDER_WAIT = 5.0
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("no Redis at 127.0.0.1:6379")
        settings.CACHES = redis_caches(worker_redis_url())
        # Eight threads of one process on a busy test machine can wait longer on the GIL than the
        # 0.25 s that makes a Redis answer "slow" and than a visitor's 0.5 s of cache waits: the
        # breaker would open and the page cache step aside, which is not what these tests are about
        # (tests/stack/test_faults_stack.py has Redis truly slow).
        settings.CACHE_SLOW_SECONDS = 10.0
        settings.DEPENDENCY_BUDGETS = {**settings.DEPENDENCY_BUDGETS, "public": (None, None)}
    dependencies.reset()
    caches["default"].clear()
    yield request.param
    caches["default"].clear()
    dependencies.reset()


@pytest.fixture
def renders(monkeypatch):
    """How many times the home page was rendered; each render takes RENDER_SECONDS."""
    count = {"n": 0}
    lock = threading.Lock()
    serve = HomePage.serve

    def slow_serve(page, request, *args, **kwargs):
        with lock:
            count["n"] += 1
        threading.Event().wait(RENDER_SECONDS)
        return serve(page, request, *args, **kwargs)

    monkeypatch.setattr(HomePage, "serve", slow_serve)
    return count


@pytest.fixture
def site(site_tree):
    SiteSettings.for_site(site_tree.site)  # created on a first visit, which would empty the cache
    return site_tree


def visit_together(path: str = "/en/") -> list:
    """VISITORS browsers ask for `path` at the same moment; their answers."""
    start = threading.Barrier(VISITORS)
    answers = [None] * VISITORS

    def visit(index: int) -> None:
        try:
            start.wait()
            answers[index] = Client().get(path)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=visit, args=(index,)) for index in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def states(answers) -> list[str]:
    return sorted(answer.get("X-Page-Cache", "none") for answer in answers)


def test_a_page_nobody_has_cached_is_rendered_once_for_everyone_asking_at_once(shared_cache, site, renders):
    answers = visit_together()
    assert {answer.status_code for answer in answers} == {200}
    assert renders["n"] == 1, states(answers)
    assert states(answers) == ["hit"] * (VISITORS - 1) + ["miss"]
    assert len({answer.content for answer in answers}) == 1


def late_request(monkeypatch, method: str, path: str = "/en/"):
    """A request for `path` in a thread named "late" that stops at its first call of
    `RenderLock.<method>` until told to go on. Returns (paused, go_on, finish): `paused` is set when
    it stops; `go_on` lets it continue; `finish()` joins it and returns its answer."""
    paused, go_on = threading.Event(), threading.Event()
    original = getattr(page_cache.RenderLock, method)

    def stop_once(lock):
        if threading.current_thread().name == "late" and not paused.is_set():
            paused.set()
            go_on.wait(10)
        return original(lock)

    monkeypatch.setattr(page_cache.RenderLock, method, stop_once)
    answers = {}

    def late() -> None:
        try:
            answers["late"] = Client().get(path)
        finally:
            connections.close_all()

    thread = threading.Thread(target=late, name="late")
    thread.start()

    def finish():
        thread.join(30)
        return answers["late"]

    return paused, go_on, finish


def test_a_request_that_missed_just_before_a_render_ended_does_not_render_again(
    shared_cache, site, renders, monkeypatch
):
    """The narrow window: a request reads the cache before another's render stores its copy, and
    takes the lock after that render let it go. It finds the copy under the lock instead of
    rendering the page a second time for the same generation."""
    at_lock, first_done, finish = late_request(monkeypatch, "acquire")
    assert at_lock.wait(10)  # it has read the cache: nothing there yet
    first = Client().get("/en/")
    first_done.set()
    late = finish()
    assert first["X-Page-Cache"] == "miss"
    assert late["X-Page-Cache"] == "hit"
    assert renders["n"] == 1
    assert late.content == first.content


def test_a_waiting_request_that_sees_the_lock_go_just_after_its_read_does_not_render_again(
    shared_cache, site, renders, monkeypatch
):
    """The same window on the waiting side: its poll reads no copy, then the render stores one and
    lets go before the request looks at the lock. It takes the copy instead of rendering."""
    key = page_cache.cache_key("http", "testserver", "/en/", "")
    holder = page_cache.RenderLock(key, generation.current_generation())
    assert holder.acquire()  # a render under way elsewhere
    at_check, stored, finish = late_request(monkeypatch, "held")
    assert at_check.wait(10)  # it polled and found nothing
    holder.release()
    first = Client().get("/en/")  # the render elsewhere ends: stored, lock let go
    stored.set()
    late = finish()
    assert first["X-Page-Cache"] == "miss"
    assert late["X-Page-Cache"] == "hit"
    assert renders["n"] == 1


def test_after_a_publish_one_request_renders_and_the_others_get_the_previous_copy(shared_cache, site, renders):
    Client().get("/en/")
    renders["n"] = 0
    release = NewsReleasePageFactory(parent=site.news_index, title="Surge notice", slug="surge", live=False)
    release.save_revision().publish()
    answers = visit_together()
    assert renders["n"] == 1, states(answers)
    assert states(answers) == ["miss"] + ["stale"] * (VISITORS - 1)
    for answer in answers:
        if answer["X-Page-Cache"] == "stale":
            assert answer["Cache-Control"] == "no-cache"  # no proxy keeps the old copy
    fresh = Client().get("/en/")
    assert fresh["X-Page-Cache"] == "hit" and renders["n"] == 1


def test_after_an_unpublish_nobody_gets_the_previous_copy(shared_cache, site, renders):
    release = NewsReleasePageFactory(parent=site.news_index, title="Withdrawn notice", slug="withdrawn")
    assert "Withdrawn notice" in Client().get("/en/").content.decode()
    renders["n"] = 0
    release.unpublish()
    answers = visit_together()
    assert renders["n"] == 1, states(answers)
    assert states(answers) == ["hit"] * (VISITORS - 1) + ["miss"]  # they waited for the new copy
    assert all("Withdrawn notice" not in answer.content.decode() for answer in answers)


def test_a_copy_whose_page_now_answers_otherwise_is_never_served_again(shared_cache, site, settings, monkeypatch):
    """The request that renders a page and gets no storable answer (a 404 now) drops the old copy, so
    nobody is served it while another request renders."""
    settings.PAGE_CACHE_RENDER_WAIT = 0.2
    assert Client().get("/en/")["X-Page-Cache"] == "miss"
    generation.bump_generation(strict=False)  # an addition elsewhere: the copy may be served stale
    monkeypatch.setattr(HomePage, "serve", lambda page, request, *args, **kwargs: HttpResponseNotFound("Gone"))
    key = page_cache.cache_key("http", "testserver", "/en/", "")
    other = page_cache.RenderLock(key, generation.current_generation())
    assert other.acquire()  # another request is rendering it
    assert Client().get("/en/")["X-Page-Cache"] == "stale"
    other.release()
    assert Client().get("/en/").status_code == 404  # rendered here: not stored, and the copy dropped
    assert caches["default"].get(key) is None
    assert other.acquire()
    after = Client().get("/en/")  # waits 0.2 s for the other render, then renders
    assert after.status_code == 404 and "X-Page-Cache" not in after
    other.release()


def test_a_page_moved_to_a_new_slug_leaves_its_old_address_once_rendered(shared_cache, site, settings):
    """A new slug is published content (the page is as public as before, at its new address): while
    another request renders the old address its copy may be served; once rendered, the old address
    answers as Wagtail does for it now, and its copy is gone."""
    settings.PAGE_CACHE_RENDER_WAIT = 0.2
    release = NewsReleasePageFactory(parent=site.news_index, title="Old address", slug="old-address")
    assert Client().get("/en/news/old-address/")["X-Page-Cache"] == "miss"
    release.slug = "new-address"
    release.save_revision().publish()
    key = page_cache.cache_key("http", "testserver", "/en/news/old-address/", "")
    other = page_cache.RenderLock(key, generation.current_generation())
    assert other.acquire()
    assert Client().get("/en/news/old-address/")["X-Page-Cache"] == "stale"
    other.release()
    assert Client().get("/en/news/old-address/").status_code in (301, 302, 404)
    assert caches["default"].get(key) is None
    assert Client().get("/en/news/new-address/").status_code == 200


def test_a_change_in_one_transaction_that_takes_content_away_is_strict_at_commit(shared_cache, site):
    """A publish and an unpublish together: no page cached before them may be served stale after."""
    before = generation.current_generation()
    with transaction.atomic():
        generation.bump_generation(strict=False)
        generation.bump_generation(strict=True)
        generation.bump_generation(strict=False)
    assert generation.current_generation() != before
    assert caches["default"].get(generation.STALE_KEY) is None


def shared_token() -> str | None:
    return caches["default"].get(generation.GENERATION_KEY)


def test_a_publish_renews_the_shared_token_once_when_it_commits(shared_cache, site, renders):
    """Inside the publishing transaction the shared token stays: other requests are served what is
    committed, under the token the commit replaces; nobody renders under a token that would be
    replaced the moment the publish commits. The publishing thread reads a token of its own, which
    nobody else ever reads (its snapshot may lack another transaction's change): the commit sets a
    fresh one."""
    assert "Quiet notice" not in Client().get("/en/").content.decode()
    before = shared_token()
    renders["n"] = 0
    with transaction.atomic():
        release = NewsReleasePageFactory(parent=site.news_index, title="Quiet notice", slug="quiet", live=False)
        release.save_revision().publish()
        assert shared_token() == before
        own = generation.pending_generation()
        assert own not in (None, before)
        # The publishing thread sees its own change, rendered under its own token.
        assert "Quiet notice" in Client().get("/en/").content.decode()
    after = shared_token()
    assert after not in (before, own)  # one renewal, to a token nobody has used
    chain = caches["default"].get(generation.STALE_KEY)
    assert before in chain["since"] and chain["to"] == after  # an addition: may be served stale
    first = Client().get("/en/")
    assert first["X-Page-Cache"] == "miss" and "Quiet notice" in first.content.decode()
    assert Client().get("/en/")["X-Page-Cache"] == "hit"
    assert renders["n"] == 2  # the publishing thread's own, and one for everyone after the commit


def test_an_unpublish_commits_a_strict_renewal_and_a_rollback_none(shared_cache, site):
    release = NewsReleasePageFactory(parent=site.news_index, title="Withdrawn notice", slug="withdrawn")
    Client().get("/en/")
    before = shared_token()
    with transaction.atomic():
        release.unpublish()
        transaction.set_rollback(True)
    assert shared_token() == before and generation.pending_generation() is None
    release.refresh_from_db()
    with transaction.atomic():
        release.unpublish()
        assert shared_token() == before
    assert shared_token() != before
    assert caches["default"].get(generation.STALE_KEY) is None  # taken away: nothing from before is served
