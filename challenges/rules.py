"""Small pure rules of the application module, each with unit tests."""

import datetime
import re
import unicodedata

from dateutil.relativedelta import relativedelta

REFERENCE_PREFIX = "CIO"
PDF_MAGIC = b"%PDF-"
SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reference_for(number: int, year: int) -> str:
    """A human-friendly unique reference, e.g. CIO-2026-00042 (the number is the row's id)."""
    return f"{REFERENCE_PREFIX}-{year}-{number:05d}"


def looks_like_pdf(first_bytes: bytes) -> bool:
    """True when the content starts like a PDF file (its extension proves nothing)."""
    return first_bytes.startswith(PDF_MAGIC)


def clean_upload_name(name: str, max_length: int = 120) -> str:
    """A display-safe version of an uploaded file's name: no folders, no control characters,
    no leading dots, a .pdf ending, and a bounded length."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip()
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = stem.strip(" .") or "proposal"
    return stem[: max_length - 4] + ".pdf"


# Control characters with no place in an answer (a form feed pasted from a PDF, a stray escape): the
# line-separating ones become line breaks in long answers, the others go. NUL is not here: the form
# refuses it (Django's validator), PostgreSQL could not store it.
LINE_SEPARATING_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1e\x85]")
OTHER_CONTROLS = re.compile("[\x01-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
# What a spreadsheet file cannot hold at all (openpyxl refuses them; XML 1.0 has no place for them).
SPREADSHEET_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_answer_text(text: str, single_line: bool) -> str:
    """An answer as stored: a one-line answer's line breaks become spaces (browsers drop them from
    text inputs, so one that arrives was forged or pasted), a long answer's page breaks and other
    line-separating controls become line breaks, other control characters go; then surrounding
    whitespace goes."""
    text = " ".join(text.splitlines()) if single_line else LINE_SEPARATING_CONTROLS.sub("\n", text)
    return OTHER_CONTROLS.sub("", text).strip()


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


def retention_expired(starts_at: datetime.datetime, months: int, now: datetime.datetime) -> bool:
    """True once `months` calendar months have passed since `starts_at`."""
    return now >= starts_at + relativedelta(months=months)
