"""Each service the site needs (PostgreSQL, Redis, SMTP) refusing, slow, or accepting connections and
never answering, with the site in its production shape (tests/stack/conftest.py). Under each fault:
every public page answers within 3 seconds (rendered, from a cache, or the 503 page), /healthz
answers within 2 and names the sick service, no application is lost or stored twice, and once the
service is back every email is sent exactly once."""

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from challenges.models import Application
from site_core.models import OutgoingEmail
from tests.factories import ChallengeIndexPageFactory, NewsReleasePageFactory, make_challenge
from tests.stack.applicants import Applicant
from tests.stack.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_SECONDS = 3.0
HEALTH_SECONDS = 2.0
# How slow "slow" is, per service: well past what each is given (a request's 2 s of database
# waits; 0.5 s per Redis call; EMAIL_TIMEOUT=3 s per SMTP command in the stack).
DELAYS = {"postgresql": 0.6, "redis": 0.3, "smtp": 2.0}
BREAKER_COOLDOWN_SECONDS = 2.0  # devtools/stack.py
FAULTS = [(service, mode) for service in ("postgresql", "redis", "smtp") for mode in ("refuse", "delay", "blackhole")]


@pytest.fixture
def site(live_stack, site_tree, privacy_notice):
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home), slug="transit", opens=-5, closes=20)
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Open data for transit", slug="open-data")
    return {"challenge": challenge, "release": release}


def public_paths(site) -> list[str]:
    """The page types a visitor reaches: the proxy stores those without a query string; the others
    (a listing's later page, search) are always the app's to answer."""
    return [
        "/en/",
        "/fr/",
        "/en/challenges/",
        site["challenge"].url,
        "/en/news/",
        site["release"].url,
        "/en/news/?page=1",
        "/en/challenges/?status=open",
        "/en/search/?q=transit",
        "/sitemap.xml",
    ]


def assert_every_page_answers_in_time(stack, site) -> dict[str, int]:
    visitor = stack.client(timeout=10)
    statuses = {}
    for path in public_paths(site):
        answer = visitor.get(path)
        assert answer.seconds < PAGE_SECONDS, f"{path} took {answer.seconds:.2f} s"
        assert answer.status in (200, 503), (path, answer.status, answer.text[:500])
        if answer.status == 503:
            assert "Service temporarily unavailable" in answer.text and answer.headers["Retry-After"], path
        statuses[path] = answer.status
    return statuses


def health(stack) -> tuple[int, dict, float]:
    answer = stack.client(timeout=10).get("/healthz")
    assert answer.seconds < HEALTH_SECONDS, f"/healthz took {answer.seconds:.2f} s"
    return answer.status, answer.json(), answer.seconds


def warm(stack, site) -> None:
    """Visited once before the fault: in the proxy and in the app's cache."""
    visitor = stack.client()
    for path in public_paths(site):
        assert visitor.get(path).status == 200, path


def send_the_queue(stack) -> None:
    """The scheduler's job, once the service is back, the app servers' own attempts have ended and
    the retries are due."""
    assert wait_for(lambda: not OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENDING).exists(), 30)
    OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).update(next_attempt_at=timezone.now())
    for _run in range(2):
        result = stack.manage("send_queued_emails")
        assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize(("service", "mode"), FAULTS, ids=[f"{s}-{m}" for s, m in FAULTS])
def test_under_each_fault_pages_answer_health_tells_and_nothing_is_lost(live_stack, site, service, mode):
    warm(live_stack, site)
    applicants = [Applicant(live_stack, number) for number in range(3)]
    for applicant in applicants:
        applicant.open_form(site["challenge"])

    live_stack.fault(service, mode, DELAYS[service] if mode == "delay" else 0.0)
    statuses = assert_every_page_answers_in_time(live_stack, site)
    sent = [applicant.send() for applicant in applicants]
    for each in sent:
        assert each.seconds < PAGE_SECONDS, f"an application took {each.seconds:.2f} s"
        assert each.status in (302, 503), (each.status, each.body[:1000])
        if each.status == 503:
            assert "NOT received" in each.body
    code, report, _seconds = health(live_stack)

    if service == "postgresql":
        assert code == 503 and report["database"] in ("slow", "down") and report["status"] == "unavailable"
        assert statuses["/en/search/?q=transit"] == 503  # no page is rendered without its database
        assert statuses[site["release"].url] == 200  # what the proxy holds is still served
    elif service == "redis":
        assert code == 200 and report == {"status": "degraded", "database": "ok", "cache": report["cache"]}
        assert report["cache"] in ("slow", "down")
        assert set(statuses.values()) == {200}  # rendered without the cache
        assert {each.status for each in sent} == {302}  # the rate limit fails open
    else:
        assert code == 200 and report["database"] == "ok"
        assert set(statuses.values()) == {200}
        assert {each.status for each in sent} == {302}  # stored at once; the email waits

    live_stack.heal()
    assert wait_for(lambda: health(live_stack)[0] == 200 and health(live_stack)[1]["status"] == "ok", 15)
    # The applicants told "NOT received" send their form again, as the page asks them to.
    for applicant, each in zip(applicants, sent, strict=True):
        if each.status != 302:
            again = applicant.send()
            assert again.status == 302, again.body[:2000]
    stored = list(Application.objects.values_list("email", flat=True))
    assert sorted(stored) == sorted(applicant.email for applicant in applicants)  # none lost, none twice

    send_the_queue(live_stack)
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}
    received = Counter(address for message in live_stack.sink.messages for address in message.get_all("To", []))
    for applicant in applicants:
        assert received[applicant.email] == 1, received
    assert len(live_stack.sink.messages) == 2 * len(applicants)  # and one notification to staff each


