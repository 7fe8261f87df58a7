"""Applying: stored first, one per form, never lost, never emailed when it looks like spam."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from challenges.models import Application, QuestionType
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import application_data, form_token, pdf
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=False)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_challenge(challenge_index, privacy_notice, fresh_rate_limits):
    challenge = make_challenge(
        challenge_index,
        title="Track 311 requests",
        opens=-5,
        closes=20,
        publish=False,
        contact_email="311-challenge@example.ca",
    )
    challenge.questions.add(
        challenge.questions.model(label="Which request types first?", field_type=QuestionType.LONG_TEXT)
    )
    challenge.questions.add(challenge.questions.model(label="Worked with government?", field_type=QuestionType.YES_NO))
    challenge.questions.add(challenge.questions.model(label="Demo link", field_type=QuestionType.URL, required=False))
    challenge.save_revision().publish()
    challenge.refresh_from_db()
    return challenge


def apply_url(challenge) -> str:
    return challenge.url + "apply/"


def post(client, challenge, **overrides):
    return client.post(apply_url(challenge), application_data(challenge, **overrides))


def test_the_form_shows_the_notice_of_collection_before_the_first_field(client, open_challenge):
    html = client.get(apply_url(open_challenge)).content.decode()
    assert html.index("Notice of collection") < html.index('name="organisation_name"')
    assert "Director, Civic Innovation Office" in html
    assert "416-392-0000" in html
    assert "City of Toronto Act, 2006" in html
    assert "Which request types first?" in html


def test_a_valid_application_is_stored_with_a_reference_and_both_emails(
    client, open_challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, open_challenge)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.reference == f"CIO-{application.submitted_at.year}-{application.pk:05d}"
    assert application.language == "en"
    assert application.answers[0]["label"] == "Which request types first?"
    assert application.attachment.read().startswith(b"%PDF-")
    assert not application.is_spam
    thanks = client.get(response["Location"])
    assert application.reference in thanks.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["311-challenge@example.ca", "alex@example.ca"]
    confirmation = next(message for message in mail.outbox if message.to == ["alex@example.ca"])
    assert application.reference in confirmation.subject
    assert application.reference in confirmation.body
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


def test_the_file_is_stored_under_a_random_name_outside_public_media(client, open_challenge, settings):
    post(client, open_challenge, attachment=pdf("../../etc/passwd.pdf"))
    application = Application.objects.get()
    assert application.attachment_name == "passwd.pdf"
    assert "passwd" not in application.attachment.name
    assert application.attachment.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not application.attachment.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organisation_name", "", "Enter the name of your organisation."),
        ("email", "not-an-email", "Enter an email address like name@example.ca."),
        ("email", "alex@example.ca\nBcc: victim@example.ca", "Enter an email address like name@example.ca."),
        ("team_size", "0", "greater than or equal to 1"),
        ("team_size", "many", "Enter the team size as a whole number"),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("proposal_summary", "x" * 5001, "at most 5000 characters"),
        ("consent", None, "Tick the box to agree to the notice of collection"),
        ("form_token", "tampered", "security code was missing or changed, so it was not sent"),
    ],
)
def test_invalid_answers_are_explained_and_nothing_is_stored(client, open_challenge, field, value, message):
    response = post(client, open_challenge, **{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert message in html
    assert Application.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_entered_values_are_kept_when_the_form_comes_back_with_errors(client, open_challenge):
    html = post(client, open_challenge, email="wrong").content.decode()
    assert 'value="Civic Widgets Inc."' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_email"' in html


def test_a_required_editor_question_must_be_answered(client, open_challenge):
    question = open_challenge.questions.get(label="Which request types first?")
    response = post(client, open_challenge, **{f"q_{question.uid.hex}": ""})
    assert response.status_code == 400
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("proposal.pdf", b"MZ\x90\x00 this is a Windows program"), "This file is not a PDF"),
        (pdf("proposal.pdf", b"PK\x03\x04 a zip file renamed"), "This file is not a PDF"),
        (pdf("proposal.pdf", b""), "The file is empty."),
        (pdf("proposal.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)), "the limit is 10 MB"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(client, open_challenge, upload, message):
    response = post(client, open_challenge, attachment=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Application.objects.count() == 0


def test_a_missing_file_is_refused(client, open_challenge):
    data = application_data(open_challenge)
    del data["attachment"]
    response = client.post(apply_url(open_challenge), data)
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_the_same_form_posted_five_times_stores_one_application(client, open_challenge):
    token = form_token()
    responses = [post(client, open_challenge, form_token=token, attachment=pdf()) for _ in range(5)]
    assert Application.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2
    reference = Application.objects.get().reference
    for response in responses:  # every retry lands on the confirmation of the one stored application
        assert reference in client.get(response["Location"]).content.decode()


def test_filling_the_hidden_field_keeps_the_application_aside_without_emails(
    client, open_challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, open_challenge, fax_number="555-0199")
    assert response.status_code == 302  # a bot learns nothing
    application = Application.objects.get()
    assert application.is_spam
    assert application.spam_reason == "hidden field filled in"
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0


def test_a_form_sent_faster_than_a_person_can_is_kept_aside(client, open_challenge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, open_challenge, form_token=form_token(seconds_ago=1))
    application = Application.objects.get()
    assert application.is_spam
    assert application.spam_reason.startswith("sent ")
    assert mail.outbox == []


def test_an_smtp_outage_stores_the_application_and_keeps_the_emails_queued(
    client, open_challenge, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.support.UnreachableSMTPBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, open_challenge)
    assert response.status_code == 302
    assert Application.objects.count() == 1
    emails = OutgoingEmail.objects.all()
    assert {email.state for email in emails} == {"queued"}
    # The first was tried and failed; the server being down, the second was left for the scheduler
    # instead of waiting on it too (site_core/services/outbox.py).
    first, second = emails
    assert first.attempts == 1 and "SMTPServerDisconnected" in first.last_error
    assert (second.attempts, second.last_error) == (0, "")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingEmail.objects.update(next_attempt_at=emails[0].created_at)  # the retry time has come
    call_command("send_queued_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_queued_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2  # sent once each, not again on the second run
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


def test_a_post_after_the_deadline_is_refused_clearly_and_stores_nothing(client, challenge_index, privacy_notice):
    closed = make_challenge(challenge_index, opens=-40, closes=-1)
    response = post(client, closed)
    assert response.status_code == 403
    assert "Your application was not received" in response.content.decode()
    assert Application.objects.count() == 0


def test_before_opening_the_form_page_says_when_it_opens(client, challenge_index, privacy_notice):
    upcoming = make_challenge(challenge_index, opens=10, closes=40)
    html = client.get(apply_url(upcoming)).content.decode()
    assert "Applications open:" in html
    assert 'name="organisation_name"' not in html


def test_without_a_complete_privacy_notice_no_form_is_offered(client, challenge_index, privacy_notice):
    challenge = make_challenge(challenge_index)
    privacy_notice.privacy_officer_phone = ""
    privacy_notice.save()
    html = client.get(apply_url(challenge)).content.decode()
    assert "temporarily unavailable" in html
    assert 'name="organisation_name"' not in html


def test_past_the_limit_of_stored_applications_one_is_held_not_refused(
    client, open_challenge, settings, clock_stands_still
):
    settings.APPLICATION_RATE_LIMIT = "2/10m"
    for index in range(3):
        assert post(client, open_challenge, email=f"founder{index}@example.ca").status_code == 302
    held = Application.objects.filter(is_spam=True)
    assert Application.objects.count() == 3
    assert [application.spam_reason for application in held] == ["many applications from the same connection"]


def test_the_flood_guard_refuses_and_says_nothing_was_stored(client, open_challenge, settings, clock_stands_still):
    settings.APPLICATION_POST_RATE_LIMIT = "2/10m"
    assert post(client, open_challenge, phone="").status_code == 400
    assert post(client, open_challenge).status_code == 302
    response = post(client, open_challenge)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Nothing was stored" in html
    assert "There is a problem<" in html and "problem with 1 answer" not in html
    assert Application.objects.count() == 1


def test_an_expired_form_gets_a_fresh_token_and_keeps_the_answers(client, open_challenge, settings):
    settings.APPLICATION_FORM_MAX_AGE_HOURS = 1
    response = post(client, open_challenge, form_token=form_token(seconds_ago=2 * 3600))
    html = response.content.decode()
    assert response.status_code == 400
    assert "This form had expired" in html
    assert "#id_form_token" not in html and "Form token" not in html
    assert 'value="Civic Widgets Inc."' in html
    assert Application.objects.count() == 0


def test_a_forged_confirmation_link_shows_no_reference(client, open_challenge):
    response = client.get(apply_url(open_challenge) + "thanks/?receipt=CIO-2026-00001")
    assert response.status_code == 400
    assert "CIO-2026-00001" not in response.content.decode()


def test_the_apply_page_is_never_cached(client, open_challenge):
    response = client.get(apply_url(open_challenge))
    assert "no-store" in response["Cache-Control"]


def test_the_staff_notification_links_to_the_application_and_leaves_out_personal_details(
    client, open_challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, open_challenge)
    application = Application.objects.get()
    staff = next(message for message in mail.outbox if message.to == ["311-challenge@example.ca"])
    assert f"/admin/applications/inspect/{application.pk}/" in staff.body
    assert client.get(f"/admin/applications/inspect/{application.pk}/").status_code == 302  # login first
    assert "alex@example.ca" not in staff.body
    assert "416-555-0100" not in staff.body


def test_a_failure_after_the_application_is_stored_never_tells_the_applicant_it_was_lost(
    client, open_challenge, monkeypatch
):
    """Handing the emails to the sender comes after the commit: if it fails, the application is
    still received (the emails wait for the scheduler), and the applicant is told so."""
    from site_core.services import background

    def broken(*args, **kwargs):
        raise RuntimeError("the background sender is broken")

    monkeypatch.setattr(background, "after_commit", broken)
    response = post(client, open_challenge)
    assert response.status_code == 302 and "/apply/thanks/" in response["Location"]
    assert Application.objects.count() == 1
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"queued"}
