# ruff: noqa: F811 -- the fixtures imported from journey_helpers are the tests' parameters
"""The applicant's own page (issue 19), reached by the private link of their emails: status and what
was sent; until the deadline, change (the earlier version kept, logged, emailed) or withdraw; the
lost-link form that never says whether an address applied; the decision email."""

import datetime
import hashlib

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from challenges.models import ApplicantLink, Application, ApplicationVersion
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import PDF_BYTES, pdf, stored_application
from tests.challenges.journey_helpers import (  # noqa: F401 -- fixtures
    browser,
    challenge,
    committed,
    error_summary,
    form_data,
    link_in,
    mail_to,
    new_browser,
    token_of,
)

pytestmark = pytest.mark.django_db

NEW_PDF = b"%PDF-1.7\n% the revised proposal\n%%EOF\n"


@pytest.fixture
def applied(browser, challenge):
    """An application sent through the form; the link of its confirmation email."""
    response = browser.apply(challenge, email="alex@example.ca")
    assert response.status_code == 302
    (confirmation,) = mail_to("alex@example.ca")
    return Application.objects.get(), link_in(confirmation, "application")


def test_the_confirmation_link_opens_the_applicants_page_privately(browser, new_browser, applied):
    application, link = applied
    response = new_browser().get(link)  # the email opened anywhere: no cookie needed
    assert response.status_code == 200
    html = response.content.decode()
    assert application.reference in html
    assert 'application-status--received">Received</strong>' in html
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "strict-origin"  # the origin at most, never the token


def test_only_the_hash_of_a_link_token_is_stored(applied):
    application, link = applied
    token = token_of(link)
    stored = ApplicantLink.objects.get(application=application)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.token_hash != token
    assert not ApplicantLink.objects.filter(token_hash=token).exists()
    assert len(token) >= 40


def test_an_unknown_link_is_not_found(browser, challenge, applied):  # an application with a link exists
    for path in ("", "edit/", "withdraw/"):
        response = browser.get(f"{challenge.url}apply/application/{'x' * 43}/{path}")
        assert response.status_code == 404, path
        assert "This link does not work" in response.content.decode()
    assert browser.post(f"{challenge.url}apply/application/{'x' * 43}/withdraw/").status_code == 404
    assert Application.objects.get().status == "received"


def test_changing_the_application_keeps_the_earlier_version_logs_it_and_emails(
    browser, new_browser, challenge, applied
):
    application, link = applied
    mail.outbox.clear()
    other = new_browser()
    edit = other.get(link + "edit/")
    assert edit.status_code == 200
    assert "no-store" in edit["Cache-Control"]
    html = edit.content.decode()
    assert "Your file proposal.pdf is attached" in html
    response = other.post(
        link + "edit/",
        form_data(
            html, proposal_summary="A sharper plan: start with potholes.", attachment=pdf("revised.pdf", NEW_PDF)
        ),
    )
    assert response.status_code == 302, error_summary(response.content.decode())
    assert response["Location"] == link + "?done=changed"

    application.refresh_from_db()
    assert application.proposal_summary == "A sharper plan: start with potholes."
    assert application.attachment.read() == NEW_PDF
    assert application.attachment_name == "revised.pdf"
    assert application.changed_at is not None

    version = ApplicationVersion.objects.get(application=application)
    assert version.number == 1
    assert version.answers["proposal_summary"].startswith("We will build a status tracker")
    assert version.attachment_name == "proposal.pdf"
    assert version.attachment.read() == PDF_BYTES
    assert "proposal summary" in " ".join(version.changed).lower()

    assert ModelLogEntry.objects.filter(action="cio.application.applicant-edit", object_id=str(application.pk)).exists()
    (note,) = mail.outbox
    assert note.to == ["alex@example.ca"]
    assert application.reference in note.subject
    assert "Changes" in note.subject

    page = other.get(link).content.decode()
    assert "A sharper plan" in page
    assert "Your changes are saved." in other.get(response["Location"]).content.decode()


def test_after_the_deadline_the_application_cannot_be_changed(browser, challenge, applied, time_machine):
    application, link = applied
    html = browser.get(link + "edit/").content.decode()
    time_machine.move_to(challenge.closes_at + datetime.timedelta(minutes=1))
    assert browser.get(link + "edit/").status_code == 403
    response = browser.post(link + "edit/", form_data(html, proposal_summary="Too late."))
    assert response.status_code == 403
    assert "Nothing was changed." in response.content.decode()
    assert browser.post(link + "withdraw/").status_code == 403
    application.refresh_from_db()
    assert application.proposal_summary.startswith("We will build")
    assert application.status == "received"
    assert not ApplicationVersion.objects.exists()
    page = browser.get(link)
    assert page.status_code == 200  # the page itself still shows the application
    assert "Change my application" not in page.content.decode()


