"""When cached content goes stale: one generation token for everything derived from published content.

Every page cache entry (site_core/caching/page_cache.py) and every derived value
(site_core/caching/content_cache.py) records the token it was computed under, and any change to
published content (page publish/unpublish/delete/move, a snippet, a setting, an image, a redirect, a
search promotion, a site or locale) replaces the token, so every entry is stale at once. Listings, the
home page, feeds and sitemaps show many pages each, so purging one page's URLs would miss most of what
a change touches; publishing is rare next to reading, and a refill costs one render per URL. Entries
also expire after PAGE_CACHE_TIMEOUT seconds, which bounds how long time-dependent content (a
challenge's status at its dates, "closing soon", the last 30 days of news) can lag behind the clock.
"""

import contextvars
import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from site_core.compat import django as db_compat

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
# After changes that only add or edit published content (a publish, a snippet, a setting), the
# generations they replaced: a page cached under one may be served while one request renders the
# page anew (site_core/caching/page_cache.py, "stale while one renders"). A change that takes content
# away (unpublish, delete, move, a private section, a site, a locale, a redirect) removes it: no page
# from before such a change is served again.
STALE_KEY = "page-cache:stale-since"
STALE_GENERATIONS = 50  # how many of them are kept (a copy older than that renders like any miss)
# Watched models whose saves take content away or change what a URL answers.
STRICT_MODELS = {
    "wagtailcore.pageviewrestriction",
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailredirects.redirect",
}

