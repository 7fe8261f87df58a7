"""Full-page cache for anonymous visitors, in the shared cache (Redis when REDIS_URL is set).

`PageCacheMiddleware` sits right after WhiteNoise, before sessions, authentication and the
database: a repeat anonymous GET is answered from one cache read, with no SQL query and no template.
Whether a request may be served from the cache is decided from the request alone (method, path,
cookie *presence*); whether a response may be stored, from the response (200, no cookie set, no
private/no-store, not varying by Accept-Language). See docs/performance.md, "Page cache".

Query strings: an entry is keyed on the parameters its page actually reads. While a page renders,
`request.GET` records which parameters the view, its templates and tags asked for (ReadTracking);
the entry is stored under the URL with only those parameters, and the names are remembered for the
path. A request carrying parameters no view reads (`?utm_source=...`, `?fbclid=...`, a random one) is
then answered from the same entry as the plain URL, instead of a render and a new entry each. Code
that reads the whole query string (iterating `request.GET`, `get_full_path()`) keeps every parameter
in the key, so the reduction can only ever merge requests that get the same page.

Invalidation is a generation token: every entry records the token it was rendered under, and any
change to published content (page publish/unpublish/delete/move, a snippet, a setting, an image, a
redirect, a search promotion, a site or locale) replaces the token, so every entry is stale at once.
Listings, the home page, feeds and sitemaps show many pages each, so purging one page's URLs
would miss most of what a change touches; publishing is rare next to reading, and a refill costs
one render per URL. Entries also expire after PAGE_CACHE_TIMEOUT seconds, which bounds how long
time-dependent content (a challenge's status at its dates, "closing soon", the last 30 days of news)
can lag behind the clock.
"""

import contextvars
import hashlib
import logging
import re
import uuid
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
ENTRY_PREFIX = "page-cache:entry:"

# Never looked up nor stored: the admin, documents (privacy per collection), the API, the health
# check (must reflect the database), embargo preview links, and search results (an unbounded space
# of queries: caching them would push pages out of the cache for hits that rarely repeat).
SKIPPED_PATHS = re.compile(
    r"^/(?:admin/|django-admin/|documents/|api/|healthz|preview/|(?:[a-z]{2}(?:-[\w]+)?/)?search/)"
)
MAX_QUERY_LENGTH = 200
MAX_QUERY_PARAMETERS = 6
# A longer query is not stored as it is, but may still be answered from the entry of the parameters
# its page reads; past this length it is not even looked at.
MAX_REDUCIBLE_QUERY_LENGTH = 2000

# Models whose saves and deletions do not change what anonymous visitors see.
IGNORED_MODELS = {
    "challenges.application",
    "site_core.outgoingemail",
    "news.embargopreviewlink",
}
# Bookkeeping Wagtail writes while serving a page (an image's size or hash filled in on first use).
BOOKKEEPING_FIELDS = {"file_size", "file_hash"}
# Wagtail models (beyond pages) that public pages show or that decide what a URL answers.
WATCHED_WAGTAIL_MODELS = {
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailcore.pageviewrestriction",  # a section made private leaves every listing and its pages
    "wagtailimages.image",
    "wagtaildocs.document",
    "wagtailredirects.redirect",
    "wagtailsearchpromotions.query",
    "wagtailsearchpromotions.searchpromotion",
}
CONTENT_APPS = {"home", "news", "challenges", "jobs", "site_core"}


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def timeout() -> int:
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 300)


def proxy_max_age() -> int:
    return getattr(settings, "PAGE_CACHE_PROXY_MAX_AGE", 60)


# --- Pure rules -------------------------------------------------------------------------------


def normalised_query(query_string: str) -> str | None:
    """The query string with its parameters in name order (values keep their order within a name),
    or None when it is too long or has too many parameters to be worth a cache entry."""
    if not query_string:
        return ""
    if len(query_string) > MAX_QUERY_LENGTH:
        return None
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if len(pairs) > MAX_QUERY_PARAMETERS:
        return None
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def may_serve_from_cache(method: str, path: str, cookies: dict) -> bool:
    """A request is a candidate when it is a GET or HEAD, outside the skipped paths, from a visitor
    with neither a session (a logged-in user, or messages waiting) nor a messages cookie."""
    if method not in ("GET", "HEAD") or SKIPPED_PATHS.match(path):
        return False
    messages_cookie = getattr(settings, "MESSAGES_COOKIE_NAME", "messages")
    return settings.SESSION_COOKIE_NAME not in cookies and messages_cookie not in cookies


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


def reduced_query(query_string: str, names) -> str | None:
    """The query string with only the parameters in `names`, normalised; None when what is left is
    still too long or has too many parameters for an entry of its own."""
    if len(query_string) > MAX_REDUCIBLE_QUERY_LENGTH:
        return None
    pairs = [pair for pair in parse_qsl(query_string, keep_blank_values=True) if pair[0] in names]
    return normalised_query(urlencode(pairs))


