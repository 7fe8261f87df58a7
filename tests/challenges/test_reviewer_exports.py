"""What reviewers read in the applications admin (issue 20, item 6): every date-time in Toronto time
with the zone named (the database holds UTC), CSV that Excel opens with its accents, XLSX with real
date and number cells, one column per question of a challenge, and words instead of True/False/None/en."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from challenges.models import Application, ApplicationQuestion, ApplicationStatus, ApplicationVersion, QuestionType
from site_core.text.spreadsheet import SPREADSHEET_FORMULA_STARTS
from tests.challenges.application_helpers import application_data, stored_application
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# The same wall-clock time, 14:03 in Toronto, in winter (EST, UTC-5) and in summer (EDT, UTC-4).
WINTER = datetime.datetime(2026, 1, 15, 19, 3, tzinfo=UTC)
SUMMER = datetime.datetime(2026, 7, 15, 18, 3, tzinfo=UTC)
BOM = b"\xef\xbb\xbf"


def export(client, export_format: str, **filters) -> bytes:
    query = "&".join(f"{name}={value}" for name, value in {**filters, "export": export_format}.items())
    response = client.get(f"/admin/applications/?{query}")
    assert response.status_code == 200
    content = response.streaming_content if response.streaming else [response.content]
    return b"".join(content)


def csv_rows(client, **filters) -> tuple[list[str], list[dict]]:
    text = export(client, "csv", **filters).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames), list(reader)


def xlsx_rows(client, **filters) -> list[list]:
    """Every row of the XLSX export as cells (openpyxl's, with their types and number formats)."""
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx", **filters)))
    return [list(row) for row in workbook.active.iter_rows()]


def column(rows: list[list], heading: str) -> list:
    """The cells under `heading` (XLSX rows, the first one the headings)."""
    index = [cell.value for cell in rows[0]].index(heading)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def challenge(challenge_index):
    return make_challenge(challenge_index, title="Track 311 requests")


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_accents(superuser_client, challenge):
    stored_application(challenge, contact_name="Amélie Côté", organisation_name="Société Ça Marche")
    response = superuser_client.get("/admin/applications/?export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(BOM + b"Reference,")
    headings, [row] = csv_rows(superuser_client)
    assert headings[0] == "Reference"  # the mark is not part of the first heading
    assert row["Contact name"] == "Amélie Côté"
    assert row["Organisation"] == "Société Ça Marche"


@pytest.mark.parametrize("submitted_at", [WINTER, SUMMER], ids=["winter", "summer"])
def test_received_is_toronto_time_in_both_exports_and_a_real_date_cell_in_xlsx(
    superuser_client, challenge, submitted_at
):
    stored_application(challenge, submitted_at=submitted_at, team_size=7)
    rows = xlsx_rows(superuser_client)
    [received] = column(rows, "Received (Toronto time)")
    assert received.is_date
    assert received.value == datetime.datetime(submitted_at.year, submitted_at.month, 15, 14, 3)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    [team_size] = column(rows, "Team size")
    assert team_size.data_type == "n" and team_size.value == 7

    headings, [row] = csv_rows(superuser_client)
    assert "Received" not in headings
    assert row["Received (Toronto time)"] == f"{submitted_at:%Y-%m}-15 14:03"


@pytest.fixture
def asking_challenge(challenge_index, clock_stands_still):
    """An open challenge asking one question of each kind, and one application sent through its form."""
    challenge = make_challenge(challenge_index, title="Fix the potholes", opens=-5, closes=20, publish=False)
    for label, kind, choices in [
        ("What will you build?", QuestionType.LONG_TEXT, ""),
        ("Worked with government?", QuestionType.YES_NO, ""),
        ("Budget (CAD)", QuestionType.NUMBER, ""),
        ("Earliest start", QuestionType.DATE, ""),
        ("Neighbourhoods", QuestionType.CHECKBOXES, "North\nSouth\nEast"),
        ("Legacy question", QuestionType.TEXT, ""),
    ]:
        challenge.questions.add(challenge.questions.model(label=label, field_type=kind, choices=choices))
    challenge.save_revision().publish()
    challenge.refresh_from_db()
    questions = {question.label: f"q_{question.uid.hex}" for question in challenge.questions.all()}
    answers = {
        questions["What will you build?"]: "A pothole map",
        questions["Worked with government?"]: "no",
        questions["Budget (CAD)"]: "12500.50",
        questions["Earliest start"]: "2027-01-15",
        questions["Neighbourhoods"]: ["North", "East"],
        questions["Legacy question"]: "Kept after removal",
    }
    response = Client().post(f"{challenge.url}apply/", application_data(challenge, **answers))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.filter(challenge=challenge).count() == 1
    # An editor removes a question once applications came in: its answers stay in the export.
    ApplicationQuestion.objects.filter(page=challenge, label="Legacy question").delete()
    return challenge


def test_an_export_filtered_to_one_challenge_has_one_column_per_question(superuser_client, asking_challenge, challenge):
    stored_application(challenge, organisation_name="Other call's applicant")
    headings, [row] = csv_rows(superuser_client, challenge=asking_challenge.pk)
    questions = [
        "What will you build?",
        "Worked with government?",
        "Budget (CAD)",
        "Earliest start",
        "Neighbourhoods",
        "Legacy question (no longer on the form)",
    ]
    # In the form's order, where the one Answers column was, the removed question after the others.
    proposal = headings.index("Proposal summary")
    assert headings[proposal + 1 : proposal + 1 + len(questions)] == questions
    assert "Answers" not in headings
    assert row["What will you build?"] == "A pothole map"
    assert row["Worked with government?"] == "No"
    assert row["Budget (CAD)"] == "12500.50"
    assert row["Earliest start"] == "2027-01-15"
    assert row["Neighbourhoods"] == "North, East"
    assert row["Legacy question (no longer on the form)"] == "Kept after removal"

    rows = xlsx_rows(superuser_client, challenge=asking_challenge.pk)
    assert len(rows) == 2  # the other challenge's application is not in it
    [budget] = column(rows, "Budget (CAD)")
    assert budget.data_type == "n" and Decimal(str(budget.value)) == Decimal("12500.50")
    [start] = column(rows, "Earliest start")
    assert start.is_date and start.value == datetime.datetime(2027, 1, 15)

    # Several challenges: the questions differ, so their answers share one Answers column.
    headings, rows = csv_rows(superuser_client)
    assert "Budget (CAD)" not in headings
    answers = next(row for row in rows if row["Challenge"] == "Fix the potholes")["Answers"]
    assert "Worked with government?: No\nBudget (CAD): 12500.50\n" in answers
    assert "Legacy question: Kept after removal" in answers


def test_codes_and_booleans_read_as_words(superuser_client, challenge):
    stored_application(
        challenge,
        organisation_name="Held Org",
        language="fr",
        status=ApplicationStatus.DECLINED,
        is_spam=True,
        spam_reason="hidden field filled in",
        website="",
    )
    stored_application(challenge, organisation_name="Gone Org", status=ApplicationStatus.WITHDRAWN)
    headings, rows = csv_rows(superuser_client)
    assert "Held for a check" in headings
    held, gone = (next(row for row in rows if row["Organisation"] == name) for name in ("Held Org", "Gone Org"))
    assert (held["Language"], held["Review status"], held["Held for a check"]) == ("French", "Not selected", "Yes")
    assert (gone["Language"], gone["Review status"], gone["Held for a check"]) == ("English", "Withdrawn", "No")
    assert held["Website"] == ""
    for row in rows:
        assert not {"True", "False", "None", "en", "fr", "declined", "withdrawn"} & set(row.values())

    rows = xlsx_rows(superuser_client)
    assert {cell.value for cell in column(rows, "Held for a check")} == {"Yes", "No"}
    assert None in [cell.value for cell in column(rows, "Reviewer notes")]  # empty, not "None"
    assert "None" not in [cell.value for row in rows for cell in row]


def test_a_reviewer_working_in_french_gets_french_headings_and_words(superuser_client, challenge, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="admin"))
    profile.preferred_language = "fr"
    profile.save()
    stored_application(challenge, is_spam=True, status=ApplicationStatus.DECLINED, submitted_at=SUMMER)
    # The CSV is written after the view returns: still in the reviewer's language.
    headings, [row] = csv_rows(superuser_client)
    assert "Date de réception (heure de Toronto)" in headings
    assert row["Date de réception (heure de Toronto)"] == "2026-07-15 14:03"
    assert "Oui" in row.values() and "Non retenue" in row.values() and "Anglais" in row.values()
    rows = xlsx_rows(superuser_client)
    assert "Date de réception (heure de Toronto)" in [cell.value for cell in rows[0]]


def test_the_inspect_view_and_the_list_show_toronto_time_and_name_the_zone(
    superuser_client, challenge, django_user_model
):
    # Whatever time zone the reviewer's account was set to, the applications admin shows Toronto's.
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="admin"))
    profile.current_time_zone = "UTC"
    profile.save()
    application = stored_application(challenge, submitted_at=WINTER, language="fr", status=ApplicationStatus.SELECTED)
    Application.objects.filter(pk=application.pk).update(decided_at=SUMMER)
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        saved_at=WINTER,
        replaced_at=datetime.datetime(2026, 1, 20, 3, 30, tzinfo=UTC),  # 22:30 the day before in Toronto
        answers={"proposal_summary": "The first summary", "answers": []},
        changed=["proposal summary"],
    )
    html = superuser_client.get(f"/admin/applications/inspect/{application.pk}/").content.decode()
    assert "2026-01-15 14:03 (Toronto time)" in html  # received
    assert "2026-07-15 14:03 (Toronto time)" in html  # decided
    assert "2026-01-19 22:30 (Toronto time): changed proposal summary" in html
    assert "Not withdrawn" in html
    assert "7:03 p.m." not in html and "19:03" not in html  # the stored UTC value is never shown
    assert ">None<" not in html and "True" not in html and "False" not in html
    assert "French" in html

    html = superuser_client.get("/admin/applications/").content.decode()
    assert "Received (Toronto time)" in html
    assert "2026-01-15 14:03" in html
    assert "7:03 p.m." not in html
    assert "True" not in html and "False" not in html
    # Sorting by the received column still works.
    assert superuser_client.get("/admin/applications/?ordering=submitted_at").status_code == 200


