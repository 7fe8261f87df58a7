"""Header and footer helpers: editor-managed navigation and the language switcher.

Everything the header and footer link to (menu pages in the visitor's language, the current page's
translations, the home page in every language) is fetched in one query per request, however many
links or languages there are, and cached on the request."""

import datetime

from django import template
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, Site

from site_core.caching.content_cache import remember
from site_core.i18n import switcher
from site_core.i18n.status import lag as translation_lag
from site_core.models import OfficeDetails, SiteSettings
from site_core.text.locale_formats import datetime_text, money, place_line, time_text, zone_abbreviation

register = template.Library()

MENUS = ("primary", "footer")
UNTRANSLATED_PARAM = switcher.UNTRANSLATED_PARAM


def _menu_entries(site_settings) -> dict[str, list[dict]]:
    """Each menu's raw (page id, label) entries, read without loading the pages."""
    streams = {"primary": site_settings.primary_navigation, "footer": site_settings.footer_links}
    return {
        name: [
            {"page_id": entry["value"].get("page"), "label": entry["value"].get("label") or ""}
            for entry in stream.raw_data
            if entry.get("value", {}).get("page")
        ]
        for name, stream in streams.items()
    }


def _menu_and_home_keys(root_page_id, menu_ids) -> list:
    def keys() -> list:
        wanted = Q(pk__in=menu_ids) | Q(pk=root_page_id or 0)
        return sorted(Page.objects.filter(wanted).values_list("translation_key", flat=True))

    return remember("header-keys", (root_page_id, sorted(menu_ids)), keys)


def _header_pages(context) -> dict:
    request = context["request"]
    if hasattr(request, "_cio_header"):
        return request._cio_header
    language = translation.get_language() or settings.LANGUAGE_CODE
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    site = Site.find_for_request(request)
    menus = _menu_entries(SiteSettings.for_request(request)) if site else {name: [] for name in MENUS}
    menu_ids = {entry["page_id"] for entries in menus.values() for entry in entries}

    # Every language's version of the menu pages, of the site's home page and of this page, by
    # translation key, kept in the shared cache per page (site_core/caching/content_cache.py): one read
    # a request, a tenth of the query's cost (docs/performance.md, "Rendering time"). When it is
    # computed, the keys of the first two come from the shared cache as well, so the database answers
    # from its translation-key index instead of scanning every page.
    root_page_id = site.root_page_id if site else None

    def versions() -> list[Page]:
        keys = set(_menu_and_home_keys(root_page_id, menu_ids))
        if page is not None:
            keys.add(page.translation_key)
        return list(Page.objects.live().filter(translation_key__in=keys).select_related("locale"))

    parts = (root_page_id, tuple(sorted(menu_ids)), str(page.translation_key) if page is not None else None)
    pages = remember("header-pages", parts, versions)

    by_id = {candidate.pk: candidate for candidate in pages}
    request._cio_header = {
        "language": language,
        "page": page,
        "site": site,
        "menus": menus,
        "by_id": by_id,
        "by_key_language": {(p.translation_key, p.locale.language_code): p for p in pages},
    }
    return request._cio_header


