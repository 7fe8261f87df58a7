"""Money as each language writes it, from the Unicode CLDR's locale data (through Babel) rather than
hand-made formats: "$128,000.00" in English, "128 000,00 $" in French (Canadian conventions)."""

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
