"""Money and time-zone names as each language writes them, from the Unicode CLDR's locale data
(through Babel) rather than hand-made formats: "$128,000.00" and "EST" in English, "128 000,00 $"
and "HNE" in French (Canadian conventions)."""

from decimal import Decimal

from babel.numbers import format_currency
from django.utils.translation import get_language, to_locale

CURRENCY = "CAD"


def cldr_locale(language: str | None = None) -> str:
    """The CLDR locale of a site language: Canadian English or French ("en_CA", "fr_CA")."""
    return f"{to_locale(language or get_language() or 'en').split('_')[0]}_CA"


def money(amount, language: str | None = None) -> str:
    """An amount in Canadian dollars with cents, in the given (or the active) language."""
    return format_currency(Decimal(str(amount)), CURRENCY, locale=cldr_locale(language))


def zone_abbreviation(moment, language: str | None = None) -> str:
    """The City's time zone abbreviation at `moment` as the language writes it: EST/EDT in English,
    HNE/HAE in French (CLDR's names, not tzdata's English abbreviations)."""
    from babel.dates import get_timezone_name

    from site_core.local_time import city_zone

    return get_timezone_name(moment.astimezone(city_zone()), "short", locale=cldr_locale(language))
