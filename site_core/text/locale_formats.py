"""Money, times, time-zone names and address lines as each language writes them: from the Unicode
CLDR's locale data (through Babel) rather than hand-made formats, "$128,000.00", "5 p.m." and "EST" in
English, "128 000,00 $", "17 h" and "HNE" in French (Canadian conventions); a Canadian address's last
line as Canada Post writes it in each language ("Toronto, ON", "Toronto (Ontario)")."""

import re
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


def time_text(moment, language: str | None = None) -> str:
    """A time of day in CLDR's short time pattern for the language ("h:mm a" in Canadian English,
    "HH 'h' mm" in Canadian French), written as Canadian style guides write it: no leading zero, and
    on the hour no minutes: "5 p.m.", "9:30 a.m."; "17 h", "9 h 30" (with no-break spaces)."""
    from babel.dates import format_time, get_time_format

    locale = cldr_locale(language)
    pattern = get_time_format("short", locale=locale).pattern.replace("HH", "H").replace("hh", "h")
    if moment.minute == 0:
        pattern = re.sub(r"[:.\s]*mm", "", pattern)
    # A time never breaks across lines: CLDR's own spaces are narrow no-break ones ("9:30\u202fa.m."),
    # and the spaces around the French "h" become no-break spaces ("9\u00a0h\u00a030").
    return format_time(moment, pattern, locale=locale).replace(" ", "\u00a0")


def datetime_text(moment, language: str | None = None) -> str:
    """A date and time of day as the language joins them (CLDR's long date-time pattern): the date in
    the site's DATE_FORMAT for the language, the time as time_text() writes it: "March 10, 2017,
    5 p.m.", "10 mars 2017, 17 h" (the glue is CLDR's: a comma in Canadian French)."""
    from babel.dates import get_datetime_format
    from django.utils.formats import date_format

    with override(language or get_language() or "en"):
        day = date_format(moment, "DATE_FORMAT")
    glue = str(get_datetime_format("long", locale=cldr_locale(language))).replace("'", "")
    return glue.replace("{1}", day).replace("{0}", time_text(moment, language))


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
