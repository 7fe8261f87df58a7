"""Header injection: CR/LF (and the other line breaks) in what applicants and editors type never adds
a header, a recipient or a line of its own to the emails the form sends, nor a header to the file
download. Emails go through Django's locmem backend: what would have reached the SMTP server."""

from email import message_from_bytes

import pytest
from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from challenges.models import Application
from site_core.models import OutgoingEmail
from tests.security.application_posts import post_application, valid_fields
from tests.security.hostile import C0_CONTROLS, INVISIBLE_MARKS

pytestmark = pytest.mark.django_db

INJECTED = "Bcc: evil@example.com"
# Every way of starting a new line an email or a header could honour.
LINE_BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r\n\t"]
APPLICANT = "alex@example.ca"
STAFF = "innovation@example.ca"  # the office's address (tests/security/conftest.py)
NON_NUL_CONTROLS = C0_CONTROLS[1:]  # a NUL is refused outright (test_fuzz_application_form.py)
NAME_PIECES = [*LINE_BREAKS, *NON_NUL_CONTROLS, *INVISIBLE_MARKS, "Bcc", ":", " ", "@", "evil@example.com"]
HEADERS_WE_SET = {"Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type"}


@pytest.fixture
def challenge(public_site):
    return public_site.challenge


def send_application(client, challenge, capture, **overrides):
    with capture(execute=True):
        response = post_application(client, challenge, valid_fields(challenge, email=APPLICANT, **overrides))
    return response


def assert_only_the_expected_recipients_and_headers(messages, applicant_lines: bool = True) -> None:
    """Exactly the applicant and the office, in To only; no header we do not set; with
    `applicant_lines`, no body line made of what the applicant typed after a line break."""
    assert sorted(recipient for message in messages for recipient in message.recipients()) == [APPLICANT, STAFF]
    for message in messages:
        assert (message.cc, message.bcc, message.reply_to) == ([], [], [])
        parsed = message_from_bytes(message.message().as_bytes())
        assert set(parsed.keys()) <= HEADERS_WE_SET | {"Content-Transfer-Encoding"}, parsed.keys()
        assert "evil@example.com" not in str(parsed.get_all("To"))
        for line in message.body.splitlines() if applicant_lines else []:
            assert not line.startswith("Bcc:"), line


def test_an_email_address_with_a_line_break_is_refused_and_nothing_is_sent(
    client, challenge, django_capture_on_commit_callbacks
):
    for line_break in LINE_BREAKS:
        email = f"x@example.ca{line_break}{INJECTED}"
        with django_capture_on_commit_callbacks(execute=True):
            response = post_application(client, challenge, valid_fields(challenge, email=email))
        assert response.status_code == 400, repr(line_break)
        assert "Enter an email address like name@example.ca." in response.content.decode()
        assert not Application.objects.exists()
        assert mail.outbox == []


def test_line_breaks_in_names_become_spaces_and_add_no_header_recipient_or_line(
    client, challenge, django_capture_on_commit_callbacks
):
    typed = "Alex".join(f"{line_break}{INJECTED}{line_break}" for line_break in LINE_BREAKS)[:40]
    for field in ("contact_name", "organisation_name", "phone"):
        Application.objects.all().delete()
        mail.outbox.clear()
        response = send_application(client, challenge, django_capture_on_commit_callbacks, **{field: typed})
        assert response.status_code == 302, field
        stored = getattr(Application.objects.get(), field)
        assert stored.splitlines() == [stored], field
        assert_only_the_expected_recipients_and_headers(mail.outbox)
        assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.lists(st.sampled_from(NAME_PIECES), max_size=10).map("".join))  # within max_length
def test_no_name_adds_a_header_or_a_recipient(client, challenge, django_capture_on_commit_callbacks, name):
    Application.objects.all().delete()
    mail.outbox.clear()
    response = send_application(client, challenge, django_capture_on_commit_callbacks, contact_name=f"A{name}Z")
    assert response.status_code == 302
    assert_only_the_expected_recipients_and_headers(mail.outbox)


def test_the_subject_from_and_reply_to_carry_no_line_break_from_an_editor_title(
    client, challenge, django_capture_on_commit_callbacks
):
    """Titles come from editors through a one-line input, but a forged admin post could hold CR/LF:
    the subject is one line whatever the title, From is the configured address, no Reply-To."""
    challenge.title = f"Safer zones\r\n{INJECTED}\nX-Injected: 1"
    challenge.save_revision().publish()
    challenge.refresh_from_db()
    send_application(client, challenge, django_capture_on_commit_callbacks)
    assert_only_the_expected_recipients_and_headers(mail.outbox, applicant_lines=False)
    for message in mail.outbox:
        assert message.subject.splitlines() == [message.subject]
        assert "X-Injected" not in message.message()
        # The configured address, under the office's name in the email's language, on one line.
        assert message.from_email.endswith(" <innovation@example.ca>")
        assert message.from_email.splitlines() == [message.from_email]


def test_a_file_name_with_quotes_and_line_breaks_adds_no_header_to_the_download(client, admin_client, challenge):
    response = post_application(client, challenge, valid_fields(challenge), filename='a"\r\nX-Injected: 1;\r\n.pdf')
    assert response.status_code == 302
    application = Application.objects.get()
    download = admin_client.get(f"/admin/applications/{application.pk}/attachment/")
    assert download.status_code == 200
    assert "X-Injected" not in download.headers
    disposition = download.headers["Content-Disposition"]
    assert disposition.splitlines() == [disposition]
    assert disposition.startswith("attachment;")
