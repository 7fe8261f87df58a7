"""Keeping the caching proxy (nginx, deploy/nginx/) in step with what is public.

The app's own page cache follows every change at once (site_core/caching/page_cache.py, a generation token).
The proxy keeps each page up to PAGE_CACHE_PROXY_MAX_AGE seconds and must be told when a page
changes who may see it: the app sends it `PURGE <address>` (deploy/nginx/cio-purge.conf deletes the
stored copy) when a page is published, unpublished, deleted, moved or renamed (a new slug), and when
a view restriction (password, groups, signed-in users) is added to, changed on or removed from a
section. Purged for such a page:

- its own addresses: its URL and its routes' fixed addresses (Wagtail's `get_cached_paths`);
- the addresses that show it elsewhere (`get_related_cached_urls`: a release's archive months, a
  story's partner-city page);
- its ancestors' addresses (the listings and the home page that show its card), and the sitemaps;
- for a deletion, a move, a new slug or a restriction, the same for each page below it.

Purges are sent once the transaction commits (sent before, the old copy could be fetched back in
before the change is visible), from the background "proxy" lane (site_core/services/background.py), each
with a 2-second timeout, and sent again PROXY_PURGE_REPEAT_SECONDS later for a render of the old page that
was already under way. Wagtail's own frontend-cache app is not installed: its receivers purge only a
page's own address, only on publish and unpublish, inside the publishing transaction, and with no
timeout; this module uses its backends' configuration (WAGTAILFRONTENDCACHE) and PurgeBatch's
conventions instead.
"""

import logging
import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

from site_core.services import background

logger = logging.getLogger(__name__)

PURGE_TIMEOUT = 2.0  # seconds per purge request


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP purge backend with a timeout (Wagtail's waits for ever on a silent proxy), a
    404 taken for what it is (nothing stored under that address), and a batch that stops at the
    first proxy that cannot be reached instead of waiting on it once per address."""

    def purge(self, url) -> None:
        self.send(url)

    def send(self, url) -> bool:
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": host, "User-Agent": "cio-proxy-cache"},
        )
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT):  # noqa: S310 - configured address
                return True
        except urllib.error.HTTPError as error:
            if error.code != 404:
                logger.error("Proxy refused to purge %s: HTTP %s", url, error.code)
            return True
        except (urllib.error.URLError, OSError) as error:
            logger.error("Could not reach the caching proxy to purge %s: %s", url, getattr(error, "reason", error))
            return False

    def purge_batch(self, urls) -> None:
        urls = list(urls)
        for position, url in enumerate(urls):
            if not self.send(url):
                logger.error(
                    "%s other purge(s) not sent: the proxy keeps them until they expire", len(urls) - 1 - position
                )
                return


def backends() -> dict:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return {}
    from wagtail.contrib.frontend_cache.utils import get_backends

    return get_backends()


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


# --- Which addresses -------------------------------------------------------------------------


class _SiteRoots:
    """Wagtail's URL methods keep the sites' root paths on the object they are given: one read for
    every address of a change."""


def page_urls(page, roots, related: bool = True) -> set[str]:
    """The page's own addresses and, with `related`, those it says show it."""
    specific = page.specific
    base = specific.get_full_url(roots)
    if not base:
        return set()
    urls = {base + path.lstrip("/") for path in specific.get_cached_paths()}
    others = getattr(specific, "get_related_cached_urls", None) if related else None
    if others is not None:
        urls.update(others(roots))
    return urls


def ancestor_urls(page, roots) -> set[str]:
    urls = set()
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        urls |= page_urls(ancestor, roots)
    return urls


def sitemap_urls(page, roots) -> set[str]:
    parts = page.get_url_parts(roots)
    if parts is None:
        return set()
    root_url = parts[1]
    return {root_url + path for path in ["/sitemap.xml", *(f"/sitemap-{code}.xml" for code, _ in settings.LANGUAGES)]}


def change_urls(page, descendants: bool = False) -> set[str]:
    roots = _SiteRoots()
    urls = page_urls(page, roots) | ancestor_urls(page, roots) | sitemap_urls(page, roots)
    if descendants:
        # Their own addresses only: what lists them (archives, city pages) are addresses of the
        # section's pages, purged with them. Loaded without their content: a large section is one
        # query per page type.
        for child in page.get_descendants().specific(defer=True):
            urls |= page_urls(child, roots, related=False)
    return urls


def purge_later(urls) -> None:
    if urls:
        background.after_commit("proxy", purge_now, sorted(urls))


def purge_now(urls: list[str], repeat: bool = True) -> None:
    for backend in backends().values():
        backend.purge_batch(urls)
    delay = getattr(settings, "PROXY_PURGE_REPEAT_SECONDS", 2.0)
    if repeat and delay:
        # A visitor's request that was rendering the old page when the change committed may store it
        # after the first purge: purge once more when such a render has finished.
        timer = threading.Timer(delay, background.submit, args=("proxy", purge_now, urls, False))
        timer.daemon = True
        timer.start()


# --- When ------------------------------------------------------------------------------------


def on_published_or_unpublished(sender, instance, **kwargs):
    if enabled():
        purge_later(change_urls(instance))


def on_page_deleted(sender, instance, **kwargs):
    # Before the row goes (its address can still be built); each page of a deleted section gets this.
    if enabled():
        purge_later(change_urls(instance))


def on_page_moved(sender, instance, **kwargs):
    # pre_page_move: the old addresses (page, children, old listings); post_page_move: the new listings.
    if enabled():
        purge_later(change_urls(instance, descendants=True))


def on_slug_changed(sender, instance, instance_before, **kwargs):
    """The page and every page below it changed address: forget the old ones."""
    if not enabled():
        return
    roots = _SiteRoots()
    old_base, new_base = instance_before.get_full_url(roots), instance.get_full_url(roots)
    if not old_base or not new_base:
        return
    urls = set()
    for page in [instance, *instance.get_descendants().specific()]:
        for url in page_urls(page, roots):
            if url.startswith(new_base):
                urls.add(old_base + url[len(new_base) :])
    purge_later(urls | change_urls(instance))


def on_restriction_changed(sender, instance, **kwargs):
    if enabled() and not kwargs.get("raw"):
        page = getattr(instance, "page", None)
        if page is not None:
            purge_later(change_urls(page, descendants=True))


def connect_signals() -> None:
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move, pre_page_move

    page_published.connect(on_published_or_unpublished, dispatch_uid="cio_proxy_published")
    page_unpublished.connect(on_published_or_unpublished, dispatch_uid="cio_proxy_unpublished")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="cio_proxy_deleted")
    pre_page_move.connect(on_page_moved, dispatch_uid="cio_proxy_move_from")
    post_page_move.connect(on_page_moved, dispatch_uid="cio_proxy_move_to")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="cio_proxy_slug")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="cio_proxy_restricted")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="cio_proxy_unrestricted")
    m2m_changed.connect(
        lambda sender, instance, **kwargs: on_restriction_changed(sender, instance),
        sender=PageViewRestriction.groups.through,
        dispatch_uid="cio_proxy_restriction_groups",
        weak=False,
    )
