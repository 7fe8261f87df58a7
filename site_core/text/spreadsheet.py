"""Text as a spreadsheet cell, the one way every export (applications, scores, open data, alert
subscribers, event registrants) writes its cells: pure functions, with unit tests."""

import re

# What a spreadsheet runs as a formula when a cell starts with it (OWASP "CSV injection").
SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet file cannot hold at all (openpyxl refuses them; XML 1.0 has no place for them).
SPREADSHEET_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_cell(value):
    """A value as an export's cell: characters a spreadsheet cannot hold removed (older answers
    may carry them), and formula-safe."""
    if isinstance(value, str):
        value = SPREADSHEET_ILLEGAL.sub("", value)
    return neutralise_spreadsheet_cell(value)


def neutralise_spreadsheet_cell(value):
    """Make text that a spreadsheet would run as a formula read as text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(SPREADSHEET_FORMULA_STARTS):
        return "'" + value
    return value
