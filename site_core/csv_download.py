"""A CSV file to download, the one way the admin's own exports are sent (alert subscribers, event
registrants, panel scores; the applications list uses Wagtail's export, with the same cells): UTF-8
with a byte-order mark (Excel then reads "Amélie", not "AmÃ©lie"), each cell through
`spreadsheet_cell` (formula-safe), streamed row by row, never stored by a cache (it holds personal
information)."""

import codecs
import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from wagtail.admin.views.mixins import Echo

from site_core.text.spreadsheet import spreadsheet_cell


def csv_download(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """`rows` (the headings first) as `filename`, a CSV attachment."""

    def lines():
        writer = csv.writer(Echo())
        yield codecs.BOM_UTF8
        for row in rows:
            yield writer.writerow([spreadsheet_cell("" if cell is None else cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
