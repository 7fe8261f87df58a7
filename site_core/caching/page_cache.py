"""Full-page cache for anonymous visitors, in the shared cache (Redis when REDIS_URL is set).

`PageCacheMiddleware` sits right after WhiteNoise, before sessions, authentication and the
database: a repeat anonymous GET is answered from one cache read, with no SQL query and no template.
Whether a request may be served from the cache is decided from the request (method, path, cookie
presence) and, for a visitor with a session cookie, from what the session holds: a signed-in editor,
messages waiting or a private page's password step aside, anything else is served the anonymous
page; whether a response may be stored, from the response (200, no cookie set, no
private/no-store, not varying by Accept-Language). See docs/performance.md, "Page cache".

An entry is keyed on the query parameters its page reads (site_core/caching/query_params.py) and
is stale once published content changes (site_core/caching/generation.py).
"""

import hashlib
import logging
import re
import time
import uuid
import zlib
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from site_core.caching import generation as generations
from site_core.caching.generation import GENERATION_KEY, STALE_KEY, may_serve_stale
from site_core.caching.query_params import MAX_REDUCIBLE_QUERY_LENGTH, normalised_query, reduced_query, track_reads
from site_core.services.dependencies import cache as shared_cache

logger = logging.getLogger(__name__)

ENTRY_PREFIX = "page-cache:entry:"

# Never looked up nor stored: the admin, documents (privacy per collection), the API, the health
# check (must reflect the database), embargo preview links, and search results (an unbounded space
# of queries: caching them would push pages out of the cache for hits that rarely repeat).
SKIPPED_PATHS = re.compile(
    r"^/(?:admin/|django-admin/|documents/|api/|healthz|preview/|(?:[a-z]{2}(?:-[\w]+)?/)?search/)"
)


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def timeout() -> int:
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 300)


def proxy_max_age(path: str = "") -> int:
    """How long a caching proxy may keep the page at `path`: `PAGE_CACHE_PROXY_MAX_AGE`, less up to a
    quarter by the address (the same on every app server, as a CRC of the path). Copies stored
    together (the proxy's cache refilled at once after a restart, a purge, a run of visitors) then
    expire spread over that quarter, not in the same second, and they stay spread as they are
    renewed: after a publish each stale page renders when its copy expires, not all at once (a
    minute after a publish, the 57 pages the purge does not name, rendered together, delayed every
    answer through the proxy by up to 340 ms: docs/performance.md, "A publish under load")."""
    longest = getattr(settings, "PAGE_CACHE_PROXY_MAX_AGE", 60)
    spread = longest // 4
    return longest - (zlib.crc32(path.encode()) % (spread + 1) if spread else 0)


def render_wait() -> float:
    """How long a request waits for another's render of the same page (no copy to serve meanwhile)
    before rendering it too: longer than a page takes, shorter than a visitor's patience."""
    return getattr(settings, "PAGE_CACHE_RENDER_WAIT", 5.0)


# --- One render per page and generation ---------------------------------------------------------

# How long a render may hold its page's lock: a request that dies while rendering frees it then.
RENDER_LOCK_SECONDS = 30
POLL_SECONDS = 0.025


class RenderLock:
    """Which request renders a page for a generation, across every app server: Redis's own lock
    (django-redis `cache.lock`, a key set only if absent, released only by its holder) when the shared
    cache is Redis, else an atomic `cache.add` (per-process memory in development and tests)."""

    def __init__(self, key: str, generation: str):
        self.name = f"{key}:render:{generation}"
        self.generation = generation
        self.token = uuid.uuid4().hex
        self.redis_lock = cache.lock(self.name, timeout=RENDER_LOCK_SECONDS) if hasattr(cache, "lock") else None

    def acquire(self) -> bool:
        if self.redis_lock is not None:
            return bool(self.redis_lock.acquire(blocking=False))
        return cache.add(self.name, self.token, RENDER_LOCK_SECONDS)

    def held(self) -> bool:
        """Whether some request holds it."""
        if self.redis_lock is not None:
            return bool(self.redis_lock.locked())
        return cache.get(self.name) is not None

    def release(self) -> None:
        try:
            if self.redis_lock is not None:
                self.redis_lock.release()
            elif cache.get(self.name) == self.token:
                cache.delete(self.name)
        except Exception:  # expired meanwhile (a render over RENDER_LOCK_SECONDS), or the cache is down
            logger.warning("Page cache render lock not released", exc_info=True)


# --- Pure rules -------------------------------------------------------------------------------


def may_serve_from_cache(method: str, path: str, cookies: dict) -> bool:
    """A request is a candidate when it is a GET or HEAD, outside the skipped paths, from a visitor
    with no messages waiting in a cookie. A session cookie is judged by what its session holds
    (`session_is_anonymous`)."""
    if method not in ("GET", "HEAD") or SKIPPED_PATHS.match(path):
        return False
    return getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in cookies