def test_withdrawing_asks_first_then_withdraws_and_emails_once(browser, challenge, applied):
    application, link = applied
    mail.outbox.clear()
    confirm = browser.get(link + "withdraw/")
    assert confirm.status_code == 200
    assert "Yes, withdraw my application" in confirm.content.decode()
    assert Application.objects.get().status == "received"

    response = browser.post(link + "withdraw/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.withdrawn_at is not None
    (note,) = mail.outbox
    assert note.to == ["alex@example.ca"]
    assert "withdrawn" in note.subject.lower()

    assert browser.get(link + "edit/").status_code == 403
    assert browser.post(link + "withdraw/").status_code == 403
    assert len(mail.outbox) == 1
    assert "Withdrawn" in browser.get(link).content.decode()


# --- lost links ------------------------------------------------------------------------------------


def test_lost_links_answer_the_same_whether_or_not_the_address_applied(browser, new_browser, challenge, applied):
    application, _ = applied
    mail.outbox.clear()
    url = f"{challenge.url}apply/link/"
    applied_answer = browser.post(url, {"email": "Alex@Example.ca"})
    stranger_answer = new_browser().post(url, {"email": "nobody@example.ca"})
    assert applied_answer.status_code == stranger_answer.status_code == 302
    assert applied_answer["Location"] == stranger_answer["Location"] == url + "?sent=1"
    assert applied_answer.content == stranger_answer.content
    page = browser.get(applied_answer["Location"]).content.decode()
    assert "Check your email" in page
    assert "nobody@example.ca" not in page and "alex@example.ca" not in page.lower()

    (message,) = mail.outbox
    assert message.to == ["alex@example.ca"]
    assert application.reference in message.body
    opened = new_browser().get(link_in(message, "application"))
    assert opened.status_code == 200
    assert application.reference in opened.content.decode()


def test_lost_links_with_an_invalid_address_explain_it(browser, challenge):
    response = browser.post(f"{challenge.url}apply/link/", {"email": "not an address"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the email address you applied with" in html
    assert mail.outbox == []


# --- the decision ----------------------------------------------------------------------------------


def test_decisions_are_emailed_once_when_released(challenge, committed, django_user_model):
    """Recording a decision tells nobody; the release emails each decision once, whatever the
    number of saves or releases after it (challenges/decisions.py)."""
    from challenges import decisions

    chair = django_user_model.objects.create_superuser("chair", password="x-long-password-1")
    selected = stored_application(challenge, email="chosen@example.ca")
    declined = stored_application(challenge, email="other@example.ca")
    with committed():
        decisions.record_decision(Application.objects.get(pk=selected.pk), "selected", "Best plan.", chair, False)
        decisions.record_decision(Application.objects.get(pk=declined.pk), "declined", "Too costly.", chair, False)
    assert mail.outbox == []

    with committed():
        assert decisions.release(challenge, chair) == 2
    (good_news,) = mail_to("chosen@example.ca")
    assert selected.reference in good_news.subject
    assert "has been selected" in good_news.body
    assert "/apply/application/" in good_news.body
    (news,) = mail_to("other@example.ca")
    assert "has not been selected" in news.body

    with committed():
        Application.objects.get(pk=selected.pk).save()
        again = Application.objects.get(pk=declined.pk)
        again.notes = "Close call."
        again.save()
        with pytest.raises(decisions.DecisionRefused):
            decisions.release(challenge, chair)
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.filter(kind="applicant-decision").count() == 2


def test_the_applicants_page_shows_a_decision_only_once_the_chair_releases_it(
    browser, new_browser, applied, committed, django_user_model
):
    from challenges import decisions

    application, link = applied
    chair = django_user_model.objects.create_superuser("chair", password="x-long-password-1")
    mail.outbox.clear()
    with committed():
        decisions.record_decision(application, "declined", "Out of scope.", chair, released=False)
    html = new_browser().get(link).content.decode()
    assert 'application-status--received">Received</strong>' in html  # before the deadline, nothing else
    assert "Not selected" not in html and "Out of scope." not in html
    assert mail.outbox == []
    with committed():
        decisions.release(application.challenge, chair)
    html = new_browser().get(link).content.decode()
    assert 'application-status--declined">Not selected</strong>' in html
    assert "Out of scope." not in html  # the reason stays on the panel's record
    (news,) = mail_to("alex@example.ca")
    assert "has not been selected" in news.body
