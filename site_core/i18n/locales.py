"""The database id of a language's Wagtail `Locale`, for forms and views that filter by language
outside a page (email alerts, event registration): from the shared cache (site_core/caching/
content_cache.py) until content changes, so a request pays no query for it."""

from django.utils import translation
from wagtail.models import Locale

from site_core.caching.content_cache import remember


def locale_id(language_code: str | None = None) -> int:
    """The id of the Locale of `language_code` (the active language when None)."""
    code = language_code or translation.get_language()
    return remember("locale-id", (code,), lambda: Locale.objects.get(language_code=code).pk)