# What a session may hold and still see the page every anonymous visitor sees. Django writes a
# signed-in user (`_auth_user_id`…), waiting messages (`_messages`) and Wagtail the private pages
# whose password was given: each changes pages, so a session holding any key not listed here steps
# aside. A feature that keeps something in the session that no page shows adds its key here.
ANONYMOUS_SESSION_KEYS = frozenset({"_session_expiry"})


def session_is_anonymous(data: dict) -> bool:
    """True when a session's data leaves every page as an anonymous visitor sees it: an empty,
    expired or unknown session, or one holding only ANONYMOUS_SESSION_KEYS."""
    return set(data) <= ANONYMOUS_SESSION_KEYS


def no_session_key(session_key: str) -> str:
    """Where the page cache remembers that a session cookie names no session (expired, signed out
    elsewhere, or made up): such a cookie then costs no database read. A session is never created
    under a key already given out, so the answer holds until the entry expires."""
    return ENTRY_PREFIX + "no-session:" + hashlib.sha256(session_key.encode()).hexdigest()


def may_store(status_code: int, cache_control: str, vary: str, sets_cookies: bool, streaming: bool) -> bool:
    """Only plain 200 answers that are the same for every anonymous visitor: 404s (any URL can be
    asked for) and redirects (cheap; "/" varies by Accept-Language) are not stored."""
    if status_code != 200 or sets_cookies or streaming:
        return False
    directives = {item.split("=")[0].strip().lower() for item in cc_delim_re.split(cache_control) if item}
    if directives & {"private", "no-store", "no-cache"}:
        return False
    varies = {item.strip().lower() for item in cc_delim_re.split(vary) if item}
    return not varies & {"accept-language", "*"}


def cache_key(scheme: str, host: str, path: str, query: str) -> str:
    url = f"{scheme}://{host}{path}?{query}"
    return ENTRY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def names_key(scheme: str, host: str, path: str) -> str:
    """Where the names of the parameters the page at `path` reads are kept."""
    return ENTRY_PREFIX + "read:" + hashlib.sha256(f"{scheme}://{host}{path}".encode()).hexdigest()


