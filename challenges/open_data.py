"""The open-data download of every challenge, as CSV and JSON, and the page that describes it
(…/challenges/open-data/, with challenges.csv and challenges.json beside it).

One pure function, `challenge_row`, turns a challenge's facts into a row; the CSV and the JSON are
two spellings of the same rows. The data dictionary (`COLUMNS`) is shown on the page, so the page
and the files cannot disagree about a column."""

import csv
import datetime
import decimal
import io
import re
from dataclasses import dataclass
from html import unescape

from django.db.models import Count, Max
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengePage, KeyDateKind
from challenges.rules import spreadsheet_cell
from challenges.status import Status
from site_core.listings.queries import live_in_locale
from site_core.local_time import city_zone
from site_core.models import OfficeDetails

CACHE_SECONDS = 900
LIST_SEPARATOR = "; "
CSV_BOM = "\ufeff"  # so that Excel reads the file as UTF-8 and shows accents; csv readers use utf-8-sig
API_QUERY = "/api/v2/pages/?type=challenges.ChallengePage&fields=*&locale={language}"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    format: str


_DATE_FORMAT = _(
    "Date and time in Toronto, ISO 8601 with its offset from UTC (e.g. 2027-03-01T17:00:00-05:00); empty when not set"
)


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


@dataclass(frozen=True)
class ChallengeFacts:
    """What a row is made of, read from a challenge page (see `facts_for`)."""

    id: int
    title: str
    url: str
    language: str
    status: Status
    division: str
    topics: tuple[str, ...]
    key_dates: tuple[tuple[str, datetime.datetime], ...]  # (kind, starts_at), any order
    stint_length_weeks: int
    award_value: str
    award_amount: decimal.Decimal | None
    procurement_path: str  # rich text (HTML)
    outcome: str  # rich text (HTML)
    selected_teams: str  # one team per line
    procurement_outcome: str
    last_updated: datetime.datetime | None


_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|div)\s*>", re.IGNORECASE)


def plain_text(html: str) -> str:
    """Rich text as plain text: tags dropped (link text kept), entities decoded, one paragraph or
    list item per line, spaces collapsed."""
    text = unescape(strip_tags(_BLOCK_END.sub("\n", html or "")))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def toronto_iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in Toronto time with its offset, to the second, e.g. 2027-03-01T17:00:00-05:00."""
    return moment.astimezone(city_zone()).replace(microsecond=0).isoformat() if moment else None


def challenge_row(facts: ChallengeFacts) -> dict:
    """One challenge as a row: column name -> value (text, whole number, list of texts or None)."""
    first = {}
    for kind, starts_at in sorted(facts.key_dates, key=lambda key_date: key_date[1]):
        first.setdefault(kind, starts_at)
    amount = facts.award_amount
    row = {
        "id": facts.id,
        "title": facts.title,
        "url": facts.url,
        "language": facts.language,
        "status": str(facts.status),
        "division": facts.division or None,
        "topics": list(facts.topics),
        **{column: toronto_iso(first.get(kind)) for column, kind in DATE_COLUMNS.items()},
        "stint_length_weeks": facts.stint_length_weeks,
        "award_value": facts.award_value or None,
        "award_amount_cad": None if amount is None else str(decimal.Decimal(amount).quantize(decimal.Decimal("0.01"))),
        "procurement_path": plain_text(facts.procurement_path) or None,
        "outcome": plain_text(facts.outcome) or None,
        "selected_teams": [team.strip() for team in facts.selected_teams.splitlines() if team.strip()],
        "procurement_outcome": facts.procurement_outcome or None,
        "last_updated": toronto_iso(facts.last_updated),
    }
    return {name: row[name] for name in COLUMN_NAMES}


def csv_cell(value) -> str:
    """A row value as a CSV cell: lists joined, nothing for None, and text a spreadsheet would run as
    a formula (=, +, -, @, tab, return at the start) prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return spreadsheet_cell(value) if isinstance(value, str) else str(value)


def csv_text(rows: list[dict]) -> str:
    """The rows as CSV (RFC 4180: comma-separated, double quotes, CRLF) with a header row and a
    byte-order mark."""
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    for row in rows:
        writer.writerow([csv_cell(row[name]) for name in COLUMN_NAMES])
    return buffer.getvalue()


def json_document(
    rows: list[dict], *, licence: str, licence_url: str, generated_at: datetime.datetime, source: str
) -> dict:
    return {
        "licence": licence,
        "licence_url": licence_url,
        "generated_at": toronto_iso(generated_at),
        "source": source,
        "challenges": rows,
    }


