"""Load without loss: 200 applications posted at once to two gunicorn workers (the production
settings, PostgreSQL, Redis), among drafts saved with "Save and finish later" and lost links asked
for again, are all stored, each application with its own reference, and every email they cause
(a confirmation and a staff notification per application, a link per draft, the links again per
known address) is queued while SMTP is unreachable and then sent exactly once; no answer is a 5xx.

PostgreSQL only (the servers must open the test database; see tests/test_scale_out.py, whose
server machinery this reuses). Each simulated applicant does what a browser does: GET the form (its
CSRF cookie, CSRF token and single-use form token), then POST it (with a PDF), with at most
CONCURRENCY people in flight (a bounded load, on loopback)."""

import io
import random
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from challenges.models import Application, ApplicationDraft
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import PDF_BYTES, stored_application
from tests.challenges.conftest import privacy_notice  # noqa: F401 -- fixture
from tests.factories import ChallengeIndexPageFactory, make_challenge
from tests.test_scale_out import (  # noqa: F401 -- static_root is a fixture
    HOST,
    REDIS_URL,
    free_port,
    production_env,
    start_gunicorn,
    static_root,
    stop_all,
    wait_until_up,
)

APPLICANTS = 200
DRAFTS = 12  # "Save and finish later", among the applications (half with their PDF)
LOST_KNOWN = 8  # lost links asked for by addresses with an application (or a draft) stored earlier
LOST_UNKNOWN = 4  # ...and by addresses that never applied: the same answer, no email
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}  # as the proxy in front says (SECURE_PROXY_SSL_HEADER)
CONCURRENCY = 16

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the servers read what the test committed
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the servers need a shared PostgreSQL database"),
]


@pytest.fixture
def server(static_root, tmp_path):  # noqa: F811 -- the fixture imported above
    shared_redis = redis.Redis.from_url(REDIS_URL)
    shared_redis.flushdb()
    log = tmp_path / "gunicorn.log"
    env = {
        **production_env(static_root),
        # One address sends them all: neither refused (flood guard) nor held (stored applications).
        "APPLICATION_POST_RATE_LIMIT": "100000/m",
        "APPLICATION_RATE_LIMIT": "100000/m",
        "APPLICATION_MIN_FILL_SECONDS": "0",  # a script fills the form at once: not held for that here
        # The production SMTP backend, pointed at a loopback port where no server listens: every
        # email stays queued, as during an SMTP outage, and the test sends the queue afterwards.
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    server = start_gunicorn(env, log, "--workers", "2", "--worker-class", "gthread", "--threads", "4")
    try:
        wait_until_up(server)
        yield {"base": f"http://127.0.0.1:{server.port}", "log": log}
    finally:
        stop_all([server])
        shared_redis.flushdb()


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def open_form(base: str, path: str) -> tuple[dict, str]:
    """GET a form as a browser does: the headers to post it with (its cookies) and its HTML."""
    headers = {**HEADERS, "Referer": f"https://{HOST}{path}"}  # Django checks it on HTTPS posts
    form = requests.get(base + path, headers=headers, timeout=60)
    assert form.status_code == 200, form.status_code
    # The cookies are Secure (the proxy speaks HTTPS to browsers): sent back by hand over loopback.
    headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in form.cookies.items())
    return headers, form.text


def post(base: str, path: str, headers: dict, data: dict, with_pdf: bool) -> tuple[int, str]:
    files = {"attachment": ("proposal.pdf", PDF_BYTES, "application/pdf")} if with_pdf else None
    answer = requests.post(base + path, data=data, files=files, headers=headers, timeout=60, allow_redirects=False)
    return answer.status_code, answer.headers.get("Location", "")


def apply(base: str, path: str, number: int) -> tuple[int, str]:
    """One applicant, with its own cookies; returns the POST's status and its location."""
    headers, html = open_form(base, path)
    data = {
        "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
        "form_token": hidden_value(html, "form_token"),
        "organisation_name": f"Applicant {number:03d} Inc.",
        "contact_name": f"Applicant {number:03d}",
        "email": f"applicant{number:03d}@example.ca",
        "phone": "416-555-0100",
        "team_size": "3",
        "proposal_summary": f"Proposal number {number} for the load test.",
        "consent": "on",
        "fax_number": "",
    }
    return post(base, path, headers, data, with_pdf=True)


def save_draft(base: str, path: str, number: int) -> tuple[int, str]:
    """ "Save and finish later" with an email and a few answers (every other one with its PDF)."""
    headers, html = open_form(base, path)
    data = {
        "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
        "form_token": hidden_value(html, "form_token"),
        "email": f"drafter{number:02d}@example.ca",
        "organisation_name": f"Drafter {number:02d} Inc.",
        "action": "save",
    }
    return post(base, path, headers, data, with_pdf=number % 2 == 0)