# --- Middleware -------------------------------------------------------------------------------


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = generations.start_request()
        try:
            return self.answer(request)
        finally:
            generations.end_request(scope)

    def answer(self, request):
        if not enabled() or not may_serve_from_cache(request.method, request.path, request.COOKIES):
            return self.uncached(request)
        query_string = request.META.get("QUERY_STRING", "")
        query = normalised_query(query_string)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        if query is None and len(query_string) > MAX_REDUCIBLE_QUERY_LENGTH:
            return self.uncached(request)
        key = cache_key(request.scheme, host, request.path, query) if query is not None else None
        read_key = names_key(request.scheme, host, request.path)
        if shared_cache.skipped() is not None:
            # Redis failed a moment ago (site_core/services/dependencies/cache.py): every call would be
            # skipped, so render without the cache at once. After the cooldown one request tries again.
            return self.uncached(request)
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        unknown_session = no_session_key(session_key) if session_key else None
        try:
            found = cache.get_many(
                [GENERATION_KEY, STALE_KEY, read_key, *([key] if key else []), *filter(None, [unknown_session])]
            )
        except Exception:  # the cache is down: serve the site without it
            logger.warning("Page cache unavailable", exc_info=True)
            return self.uncached(request)
        if session_key and not found.get(unknown_session) and not self.anonymous_session(session_key):
            return self.uncached(request)  # a signed-in editor, messages waiting, a private page's password
        try:
            generation = (
                generations.pending_generation() or found.get(GENERATION_KEY) or generations.current_generation()
            )
            generations.use_for_request(generation)
            entry = found.get(key) if key else None
            names = found.get(read_key)
            known_names = set(names["names"]) if names and names["generation"] == generation else None
            if (entry is None or entry["generation"] != generation) and query_string and known_names is not None:
                # Parameters the page does not read: the entry of the parameters it does.
                reduced = reduced_query(query_string, known_names)
                if reduced is not None and reduced != query:
                    key = cache_key(request.scheme, host, request.path, reduced)
                    entry = cache.get(key)
        except Exception:  # the cache is down: serve the site without it
            logger.warning("Page cache unavailable", exc_info=True)
            return self.uncached(request)
        if entry is not None and entry["generation"] == generation:
            return self.from_entry(request, entry, "hit")
        lock = None
        if key is not None and request.method == "GET":  # a HEAD stores nothing: it renders on its own
            try:
                lock = RenderLock(key, generation)
                if lock.acquire():
                    # Checked again under the lock: a render that stored its copy and let go between
                    # this request's read and its lock leaves nothing for this one to do.
                    stored = cache.get(key)
                    if stored is not None and stored["generation"] == generation:
                        lock.release()
                        return self.from_entry(request, stored, "hit")
                else:
                    waited, lock = lock, None
                    answer = self.while_another_renders(request, waited, key, entry, found.get(STALE_KEY))
                    if answer is not None:
                        return answer
            except Exception:  # the cache is down: render
                logger.warning("Page cache unavailable", exc_info=True)
                lock = None
        try:
            return self.render(request, query_string, query, host, key, read_key, names, known_names, generation, entry)
        finally:
            if lock is not None:
                lock.release()

    @staticmethod
    def from_entry(request, entry: dict, state: str):
        response = HttpResponse(entry["content"], status=200, headers=entry["headers"])
        response["X-Page-Cache"] = state
        if state == "stale":
            # Served while its new copy renders: a shared cache must not keep it (the new one is
            # a moment away), nor a browser.
            response["Cache-Control"] = "no-cache"
        answer = get_conditional_response(request, etag=entry["headers"]["ETag"], response=response)
        answer["X-Page-Cache"] = state  # a 304 too: it says where it came from
        return answer

    def while_another_renders(self, request, lock: RenderLock, key: str, entry, stale: dict | None):
        """Another request holds `lock`: it renders this page for this generation. Serve the copy from
        before the change when every change since only added content; else wait for the new copy.
        None: render it here after all (the other render stored nothing, or took longer than
        render_wait())."""
        generation = lock.generation
        if entry is not None and may_serve_stale(entry["generation"], stale, generation):
            return self.from_entry(request, entry, "stale")
        deadline = time.monotonic() + render_wait()
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            entry = cache.get(key)
            if entry is not None and entry["generation"] == generation:
                return self.from_entry(request, entry, "hit")
            if not lock.held():
                # Let go: stored just after the read above (then served), or nothing stored.
                entry = cache.get(key)
                if entry is not None and entry["generation"] == generation:
                    return self.from_entry(request, entry, "hit")
                return None
        return None

    def render(self, request, query_string, query, host, key, read_key, names, known_names, generation, entry):
        tracked = track_reads(request) if query_string else None
        response = self.get_response(request)
        if tracked is not None:
            if tracked.read_all:
                key = cache_key(request.scheme, host, request.path, query) if query is not None else None
            else:
                known_names = (known_names or set()) | tracked.names_read
                reduced = reduced_query(query_string, known_names)
                key = cache_key(request.scheme, host, request.path, reduced) if reduced is not None else None
                if names is None or set(names.get("names", ())) != known_names or names["generation"] != generation:
                    self.remember(read_key, generation, known_names)
            if key is None:
                return self.keep_private(request, response) if request.method == "GET" else response
        if request.method == "GET" and may_store(
            response.status_code,
            response.get("Cache-Control", ""),
            response.get("Vary", ""),
            bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")),
            response.streaming,
        ):
            if not response.has_header("ETag"):
                response["ETag"] = quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest())
            if not response.has_header("Cache-Control"):  # a view's own choice (open data files) stands
                patch_cache_control(
                    response, public=True, max_age=0, s_maxage=proxy_max_age(request.path), must_revalidate=True
                )
            headers = {name: value for name, value in response.items() if name.lower() not in ("date", "x-page-cache")}
            try:
                cache.set(key, {"generation": generation, "content": response.content, "headers": headers}, timeout())
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
            response["X-Page-Cache"] = "miss"
            answer = get_conditional_response(request, etag=response["ETag"], response=response)
            answer["X-Page-Cache"] = "miss"
            return answer
        if entry is not None and key is not None:
            # The page no longer answers as it did (now a 404, a redirect, private): its old copy
            # must not be served as stale while another request renders it.
            try:
                cache.delete(key)
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
        return self.keep_private(request, response) if request.method == "GET" else response

    @staticmethod
    def anonymous_session(session_key: str) -> bool:
        """Read the session the cookie names (the session engine's own read: one query with the
        database engine); remember when there is none."""
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        try:
            data = store.load()
        except Exception:  # the session store is down: the site's own fault handling answers
            logger.warning("Session unreadable for the page cache", exc_info=True)
            return False
        if store.session_key is None:  # no such session (the engine forgets the key it could not load)
            try:
                cache.set(no_session_key(session_key), True, timeout())
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
            return True
        return session_is_anonymous(data)

    @staticmethod
    def remember(read_key: str, generation: str, names: set[str]) -> None:
        try:
            cache.set(read_key, {"generation": generation, "names": sorted(names)}, timeout())
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)

    def uncached(self, request):
        response = self.get_response(request)
        if request.method == "GET" and not SKIPPED_PATHS.match(request.path):
            return self.keep_private(request, response)
        return response

    @staticmethod
    def keep_private(request, response):
        """An answer not stored here is not for a shared cache either (a logged-in editor's page with
        the userbar, a form with its CSRF cookie), unless the view said otherwise."""
        if enabled() and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response
