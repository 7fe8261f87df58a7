"""Unit tests of the application module's pure rules."""

import datetime

import pytest

from challenges.rules import (
    clean_upload_name,
    looks_like_pdf,
    reference_for,
    retention_expired,
)
from site_core.text.spreadsheet import neutralise_spreadsheet_cell


def test_reference_is_prefixed_dated_and_zero_padded():
    assert reference_for(42, 2026) == "CIO-2026-00042"
    assert reference_for(123456, 2027) == "CIO-2027-123456"


@pytest.mark.parametrize(
    ("head", "expected"),
    [(b"%PDF-1.7\n...", True), (b"PK\x03\x04", False), (b"MZ\x90\x00", False), (b"", False), (b" %PDF-1.4", False)],
)
def test_pdf_is_recognised_by_its_content(head, expected):
    assert looks_like_pdf(head) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("proposal.pdf", "proposal.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\win.ini", "win.ini.pdf"),
        ("/var/www/../secret.PDF", "secret.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("plan\x00name\r\n.pdf", "planname.pdf"),
        ("", "proposal.pdf"),
        ("....pdf", "proposal.pdf"),
        ("Proposition équipe.pdf", "Proposition équipe.pdf"),
        ("x" * 500 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_upload_names_are_made_safe_to_display(name, expected):
    assert clean_upload_name(name) == expected


@pytest.mark.parametrize("dangerous", ["=SUM(A1:A2)", "+1+1", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("x")'])
def test_cells_a_spreadsheet_would_run_are_neutralised(dangerous):
    assert neutralise_spreadsheet_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("safe", ["Civic Widgets", "", "a=b", 42, None, "416-555-0100"])
def test_ordinary_cells_are_left_alone(safe):
    assert neutralise_spreadsheet_cell(safe) == safe


def test_retention_counts_calendar_months():
    decided = datetime.datetime(2026, 1, 31, 12, tzinfo=datetime.UTC)
    assert not retention_expired(decided, 12, datetime.datetime(2027, 1, 31, 11, tzinfo=datetime.UTC))
    assert retention_expired(decided, 12, datetime.datetime(2027, 1, 31, 12, tzinfo=datetime.UTC))
    assert retention_expired(decided, 1, datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC))
