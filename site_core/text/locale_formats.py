"""Money, time-zone names and address lines as each language writes them: from the Unicode CLDR's
locale data (through Babel) rather than hand-made formats, "$128,000.00" and "EST" in English,
"128 000,00 $" and "HNE" in French (Canadian conventions); a Canadian address's last line as Canada
Post writes it in each language ("Toronto, ON", "Toronto (Ontario)")."""

from decimal import Decimal

from babel.numbers import format_currency
from django.utils.translation import get_language, override, to_locale
from django.utils.translation import gettext_lazy as _

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


# Canada's provinces and territories by their postal abbreviation, named in the page's language.
PROVINCES = {
    "AB": _("Alberta"),
    "BC": _("British Columbia"),
    "MB": _("Manitoba"),
    "NB": _("New Brunswick"),
    "NL": _("Newfoundland and Labrador"),
    "NS": _("Nova Scotia"),
    "NT": _("Northwest Territories"),
    "NU": _("Nunavut"),
    "ON": _("Ontario"),
    "PE": _("Prince Edward Island"),
    "QC": _("Quebec"),
    "SK": _("Saskatchewan"),
    "YT": _("Yukon"),
}


def place_line(locality: str, region: str, postal_code: str = "", language: str | None = None) -> str:
    """A Canadian address's last line as each language writes it: "Toronto, ON  M5H 2N2" in English,
    "Toronto (Ontario)  M5H 2N2" in French (the province named in full, in parentheses)."""
    language = (language or get_language() or "en").split("-")[0]
    if language == "fr":
        with override(language):
            province = str(PROVINCES.get(region.upper(), region))
        line = f"{locality} ({province})" if region else locality
    else:
        line = f"{locality}, {region}" if region else locality
    return f"{line}  {postal_code}" if postal_code else line
