"""Applicants through the production shape (tests/stack/conftest.py: nginx over TLS with the shipped
configuration, gunicorn with the production settings, Redis, PostgreSQL, an SMTP sink): a cohort
behind one connection is neither refused nor held, posts with errors cost nothing, the receipt
and the private pages are neither cached by the proxy nor leak their address, and a silent SMTP
server delays nobody and loses no email."""

import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import signing
from django.utils import timezone

from challenges.abuse import REASON_ADDRESS
from challenges.application_views import REFERENCE_SALT
from challenges.models import Application, ApplicationDraft
from site_core.models import OutgoingEmail
from tests.factories import ChallengeIndexPageFactory, make_challenge
from tests.stack.applicants import Applicant
from tests.stack.conftest import wait_for
from tests.test_scale_out import address_well_inside_its_window

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_SECONDS = 3.0
PRODUCTION_MIN_FILL_SECONDS = 8  # APPLICATION_MIN_FILL_SECONDS's default (the stack sets 0)
HELD_NOTE = "a member of staff checks it"
SENDING_NOTE = "We are sending a confirmation"


def stack_with(stack, request, **env):
    """The live stack (new app servers) with these settings in the app servers' environment, until
    the test ends (the next test's live_stack starts app servers without them)."""
    before = dict(stack.extra_env)
    stack.extra_env.update(env)
    request.addfinalizer(lambda: (stack.extra_env.clear(), stack.extra_env.update(before)))
    return request.getfixturevalue("live_stack")


def new_challenge(site_tree, slug: str):
    return make_challenge(ChallengeIndexPageFactory(parent=site_tree.home), slug=slug, opens=-5, closes=20)


def applicants_at(stack, address: str, numbers) -> list[Applicant]:
    """Applicants, each with their own browser, all connecting from `address`."""
    people = []
    for number in numbers:
        person = Applicant(stack, number)
        person.visitor = stack.client(source=address)
        people.append(person)
    return people


def flush_outbox(stack) -> None:
    """The scheduler's job once the app servers' own attempts have ended: the retries made due, and
    `send_queued_emails` run (again if SMTP's breaker kept the first run away)."""
    assert wait_for(lambda: not OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENDING).exists(), 30)
    for _run in range(2):
        waiting = OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED)
        if not waiting.exists():
            break
        waiting.update(next_attempt_at=timezone.now())
        result = stack.manage("send_queued_emails")
        assert result.returncode == 0, result.stderr[-2000:]
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}


def received(stack) -> Counter:
    return Counter(address for message in stack.sink.messages for address in message.get_all("To", []))


def link_in(stack, to: str, kind: str) -> str:
    """The path of the private link (`kind`: application or draft) in the one email sent to `to`."""
    messages = [message for message in stack.sink.messages if to in message.get_all("To", [])]
    assert len(messages) == 1, [message["Subject"] for message in messages]
    body = messages[0].get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"{re.escape(stack.base_url)}(/\S+/apply/{kind}/[A-Za-z0-9_-]+/)", body)
    assert found, body
    return found.group(1)


def assert_not_stored_by_the_proxy(visitor, path: str, private_link: bool = True) -> list:
    """Two GETs through nginx: each answered by the app (never from the proxy's cache), `no-store` and
    `noindex`; at a private link, with the app's own `strict-origin` (nginx adds no Referrer-Policy of
    its own), so the link's token never leaves in a Referer."""
    answers = [visitor.get(path) for _ in range(2)]
    for answer in answers:
        assert answer.status == 200, (path, answer.status, answer.text[:1000])
        assert "no-store" in answer.headers["Cache-Control"], answer.headers
        assert answer.headers["X-Cache-Status"] in ("MISS", "BYPASS"), answer.headers
        assert "noindex" in answer.headers["X-Robots-Tag"]
        if private_link:
            assert answer.headers.getlist("Referrer-Policy") == ["strict-origin"], list(answer.headers.items())
    return answers


def test_thirty_applicants_from_one_connection_are_stored_not_held_and_emailed_once(
    stack, request, site_tree, privacy_notice
):
    """A workshop: thirty founders behind one address apply within minutes, with every limit at its
    production default (the minimum time to fill the form too: the forms are sent 8 s after being
    opened)."""
    live_stack = stack_with(stack, request, APPLICATION_MIN_FILL_SECONDS=str(PRODUCTION_MIN_FILL_SECONDS))
    challenge = new_challenge(site_tree, "workshop")
    founders = applicants_at(live_stack, "127.0.0.30", range(30))
    for founder in founders:
        founder.open_form(challenge)
    time.sleep(PRODUCTION_MIN_FILL_SECONDS + 0.2)  # after the last form was served (its token is older)
    with ThreadPoolExecutor(max_workers=6) as pool:
        sent = list(pool.map(lambda founder: founder.send(), founders))

    assert [each.status for each in sent] == [302] * 30, [(each.status, each.body[:500]) for each in sent]
    assert all("/apply/thanks/?receipt=" in each.location for each in sent)
    stored = Application.objects.filter(challenge=challenge)
    assert sorted(stored.values_list("email", flat=True)) == sorted(founder.email for founder in founders)
    assert list(stored.filter(is_spam=True).values_list("email", "spam_reason")) == []
    references = set(stored.values_list("reference", flat=True))
    assert len(references) == 30 and "" not in references

    # Each founder's confirmation and each staff notification reach the SMTP server, once.
    assert wait_for(lambda: len(live_stack.sink.messages) >= 60, 30), len(live_stack.sink.messages)
    flush_outbox(live_stack)
    to_founders = received(live_stack)
    assert all(to_founders[founder.email] == 1 for founder in founders), to_founders
    staff = [message for message in live_stack.sink.messages if not message["To"].startswith("applicant")]
    staff_references = Counter(re.search(r"CIO-\d{4}-\d+", message["Subject"]).group(0) for message in staff)
    assert staff_references == Counter(references)  # one notification per application
    assert len(live_stack.sink.messages) == 60


