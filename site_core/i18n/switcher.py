"""Where the language switcher leads: the same place in the other language, not just the same page.

The header finds the page's translation (its twin: site_core/templatetags/site_tags.py); this module
adds the place on the page. A routable sub-page (an archive, a partner city, the open-data page, the
application form) is the same route of the twin, through Wagtail's documented `resolve_subpage` and
`reverse_subpage` (translations share their page type, so its routes). A listing keeps its filters
and its page number.

Only what the view itself read and validated is carried: the filters' selected values
(`listing_context` in site_core/models/indexes.py) and the paginator's number, never the raw query
string. So no parameter a visitor made up is reflected (nor `?untranslated=1`), and the page cache,
which keys an entry on the parameters the view read (site_core/caching/query_params.py), already
holds in its key every parameter the switcher repeats: an entry for `?topic=a` never answers
`?topic=b`. A route whose address or query is one person's (a private link, a receipt: the page
type's `personal_routes`), or that the view says has no equivalent in a language
(`alternate_suffixes`, by language, as for the hreflang alternates), leads to the twin itself. A page
with no twin leads to that language's home page with `?untranslated=1`, which shows a notice."""

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.core.paginator import Page as PaginatorPage
from django.http import Http404

UNTRANSLATED_PARAM = "untranslated"


@dataclass(frozen=True)
class Place:
    """Where the visitor is on the current page: the route below its address ("" at the address
    itself), and the listing's query string to keep ("" for none)."""

    route: str = ""
    query: str = ""
    suffixes: dict[str, str] | None = field(default=None)

    def on(self, twin_url: str, code: str) -> str:
        """The same place on the twin at `twin_url`, in language `code`."""
        route = self.route
        if route and self.suffixes is not None:
            route = self.suffixes.get(code)
            if route is None:  # the view says this language has no equivalent: the twin itself
                return twin_url
        query = f"?{self.query}" if self.query else ""
        return f"{twin_url}{route}{query}"


def _path(url: str) -> str:
    return urlsplit(url).path if "://" in url else url


def current_route(page, request) -> str:
    """The route of `page` the request is on, as its suffix below the page's address ("" at the
    address itself, for a page without routes, in a preview, or for a route the switcher must not
    carry). The suffix is rebuilt with `reverse_subpage`, so only what the route's pattern matched is
    kept."""
    if page is None or request is None or not hasattr(page, "resolve_subpage"):
        return ""
    if getattr(request, "is_preview", False):
        return ""
    page_url = _path(page.get_url(request) or "")
    if not page_url or not request.path.startswith(page_url) or request.path == page_url:
        return ""
    try:
        match = page.resolve_subpage("/" + request.path[len(page_url) :])
    except Http404:
        return ""
    if match.url_name in getattr(page, "personal_routes", ()):
        return ""
    return page.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)


def listing_query(context, page) -> str:
    """The listing's active filters and page number (past the first) as a query string, from the
    values the view validated (`filters`, the paginator page under the page type's `listing_name`)."""
    pairs = [
        (item["name"], item["selected"])
        for item in context.get("filters") or []
        if isinstance(item, dict) and item.get("name") and item.get("selected")
    ]
    listing_name = getattr(page, "listing_name", None)
    items = context.get(listing_name) if listing_name else None
    # type(), unlike isinstance(), leaves a lazy context value unevaluated.
    if items is not None and issubclass(type(items), PaginatorPage) and items.number > 1:
        pairs.append(("page", str(items.number)))
    return urlencode(pairs)


def place_of(context, page, request) -> Place:
    """Where the request is on `page` (the page being rendered, or None outside the page tree)."""
    if page is None:
        return Place()
    suffixes = context.get("alternate_suffixes")
    return Place(
        route=current_route(page, request),
        query=listing_query(context, page),
        suffixes=suffixes if isinstance(suffixes, dict) else None,
    )


def switcher_url(twin_url: str | None, code: str, place: Place, *, fallback: bool) -> str:
    """Where the switcher's link to language `code` leads: `place` on the twin at `twin_url` (the
    page's translation), or, with `fallback` (the page has none), the twin (that language's home page)
    with the notice's parameter; the language's root address if even that has no URL (None)."""
    url = twin_url or f"/{code}/"
    if fallback:
        # The home page reached instead of a missing translation explains why (see base.html).
        return f"{url}?{UNTRANSLATED_PARAM}=1"
    return place.on(url, code) if twin_url is not None else url