def test_a_silent_smtp_server_holds_no_request_and_no_database_lock(live_stack, site):
    """Eight applications at once while SMTP accepts connections and never answers: each is stored
    and answered at once, the site stays responsive, and no database session is left idle in a
    transaction (the emails are sent from the background, outside any transaction)."""
    applicants = [Applicant(live_stack, number) for number in range(8)]
    for applicant in applicants:
        applicant.open_form(site["challenge"])
    live_stack.fault("smtp", "blackhole")
    with ThreadPoolExecutor(max_workers=8) as pool:
        sent = list(pool.map(lambda applicant: applicant.send(), applicants))
        # While the background senders wait on SMTP, the site answers.
        code, report, _seconds = health(live_stack)
        search = live_stack.client(timeout=10).get("/en/search/?q=transit")
    assert [each.status for each in sent] == [302] * 8
    assert max(each.seconds for each in sent) < PAGE_SECONDS
    assert (code, report["database"]) == (200, "ok")
    assert search.status == 200 and search.seconds < PAGE_SECONDS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] == 0
    assert Application.objects.count() == 8

    # The scheduler's run is bounded too: it stops at the first silent server instead of waiting on
    # it once per email, and leaves the queue for the next run.
    assert wait_for(lambda: not OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENDING).exists(), 30)
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    attempts_before = sum(OutgoingEmail.objects.values_list("attempts", flat=True))
    result = live_stack.manage("send_queued_emails", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "sent 0" in result.stdout and "left for the next run 15" in result.stdout, result.stdout
    assert sum(OutgoingEmail.objects.values_list("attempts", flat=True)) == attempts_before + 1

    live_stack.heal()
    send_the_queue(live_stack)
    received = Counter(address for message in live_stack.sink.messages for address in message.get_all("To", []))
    assert all(received[applicant.email] == 1 for applicant in applicants), received


def test_a_silent_database_does_not_stop_cached_pages(live_stack, site):
    """PostgreSQL accepting connections and never answering, and sixteen visitors at once on pages
    that need it: each gets the 503 page within 3 s, and the pages in the app's cache (a listing's
    later page, which the proxy does not store) keep coming meanwhile."""
    visitor = live_stack.client()
    assert visitor.get("/en/news/?page=1").status == 200  # in the app's cache from now on
    live_stack.fault("postgresql", "blackhole")

    def search(number: int):
        return live_stack.client(timeout=20).get(f"/en/search/?q=transit{number}")

    with ThreadPoolExecutor(max_workers=16) as pool:
        searches = list(pool.map(search, range(16)))
        cached = [visitor.get("/en/news/?page=1") for _ in range(5)]
    assert {answer.status for answer in searches} == {503}
    assert max(answer.seconds for answer in searches) < PAGE_SECONDS
    assert {answer.status for answer in cached} == {200}
    assert max(answer.seconds for answer in cached) < 1.0


def crowd(stack, path: str, visitors: int = 8, cookies: dict | None = None) -> list:
    """`visitors` browsers asking for `path` at the same moment, each with its own connection."""

    def visit(_number: int):
        visitor = stack.client(timeout=10)
        visitor.cookies.update(cookies or {})
        return visitor.get(path)

    with ThreadPoolExecutor(max_workers=visitors) as pool:
        return list(pool.map(visit, range(visitors)))


@pytest.mark.parametrize("mode", ["refuse", "delay", "blackhole"])
def test_with_redis_sick_the_render_lock_and_the_session_read_step_aside(live_stack, site, mode):
    """Issue 24's page cache parts with Redis refusing, slow or silent: a crowd on one page that
    nobody has cached (the render lock lives in Redis) and visitors holding a session cookie (whose
    'no such session' answer is remembered in Redis) are all answered in time, rendered without the
    cache. Once Redis is back, the crowd gets one render between them and the session visitor the
    cached page."""
    path = "/en/challenges/?status=open"  # the app's to answer: the proxy stores no query string
    dead_session = {"sessionid": "nosuchsession0123456789abcdefghij"}
    warm(live_stack, site)  # a running site: its settings rows made (a first visit makes them, a change)
    live_stack.fault("redis", mode, DELAYS["redis"] if mode == "delay" else 0.0)
    answers = crowd(live_stack, path) + crowd(live_stack, "/en/news/?page=1", visitors=4, cookies=dead_session)
    for answer in answers:
        assert answer.status == 200, (answer.status, answer.text[:500])
        assert answer.seconds < PAGE_SECONDS, f"{answer.seconds:.2f} s"
    assert site["challenge"].title in answers[0].text

    live_stack.heal()
    assert wait_for(lambda: health(live_stack)[1]["status"] == "ok", 15)
    # Each app server skips Redis for the breaker's cooldown after its last failure (2 s in the stack),
    # then lets one request try it while the others render without the cache (no X-Page-Cache).
    time.sleep(BREAKER_COOLDOWN_SECONDS + 0.5)
    for _visit in range(4):
        live_stack.client().get("/en/news/?page=1")
    answers = crowd(live_stack, "/en/challenges/?status=upcoming")
    assert {answer.status for answer in answers} == {200}
    states = sorted(answer.headers.get("X-Page-Cache", "without the cache") for answer in answers)
    assert states.count("miss") == 1, states  # one render stored; the others took it or waited for it
    assert set(states) <= {"miss", "hit", "without the cache"}, states
    session_visitor = live_stack.client()
    session_visitor.cookies.update(dead_session)
    assert wait_for(lambda: session_visitor.get("/en/news/?page=1").headers.get("X-Page-Cache") == "hit", 5)
