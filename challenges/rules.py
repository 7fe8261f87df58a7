"""Small pure rules of the application module, each with unit tests."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

REFERENCE_PREFIX = "CIO"
PDF_MAGIC = b"%PDF-"


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


def clean_answer_text(text: str, single_line: bool) -> str:
    """An answer as stored: a one-line answer's line breaks become spaces (browsers drop them from
    text inputs, so one that arrives was forged or pasted), a long answer's page breaks and other
    line-separating controls become line breaks, other control characters go; then surrounding
    whitespace goes."""
    text = " ".join(text.splitlines()) if single_line else LINE_SEPARATING_CONTROLS.sub("\n", text)
    return OTHER_CONTROLS.sub("", text).strip()


def retention_expired(starts_at: datetime.datetime, months: int, now: datetime.datetime) -> bool:
    """True once `months` calendar months have passed since `starts_at`."""
    return now >= starts_at + relativedelta(months=months)


# Retention of applications (manage.py purge_applications; docs/operations.md, "Retention"). Each application
# is kept under exactly one rule, the first that applies, in this order: a person's act (a decision, a
# withdrawal) keeps it for its challenge's period; otherwise it is either still held for a check nobody
# cleared or simply undecided, each with a period of its own.
RETENTION_DECIDED = "decided"
RETENTION_WITHDRAWN = "withdrawn"
RETENTION_HELD = "held"
RETENTION_UNDECIDED = "undecided"
# ApplicationStatus values (challenges/models/applications.py); kept here as text so the rule stays pure.
DECIDED_STATUSES = frozenset({"selected", "declined"})
WITHDRAWN_STATUS = "withdrawn"
# Below these the purge refuses to run: a mistyped setting must not delete applications nobody has
# reviewed yet. Twelve months is also the challenge's own floor (MFIPPA: at least a year after use).
MIN_UNDECIDED_RETENTION_MONTHS = 12
MIN_HELD_RETENTION_DAYS = 30


@dataclass(frozen=True)
class Retention:
    rule: str  # one of the RETENTION_* names: why it is kept, and why it is deleted
    starts_at: datetime.datetime  # when its clock started
    kept_until: datetime.datetime  # deleted by the first purge at or after this moment

    def expired(self, now: datetime.datetime) -> bool:
        return now >= self.kept_until


def application_retention(
    *,
    status: str,
    held: bool,
    submitted_at: datetime.datetime,
    decided_at: datetime.datetime | None,
    withdrawn_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    retention_months: int,
    held_days: int,
    undecided_months: int,
) -> Retention:
    """How long one application is kept, and under which rule.

    - decided (selected or not selected): the challenge's `retention_months` after the decision;
    - withdrawn: the challenge's `retention_months` after the withdrawal;
    - held for a check that nobody cleared (and neither decided nor withdrawn): `held_days` after the
      call's deadline;
    - undecided (received, under review, shortlisted): `undecided_months` after the call's deadline.

    "The call's deadline" is the challenge's deadline as it stands, or when the application was received
    if the challenge has none. A decision or a withdrawal whose date was not recorded (a reviewer
    setting Withdrawn records none) counts from there too.
    Months are calendar months, days are 24 hours.
    """
    deadline = closes_at or submitted_at
    if status in DECIDED_STATUSES:
        starts_at = decided_at or deadline
        return Retention(RETENTION_DECIDED, starts_at, starts_at + relativedelta(months=retention_months))
    if status == WITHDRAWN_STATUS:
        starts_at = withdrawn_at or deadline
        return Retention(RETENTION_WITHDRAWN, starts_at, starts_at + relativedelta(months=retention_months))
    if held:
        return Retention(RETENTION_HELD, deadline, deadline + datetime.timedelta(days=held_days))
    return Retention(RETENTION_UNDECIDED, deadline, deadline + relativedelta(months=undecided_months))
