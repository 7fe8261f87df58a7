"""A page's metadata for search engines and social sharing (`{% page_meta as meta %}`, written out
by templates/includes/meta.html), its breadcrumb trail (the visible breadcrumbs and their
BreadcrumbList share one query), and its JSON-LD.

Everything here reuses what the header has already loaded (the site, its settings, the office's
details, the page's translations) or the shared cache (the sharing image: site_core/seo/share_image.py),
so the metadata adds no query to a page, whatever it lists. The rules are in site_core/seo/metadata.py.

What a view can tell the metadata through its template context:
- `meta_title`, `meta_description`: the view's own title and description (e.g. an archive, a city);
- `meta_robots`: a robots directive (e.g. "noindex, follow" on search results);
- `filters`: a listing's filter fields (site_core/listings/filters.py); any of them in the query string makes
  the view a filtered listing: "noindex, follow", with the unfiltered listing as its canonical;
- a paginator page anywhere in the context: its number goes into the canonical address;
- `alternate_suffixes`: where a routable sub-page's equivalents are in each language;
- `extra_breadcrumbs`: crumbs after the page's own (e.g. a partner city under the cities page).
"""

import json

from django import template
from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from site_core import routing
from site_core.models import SiteSettings
from site_core.seo import metadata, structured_data
from site_core.seo.share_image import share_image_data
from site_core.templatetags.site_tags import language_versions, office_details

register = template.Library()

# The same escapes Django's json_script uses: <, > and & never appear raw inside the script.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def ld_json(data) -> str:
    """schema.org JSON-LD, escaped so no value can close the script element."""
    if not data:
        return ""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def _current_page(context) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _absolute(request, url: str) -> str:
    """`url` (a path, or already absolute, e.g. media on object storage) as seen from the request."""
    return request.build_absolute_uri(url) if request is not None else url


def _paginator_page_number(context) -> int | None:
    """The number of the listing page shown, from whichever paginator page the view put in the
    context (the number `paginate` settled on, so ?page=abc or past the end is not copied). The
    type is checked with type(), which, unlike isinstance(), leaves lazy values (the user, the CSRF
    token) unevaluated."""
    for value in context.flatten().values():
        if issubclass(type(value), PaginatorPage):
            return value.number
    return None


def _filter_names(context) -> list[str]:
    return [item["name"] for item in context.get("filters") or [] if isinstance(item, dict) and item.get("name")]


def _share_image(request, image_id) -> metadata.ShareImage | None:
    data = share_image_data(image_id)
    if data is None:
        return None
    return metadata.ShareImage(
        url=_absolute(request, data["url"]), width=data["width"], height=data["height"], alt=data["alt"]
    )


def _site_settings(request) -> SiteSettings | None:
    if request is None or Site.find_for_request(request) is None:
        return None
    return SiteSettings.for_request(request)


def _search_url(request) -> str | None:
    try:
        return _absolute(request, reverse("search"))
    except NoReverseMatch:
        return None


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


