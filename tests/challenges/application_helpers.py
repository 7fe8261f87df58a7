"""Building valid (and deliberately invalid) application posts."""

import time
import uuid

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from challenges.forms import TOKEN_SALT
from challenges.models import Application
from challenges.rules import reference_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def form_token(seconds_ago: float = 60, token_id: str | None = None) -> str:
    """A form token as the form would have issued it `seconds_ago`."""
    payload = {"id": token_id or uuid.uuid4().hex, "t": int(time.time() - seconds_ago)}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def pdf(name: str = "proposal.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def application_data(challenge=None, **overrides) -> dict:
    data = {
        "organisation_name": "Civic Widgets Inc.",
        "contact_name": "Alex Martin",
        "email": "alex@example.ca",
        "phone": "416-555-0100",
        "website": "https://civicwidgets.example.ca",
        "team_size": "4",
        "proposal_summary": "We will build a status tracker for 311 requests and test it with residents.",
        "consent": "on",
        "fax_number": "",
        "form_token": form_token(),
        "attachment": pdf(),
    }
    if challenge is not None:
        for question in challenge.questions.all():
            field = f"q_{question.uid.hex}"
            data[field] = {
                "yes-no": "yes",
                "choice": question.choice_list[0] if question.choice_list else "",
                "checkboxes": question.choice_list[:1],
                "number": "12",
                "date": "2027-01-15",
                "url": "https://example.ca/demo",
            }.get(question.field_type, "An answer")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def stored_application(challenge, **fields):
    """An application as the form would have stored it (with its PDF), bypassing the form."""
    defaults = {
        "form_token": uuid.uuid4(),
        "organisation_name": "Civic Widgets Inc.",
        "contact_name": "Sam Lee",
        "email": "sam@example.ca",
        "phone": "416-555-0100",
        "team_size": 2,
        "proposal_summary": "A proposal.",
        "attachment_name": "proposal.pdf",
        "attachment_size": len(PDF_BYTES),
        "consent_at": timezone.now(),
    }
    application = Application(challenge=challenge, **{**defaults, **fields})
    application.attachment.save("proposal.pdf", pdf(), save=False)
    application.save()
    application.reference = reference_for(application.pk, application.submitted_at.year)
    application.save(update_fields=["reference"])
    return application