# Models whose saves and deletions do not change what anonymous visitors see.
IGNORED_MODELS = {
    "challenges.application",
    "site_core.outgoingemail",
    "news.embargopreviewlink",
    # Applicants' and reviewers' records: never on a public page.
    "challenges.announcementmailing",
    "challenges.applicantlink",
    "challenges.applicationdraft",
    "challenges.applicationversion",
    "challenges.pendingupload",
    "challenges.conflict",
    "challenges.conflictdeclaration",
    "challenges.decisionrelease",
    "challenges.panelmember",
    "challenges.scoresheet",
    # Email alerts and event registrations (home/alerts, home/events): people's records and the
    # sends. The pages showing seats left are never cached. Each email sent writes a link key: were
    # these content, a send of 20,000 alerts would empty the page cache 20,000 times.
    "home.alertbroadcast",
    "home.alertdelivery",
    "home.subscriber",
    "home.subscriberkey",
    "home.subscription",
    "home.eventseats",
    "home.registration",
    "home.registrationkey",
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


# --- The token --------------------------------------------------------------------------------

# The token as this request read it. A rendered page asks for it several times (each derived value
# in site_core/caching/content_cache.py is stored under it): it is read from the shared cache once per
# request, and read again after this request itself changes content. Outside a request (commands,
# the scheduler) the variable holds None and every call reads the shared cache.
_NOT_READ = object()
_request_generation: contextvars.ContextVar = contextvars.ContextVar("page_cache_generation", default=None)


def start_request() -> contextvars.Token:
    """From now on (until `end_request`), the token is read at most once (PageCacheMiddleware)."""
    return _request_generation.set(_NOT_READ)


def end_request(scope: contextvars.Token) -> None:
    _request_generation.reset(scope)


def use_for_request(generation: str) -> None:
    """The token this request read by other means (together with its cache entry)."""
    _request_generation.set(generation)


def current_generation() -> str:
    remembered = _request_generation.get()
    if isinstance(remembered, str):
        return remembered
    generation = pending_generation() or cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if remembered is _NOT_READ:
        _request_generation.set(generation)
    return generation


# A change inside a transaction renews the shared token when the transaction commits, once however
# many rows it saved (a release publish saves the page, its revision and each child row: ten renewals
# before, four of them inside the transaction, where each stayed current until the commit and every
# page rendered under it showed the old rows; `make bench`'s publish scenario counted 13-22 such
# wasted renders a publish under load). Until then only the changing thread, which sees its own
# uncommitted rows, reads a token of its own (`pending_generation`), which nobody else ever reads:
# what it cached meanwhile was computed from its own snapshot, which may lack a change another
# transaction committed in the meantime, so the commit sets a fresh token. A rollback leaves the
# shared token.
_PENDING_ATTRIBUTE = "cio_pending_generation"


def _pending(connection) -> dict | None:
    """This connection's open change: valid while its commit callback is still due (a rolled-back
    transaction or savepoint drops the callback, and with it the change)."""
    pending = getattr(connection, _PENDING_ATTRIBUTE, None)
    if pending is None:
        return None
    if connection.in_atomic_block and db_compat.commit_callback_pending(connection, pending["callback"]):
        return pending
    setattr(connection, _PENDING_ATTRIBUTE, None)
    return None


def pending_generation() -> str | None:
    """The token of the change this thread's open transaction made, if any."""
    pending = _pending(transaction.get_connection())
    return pending["token"] if pending else None


def bump_generation(strict: bool = True) -> None:
    """Make every cached page stale: at once outside a transaction, else when it commits (this
    thread reads a new token of its own from now on). `strict`: the change takes content away, so
    no page cached before it may be served while its new copy renders (STALE_KEY)."""
    if _request_generation.get() is not None:  # this request reads the new token from now on
        _request_generation.set(_NOT_READ)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        renew_generation(strict)
        return
    pending = _pending(connection)
    if pending is None:
        pending = {"strict": strict}

        def commit() -> None:
            setattr(connection, _PENDING_ATTRIBUTE, None)
            renew_generation(pending["strict"])

        pending["callback"] = commit
        transaction.on_commit(commit)
        setattr(connection, _PENDING_ATTRIBUTE, pending)
    pending["strict"] = pending["strict"] or strict
    # A new one for each change: what this thread cached after the previous change is stale too.
    pending["token"] = uuid.uuid4().hex


def renew_generation(strict: bool = True) -> None:
    """A new shared token."""
    if _request_generation.get() is not None:  # this request reads the new token from now on
        _request_generation.set(_NOT_READ)
    new = uuid.uuid4().hex
    try:
        if strict:
            cache.set(GENERATION_KEY, new, None)
            cache.delete(STALE_KEY)
            return
        found = cache.get_many([GENERATION_KEY, STALE_KEY])
        old, stale = found.get(GENERATION_KEY), found.get(STALE_KEY)
        # The generations since the last change that took content away: pages cached under any of
        # them show only what a later addition left out, and may be served while they render anew.
        # One change follows another: the chain goes on while each renewal finds the token the
        # previous one set.
        if stale and stale.get("to") == old:
            since = [*stale["since"], old][-STALE_GENERATIONS:]
        else:
            since = [old] if old else None
        if since:
            cache.set_many({GENERATION_KEY: new, STALE_KEY: {"since": since, "to": new}}, None)
        else:
            cache.set(GENERATION_KEY, new, None)
            cache.delete(STALE_KEY)
    except Exception:  # publishing goes on; while the cache is down nothing is served from it
        logger.error("Page cache unavailable: could not invalidate cached pages", exc_info=True)


def may_serve_stale(entry_generation: str, stale: dict | None, generation: str) -> bool:
    """A page cached under `entry_generation` may be served while it renders anew under
    `generation`: only when every change since added or edited content."""
    return bool(stale) and stale.get("to") == generation and entry_generation in stale.get("since", ())


# --- What changes it --------------------------------------------------------------------------


def watched(model) -> bool:
    label = model._meta.label_lower
    if label in IGNORED_MODELS:
        return False
    return model._meta.app_label in CONTENT_APPS or label in WATCHED_WAGTAIL_MODELS


def on_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and set(update_fields) <= BOOKKEEPING_FIELDS):
        return
    bump_generation(strict=sender._meta.label_lower in STRICT_MODELS)


def on_page_save(sender, instance, update_fields=None, raw=False, **kwargs):
    # Drafts save the page with update_fields (latest revision, draft title...) and change nothing
    # public; a full save of a live page (a script, publishing) may.
    if not raw and update_fields is None and instance.live:
        bump_generation(strict=False)


def on_publish(sender, **kwargs):
    bump_generation(strict=False)


def on_change(sender, **kwargs):
    """Unpublished, deleted, moved, made private: what was shown may no longer be."""
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
            page_published.connect(on_publish, sender=model, dispatch_uid=f"cio_page_cache_published_{label}")
            page_unpublished.connect(on_change, sender=model, dispatch_uid=f"cio_page_cache_unpublished_{label}")
        elif watched(model):
            post_save.connect(on_save, sender=model, dispatch_uid=f"cio_page_cache_saved_{label}")
            post_delete.connect(on_change, sender=model, dispatch_uid=f"cio_page_cache_deleted_{label}")
    post_page_move.connect(on_change, dispatch_uid="cio_page_cache_moved")
    from wagtail.models import PageViewRestriction

    m2m_changed.connect(  # which groups may see a restricted section
        on_change, sender=PageViewRestriction.groups.through, dispatch_uid="cio_page_cache_restriction_groups"
    )
