"""The application form against hostile text in every field: never a server error; what the form
accepts is stored exactly as typed after its documented cleaning, and shown exactly, escaped, to
reviewers in the admin and in the CSV export; what it refuses gives a 400 with the error summary and
stores nothing.

The cleaning (challenges/forms.py, challenges/rules.py): leading and trailing whitespace is stripped
(Django's CharField); in one-line answers each line break becomes a space (SingleLineCharField); in
long answers page breaks and other line-separating controls become line breaks; other control
characters (but NUL, refused) are removed. Nothing else changes: no Unicode normalisation, invisible
marks and direction overrides are kept as typed.

NUL is the case SQLite hides: it stores it, PostgreSQL refuses it. Run this file on PostgreSQL too
(DATABASE_URL=postgres://…): a NUL must be a form error there as well, never a database error."""

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from challenges.models import Application, QuestionType
from site_core.models import OutgoingEmail
from site_core.text.spreadsheet import spreadsheet_cell
from tests.security.application_posts import (
    CORE_TEXT_FIELDS,
    QUESTION_TEXT_TYPES,
    add_every_question_type,
    as_received,
    csv_export_rows,
    post_application,
    question_field,
    valid_fields,
)
from tests.security.hostile import MAX_LENGTH, hostile_characters, hostile_text

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CSV_HEADINGS = {
    "organisation_name": "Organisation",
    "contact_name": "Contact name",
    "phone": "Phone",
    "proposal_summary": "Proposal summary",
}
STRUCTURED_CORE_FIELDS = ["email", "website", "team_size", "consent", "fax_number", "form_token"]
STRUCTURED_QUESTION_TYPES = [
    QuestionType.CHOICE,
    QuestionType.CHECKBOXES,
    QuestionType.NUMBER,
    QuestionType.DATE,
    QuestionType.URL,
    QuestionType.YES_NO,
]


@pytest.fixture
def challenge(public_site):
    add_every_question_type(public_site.challenge)
    return public_site.challenge


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Application.objects.exists()
    assert not OutgoingEmail.objects.exists()


def text_fields(challenge) -> dict[str, tuple[int, bool, bool]]:
    """Every free-text field of the form: its name, max_length, whether it is required and whether
    it is a one-line answer."""
    fields = {name: (limit, True, name != "proposal_summary") for name, limit in CORE_TEXT_FIELDS.items()}
    for kind, limit in QUESTION_TEXT_TYPES.items():
        fields[question_field(challenge, kind)] = (limit, False, kind == QuestionType.TEXT)
    return fields


CONTROLS = {chr(code) for code in [*range(0x01, 0x20), *range(0x7F, 0xA0)]} - {"\t", "\n", "\r"}
LINE_SEPARATORS = {"\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"}


def cleaned(text: str, single_line: bool) -> str:
    """The form's documented cleaning (see the module docstring), written out character by character."""
    text = as_received(text).strip()
    text = " ".join(text.splitlines()) if single_line else "".join("\n" if ch in LINE_SEPARATORS else ch for ch in text)
    return "".join(ch for ch in text if ch not in CONTROLS).strip()


def stored_text(application, field: str) -> str:
    if field.startswith("q_"):
        return next(answer["value"] for answer in application.answers if field == f"q_{answer['uid']}")
    return getattr(application, field)


@FUZZ
@given(data=st.data(), value=hostile_text)
@example(data=None, value="\u202eAcme\u200f Ltd\ufeff")  # direction override, mark and BOM: kept as typed
@example(data=None, value="Cafe\u0301 e\u0301quipe")  # decomposed accents: the form does not NFC-normalise
@example(data=None, value='=HYPERLINK("http://evil.example","x")')
@example(data=None, value=" \t\u3000Acme\r\nLtd\u2028Inc\n\r\u2028")  # surrounding spaces go, line breaks join
@example(data=None, value="x" * 201)
@example(data=None, value="Page one\x0cPage two\x1b[31m")  # pasted from a PDF: a page break, an escape
def test_free_text_is_stored_and_shown_to_reviewers_exactly_or_refused_with_an_explanation(
    client, admin_client, challenge, data, value
):
    fields = text_fields(challenge)
    field = data.draw(st.sampled_from(sorted(fields)), label="field") if data else "organisation_name"
    limit, required, single_line = fields[field]
    Application.objects.all().delete()
    expected = cleaned(value, single_line)
    acceptable = "\x00" not in expected and len(expected) <= limit and bool(expected or not required)
    event("accepted" if acceptable else "refused")

    response = post_application(client, challenge, valid_fields(challenge, **{field: value}))

    if not acceptable:
        assert_refused(response)
        return
    assert response.status_code == 302
    application = Application.objects.get()
    assert stored_text(application, field) == expected
    if not expected:
        return
    inspect = admin_client.get(f"/admin/applications/inspect/{application.pk}/").content.decode()
    assert escape(expected) in inspect
    [row] = csv_export_rows(admin_client)
    if field.startswith("q_"):
        assert f"?: {expected}" in row["Answers"]
    else:
        assert row[CSV_HEADINGS[field]] == spreadsheet_cell(expected)


