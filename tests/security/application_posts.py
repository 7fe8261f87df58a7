"""Posting the application form the way a browser does (multipart), with any text: built by hand so
that lone surrogates can reach the server as the invalid UTF-8 a careless client sends, which the
test client's own encoder refuses to produce."""

import csv
import io

from django.core.cache import cache

from challenges.models import QuestionType
from tests.challenges.application_helpers import PDF_BYTES, application_data, form_token

BOUNDARY = "----CioHostileBoundary7MA4YWxkTrZu0gW"

# The form's free-text fields and their max_length (challenges/forms.py); question answers by type.
CORE_TEXT_FIELDS = {"organisation_name": 200, "contact_name": 200, "phone": 40, "proposal_summary": 5000}
QUESTION_TEXT_TYPES = {QuestionType.TEXT: 500, QuestionType.LONG_TEXT: 5000}
CHOICES = "Alpha\nBeta"


def add_every_question_type(challenge) -> None:
    """One optional question of every type (optional, so each can be fuzzed on its own)."""
    for kind in QuestionType:
        choices = CHOICES if kind in {QuestionType.CHOICE, QuestionType.CHECKBOXES} else ""
        challenge.questions.add(
            challenge.questions.model(label=f"{kind.label}?", field_type=kind, required=False, choices=choices)
        )
    challenge.save_revision().publish()
    challenge.refresh_from_db()


def question_field(challenge, kind) -> str:
    return f"q_{challenge.questions.get(field_type=kind).uid.hex}"


def multipart_body(fields: dict, filename: str = "proposal.pdf", content: bytes = PDF_BYTES) -> bytes:
    """A multipart/form-data body of text fields (a list value repeats the field) and the PDF. The
    file name is escaped as browsers do (the HTML standard's %22, %0D, %0A)."""
    chunks = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            chunks.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            chunks.append(str(value).encode("utf-8", "surrogatepass") + b"\r\n")
    quoted = filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    chunks.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachment"; filename="{quoted}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode("utf-8", "surrogatepass")
    )
    chunks.append(content + b"\r\n")
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks)


def valid_fields(challenge, **overrides) -> dict:
    """A complete, valid application (a fresh single-use form token each time) with `overrides`."""
    data = application_data(challenge, form_token=form_token())
    data.pop("attachment")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_application(client, challenge, fields: dict, filename: str = "proposal.pdf"):
    """Post as one visitor among many: the rate limit is cleared first, since it counts per address
    and the test client always comes from the same one."""
    cache.clear()
    return client.post(
        f"{challenge.url}apply/",
        data=multipart_body(fields, filename),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def as_received(text: str) -> str:
    """The text the server decodes from what was sent: lone surrogates arrive as invalid UTF-8 and
    Django decodes form data with errors="replace"."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def csv_export_rows(admin_client) -> list[dict]:
    response = admin_client.get("/admin/applications/?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))
