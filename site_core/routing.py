"""A page's address to the page in two queries, whatever its depth (issue 24: detail pages within 12).

Wagtail routes a request (`Page.route_for_request`) by finding the request's Site (a query), the
active Locale (a query) and the home page's translation in it (a query on French pages), then walks
the tree one URL segment at a time: the child with that slug (a query) and its specific page (another),
so a release at /en/news/<slug>/ cost seven queries before its view ran; the view-restriction check
then loads the page's ancestors and their restrictions (two more), and the breadcrumbs the ancestors
again.

`serve` does the same routing with:

- the Site for the request's host and port, and the home page in each language, from the shared cache
  (`content_cache.remember`: any change to a site, a locale or a page replaces them);
- one query for every page on the way: the ancestors of the site's home page and the pages whose
  `url_path` is the home page's followed by the first 1, 2, … segments of the address;
- one query for the specific page that answers.

It walks those pages with Wagtail's own rules, as `Page.route` and `RoutablePageMixin.route` do: a plain
page passes the next segment to its child of that slug and answers itself, if live, when no segment is
left; a routable page (live) first tries its own routes on the remaining segments (resolved with the
class's resolver, so no row is loaded for a page that passes the address on), then its children;
an `IndexPage` with `children_win` tries its children first (the partner cities). A page type with any
other `route` gets the address from there and routes it itself, as before. The route goes to Wagtail's
own `serve` view (hooks, view restrictions, `serve`) through the request, where
`Page.route_for_request` finds it (site_core/compat/wagtail.py), as `Site.find_for_request` finds the
Site.

An address whose page answered 200 keeps the pages on the way and the specific page, as they were
when routed, in the shared cache (`content_cache.keep`, until any content changes), so routing it
again costs no query. An address that leads nowhere, or to a route whose view refuses its arguments
(a made-up partner city), is routed from the database each time: made-up addresses fill no cache.

The pages on the way stay with the routed page (`ancestors`): the view-restriction check
(`BasePage.get_view_restrictions`, with the restricted paths the listings already keep in the shared
cache) and the breadcrumbs read them instead of querying the ancestors again.
"""

import pickle

from django.db.models import Q
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from site_core.caching.content_cache import keep, recall, remember
from site_core.compat import wagtail as wagtail_compat

ANCESTORS = "_cio_route_ancestors"  # the attribute of a routed page holding its ancestors, root first
ROUTED = "_cio_routed_pages"  # the attribute of a request holding the specific pages kept for its address
TO_KEEP = "_cio_route_to_keep"  # the attribute of a request holding its route to keep if the page answers 200


def serve(request, path):
    """Wagtail's `serve` view, the page found by `route_for_request`."""
    wagtail_compat.remember_route_for_request(request, route_for_request(request, path))
    response = wagtail_serve(request, path)
    to_keep = getattr(request, TO_KEEP, None)
    if to_keep is not None and response.status_code == 200:
        keep("route", *to_keep)
    return response


def route_for_request(request, path: str) -> RouteResult | None:
    """What `Page.route_for_request(request, path)` returns (None for a 404), in two queries."""
    site = site_for_request(request)
    if site is None:
        return None
    root = localized_root(site)
    components = [component for component in path.split("/") if component]
    parts = (site.pk, root.pk, tuple(components))
    kept = unpickled(recall("route", parts))
    if kept is not None:
        found, routed = kept
        setattr(request, ROUTED, {routed.pk: routed})
    else:
        found = pages_on_the_way(root, components)
        setattr(request, ROUTED, {})
    try:
        result = walk(request, root, components, found)
    except Http404:
        return None
    if kept is None and isinstance(result, RouteResult):
        # As routed, before the view adds anything to the page; `serve` keeps it if the page answers 200.
        setattr(request, TO_KEEP, (parts, pickle.dumps((found, result.page))))
    return result


def unpickled(kept):
    """A kept route, or None for none or one this code cannot read (kept by the previous release
    during a deploy, before `clear_page_cache`)."""
    if not isinstance(kept, bytes):
        return None
    try:
        found, routed = pickle.loads(kept)  # noqa: S301 -- our own bytes, from our own cache
    except Exception:
        return None
    return found, routed


def site_for_request(request) -> Site | None:
    """`Site.find_for_request(request)`, from the shared cache by host and port, kept on the request
    for everything else that asks (settings, page URLs)."""
    hostname = split_domain_port(request.get_host())[0]
    port = request.get_port()
    (site,) = remember("route-site", (hostname, port), lambda: (Site.find_for_request(request),))
    wagtail_compat.remember_site_for_request(request, site)
    return site