def dataset_data(
    *,
    name: str,
    description: str,
    url: str,
    language: str,
    licence_url: str,
    publisher: str,
    modified: datetime.datetime | None,
    csv_url: str,
    json_url: str,
) -> dict:
    """schema.org Dataset describing the download, for search engines' dataset search."""
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": language,
        "license": licence_url,
        "isAccessibleForFree": True,
        "creator": {"@type": "GovernmentOrganization", "name": publisher},
        "variableMeasured": COLUMN_NAMES,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": csv_url},
            {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": json_url},
        ],
    }
    if modified:
        data["dateModified"] = toronto_iso(modified)
    return data


# --- reading the pages --------------------------------------------------------------------------


def open_data_challenges(locale_id):
    """Every live, public challenge of one language, with what the rows need, oldest first."""
    return (
        live_in_locale(ChallengePage, locale_id)
        .select_related("division")
        .prefetch_related("topics", "key_dates")
        .order_by("pk")
    )


def facts_for(challenge: ChallengePage, url: str, language: str, now: datetime.datetime) -> ChallengeFacts:
    return ChallengeFacts(
        id=challenge.pk,
        title=challenge.title,
        url=url,
        language=language,
        status=challenge.status_at(now),
        division=challenge.division.name if challenge.division else "",
        topics=tuple(sorted(topic.name for topic in challenge.topics.all())),
        key_dates=tuple((key_date.kind, key_date.starts_at) for key_date in challenge.key_dates.all()),
        stint_length_weeks=challenge.stint_length_weeks,
        award_value=challenge.award_value,
        award_amount=challenge.award_amount,
        procurement_path=challenge.procurement_path,
        outcome=challenge.outcome_summary,
        selected_teams=challenge.selected_teams,
        procurement_outcome=challenge.procurement_outcome,
        last_updated=challenge.last_published_at,
    )


def _language(index) -> str:
    return index.locale.language_code


def rows_for(index, request, now: datetime.datetime) -> list[dict]:
    language = _language(index)
    return [
        challenge_row(facts_for(challenge, challenge.get_full_url(request), language, now))
        for challenge in open_data_challenges(index.locale_id)
    ]


def _file_response(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def csv_response(index, request) -> HttpResponse:
    rows = rows_for(index, request, timezone.now())
    response = HttpResponse(csv_text(rows).encode("utf-8"), content_type="text/csv; charset=utf-8; header=present")
    return _file_response(response, f"challenges-{_language(index)}.csv")


def json_response(index, request) -> JsonResponse:
    now = timezone.now()
    office = OfficeDetails.for_language(_language(index))
    document = json_document(
        rows_for(index, request, now),
        licence=office.open_data_licence_name,
        licence_url=office.open_data_licence_url,
        generated_at=now,
        source=request.build_absolute_uri(index.url + "open-data/"),
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/json; charset=utf-8"
    return _file_response(response, f"challenges-{_language(index)}.json")


def open_data_context(index, request) -> dict:
    """What templates/challenges/open_data.html shows: the licence, when the data last changed, the
    data dictionary and the links (one query for the count and the date)."""
    language = _language(index)
    office = OfficeDetails.for_language(language)
    summary = (
        open_data_challenges(index.locale_id).order_by().aggregate(count=Count("pk"), updated=Max("last_published_at"))
    )
    base = index.url + "open-data/"
    csv_url, json_url = base + "challenges.csv", base + "challenges.json"
    api_url = API_QUERY.format(language=language)
    title = _("Open data: challenges")
    description = _(
        "Every challenge the Civic Innovation Office has published in this language, with its dates, "
        "division, status, value and outcome, as CSV and JSON files that anyone may reuse."
    )
    return {
        "office": office,
        "challenge_count": summary["count"],
        "updated": summary["updated"],
        "columns": COLUMNS,
        "csv_url": csv_url,
        "json_url": json_url,
        "api_url": api_url,
        "cache_minutes": CACHE_SECONDS // 60,
        "meta_title": title,
        "meta_description": description,
        "extra_breadcrumbs": [{"title": _("Open data"), "url": base}],
        "dataset": dataset_data(
            name=str(title),
            description=str(description),
            url=request.build_absolute_uri(base),
            language=f"{language}-CA",
            licence_url=office.open_data_licence_url,
            publisher=office.office_name,
            modified=summary["updated"],
            csv_url=request.build_absolute_uri(csv_url),
            json_url=request.build_absolute_uri(json_url),
        ),
    }
