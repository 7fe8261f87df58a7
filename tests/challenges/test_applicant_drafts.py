# ruff: noqa: F811 -- the fixtures imported from journey_helpers are the tests' parameters
"""Drafts and kept files (issue 19): a PDF sent with a post that failed elsewhere is kept; "Save and
finish later" needs only an email, emails a link that works on another device until the deadline,
and sending the draft turns it into the application; the one reminder before the deadline."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from challenges.models import Application, ApplicationDraft, PendingUpload
from challenges.uploads import KEPT_SALT
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import pdf
from tests.challenges.journey_helpers import (  # noqa: F401 -- fixtures
    apply_url,
    browser,
    challenge,
    error_summary,
    form_data,
    form_values,
    link_in,
    mail_to,
    new_browser,
)
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db

OTHER_PDF = b"%PDF-1.7\n% a second, different proposal\n%%EOF\n"


def field(challenge, label: str) -> str:
    return f"q_{challenge.questions.get(label=label).uid.hex}"


# --- the file is kept across a failed post ------------------------------------------------------


def test_the_form_says_the_file_sent_with_a_missing_phone_is_attached(browser, challenge):
    response = browser.apply(challenge, phone="", attachment=pdf("proposal.pdf", OTHER_PDF))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Replace the proposal document (PDF)" in html
    assert "Your file proposal.pdf is attached" in html
    assert "One PDF file, 10 MB at most." not in html  # the hint of an empty file field


def test_a_valid_file_sent_with_a_missing_phone_is_kept_and_used(browser, challenge):
    response = browser.apply(challenge, phone="", attachment=pdf("proposal.pdf", OTHER_PDF))
    assert response.status_code == 400
    html = response.content.decode()
    kept = form_values(html)["kept_file"]
    assert kept and kept[0], "no hidden kept_file"
    assert PendingUpload.objects.count() == 1
    assert not Application.objects.exists()

    # No JavaScript involved: the browser posts the form back as served, with the phone filled in.
    data = form_data(html, phone="416-555-0100", consent="on")
    assert "attachment" not in data
    response = browser.post(apply_url(challenge), data)
    assert response.status_code == 302, error_summary(response.content.decode())
    application = Application.objects.get()
    assert application.attachment_name == "proposal.pdf"
    assert application.attachment.read() == OTHER_PDF
    assert application.attachment_size == len(OTHER_PDF)
    assert not PendingUpload.objects.exists()  # used, then gone


def test_a_tampered_kept_file_reference_is_refused(browser, challenge):
    html = browser.apply(challenge, phone="").content.decode()
    genuine = form_values(html)["kept_file"][0]
    key = signing.loads(genuine, salt=KEPT_SALT)
    other_key = key[:-1] + ("0" if key[-1] != "0" else "1")
    payload, signature = genuine.rsplit(":", 1)
    for forged in (
        genuine.replace(key, other_key) if key in genuine else f"{other_key}:{signature}",  # another file's key
        f"{payload}:{signature[::-1]}",  # a changed signature
        signing.dumps(key, salt="challenges.application-form"),  # signed, but not as a kept file
    ):
        response = browser.post(
            apply_url(challenge), form_data(html, phone="416-555-0100", consent="on", kept_file=forged)
        )
        assert response.status_code == 400
        assert "Choose your proposal as a PDF file." in response.content.decode()
    assert not Application.objects.exists()


# --- save and finish later -------------------------------------------------------------------------


def test_save_and_finish_later_needs_only_an_email(browser, new_browser, challenge, django_user_model):
    response = browser.post(apply_url(challenge), {"action": "save", "email": "later@example.ca"})
    assert response.status_code == 302
    assert response["Location"] == f"{challenge.url}apply/saved/?state=emailed"
    draft = ApplicationDraft.objects.get()
    assert draft.email == "later@example.ca"
    assert draft.challenge_id == challenge.pk
    assert not Application.objects.exists()
    assert [message.to for message in mail.outbox] == [["later@example.ca"]]  # no staff email for a draft
    assert len(re.findall(r"/apply/draft/", mail.outbox[0].body)) == 1
    saved = browser.get(response["Location"]).content.decode()
    assert "has NOT been sent yet" in saved

    admin = new_browser()
    admin.client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.ca", "x-long-pw-1"))
    admin_list = admin.get("/admin/applications/").content.decode()
    assert "later@example.ca" not in admin_list
    assert "/admin/applications/inspect/" not in admin_list


def test_a_draft_reopens_on_another_device_and_sending_it_makes_the_application(browser, new_browser, challenge):
    question = field(challenge, "Which request types first?")
    response = browser.post(
        apply_url(challenge),
        {
            "action": "save",
            "email": "later@example.ca",
            "organisation_name": "Quillworks Co-operative",
            "proposal_summary": "Half written.\nSecond line.",
            question: "Potholes, then graffiti.",
            "team_size": "not sure yet",  # not checked when saving
            "attachment": pdf("plan.pdf", OTHER_PDF),
        },
    )
    assert response.status_code == 302
    link = link_in(mail_to("later@example.ca")[0], "draft")

    phone = new_browser()  # another browser: no cookie, no session
    page = phone.get(link)
    assert page.status_code == 200
    assert page["X-Robots-Tag"].startswith("noindex")
    html = page.content.decode()
    values = form_values(html)
    assert values["organisation_name"] == ["Quillworks Co-operative"]
    assert values["email"] == ["later@example.ca"]
    assert values["proposal_summary"] == ["Half written.\nSecond line."]
    assert values[question] == ["Potholes, then graffiti."]
    assert "Your file plan.pdf is attached" in html

    data = form_data(
        html,
        contact_name="Robin Quill",
        phone="416-555-0100",
        team_size="3",
        consent="on",
        **{field(challenge, "Worked with government?"): "no"},
    )
    response = phone.post(link, data)  # sent within seconds of opening: the emailed link vouches for it
    assert response.status_code == 302, error_summary(response.content.decode())
    assert response["Location"].startswith(f"{challenge.url}apply/thanks/")
    application = Application.objects.get()
    assert not application.is_spam, application.spam_reason
    assert application.organisation_name == "Quillworks Co-operative"
    assert application.attachment.read() == OTHER_PDF
    assert application.attachment_name == "plan.pdf"
    assert not ApplicationDraft.objects.exists()
    assert not PendingUpload.objects.exists()

    gone = phone.get(link)
    assert gone.status_code == 404
    assert "This link does not work" in gone.content.decode()


def save_draft(browser, challenge, email: str):
    """A draft with an email and a file (see test_save_and_finish_later_needs_only_an_email for one
    with the email only)."""
    response = browser.post(apply_url(challenge), {"action": "save", "email": email, "attachment": pdf()})
    assert response.status_code == 302, error_summary(response.content.decode())
    return response


def test_saving_a_reopened_draft_again_updates_it_without_a_new_email(browser, new_browser, challenge):
    save_draft(browser, challenge, "later@example.ca")
    link = link_in(mail_to("later@example.ca")[0], "draft")
    other = new_browser()
    html = other.get(link).content.decode()
    response = other.post(link, form_data(html, action="save", organisation_name="Added later"))
    assert response.status_code == 302
    assert response["Location"] == f"{challenge.url}apply/saved/?state=updated"
    assert ApplicationDraft.objects.get().answers["organisation_name"] == ["Added later"]
    assert len(mail.outbox) == 1


def test_a_draft_link_after_the_deadline_says_the_draft_can_no_longer_be_sent(browser, challenge, time_machine):
    save_draft(browser, challenge, "later@example.ca")
    link = link_in(mail_to("later@example.ca")[0], "draft")
    time_machine.move_to(challenge.closes_at + datetime.timedelta(hours=1))
    response = browser.get(link)
    assert response.status_code == 410
    assert "This draft can no longer be sent" in response.content.decode()
    response = browser.post(link, {"action": "send", "email": "later@example.ca"})
    assert response.status_code == 410
    assert not Application.objects.exists()


def test_saving_with_an_invalid_email_shows_only_the_email_error(browser, challenge):
    response = browser.post(
        apply_url(challenge), {"action": "save", "email": "later@", "organisation_name": "", "team_size": "x"}
    )
    assert response.status_code == 400
    summary = error_summary(response.content.decode())
    items = re.findall(r"<li>.*?</li>", summary, re.S)
    assert len(items) == 1, items
    assert "Email" in items[0] and "Enter an email address like name@example.ca." in items[0]
    assert not ApplicationDraft.objects.exists()
    assert mail.outbox == []


def test_an_unknown_draft_link_is_not_found(browser, challenge):
    response = browser.get(f"{challenge.url}apply/draft/not-a-real-token/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


# --- the reminder -----------------------------------------------------------------------------------


def test_a_draft_is_reminded_once_two_days_before_the_deadline(browser, challenge_index, privacy_notice):
    soon = make_challenge(
        challenge_index, title="Closing soon", opens=-5, closes=timezone.now() + datetime.timedelta(hours=47)
    )
    later = make_challenge(challenge_index, title="Closing later", opens=-5, closes=5)
    save_draft(browser, soon, "soon@example.ca")
    save_draft(browser, later, "later@example.ca")
    assert ApplicationDraft.objects.count() == 2
    mail.outbox.clear()

    call_command("send_draft_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [message.to for message in mail.outbox] == [["soon@example.ca"]]
    reminder = mail.outbox[0]
    assert "Closing soon" in reminder.subject
    assert "/apply/draft/" in reminder.body
    call_command("send_draft_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(kind="applicant-draft-reminder").count() == 1
    assert ApplicationDraft.objects.get(email="later@example.ca").reminded_at is None
