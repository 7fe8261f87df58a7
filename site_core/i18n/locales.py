"""A language's Wagtail `Locale` and its database id, for forms and views that filter by language
outside a page (email alerts, event registration, search): from the shared cache (site_core/caching/
content_cache.py) until content changes, so a request pays no query for it."""

from django.utils import translation
from wagtail.models import Locale

from site_core.caching.content_cache import remember


def locale(language_code: str | None = None) -> Locale | None:
    """The Locale of `language_code` (the active language when None), or None when the site has none."""
    code = language_code or translation.get_language()
    (found,) = remember("locale", (code,), lambda: (Locale.objects.filter(language_code=code).first(),))
    return found


def locale_id(language_code: str | None = None) -> int:
    """The id of the Locale of `language_code` (the active language when None)."""
    found = locale(language_code)
    if found is None:
        raise Locale.DoesNotExist(f"no locale for {language_code or translation.get_language()!r}")
    return found.pk