def test_posts_with_errors_cost_nothing_and_past_the_limit_an_application_is_held(
    stack, request, site_tree, privacy_notice
):
    """Three posts with errors, then the corrected form and two colleagues' applications from the
    same connection, with a limit of 3 stored applications: all three stored and confirmed, no 429;
    a fourth application is stored and held (the limit counts, just not the mistakes)."""
    live_stack = stack_with(stack, request, APPLICATION_RATE_LIMIT="3/10m")
    challenge = new_challenge(site_tree, "mistakes")
    address = address_well_inside_its_window("3/10m")
    first, second, third, fourth = applicants_at(live_stack, address, range(4))
    first.open_form(challenge)
    complete = dict(first.fields)
    statuses = []
    for mistake in ({"email": "applicant000@"}, {"phone": ""}, {"consent": None}):
        first.fields = {key: value for key, value in {**complete, **mistake}.items() if value is not None}
        statuses.append(first.send().status)
    first.fields = complete
    answers = [first.send(), second.apply(challenge), third.apply(challenge)]
    statuses += [answer.status for answer in answers]
    assert statuses == [400, 400, 400, 302, 302, 302], [answer.body[:1000] for answer in answers]
    stored = Application.objects.filter(challenge=challenge)
    assert sorted(stored.filter(is_spam=False).values_list("email", flat=True)) == [
        person.email for person in (first, second, third)
    ]
    for answer in answers:
        assert SENDING_NOTE in first.visitor.get(answer.location).text

    answer = fourth.apply(challenge)
    assert answer.status == 302
    held = stored.get(email=fourth.email)
    assert (held.is_spam, held.spam_reason) == (True, REASON_ADDRESS)
    assert HELD_NOTE in fourth.visitor.get(answer.location).text
    confirmed = OutgoingEmail.objects.filter(kind="applicant-confirmation")
    assert sorted(confirmed.values_list("to", flat=True)) == [person.email for person in (first, second, third)]


def test_with_smtp_silent_a_draft_and_an_application_answer_at_once_and_their_links_follow(
    live_stack, site_tree, privacy_notice
):
    """SMTP accepting connections and never answering: saving a draft and sending an application each
    answer within 3 s, and the receipt's address names the reference only. Once SMTP is back, each
    email goes once, and its link opens a private page the proxy does not store."""
    challenge = new_challenge(site_tree, "silent")
    saver, sender = applicants_at(live_stack, "127.0.0.45", [45, 46])
    saver.open_form(challenge)
    sender.open_form(challenge)
    live_stack.fault("smtp", "blackhole")

    saver.fields = {
        "csrfmiddlewaretoken": saver.fields["csrfmiddlewaretoken"],
        "form_token": saver.fields["form_token"],
        "email": saver.email,
        "organisation_name": "Half Done Inc.",
        "action": "save",  # "Save and finish later": only the email is checked
    }
    saved = saver.send()
    sent = sender.send()
    for answer in (saved, sent):
        assert answer.seconds < PAGE_SECONDS, f"{answer.location} took {answer.seconds:.2f} s"
    assert saved.status == 302 and saved.location.endswith("/apply/saved/?state=emailed"), saved.body[:2000]
    assert sent.status == 302 and "/apply/thanks/?receipt=" in sent.location, sent.body[:2000]
    draft = ApplicationDraft.objects.get(email=saver.email)
    assert draft.answers["organisation_name"] == ["Half Done Inc."]
    application = Application.objects.get(email=sender.email)
    assert not application.is_spam

    # The thanks page: its address carries a signed receipt of the reference and nothing else, and
    # it is the app's answer each time (no-store), while SMTP is still silent.
    assert sender.email not in sent.location and "%40" not in sent.location and "@" not in sent.location
    receipt = re.search(r"/apply/thanks/\?receipt=([^&]+)$", sent.location).group(1)
    secret = live_stack.env["SECRET_KEY"]
    assert signing.loads(receipt, key=secret, salt=REFERENCE_SALT) == {"ref": application.reference}
    thanks = sent.location.removeprefix(live_stack.base_url)
    for answer in assert_not_stored_by_the_proxy(sender.visitor, thanks, private_link=False):
        assert application.reference in answer.text and SENDING_NOTE in answer.text
        assert sender.email not in answer.text
    assert live_stack.sink.messages == []

    live_stack.heal()
    flush_outbox(live_stack)
    assert received(live_stack) == Counter({saver.email: 1, sender.email: 1, challenge_staff(live_stack): 1})

    # The links, opened on another device (no cookies): private, never stored by the proxy.
    elsewhere = live_stack.client(source="127.0.0.47")
    page = link_in(live_stack, sender.email, "application")
    for answer in assert_not_stored_by_the_proxy(elsewhere, page):
        assert application.reference in answer.text
    assert_not_stored_by_the_proxy(elsewhere, page + "edit/")
    assert_not_stored_by_the_proxy(elsewhere, page + "withdraw/")
    for answer in assert_not_stored_by_the_proxy(elsewhere, link_in(live_stack, saver.email, "draft")):
        assert "Half Done Inc." in answer.text


def challenge_staff(stack) -> str:
    """The staff address the notifications went to (the one recipient that is no applicant)."""
    (address,) = {address for address in stack.sink.recipients() if not address.startswith("applicant")}
    return address
