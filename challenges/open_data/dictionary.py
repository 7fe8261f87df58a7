"""The data dictionary of the challenges' open data: every column of the CSV and JSON files, in order,
with its meaning and format. The description page shows this list, so the page and the files cannot
disagree about a column."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from challenges.choices import KeyDateKind
from site_core.local_time import city_zone


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    format: str


_DATE_FORMAT = _(
    "Date and time in Toronto, ISO 8601 with its offset from UTC (e.g. 2027-03-01T17:00:00-05:00); empty when not set"
)


def toronto_iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in Toronto time with its offset, to the second, e.g. 2027-03-01T17:00:00-05:00."""
    return moment.astimezone(city_zone()).replace(microsecond=0).isoformat() if moment else None


def _date_column(name: str, meaning) -> Column:
    return Column(name, meaning, _DATE_FORMAT)


COLUMNS = [
    Column(
        "id",
        _("The challenge's number on this site, the same as in the API (/api/v2/pages/<id>/)."),
        _("Whole number"),
    ),
    Column("title", _("The challenge's title."), _("Text")),
    Column("url", _("The challenge's page on this site."), _("Web address")),
    Column("language", _("The language of the row's text."), _("Language code: en or fr")),
    Column(
        "status",
        _(
            "Where the challenge stands today, worked out from its key dates as on the site: upcoming, "
            "open, closing-soon (the last 7 days before the deadline), under-review (after the deadline, "
            "until the stint starts), in-progress (the stint) or completed."
        ),
        _("One of the codes listed"),
    ),
    Column("division", _("The City division that owns the problem."), _("Text; empty when not set")),
    Column("topics", _("The subjects the challenge is filed under."), _("Text; several values separated by “; ”")),
    _date_column("opens", _("When applications open.")),
    _date_column("info_session", _("The first information session for applicants.")),
    _date_column("closes", _("The application deadline.")),
    _date_column("selection", _("When the selected teams are announced.")),
    _date_column("stint_start", _("When the selected teams start working with the City.")),
    _date_column("demo_day", _("When the teams show their results.")),
    Column("stint_length_weeks", _("How long the selected teams work with the City."), _("Whole number of weeks")),
    Column("award_value", _("The award or contract value, as applicants read it."), _("Text")),
    Column(
        "award_amount_cad",
        _("The maximum award or contract amount."),
        _("Canadian dollars with two decimals and a point (e.g. 60000.00); empty when not fixed"),
    ),
    Column(
        "procurement_path",
        _("How the City may buy the solution after a successful stint."),
        _("Plain text; one paragraph or list item per line"),
    ),
    Column(
        "outcome",
        _("After the stint: what was piloted and what the City learned."),
        _("Plain text; one paragraph or list item per line"),
    ),
    Column("selected_teams", _("The teams selected for the stint."), _("Text; several values separated by “; ”")),
    Column(
        "procurement_outcome",
        _(
            "The City's decision after the stint: pending, procured (the City bought the solution), "
            "extended (the pilot was extended) or not-procured; empty before a decision is due."
        ),
        _("One of the codes listed"),
    ),
    Column("last_updated", _("When the challenge's page was last published."), _DATE_FORMAT),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
DATE_COLUMNS = {
    "opens": KeyDateKind.OPENS,
    "info_session": KeyDateKind.INFO_SESSION,
    "closes": KeyDateKind.CLOSES,
    "selection": KeyDateKind.SELECTION,
    "stint_start": KeyDateKind.STINT_START,
    "demo_day": KeyDateKind.DEMO_DAY,
}
