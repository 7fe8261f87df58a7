"""The reviewers' CSV and XLSX exports against any text an application may hold, including what
older versions of the form stored before it removed control characters (a form feed pasted from a
PDF made the XLSX export a 500 for every reviewer): always a file, whose cells read back as the
stored text without what a spreadsheet cannot hold, and formula-safe."""

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from challenges.models import Application
from site_core.text.spreadsheet import SPREADSHEET_ILLEGAL, spreadsheet_cell
from tests.challenges.application_helpers import stored_application
from tests.security.hostile import hostile_characters

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# What a database can hold: no NUL (PostgreSQL refuses it), no lone surrogate (not UTF-8).
storable = st.text(hostile_characters, max_size=80).map(
    lambda text: "".join(ch for ch in text if ch != "\x00" and not 0xD800 <= ord(ch) <= 0xDFFF)
)


def export(admin_client, export_format: str) -> bytes:
    response = admin_client.get(f"/admin/applications/?export={export_format}")
    assert response.status_code == 200, export_format
    return b"".join(response.streaming_content)


@FUZZ
@given(text=storable)
@example(text="Page one\x0cPage two")  # the reported one
@example(text="\x01\x02\x1b[31m=1+1\x7f\x85\x9f")
@example(text='=HYPERLINK("http://evil.example","x")\x0b')
def test_exports_hold_any_stored_answer(admin_client, public_site, text):
    Application.objects.all().delete()
    answers = [{"uid": "q", "label": "Question", "type": "long-text", "value": text, "display": text}]
    stored_application(
        public_site.challenge,
        organisation_name=text[:200],
        proposal_summary=text,
        answers=answers,
    )

    workbook = openpyxl.load_workbook(io.BytesIO(export(admin_client, "xlsx")))
    heading, row = (tuple(cell.value for cell in line) for line in workbook.active.iter_rows(max_row=2))
    cells = dict(zip(heading, row, strict=True))
    for column, stored in (("Organisation", text[:200]), ("Proposal summary", text)):
        expected = spreadsheet_cell(stored)
        assert not SPREADSHEET_ILLEGAL.search(expected)
        assert (cells[column] or "") == expected, column

    [csv_row] = list(csv.DictReader(io.StringIO(export(admin_client, "csv").decode("utf-8"), newline="")))
    assert csv_row["Organisation"] == spreadsheet_cell(text[:200])
