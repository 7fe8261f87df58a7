"""What ChallengeIndexPage routes to (challenges/models/pages.py): the description page at
…/challenges/open-data/ and the files challenges.csv and challenges.json beside it."""

from django.db.models import Count, Max
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.open_data.dictionary import COLUMNS
from challenges.open_data.formats import csv_text, json_document
from challenges.open_data.rows import open_data_challenges, rows_for
from challenges.open_data.structured_data import dataset_data
from site_core.models import OfficeDetails

CACHE_SECONDS = 900
API_QUERY = "/api/v2/pages/?type=challenges.ChallengePage&fields=*&locale={language}"


def _language(index) -> str:
    return index.locale.language_code


def _file_response(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def csv_response(index, request) -> HttpResponse:
    return csv_file_response(rows_for(index, request, timezone.now()), f"challenges-{_language(index)}.csv")


def csv_file_response(rows: list[dict], filename: str) -> HttpResponse:
    """Rows of the open data's columns as a CSV download (the challenges' file, the results hub's)."""
    response = HttpResponse(csv_text(rows).encode("utf-8"), content_type="text/csv; charset=utf-8; header=present")
    return _file_response(response, filename)


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
