"""Header and footer helpers: editor-managed navigation and the language switcher.

Each helper runs a fixed number of queries however many links or locales exist, and caches its
answer on the request so the header and footer can both use it."""

from django import template
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, Site

from site_core.models import SiteSettings

register = template.Library()


def _localized_links(stream, request) -> list[dict]:
    """Resolve a stream of (page, label) links to the visitor's language in one query."""
    values = [child.value for child in stream if child.value.get("page")]
    if not values:
        return []
    language = translation.get_language() or settings.LANGUAGE_CODE
    keys = {value["page"].translation_key for value in values}
    localized = {
        page.translation_key: page
        for page in Page.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .select_related("locale")
    }
    links = []
    current_path = request.path
    for value in values:
        page = localized.get(value["page"].translation_key)
        if page is None:
            continue  # no live page in this language: leave the link out rather than break it
        url = page.get_url(request)
        if not url:
            continue
        label = (
            page.title if page.locale.language_code != settings.LANGUAGE_CODE else (value.get("label") or page.title)
        )
        links.append({"url": url, "label": label, "current": current_path.startswith(url)})
    return links


@register.simple_tag(takes_context=True)
def navigation_links(context, which: str = "primary") -> list[dict]:
    request = context["request"]
    cache_name = f"_cio_nav_{which}"
    if not hasattr(request, cache_name):
        site_settings = SiteSettings.for_request(request)
        stream = site_settings.primary_navigation if which == "primary" else site_settings.footer_links
        setattr(request, cache_name, _localized_links(stream, request))
    return getattr(request, cache_name)


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """One entry per site language: the current page in that language when it exists, otherwise
    that language's home page (flagged as a fallback so the switcher can say so)."""
    request = context["request"]
    if hasattr(request, "_cio_languages"):
        return request._cio_languages
    page = context.get("page")
    site = Site.find_for_request(request)
    # One query for the current page's translations and the site's home page in every language.
    # (View restrictions are not checked here: a restricted translation still asks for a login.)
    keys = Q()
    if site is not None:
        keys |= Q(translation_key__in=Page.objects.filter(pk=site.root_page_id).values("translation_key"))
    if isinstance(page, Page):
        keys |= Q(translation_key=page.translation_key)
    found = {}
    home_by_language = {}
    if keys:
        for candidate in Page.objects.live().filter(keys).select_related("locale"):
            language = candidate.locale.language_code
            if isinstance(page, Page) and candidate.translation_key == page.translation_key:
                found[language] = candidate
            else:
                home_by_language[language] = candidate
    current_language = translation.get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            native_name = str(name)
        target = found.get(code)
        fallback = target is None
        if target is None:
            target = home_by_language.get(code)
        url = target.get_url(request) if target is not None else f"/{code}/"
        versions.append(
            {
                "code": code,
                "name": native_name,
                "url": url,
                "current": code == current_language,
                "fallback": fallback,
            }
        )
    request._cio_languages = versions
    return versions