@register.simple_tag(takes_context=True)
def navigation_links(context, which: str = "primary") -> list[dict]:
    """The links of a menu ("primary" or "footer") in the visitor's language; links to pages that
    have no live version in that language are left out rather than broken."""
    header = _header_pages(context)
    request = context["request"]
    links = []
    for entry in header["menus"].get(which, []):
        source = header["by_id"].get(entry["page_id"])
        if source is None:
            continue
        target = header["by_key_language"].get((source.translation_key, header["language"]))
        url = target.get_url(request) if target else None
        if not url:
            continue
        label = entry["label"] if target.pk == source.pk and entry["label"] else target.title
        links.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return links


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """One entry per site language: `url`, the current page in that language when it exists
    (where its hreflang alternates start), otherwise that language's home page (flagged as a
    fallback so the switcher can say so); `switch_url`, where the switcher leads: the same place
    on that page, its route and its listing's filters kept (site_core/i18n/switcher.py). A view
    outside the page tree (e.g. search) may give its own address per language as `language_urls`."""
    header = _header_pages(context)
    if "versions" in header:  # the switcher and the page's alternates (seo_tags.page_meta) both ask
        return header["versions"]
    explicit = context.get("language_urls") or {}
    request = context["request"]
    page, site = header["page"], header["site"]
    root = header["by_id"].get(site.root_page_id) if site else None
    place = switcher.place_of(context, page, request)
    versions = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            native_name = str(name)
        target = header["by_key_language"].get((page.translation_key, code)) if page else None
        fallback = target is None and code not in explicit
        if target is None and root is not None:
            target = header["by_key_language"].get((root.translation_key, code))
        if code in explicit:
            url = switch_url = explicit[code]
        else:
            twin_url = target.get_url(request) if target is not None else None
            url = switcher.switcher_url(twin_url, code, switcher.Place(), fallback=fallback)
            switch_url = switcher.switcher_url(twin_url, code, place, fallback=fallback)
        versions.append(
            {
                "code": code,
                "name": native_name,
                "url": url,
                "switch_url": switch_url,
                "current": code == header["language"],
                "fallback": fallback,
            }
        )
    header["versions"] = versions
    return versions


@register.simple_tag(takes_context=True)
def office_details(context):
    """The office's name, address and privacy wording in the visitor's language (from the cache)."""
    request = context.get("request")
    details = getattr(request, "_cio_office", None)
    if details is None:
        details = OfficeDetails.for_language(translation.get_language() or settings.LANGUAGE_CODE)
        if request is not None:
            request._cio_office = details
    return details


@register.simple_tag(takes_context=True)
def newer_source_version(context) -> dict | None:
    """When the current page is a translation that lags behind its source (default-language) page,
    partly translated or older than the source (site_core/i18n/status.py, the rule the translation
    report uses), the source's URL and language and why, so the page can point readers to it. The
    pages come from what the header already fetched; counting a translation's segments costs one
    query, on translated pages only."""
    header = _header_pages(context)
    page = header["page"]
    if page is None or header["language"] == settings.LANGUAGE_CODE:
        return None
    source = header["by_key_language"].get((page.translation_key, settings.LANGUAGE_CODE))
    why = translation_lag(source, page)
    if why is None:
        return None
    url = source.get_url(context["request"])
    # English is the source language (docs/architecture.md), which the notice's wording names.
    state, progress = why
    return {"url": url, "code": settings.LANGUAGE_CODE, "state": state.value, "progress": progress} if url else None


@register.filter(expects_localtime=True)
def html_datetime(value) -> str:
    """A date-time as `<time datetime="…">` takes it: ISO 8601 to the second with its offset, in the
    current time zone (Django's "c" format keeps microseconds; HTML allows at most three digits)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.filter(expects_localtime=True, name="datetime_text")
def datetime_text_filter(moment) -> str:
    """A date and time as the page's language writes it: "March 10, 2017, 5 p.m.", "10 mars 2017,
    17 h" (site_core/text/locale_formats.py). The one way templates show a date with its time."""
    return datetime_text(moment) if moment else ""


@register.filter(expects_localtime=True, name="time_text")
def time_text_filter(moment) -> str:
    """A time of day as the page's language writes it: "9:30 a.m.", "9 h 30"."""
    return time_text(moment) if moment else ""


@register.filter(name="money")
def money_filter(amount) -> str:
    """An amount in Canadian dollars as the page's language writes it (site_core/text/locale_formats.py)."""
    return "" if amount is None else money(amount)


@register.simple_tag
def address_place_line(locality: str, region: str, postal_code: str = "") -> str:
    """ "Toronto, ON  M5H 2N2" in English, "Toronto (Ontario)  M5H 2N2" in French."""
    return place_line(locality, region, postal_code)


@register.filter
def zone_name(moment) -> str:
    """The City's time zone abbreviation at `moment` in the page's language (EST/EDT, HNE/HAE)."""
    return "" if moment is None else zone_abbreviation(moment)


@register.filter
def answer_error_count(form) -> int:
    """The number of answers with an error (the form's own problems, such as an expired form, are not
    answers: the error summary lists them apart)."""
    from django.forms.forms import NON_FIELD_ERRORS

    return sum(1 for name in form.errors if name != NON_FIELD_ERRORS)