def test_filtered_exports_stay_formula_safe(superuser_client, challenge_index, clock_stands_still):
    challenge = make_challenge(challenge_index, title="=cmd|' /C calc'!A0", opens=-5, closes=20, publish=False)
    challenge.questions.add(challenge.questions.model(label='=HYPERLINK("x")', field_type=QuestionType.TEXT))
    challenge.questions.add(challenge.questions.model(label="Budget", field_type=QuestionType.NUMBER))
    challenge.save_revision().publish()
    challenge.refresh_from_db()
    text_question, number_question = challenge.questions.all()
    stored_application(
        challenge,
        organisation_name="@SUM(1+1)",
        contact_name="-2+3",
        answers=[
            {
                "uid": text_question.uid.hex,
                "label": text_question.label,
                "type": "text",
                "value": "+1+1",
                "display": "+1+1",
            },
            {"uid": number_question.uid.hex, "label": "Budget", "type": "number", "value": "-5.00", "display": "-5.00"},
        ],
    )
    headings, [row] = csv_rows(superuser_client, challenge=challenge.pk)
    assert '\'=HYPERLINK("x")' in headings
    assert row['\'=HYPERLINK("x")'] == "'+1+1"
    assert row["Organisation"] == "'@SUM(1+1)" and row["Contact name"] == "'-2+3"
    assert row["Budget"] == "-5.00"  # a number: a spreadsheet reads it as one, never as a formula
    for heading, cell in [*zip(headings, headings, strict=True), *row.items()]:
        if heading != "Budget":
            assert not cell.startswith(SPREADSHEET_FORMULA_STARTS), heading

    rows = xlsx_rows(superuser_client, challenge=challenge.pk)
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert '\'=HYPERLINK("x")' in [cell.value for cell in rows[0]]
    [budget] = column(rows, "Budget")
    assert budget.data_type == "n" and budget.value == -5


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_export_reads_each_application_once_and_its_queries_do_not_grow(superuser_client, challenge, export_format):
    """Bounded memory and time for large exports: the applications are read once, a chunk at a time
    (Wagtail's listing would first load them all to count them), and the audit entries are inserted
    in batches, not one query per application."""

    def export_queries() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            export(superuser_client, export_format)
        return [query["sql"] for query in queries.captured_queries]

    stored_application(challenge)
    few = export_queries()
    for number in range(12):
        stored_application(challenge, organisation_name=f"Org {number}")
    many = export_queries()
    assert len(many) == len(few)
    full_reads = [sql for sql in many if '"challenges_application"."proposal_summary"' in sql]
    assert len(full_reads) == 1, full_reads
