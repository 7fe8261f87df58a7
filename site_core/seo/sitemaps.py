"""The sitemaps search engines read: /sitemap.xml is an index of one sitemap per language
(/sitemap-en.xml, /sitemap-fr.xml, ...), and each lists every live, public page of its language with
its last modification and an `xhtml:link rel="alternate"` for every language it exists in (itself
included) plus `x-default` (the default language's version).

"Public" means what a visitor without an account can open: live (so neither drafts nor scheduled or
embargoed releases) and outside view-restricted sections (`site_core.listings.queries.exclude_restricted`).
Besides pages, a page type can list routes of its own (e.g. the partner cities' /<city>/ pages) with a
`sitemap_routes(request)` method returning {"path", "lastmod", "key"} items; items of different
languages with the same `key` are alternates of each other, as translations of a page are.

The work is a fixed number of queries whatever the number of pages: the site's pages in one query,
then one query per page that lists routes of its own (one per language). Addresses are absolute
from the request, like every address in the pages' metadata."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from site_core.listings.queries import exclude_restricted

X_DEFAULT = "x-default"
# Search engines read at most 50,000 addresses per sitemap; a language past that would need pages.
MAX_URLS = 50_000
HEADERS = {"X-Robots-Tag": "noindex, noodp, noarchive"}


@dataclass(frozen=True)
class Entry:
    language: str
    path: str
    lastmod: object
    key: object = None


def site_languages(site: Site) -> dict[str, str]:
    """{language code: root path} of the site's home page in each language it has one in, in the
    order of settings.LANGUAGES."""
    roots = {root.language_code: root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk}
    return {code: roots[code] for code, _name in settings.LANGUAGES if code in roots}


def public_pages(root_paths):
    """Live pages outside view-restricted sections, under any of `root_paths`."""
    under_a_root = Q(pk__in=[])
    for root_path in root_paths:
        under_a_root |= Q(url_path__startswith=root_path)
    return exclude_restricted(Page.objects.live().filter(under_a_root))


def language_of(url_path: str, roots: dict[str, str]) -> str | None:
    """The language of the page at `url_path`: that of the deepest home page it sits under."""
    matches = [(len(root_path), code) for code, root_path in roots.items() if url_path.startswith(root_path)]
    return max(matches)[1] if matches else None


def collect_entries(request, site: Site) -> list[Entry]:
    """Every public page of the site in every language, and the routes page types add."""
    roots = site_languages(site)
    entries = []
    with_routes = defaultdict(list)  # model -> ids of pages that list routes of their own
    for page in public_pages(roots.values()).order_by("path"):
        language = language_of(page.url_path, roots)
        parts = page.get_url_parts(request)  # (site id, site root URL, path): no query
        if language is None or not parts or parts[2] is None:
            continue
        path = parts[2]
        entries.append(
            Entry(language, path, page.last_published_at or page.latest_revision_created_at, page.translation_key)
        )
        model = page.specific_class
        if model is not None and hasattr(model, "sitemap_routes"):
            with_routes[model].append(page.pk)
    for model, ids in with_routes.items():
        for page in model.objects.filter(pk__in=ids):
            language = language_of(page.url_path, roots)
            entries.extend(
                Entry(language, route["path"], route.get("lastmod"), route.get("key"))
                for route in page.sitemap_routes(request)
            )
    return entries


def alternates_of(entry: Entry, group: dict[str, Entry], request) -> list[dict]:
    """hreflang alternates of `entry`: every language its group has (itself included), then
    x-default, the default language's version, when there is one."""
    links = [
        {"lang_code": code, "location": request.build_absolute_uri(group[code].path)}
        for code, _name in settings.LANGUAGES
        if code in group
    ]
    if settings.LANGUAGE_CODE in group:
        links.append(
            {"lang_code": X_DEFAULT, "location": request.build_absolute_uri(group[settings.LANGUAGE_CODE].path)}
        )
    return links


def urlset(entries: list[Entry], language: str, request) -> list[dict]:
    """The <url> items of one language's sitemap, in the template's format (django.contrib.sitemaps)."""
    groups = defaultdict(dict)
    for entry in entries:
        if entry.key is not None:
            groups[entry.key].setdefault(entry.language, entry)
    return [
        {
            "location": request.build_absolute_uri(entry.path),
            "lastmod": entry.lastmod,
            "alternates": alternates_of(entry, groups[entry.key], request) if entry.key is not None else [],
        }
        for entry in entries
        if entry.language == language
    ][:MAX_URLS]


def _site(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured.")
    return site


@require_safe
def sitemap_index(request):
    site = _site(request)
    roots = site_languages(site)
    sections = []
    for code, root_path in roots.items():
        latest = public_pages([root_path]).aggregate(latest=Max("last_published_at"))["latest"]
        location = request.build_absolute_uri(reverse("sitemap_section", kwargs={"section": code}))
        sections.append({"location": location, "last_mod": latest})
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": sections}, content_type="application/xml", headers=HEADERS
    )


@require_safe
def sitemap_section(request, section: str):
    site = _site(request)
    if section not in site_languages(site):
        raise Http404("No sitemap for this language.")
    entries = collect_entries(request, site)
    return TemplateResponse(
        request,
        "sitemap.xml",
        {"urlset": urlset(entries, section, request)},
        content_type="application/xml",
        headers=HEADERS,
    )