def ask_for_links(base: str, path: str, address: str) -> tuple[int, str]:
    """The lost-link form, for `address`."""
    headers, html = open_form(base, path)
    data = {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"), "email": address}
    return post(base, path, headers, data, with_pdf=False)


def test_two_hundred_concurrent_applications_are_all_stored_once(server, site_tree, privacy_notice):  # noqa: F811
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home), slug="load", opens=-5, closes=20)
    path = challenge.url + "apply/"
    lost_path = path + "link/"
    # Who applied (or saved a draft) before the rush, and now asks for their links again.
    earlier = [
        stored_application(challenge, email=f"earlier{number}@example.ca").pk for number in range(LOST_KNOWN // 2)
    ]
    earlier_drafts = [
        ApplicationDraft.objects.create(challenge=challenge, email=f"earlier{number}@example.ca").pk
        for number in range(LOST_KNOWN // 2, LOST_KNOWN)
    ]
    known = [f"earlier{number}@example.ca" for number in range(LOST_KNOWN)]
    unknown = [f"stranger{number}@example.ca" for number in range(LOST_UNKNOWN)]
    tasks = (
        [(apply, path, number) for number in range(APPLICANTS)]
        + [(save_draft, path, number) for number in range(DRAFTS)]
        + [(ask_for_links, lost_path, address) for address in known + unknown]
    )
    random.Random(19).shuffle(tasks)  # interleaved, the same way each run

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        answers = list(pool.map(lambda task: (task[0], *task[0](server["base"], task[1], task[2])), tasks))
    elapsed = time.monotonic() - started

    log = server["log"].read_text
    statuses = Counter((kind.__name__, status) for kind, status, _location in answers)
    assert statuses == Counter(
        {("apply", 302): APPLICANTS, ("save_draft", 302): DRAFTS, ("ask_for_links", 302): LOST_KNOWN + LOST_UNKNOWN}
    ), (statuses, log()[-3000:])
    assert all("/apply/thanks/?receipt=" in location for kind, _status, location in answers if kind is apply)
    assert {location for kind, _status, location in answers if kind is save_draft} == {path + "saved/?state=emailed"}
    assert {location for kind, _status, location in answers if kind is ask_for_links} == {lost_path + "?sent=1"}

    applications = Application.objects.filter(challenge=challenge, is_spam=False).exclude(pk__in=earlier)
    assert applications.count() == APPLICANTS == Application.objects.count() - len(earlier)
    assert not Application.objects.filter(is_spam=True).exists()  # none held
    assert applications.exclude(reference="").values("reference").distinct().count() == APPLICANTS
    assert sorted(applications.values_list("email", flat=True)) == [f"applicant{n:03d}@example.ca" for n in range(200)]
    drafts = ApplicationDraft.objects.exclude(pk__in=earlier_drafts)
    assert sorted(drafts.values_list("email", flat=True)) == [f"drafter{n:02d}@example.ca" for n in range(DRAFTS)]
    assert drafts.filter(upload__isnull=False).count() == DRAFTS // 2

    # Exactly the emails each caused, queued once: per application a confirmation and a staff
    # notification, per new draft its link, per known address its links again (strangers: none).
    queued = Counter(OutgoingEmail.objects.values_list("kind", flat=True))
    assert queued == Counter(
        {
            "applicant-confirmation": APPLICANTS,
            "staff-notification": APPLICANTS,
            "applicant-draft-link": DRAFTS,
            "applicant-links-again": LOST_KNOWN,
        }
    )
    about = Counter(
        OutgoingEmail.objects.filter(kind__in=["applicant-confirmation", "staff-notification"]).values_list(
            "object_id", "kind"
        )
    )
    for pk in applications.values_list("pk", flat=True):
        assert about[(pk, "applicant-confirmation")] == 1 and about[(pk, "staff-notification")] == 1, pk

    # SMTP refused the first immediate send, after which the servers left the rest to the scheduler
    # (site_core/services/outbox.py): all still queued, none tried twice.
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.QUEUED}
    assert {attempts for (attempts,) in OutgoingEmail.objects.values_list("attempts")} <= {0, 1}
    assert OutgoingEmail.objects.filter(attempts=1).exists()

    # SMTP is back: the scheduler's runs (a batch of emails each) send the queue, and one more run
    # finds nothing left; each email goes once.
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    for _run in range(5):
        call_command("send_queued_emails", stdout=io.StringIO())
        if not OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).exists():
            break
    call_command("send_queued_emails", stdout=io.StringIO())
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}
    recipients = Counter(address for message in mail.outbox for address in message.to)
    for address in [f"applicant{n:03d}@example.ca" for n in range(APPLICANTS)]:
        assert recipients[address] == 1, address
    for address in [f"drafter{n:02d}@example.ca" for n in range(DRAFTS)] + known:
        assert recipients[address] == 1, address
    assert all(recipients[address] == 0 for address in unknown)
    staff = [
        message for message in mail.outbox if message.to[0].startswith(("applicant", "drafter", "earlier")) is False
    ]
    references = Counter(re.search(r"CIO-\d{4}-\d+", message.subject).group(0) for message in staff)
    assert references == Counter(applications.values_list("reference", flat=True))  # one per application
    assert len(mail.outbox) == 2 * APPLICANTS + DRAFTS + LOST_KNOWN
    print(f"{len(tasks)} posts ({APPLICANTS} applications), {CONCURRENCY} at a time, in {elapsed:.1f} s")
