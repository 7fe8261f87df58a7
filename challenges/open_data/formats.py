"""The two spellings of the same rows: CSV (RFC 4180, formula-safe, readable by Excel) and the JSON
document (the rows with the licence and where they come from)."""

import csv
import datetime
import io

from challenges.open_data.dictionary import COLUMN_NAMES, toronto_iso
from site_core.text.spreadsheet import spreadsheet_cell

LIST_SEPARATOR = "; "
CSV_BOM = "\ufeff"  # so that Excel reads the file as UTF-8 and shows accents; csv readers use utf-8-sig


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
