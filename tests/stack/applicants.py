"""Innovators applying through the stack as a browser does: GET the form (cookies, CSRF token,
single-use form token), then POST it with a PDF, each from their own address."""

import re
from dataclasses import dataclass

from tests.challenges.application_helpers import PDF_BYTES


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, (name, html[:3000])
    return found.group(1)


@dataclass
class Sent:
    status: int
    seconds: float
    location: str
    body: str


class Applicant:
    """One person, with their own browser (cookies) and address (127.0.0.x), and their form."""

    def __init__(self, stack, number: int, timeout: float = 30.0):
        self.number = number
        self.visitor = stack.client(source=f"127.0.0.{20 + number % 200}", timeout=timeout)
        self.email = f"applicant{number:03d}@example.ca"
        self.fields: dict | None = None

    def open_form(self, challenge) -> None:
        self.path = challenge.url + "apply/"
        form = self.visitor.get(self.path)
        assert form.status == 200, (form.status, form.text[:2000])
        self.fields = {
            "csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"),
            "form_token": hidden(form.text, "form_token"),
            "organisation_name": f"Applicant {self.number:03d} Inc.",
            "contact_name": f"Applicant {self.number:03d}",
            "email": self.email,
            "phone": "416-555-0100",
            "team_size": "3",
            "proposal_summary": f"Proposal number {self.number}.",
            "consent": "on",
            "fax_number": "",
        }

    def send(self) -> Sent:
        """Post the form (again, after a failure: the same form, as a browser's back button does)."""
        answer = self.visitor.post(
            self.path, self.fields, files={"attachment": ("proposal.pdf", PDF_BYTES, "application/pdf")}
        )
        return Sent(answer.status, answer.seconds, answer.headers.get("Location", ""), answer.text)

    def apply(self, challenge) -> Sent:
        self.open_form(challenge)
        return self.send()
