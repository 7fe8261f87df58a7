"""Issue 20's release of a panel's decisions through the production shape (tests/stack/conftest.py:
nginx over TLS, gunicorn with the production settings, PostgreSQL, Redis, an SMTP sink behind fault
proxies), as a Publisher chairs it in the admin: recording decisions emails nobody; the release
emails each applicant their decision once, with a link to their application's page, and cannot be
repeated; with SMTP silent the release answers at once, and the emails wait in the outbox until SMTP
is back, then go once each."""

import io
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from challenges.models import Application, DecisionRelease
from challenges.outbox import DECISION
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import stored_application
from tests.factories import ChallengeIndexPageFactory, make_challenge
from tests.stack.admin import PASSWORD, Publisher, csrf_token
from tests.stack.conftest import wait_for
from tests.stack.test_applicants import flush_outbox, link_in, received

pytestmark = pytest.mark.django_db(transaction=True)

RELEASED_ALREADY = "The decisions of this challenge were released already."
SELECTED = "has been selected"
NOT_SELECTED = "has not been selected"
# Each applicant: their address and the decisions the chair records in turn (the last one stands).
APPLICANTS = {
    "Alpha Ltd.": ("alpha@example.ca", [("shortlisted", "Interview them."), ("selected", "Best plan.")]),
    "Beta Inc.": ("beta@example.ca", [("declined", "Over the budget.")]),
    "Gamma Co.": ("gamma@example.ca", [("selected", "Strong team."), ("declined", "Out of scope after all.")]),
}