class ReadTracking(QueryDict):
    """`request.GET` that remembers which parameters were read: by name (`get`, `[]`, `in`,
    `getlist`), or all of them (iterating, `urlencode`, `copy`, `len`, truthiness...)."""

    def __init__(self, query_string=None, mutable=False, encoding=None):
        self.names_read: set[str] = set()
        self.read_all = False
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.names_read.clear()  # filling itself (QueryDict's own reads) is not the page reading

    def __getitem__(self, key):
        self.names_read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.names_read.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.names_read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.names_read.add(key)
        return super().getlist(key, default)

    def _everything(self, method, *args, **kwargs):
        self.read_all = True
        return getattr(super(), method)(*args, **kwargs)

    def __iter__(self):
        return self._everything("__iter__")

    def __len__(self):
        return self._everything("__len__")

    def keys(self):
        return self._everything("keys")

    def items(self):
        return self._everything("items")

    def values(self):
        return self._everything("values")

    def lists(self):
        return self._everything("lists")

    def dict(self):
        return self._everything("dict")

    def urlencode(self, safe=None):
        return self._everything("urlencode", safe)

    def copy(self):
        self.read_all = True
        return QueryDict(super().urlencode(), mutable=True, encoding=self.encoding)

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


def track_reads(request) -> ReadTracking:
    """Give the request a recording `GET`, and count reading the whole query string another way
    (the full path, an absolute URI of the request itself) as reading every parameter."""
    tracked = ReadTracking(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
    request.GET = tracked
    for method in ("get_full_path", "get_full_path_info"):
        original = getattr(request, method)

        def whole(*args, _original=original, **kwargs):
            tracked.read_all = True
            return _original(*args, **kwargs)

        setattr(request, method, whole)
    original_absolute = request.build_absolute_uri

    def absolute(location=None):
        if location is None:
            tracked.read_all = True
        return original_absolute(location)

    request.build_absolute_uri = absolute
    return tracked


# --- Generation -------------------------------------------------------------------------------

# The token as this request read it. A rendered page asks for it several times (each derived value
# in site_core/caching/content_cache.py is stored under it): it is read from the shared cache once per
# request, and read again after this request itself changes content. Outside a request (commands,
# the scheduler) the variable holds None and every call reads the shared cache.
_NOT_READ = object()
_request_generation: contextvars.ContextVar = contextvars.ContextVar("page_cache_generation", default=None)


def current_generation() -> str:
    remembered = _request_generation.get()
    if isinstance(remembered, str):
        return remembered
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if remembered is _NOT_READ:
        _request_generation.set(generation)
    return generation


def bump_generation() -> None:
    """Make every cached page stale. Done at once and again when the transaction commits: a page
    rendered between the two from the old rows is stored under the first token and never served."""
    renew_generation()
    transaction.on_commit(renew_generation)


def renew_generation() -> None:
    if _request_generation.get() is not None:  # this request reads the new token from now on
        _request_generation.set(_NOT_READ)
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # publishing goes on; while the cache is down nothing is served from it
        logger.error("Page cache unavailable: could not invalidate cached pages", exc_info=True)


# --- Middleware -------------------------------------------------------------------------------


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = _request_generation.set(_NOT_READ)
        try:
            return self.answer(request)
        finally:
            _request_generation.reset(scope)

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
        try:
            found = cache.get_many([GENERATION_KEY, read_key, *([key] if key else [])])
            generation = found.get(GENERATION_KEY) or current_generation()
            _request_generation.set(generation)
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
            response = HttpResponse(entry["content"], status=200, headers=entry["headers"])
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=entry["headers"]["ETag"], response=response)
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
                patch_cache_control(response, public=True, max_age=0, s_maxage=proxy_max_age(), must_revalidate=True)
            headers = {name: value for name, value in response.items() if name.lower() not in ("date", "x-page-cache")}
            try:
                cache.set(key, {"generation": generation, "content": response.content, "headers": headers}, timeout())
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
            response["X-Page-Cache"] = "miss"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return self.keep_private(request, response) if request.method == "GET" else response

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


# --- Invalidation -----------------------------------------------------------------------------


def watched(model) -> bool:
    label = model._meta.label_lower
    if label in IGNORED_MODELS:
        return False
    return model._meta.app_label in CONTENT_APPS or label in WATCHED_WAGTAIL_MODELS


def on_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and set(update_fields) <= BOOKKEEPING_FIELDS):
        return
    bump_generation()


def on_page_save(sender, instance, update_fields=None, raw=False, **kwargs):
    # Drafts save the page with update_fields (latest revision, draft title...) and change nothing
    # public; a full save of a live page (a script, publishing) may.
    if not raw and update_fields is None and instance.live:
        bump_generation()


def on_change(sender, **kwargs):
    bump_generation()


def connect_signals():
    """Called once the apps are ready (site_core/apps.py). Receivers are connected per model, so the
    other models keep Django's fast deletes."""
    from django.apps import apps
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for model in apps.get_models():
        label = model._meta.label_lower
        if issubclass(model, Page):
            post_save.connect(on_page_save, sender=model, dispatch_uid=f"cio_page_cache_saved_{label}")
            post_delete.connect(on_change, sender=model, dispatch_uid=f"cio_page_cache_deleted_{label}")
            page_published.connect(on_change, sender=model, dispatch_uid=f"cio_page_cache_published_{label}")
            page_unpublished.connect(on_change, sender=model, dispatch_uid=f"cio_page_cache_unpublished_{label}")
        elif watched(model):
            post_save.connect(on_save, sender=model, dispatch_uid=f"cio_page_cache_saved_{label}")
            post_delete.connect(on_change, sender=model, dispatch_uid=f"cio_page_cache_deleted_{label}")
    post_page_move.connect(on_change, dispatch_uid="cio_page_cache_moved")
    from wagtail.models import PageViewRestriction

    m2m_changed.connect(  # which groups may see a restricted section
        on_change, sender=PageViewRestriction.groups.through, dispatch_uid="cio_page_cache_restriction_groups"
    )