@register.simple_tag(takes_context=True)
def page_meta(context) -> metadata.PageMeta:
    """The metadata of the page or view being rendered (cached on the request)."""
    request = context.get("request")
    cached = getattr(request, "_cio_meta", None)
    if cached is not None:
        return cached
    page = _current_page(context)
    language = translation.get_language() or "en"
    office = office_details(context)
    is_preview = getattr(request, "is_preview", False)

    path = request.path if request is not None else "/"
    page_path = page.get_url(request) if page is not None else None
    if page is not None and (is_preview or not page_path or not path.startswith(page_path)):
        # A preview (e.g. an embargo link) names the page's own public address, never the token's.
        path = page_path or path
    suffix = path[len(page_path) :] if page_path and path.startswith(page_path) else ""

    query = request.GET if request is not None else {}
    filtered = metadata.is_filtered(query, _filter_names(context))
    robots = None if is_preview else metadata.robots_directive(explicit=context.get("meta_robots"), filtered=filtered)

    title = context.get("meta_title") or (page and (page.seo_title or page.title)) or ""
    if page is not None and page.depth == 2 and not page.seo_title and not context.get("meta_title"):
        # The home page is named by the office itself ("Home" says nothing in a shared link or a tab).
        title = office.office_name
    description = context.get("meta_description") or getattr(page, "meta_description", "") or ""

    translations = {
        version["code"]: _absolute(request, version["url"])
        for version in (language_versions(context) if page is not None and request is not None else [])
        if not version["fallback"]
    }
    alternates = metadata.alternate_links(translations, suffix, context.get("alternate_suffixes"))

    site_settings = _site_settings(request)
    image = _share_image(request, getattr(page, "share_image_id", None))
    if image is None and site_settings is not None:
        image = _share_image(request, site_settings.default_share_image_id)
    if image is not None:
        image.alt = metadata.share_image_alt(
            image.alt, language=language, source_language=settings.LANGUAGE_CODE, title=str(title)
        )

    article_dates = page.article_dates() if page is not None and hasattr(page, "article_dates") else None
    home_url = _absolute(request, f"/{language}/")
    meta = metadata.PageMeta(
        title=str(title),
        site_name=office.office_name,
        language=language,
        canonical=_absolute(
            request,
            # A view that is not for indexing (filtered, search results) names its plain first page.
            metadata.canonical_path(path, filtered=bool(robots), page_number=_paginator_page_number(context)),
        ),
        description=metadata.plain_description(str(description)),
        robots=robots,
        og_type="article" if article_dates else "website",
        image=image,
        alternates=alternates,
        alternate_languages=[link["code"] for link in alternates if link["code"] != language],
        twitter_site=metadata.x_handle(site_settings.x_url) if site_settings else None,
        published_time=_iso(article_dates[0]) if article_dates else None,
        modified_time=_iso(article_dates[1]) if article_dates else None,
        home_url=home_url,
        search_url=_search_url(request),
        organization=structured_data.organization(
            name=office.office_name,
            url=home_url,
            parent_name=office.parent_organisation,
            address=office.street_address,
            email=site_settings.contact_email if site_settings else "",
            same_as=[url for _label, url in site_settings.social_links] if site_settings else None,
        ),
    )
    if request is not None:
        request._cio_meta = meta
    return meta


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page=None) -> list[dict]:
    """The breadcrumbs of `page` (default: the current page) as {"title", "url", "current"}: its
    ancestors below the tree's root (the home page named "Home"), the page, then the view's
    `extra_breadcrumbs`. The ancestors the routing found (site_core/routing.py), else one query, shared by
    everything on the request."""
    page = page or _current_page(context)
    if page is None:
        return []
    request = context.get("request")
    trails = getattr(request, "_cio_breadcrumbs", None)
    if trails is None:
        trails = {}
        if request is not None:
            request._cio_breadcrumbs = trails
    if page.pk not in trails:
        ancestors = routing.ancestors(page)[1:]  # found by the routing, else one query
        trails[page.pk] = [
            {"title": _("Home") if ancestor.depth == 2 else ancestor.title, "url": ancestor.get_url(request)}
            for ancestor in ancestors
        ] + [{"title": page.title, "url": page.get_url(request)}]
    crumbs = [*trails[page.pk], *(context.get("extra_breadcrumbs") or [])]
    return [{**crumb, "current": position == len(crumbs)} for position, crumb in enumerate(crumbs, start=1)]


def shows_breadcrumbs(page) -> bool:
    """base.html shows breadcrumbs below the home page (depth 2)."""
    return page is not None and page.depth > 2


@register.simple_tag(takes_context=True)
def page_structured_data(context, meta: metadata.PageMeta) -> str:
    """The JSON-LD of the page: what its type adds (`get_structured_data`) and its BreadcrumbList."""
    page = _current_page(context)
    if page is None:
        return ""
    request = context.get("request")
    objects = []
    if hasattr(page, "get_structured_data"):
        objects.extend(page.get_structured_data(request, meta, context))
    if shows_breadcrumbs(page):
        crumbs = [
            {"title": crumb["title"], "url": _absolute(request, crumb["url"])}
            for crumb in breadcrumb_trail(context, page)
        ]
        objects.append(structured_data.breadcrumb_list(crumbs))
    return format_html_join("", "{}", ((ld_json(structured_data.with_context(data)),) for data in objects if data))
