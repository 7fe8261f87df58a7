"""The open-data download of every challenge, as CSV and JSON, and the page that describes it
(…/challenges/open-data/, with challenges.csv and challenges.json beside it), one concern a module:

- `dictionary`: the columns (`COLUMNS`), shown on the page, so the page and the files cannot
  disagree about a column;
- `rows`: `challenge_row`, the one pure function that turns a challenge's facts into a row, and
  the query that reads them;
- `formats`: the two spellings of the same rows, CSV and JSON;
- `structured_data`: the schema.org Dataset on the page;
- `views`: the responses ChallengeIndexPage routes to.

The names below stay importable as `challenges.open_data.<name>`."""

from challenges.open_data.dictionary import COLUMN_NAMES, COLUMNS, DATE_COLUMNS, Column, toronto_iso
from challenges.open_data.formats import CSV_BOM, LIST_SEPARATOR, csv_cell, csv_text, json_document
from challenges.open_data.rows import ChallengeFacts, challenge_row, facts_for, open_data_challenges, rows_for
from challenges.open_data.structured_data import dataset_data
from challenges.open_data.views import (
    API_QUERY,
    CACHE_SECONDS,
    csv_file_response,
    csv_response,
    json_response,
    open_data_context,
)

__all__ = [
    "API_QUERY",
    "CACHE_SECONDS",
    "COLUMNS",
    "COLUMN_NAMES",
    "CSV_BOM",
    "DATE_COLUMNS",
    "LIST_SEPARATOR",
    "ChallengeFacts",
    "Column",
    "challenge_row",
    "csv_cell",
    "csv_file_response",
    "csv_response",
    "csv_text",
    "dataset_data",
    "facts_for",
    "json_document",
    "json_response",
    "open_data_challenges",
    "open_data_context",
    "rows_for",
    "toronto_iso",
]
