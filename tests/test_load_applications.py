"""Load without loss: 200 applications posted at once to two gunicorn workers (the production
settings, PostgreSQL, Redis) are all stored, each with its own reference, and each applicant's
confirmation is queued (SMTP unreachable meanwhile) and then sent exactly once; no answer is a 5xx.

PostgreSQL only (the servers must open the test database; see tests/test_scale_out.py, whose
server machinery this reuses). Each simulated applicant does what a browser does: GET the form (its
CSRF cookie, CSRF token and single-use form token), then POST it with a PDF, with at most
CONCURRENCY applicants in flight (a bounded load, on loopback)."""

import io
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

from challenges.models import Application
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import PDF_BYTES
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
        "APPLICATION_RATE_LIMIT": "1000/m",  # one address sends them all
        "APPLICATION_MIN_FILL_SECONDS": "0",  # a script fills the form at once: not taken for spam here
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


def apply(base: str, path: str, number: int) -> tuple[int, str]:
    """One applicant, with its own cookies; returns the POST's status and its location."""
    headers = {**HEADERS, "Referer": f"https://{HOST}{path}"}  # Django checks it on HTTPS posts
    form = requests.get(base + path, headers=headers, timeout=60)
    # The cookies are Secure (the proxy speaks HTTPS to browsers): sent back by hand over loopback.
    headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in form.cookies.items())
    assert form.status_code == 200, form.status_code
    data = {
        "csrfmiddlewaretoken": hidden_value(form.text, "csrfmiddlewaretoken"),
        "form_token": hidden_value(form.text, "form_token"),
        "organisation_name": f"Applicant {number:03d} Inc.",
        "contact_name": f"Applicant {number:03d}",
        "email": f"applicant{number:03d}@example.ca",
        "phone": "416-555-0100",
        "team_size": "3",
        "proposal_summary": f"Proposal number {number} for the load test.",
        "consent": "on",
        "fax_number": "",
    }
    files = {"attachment": ("proposal.pdf", PDF_BYTES, "application/pdf")}
    answer = requests.post(base + path, data=data, files=files, headers=headers, timeout=60, allow_redirects=False)
    return answer.status_code, answer.headers.get("Location", "")


def test_two_hundred_concurrent_applications_are_all_stored_once(server, site_tree, privacy_notice):  # noqa: F811
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home), slug="load", opens=-5, closes=20)
    path = challenge.url + "apply/"
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        answers = list(pool.map(lambda number: apply(server["base"], path, number), range(APPLICANTS)))
    elapsed = time.monotonic() - started

    statuses = [status for status, _location in answers]
    assert statuses.count(302) == APPLICANTS, (sorted(set(statuses)), server["log"].read_text()[-3000:])
    assert all("/apply/thanks/?receipt=" in location for _status, location in answers)
    applications = Application.objects.filter(challenge=challenge, is_spam=False)
    assert applications.count() == APPLICANTS == Application.objects.count()
    assert applications.values("reference").distinct().count() == APPLICANTS
    assert sorted(applications.values_list("email", flat=True)) == [f"applicant{n:03d}@example.ca" for n in range(200)]

    confirmations = OutgoingEmail.objects.filter(kind="applicant-confirmation")
    assert confirmations.count() == APPLICANTS
    assert OutgoingEmail.objects.count() == 2 * APPLICANTS  # and a notification to staff each

    # SMTP refused the first immediate send, after which the servers left the rest to the scheduler
    # (site_core/services/outbox.py): all still queued, none tried twice.
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.QUEUED}
    assert {attempts for (attempts,) in OutgoingEmail.objects.values_list("attempts")} <= {0, 1}
    assert OutgoingEmail.objects.filter(attempts=1).exists()

    # SMTP is back: the queue is sent, twice over (two scheduler runs), and each email goes once.
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    for _run in range(2):
        call_command("send_queued_emails", stdout=io.StringIO())
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}
    recipients = Counter(address for message in mail.outbox for address in message.to)
    for number in range(APPLICANTS):
        assert recipients[f"applicant{number:03d}@example.ca"] == 1
    assert len(mail.outbox) == 2 * APPLICANTS
    print(f"{APPLICANTS} applications, {CONCURRENCY} at a time, in {elapsed:.1f} s")