@pytest.fixture
def chair(live_stack, django_user_model, settings):
    """A Publisher (who chairs every panel), signed in through the stack."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # production's
    call_command("setup_groups", stdout=io.StringIO())
    user = django_user_model.objects.create_user("publisher", "publisher@example.ca", PASSWORD)
    user.groups.add(Group.objects.get(name="Publishers"))
    return Publisher(live_stack).sign_in()


@pytest.fixture
def closed_call(site_tree):
    """A challenge whose deadline passed a week ago, with three applications, all still undecided."""
    challenge = make_challenge(
        ChallengeIndexPageFactory(parent=site_tree.home),
        title="Track 311 requests",
        slug="decided",
        opens=-60,
        closes=-7,
    )
    applications = [
        stored_application(challenge, organisation_name=name, email=email)
        for name, (email, _decisions) in APPLICANTS.items()
    ]
    return challenge, applications


def decide_all(chair, challenge, applications) -> dict[str, str]:
    """The chair records each application's decisions in the admin; returns each address's last one."""
    final = {}
    for application in applications:
        email, recorded = APPLICANTS[application.organisation_name]
        for status, reason in recorded:
            path = reverse("review_decide", args=[challenge.pk, application.pk])
            answer = chair.act(path, {"status": status, "reason": reason})
            assert answer.status == 302, (status, answer.status, answer.text[:3000])
        final[email] = status
    assert {a.email: a.status for a in Application.objects.filter(challenge=challenge)} == final
    return final


def decision_emails():
    return OutgoingEmail.objects.filter(kind=DECISION)


def test_the_release_emails_each_applicant_their_decision_once_and_cannot_be_repeated(live_stack, chair, closed_call):
    challenge, applications = closed_call
    final = decide_all(chair, challenge, applications)
    # Five decisions recorded: nothing queued, nothing sent (the DB says so; the sink agrees).
    assert not OutgoingEmail.objects.exists()
    assert live_stack.sink.messages == []

    path = reverse("review_release", args=[challenge.pk])
    form = chair.visitor.get(path)
    assert form.status == 200, form.text[:2000]
    token = csrf_token(form.text)
    answer = chair.visitor.post(path, {"csrfmiddlewaretoken": token, "confirm": "1"})
    assert answer.status == 302, answer.text[:3000]
    assert answer.headers["Location"].endswith(reverse("review_panel", args=[challenge.pk]))
    assert DecisionRelease.objects.filter(challenge=challenge).exists()

    assert wait_for(lambda: len(live_stack.sink.messages) >= 3, 30), live_stack.sink.messages
    assert wait_for(lambda: set(decision_emails().values_list("state", flat=True)) == {OutgoingEmail.State.SENT})
    assert received(live_stack) == Counter(final.keys())  # once each
    assert len(live_stack.sink.messages) == 3

    elsewhere = live_stack.client(source="127.0.0.48")  # the applicant, on their own device
    for application in applications:
        email, recorded = APPLICANTS[application.organisation_name]
        (message,) = [message for message in live_stack.sink.messages if email in message.get_all("To", [])]
        assert message["Subject"] == f"Decision on your application {application.reference}"
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert application.reference in body and challenge.title in body
        if final[email] == "selected":
            assert SELECTED in body and NOT_SELECTED not in body, body
        else:
            assert NOT_SELECTED in body and SELECTED not in body, body
        for _status, reason in recorded:  # the reasons stay on the record, never in an email
            assert reason not in body
        page = elsewhere.get(link_in(live_stack, email, "application"))
        assert page.status == 200, page.text[:2000]
        assert application.reference in page.text
        assert f"application-status--{final[email]}" in page.text  # the page shows the released decision

    # Released once: the page says so, and a second release (the same form posted again) is refused.
    assert RELEASED_ALREADY in chair.visitor.get(path).text
    again = chair.visitor.post(path, {"csrfmiddlewaretoken": token, "confirm": "1"})
    assert again.status == 400 and RELEASED_ALREADY in again.text, again.text[:3000]
    assert DecisionRelease.objects.filter(challenge=challenge).count() == 1
    # Nothing more queued, so nothing more can be sent.
    assert list(decision_emails().values_list("state", flat=True)) == [OutgoingEmail.State.SENT] * 3
    assert OutgoingEmail.objects.count() == 3 and len(live_stack.sink.messages) == 3


def test_with_smtp_silent_the_release_answers_at_once_and_its_emails_wait_in_the_outbox(live_stack, chair, closed_call):
    """SMTP accepting connections and never answering: the release answers well within the SMTP
    timeout (a request that waited on SMTP would take the timeout at least), with every decision
    released and its email queued. Once SMTP answers again, each email goes once."""
    challenge, applications = closed_call
    final = decide_all(chair, challenge, applications)
    smtp_timeout = float(live_stack.env["EMAIL_TIMEOUT"])
    live_stack.fault("smtp", "blackhole")

    answer = chair.act(reverse("review_release", args=[challenge.pk]), {"confirm": "1"})
    assert answer.status == 302, answer.text[:3000]
    assert answer.seconds < smtp_timeout / 2, f"the release took {answer.seconds:.2f} s"
    assert DecisionRelease.objects.filter(challenge=challenge).exists()
    assert {a.email: a.status for a in Application.objects.filter(challenge=challenge)} == final
    queued = decision_emails()
    assert sorted(queued.values_list("to", flat=True)) == sorted(final)
    assert {email.object_id: email.params["status"] for email in queued} == {
        application.pk: final[application.email] for application in applications
    }

    # The app servers' attempt, off the request, waits out the SMTP timeout and gives up: every email
    # is still queued for the scheduler, none lost, none sent.
    assert wait_for(
        lambda: (
            queued.exclude(last_error="").exists() and not queued.filter(state=OutgoingEmail.State.SENDING).exists()
        ),
        smtp_timeout * 5,
    ), list(queued.values_list("state", "attempts", "last_error"))
    assert set(queued.values_list("state", flat=True)) == {OutgoingEmail.State.QUEUED}
    assert live_stack.sink.messages == []

    live_stack.heal()
    flush_outbox(live_stack)
    assert received(live_stack) == Counter(final.keys())
    assert len(live_stack.sink.messages) == 3
    for application in applications:
        (message,) = [m for m in live_stack.sink.messages if application.email in m.get_all("To", [])]
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert (SELECTED if final[application.email] == "selected" else NOT_SELECTED) in body, body