@FUZZ
@given(data=st.data(), value=hostile_text)
def test_structured_fields_accept_a_valid_value_or_refuse_with_an_explanation(client, challenge, data, value):
    questions = [question_field(challenge, kind) for kind in STRUCTURED_QUESTION_TYPES]
    field = data.draw(st.sampled_from(STRUCTURED_CORE_FIELDS + questions), label="field")
    Application.objects.all().delete()
    response = post_application(client, challenge, valid_fields(challenge, **{field: value}))
    if response.status_code == 400:
        assert_refused(response)
        return
    assert response.status_code == 302
    assert Application.objects.count() == 1


@FUZZ
@given(value=hostile_text)
@example(value="Acme\r\nBcc: evil@example.com@example.ca")
def test_an_accepted_email_address_is_stored_as_typed_without_its_surrounding_spaces(client, challenge, value):
    Application.objects.all().delete()
    response = post_application(client, challenge, valid_fields(challenge, email=value))
    if response.status_code == 400:
        assert_refused(response)
        return
    assert response.status_code == 302
    assert Application.objects.get().email == as_received(value).strip()


@FUZZ
@given(name=st.text(hostile_characters, max_size=255))  # what file systems allow; longer is below
@example(name='..\\..\\evil"\r\n.pdf')
@example(name="pro\x00posal\u202egnp.pdf")
def test_any_file_name_is_stored_display_safe_and_shown_escaped(client, admin_client, challenge, name):
    """The applicant's file name is only for display (the file is stored under a random name):
    kept without folders or control characters, ending in .pdf, at most 120 characters."""
    Application.objects.all().delete()
    response = post_application(client, challenge, valid_fields(challenge), filename=name)
    if response.status_code == 400:  # a name that sanitises to nothing: no file was sent
        assert_refused(response)
        return
    assert response.status_code == 302
    application = Application.objects.get()
    stored = application.attachment_name
    assert stored.endswith(".pdf")
    assert len(stored) <= 120
    assert not any(char in stored for char in "/\\\x00\r\n")
    inspect = admin_client.get(f"/admin/applications/inspect/{application.pk}/").content.decode()
    assert escape(stored) in inspect


def test_a_100_kb_file_name_is_a_client_error(client, challenge):
    """Django refuses multipart headers this long before the form sees them: a 400, not a 500."""
    response = post_application(client, challenge, valid_fields(challenge), filename="x" * MAX_LENGTH + ".pdf")
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_nul_in_any_field_is_a_clear_form_error_and_nothing_is_stored(client, challenge):
    questions = [question_field(challenge, kind) for kind in QuestionType]
    for field in [*CORE_TEXT_FIELDS, "email", "website", "team_size", *questions]:
        response = post_application(client, challenge, valid_fields(challenge, **{field: "Civic\x00Widgets"}))
        assert response.status_code == 400, field
        assert_refused(response)


def test_null_characters_are_named_in_the_error_summary(client, challenge):
    response = post_application(client, challenge, valid_fields(challenge, organisation_name="Civic\x00Widgets"))
    assert "Null characters are not allowed." in response.content.decode()


def test_a_100_kb_answer_is_refused_with_its_length_not_stored(client, challenge):
    response = post_application(client, challenge, valid_fields(challenge, proposal_summary="x" * MAX_LENGTH))
    assert_refused(response)
    assert "at most 5000 characters" in response.content.decode()