def localized_root(site: Site) -> Page:
    """The site's home page in the active language, live (`site.root_page.localized`), from the
    shared cache."""
    language = translation.get_language()
    return remember("route-root", (site.pk, language), lambda: site.root_page.localized)


def pages_on_the_way(root: Page, components: list[str]) -> list[Page]:
    """The pages the address may pass, by `url_path`, in one query: the root's ancestors, the root, and
    under it the pages at the address's first 1, 2, … segments (those that exist)."""
    steps = Page.steplen
    above = [root.path[:end] for end in range(steps, len(root.path) + 1, steps)]
    prefixes, url_path = [], root.url_path
    for component in components:
        url_path += f"{component}/"
        prefixes.append(url_path)
    condition = Q(path__in=above)
    if prefixes:
        condition |= Q(path__startswith=root.path, depth__gt=root.depth, url_path__in=prefixes)
    return list(Page.objects.filter(condition).order_by("path"))


def walk(request, page: Page, remaining: list[str], found: list[Page]) -> RouteResult:
    """Route `remaining` from `page` (a row from `found`) as its type's `route` would."""
    cls = page.specific_class
    if cls is None:
        raise Http404
    kind = route_kind(cls)
    if kind is None:  # a `route` of its own: it routes the rest itself
        return specific(page, found, request).route(request, remaining)
    if kind == "children first" and remaining:
        try:
            return walk(request, child(page, remaining[0], found), remaining[1:], found)
        except Http404:
            pass
    if kind != "page" and page.live and matches_a_route(cls, remaining):
        return RoutablePageMixin.route(specific(page, found, request), request, remaining)
    if remaining:
        return walk(request, child(page, remaining[0], found), remaining[1:], found)
    if page.live:
        return RouteResult(specific(page, found, request))
    raise Http404


def route_kind(cls) -> str | None:
    """How pages of `cls` route: "page" (Wagtail's `Page.route`), "routable" (`RoutablePageMixin`'s),
    "children first" (an `IndexPage` whose children win over its routes), None (its own `route`)."""
    if cls.route is Page.route:
        return "page"
    if cls.route is RoutablePageMixin.route:
        return "routable"
    if getattr(cls.route, "children_first", False):  # `IndexPage.route` (site_core/models/indexes.py)
        return "children first" if cls.children_win else "routable"
    return None


def matches_a_route(cls, remaining: list[str]) -> bool:
    path = "/" + "".join(f"{component}/" for component in remaining)
    try:
        cls.get_resolver().resolve(path)
    except Http404:
        return False
    return True


def child(page: Page, slug: str, found: list[Page]) -> Page:
    """The child of `page` with this slug, among the pages found (Wagtail's `get_children().get(slug=)`)."""
    for candidate in found:
        if candidate.depth == page.depth + 1 and candidate.path.startswith(page.path) and candidate.slug == slug:
            candidate._cached_parent_obj = page  # as Page.route does, so get_parent() costs no query
            return candidate
    raise Http404


def specific(page: Page, found: list[Page], request=None):
    """The specific page of a row on the way, with the foreign keys its type shows
    (`BasePage.served_with_related`) in the same query, keeping the rows above it as its ancestors
    (the one kept for the request's address, when it was)."""
    kept = getattr(request, ROUTED, {}).get(page.pk)
    if kept is not None:
        return kept
    cls = page.specific_class
    related = getattr(cls, "served_with_related", ())
    if related:
        result = cls._default_manager.select_related(*related).get(pk=page.pk)
        for name, value in page.__dict__.items():  # as `page.specific` does: the row's cached parent…
            result.__dict__.setdefault(name, value)
    else:
        result = page.specific  # Wagtail copies the row's other attributes (its cached parent) to it
    setattr(result, ANCESTORS, [other for other in found if is_ancestor(other, page)])
    return result


def is_ancestor(other: Page, page: Page) -> bool:
    return other.depth < page.depth and page.path.startswith(other.path)


def ancestors(page: Page) -> list[Page]:
    """The ancestors of `page`, root first (`page.get_ancestors()`): those its routing found, else a query."""
    found = getattr(page, ANCESTORS, None)
    if found is not None:
        return list(found)
    return list(page.get_ancestors())


def routed_ancestors(page: Page) -> list[Page] | None:
    """The ancestors the routing found for `page`, or None if it was not routed here."""
    return getattr(page, ANCESTORS, None)
