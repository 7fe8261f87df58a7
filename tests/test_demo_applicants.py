"""The demo's applicants: an application in every state a reviewer meets and a saved draft, created
without queuing or sending a single email, once however often the demo is loaded."""

import pytest
from django.core import mail
from django.db import transaction

from challenges.models import (
    AnnouncementMailing,
    ApplicantLink,
    Application,
    ApplicationDraft,
    ApplicationStatus,
    ApplicationVersion,
    ChallengePage,
)
from challenges.rules import looks_like_pdf
from site_core.models import OutgoingEmail
from tests.conftest import load_demo

pytestmark = pytest.mark.django_db


def demo_applications():
    return Application.objects.filter(email__endswith="@example.com")


def test_the_demo_has_an_application_in_every_review_state(demo):
    statuses = set(demo_applications().values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    for application in demo_applications():
        assert application.reference
        with application.attachment.open("rb") as pdf:
            assert looks_like_pdf(pdf.read(1024))
        assert application.attachment_size == application.attachment.size


def test_a_held_application_waits_with_its_reason(demo):
    held = demo_applications().get(is_spam=True)
    assert held.status == ApplicationStatus.RECEIVED
    assert held.spam_reason == "sent 3.1 s after the form was served"


def test_decided_and_withdrawn_applications_carry_their_dates(demo):
    for status in (ApplicationStatus.SELECTED, ApplicationStatus.DECLINED):
        decided = demo_applications().get(status=status)
        assert decided.decided_at is not None and decided.decided_at > decided.submitted_at
        assert decided.challenge.closes_at < decided.decided_at  # decided after the call closed
    withdrawn = demo_applications().get(status=ApplicationStatus.WITHDRAWN)
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_at > withdrawn.submitted_at
    assert withdrawn.decided_at is None


def test_an_application_changed_by_its_applicant_keeps_its_earlier_version(demo, client):
    changed = demo_applications().get(changed_at__isnull=False)
    version = ApplicationVersion.objects.get(application=changed)
    assert version.number == 1
    assert version.saved_at == changed.submitted_at and version.replaced_at == changed.changed_at
    assert version.changed == ["team size", "proposal summary", "Which stage is your product at?"]
    assert version.answers["team_size"] != changed.team_size
    assert version.answers["proposal_summary"] != changed.proposal_summary
    # The applicant's own page lists the change (the demo's rows are in the shape the views read).
    token = ApplicantLink.create_for(application=changed)
    response = client.get(f"{changed.challenge.url}apply/application/{token}/")
    assert response.status_code == 200
    # (The page must list the application's versions, not the language versions that base.html
    # names `versions` in the same template context.)
    assert "changed team size, proposal summary, Which stage is your product at?" in response.content.decode()


def test_one_application_was_sent_from_the_french_page(demo):
    french = demo_applications().get(language="fr")
    assert french.challenge.locale.language_code == "fr"
    assert french.answers[2]["display"] in french.challenge.questions.all()[2].choice_list


def test_a_draft_waits_on_an_open_challenge_and_its_link_opens_it(demo, client):
    draft = ApplicationDraft.objects.get(email="jordan.baptiste@example.com")
    assert draft.is_open()
    assert draft.reminded_at is None
    assert draft.answers["organisation_name"] == ["Ward Data Co-op"]
    token = ApplicantLink.create_for(draft=draft)
    response = client.get(f"{draft.challenge.url}apply/draft/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ward Data Co-op"' in html
    assert "Potholes and broken sidewalks." in html  # an answer to one of the call's own questions


def test_loading_the_demo_queued_and_sent_no_email(demo):
    assert demo.emails == []  # nothing reached the (locmem) mail backend
    assert not OutgoingEmail.objects.exists()


def test_loading_it_again_creates_nothing_twice_and_sends_nothing(demo):
    before = (
        Application.objects.count(),
        ApplicationDraft.objects.count(),
        ApplicationVersion.objects.count(),
        AnnouncementMailing.objects.count(),
    )
    load_demo()
    after = (
        Application.objects.count(),
        ApplicationDraft.objects.count(),
        ApplicationVersion.objects.count(),
        AnnouncementMailing.objects.count(),
    )
    assert after == before
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_republishing_a_demo_challenge_does_not_email_its_applicants_its_old_announcement(demo):
    """An editor trying the demo publishes the open call again: its announcement predates the
    demo's applicants, who are not emailed about it."""
    challenge = ChallengePage.objects.get(slug="track-your-311-service-request", locale__language_code="en")
    assert challenge.announcements.exists()
    assert demo_applications().filter(challenge=challenge).exists()
    with transaction.atomic():
        challenge.save_revision().publish()
    assert not OutgoingEmail.objects.exists()
