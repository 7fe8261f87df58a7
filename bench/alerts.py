"""`make bench`, email alerts (issue 22): 20,000 subscribers to news must not slow a publish (the
publish request within 10 % of its time without them), are all queued in under 30 s, and are sent at
the SMTP rate the settings allow. Run by bench/run.py (`measure`, in its own process), which asks the
app through this file in a subprocess with the bench's environment (production settings, its
PostgreSQL database):

    python bench/alerts.py prepare          -> clean what an earlier run left; the bench publisher (JSON)
    python bench/alerts.py subscribers N    -> exactly N bench subscribers to news, bulk-created (JSON)
    python bench/alerts.py fanout SLUG      -> the fan-out of that release's alert again, timed (JSON)
    python bench/alerts.py send RUNS        -> `send_queued_emails` RUNS times, each timed (JSON)
    python bench/alerts.py cleanup          -> delete the bench's releases, subscribers and emails (JSON)

What is measured, with gunicorn (production settings, as the load bench runs it) sending to a local
SMTP sink (devtools/smtpsink.py, aiosmtpd, in the bench's process):

1. The publish request: a Publisher signed in to the Wagtail admin posts a new news release with
   "Publish" (the admin's own add form, CSRF token and all), over HTTP to gunicorn; the time from the
   POST to its redirect. BENCH_ALERTS_RUNS (5) runs with no bench subscriber and as many with
   BENCH_ALERTS_SUBSCRIBERS (20,000) confirmed English subscribers to every news release, one
   after the other (0, N, 0, N, ...: a drift of the machine touches both), after a warm-up publish.
   Between runs the bench waits for the app's background work to end (the fan-out, the first
   emails), so each publish meets an idle server. The demo's own subscribers stay (counted).
2. The fan-out: from the start of the POST until the alert's row is committed as done with its
   recipients (polled every 20 ms with psycopg2): every email is in the outbox then (one
   transaction). And `fan_out` alone, in-process, on the last release's alert made undone again.
3. The sending: BENCH_ALERTS_SAMPLE (2,000) of those 20,000 emails, by `send_queued_emails` (what
   the scheduler runs every minute) run back to back until the sample is sent, OUTBOX_SEND_PER_RUN
   at most a run, through the sink: messages a second inside the command. Then what the sink got:
   one message per recipient, to that recipient only (envelope and To), with `List-Unsubscribe` and
   `List-Unsubscribe-Post`, and no other subscriber's address anywhere in it.

The bench's subscribers are at MARKER_DOMAIN and its releases' slugs start with SLUG_PREFIX:
`cleanup` deletes them, and their emails, at the end (and `prepare` at the start, after a run that
was interrupted), so the bench database stays as it was.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import http.cookies
import io
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.production")

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
MARKER_DOMAIN = "alerts.bench.invalid"  # .invalid: never a real address (RFC 2606)
SLUG_PREFIX = "bench-alert-"
PUBLISHER = "bench-alerts-publisher"
PASSWORD = "bench-alerts-not-secret-42"  # noqa: S105 -- a bench account on the bench's own database
SUBSCRIBERS = int(os.environ.get("BENCH_ALERTS_SUBSCRIBERS", "20000"))
SAMPLE = int(os.environ.get("BENCH_ALERTS_SAMPLE", "2000"))
RUNS = int(os.environ.get("BENCH_ALERTS_RUNS", "5"))
PUBLISH_GOAL = 1.10  # the publish with the subscribers, at most 10 % slower than without
QUEUE_GOAL_SECONDS = 30.0
# The app's fan-out works within its background budget (site_core/services/background.py); when it has
# not committed after this long, the bench runs the scheduler's `send_alerts` as cron would.
BACKSTOP_AFTER = 20.0
ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@" + re.escape(MARKER_DOMAIN), re.I)


# --- the figures (pure: tests/test_bench_alerts.py) ------------------------------------------------


@dataclass
class MailCheck:
    messages: int  # to bench subscribers
    recipients: int  # distinct bench addresses among them
    others: int  # messages to anyone else (the demo's subscribers)
    problems: list[str] = field(default_factory=list)


@dataclass
class AlertFigures:
    subscribers: int
    other_subscribers: int  # the database's own confirmed English news subscribers (the demo's)
    publish_without: list[float]  # seconds, one per run
    publish_with: list[float]
    queued_after: list[float]  # seconds from the publish POST to every email in the outbox
    sent_at_once: list[int]  # emails the app server's background lane sent after each fan-out
    backstop: list[bool]  # the app's fan-out gave up (its background budget): send_alerts did it
    left_sending: list[int]  # emails it left "sending" (given up mid-way) after each fan-out
    fan_out_seconds: float  # fan_out alone, in-process
    fan_out_queued: int
    per_run: int  # OUTBOX_SEND_PER_RUN
    send_runs: list[dict]  # {"sent": n, "seconds": s} per send_queued_emails run
    mail: MailCheck
    load_average: float = 0.0  # the machine's 1-minute load at the end of the publishes

    @property
    def publish_ratio(self) -> float:
        return statistics.median(self.publish_with) / statistics.median(self.publish_without)

    @property
    def sent(self) -> int:
        return sum(run["sent"] for run in self.send_runs)

    @property
    def send_rate(self) -> float:
        """Messages a second inside the command (its Python start not counted)."""
        seconds = sum(run["seconds"] for run in self.send_runs)
        return self.sent / seconds if seconds else 0.0


def off_goal(figures: AlertFigures) -> list[str]:
    """What misses the issue's goals (nothing when all are met)."""
    problems = []
    if figures.publish_ratio > PUBLISH_GOAL:
        problems.append(
            f"the publish takes {figures.publish_ratio:.2f} times as long with {figures.subscribers:,} subscribers"
            f" (goal: at most {PUBLISH_GOAL:.2f})"
        )
    if not figures.queued_after or max(figures.queued_after) >= QUEUE_GOAL_SECONDS:
        slowest = max(figures.queued_after, default=float("nan"))
        problems.append(f"queued in {slowest:.1f} s (goal: under {QUEUE_GOAL_SECONDS:.0f} s)")
    if figures.mail.messages != figures.sent - figures.mail.others:
        problems.append(f"the sink got {figures.mail.messages:,} bench messages for {figures.sent:,} sent")
    if any(figures.backstop):
        problems.append(
            f"{sum(figures.backstop)} of {len(figures.backstop)} fan-outs given up by the app (its background"
            " budget), left to send_alerts"
        )
    problems += figures.mail.problems
    return problems


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"


def format_alerts(figures: AlertFigures) -> str:
    """One line per figure: what, the figure, the goal; then the verdict."""
    count = f"{figures.subscribers:,}"
    minutes = figures.subscribers / figures.per_run if figures.per_run else float("inf")
    rows = [
        ("measure", "figure", "goal"),
        ("publish, no bench subscriber", spread(figures.publish_without), ""),
        (f"publish, {count} subscribers", spread(figures.publish_with), ""),
        (
            f"publish ratio (medians of {len(figures.publish_with)} runs)",
            f"{figures.publish_ratio:.3f}",
            f"<= {PUBLISH_GOAL:.2f}",
        ),
        (f"all {count} queued, from the POST", spread(figures.queued_after), f"< {QUEUE_GOAL_SECONDS:.0f} s"),
        (
            "sent at once by the app, after the fan-out",
            f"{statistics.median(figures.sent_at_once):,.0f} (left 'sending': {max(figures.left_sending)})",
            "",
        ),
        ("fan-outs the app gave up (send_alerts did them)", f"{sum(figures.backstop)} of {len(figures.backstop)}", "0"),
        ("fan_out alone (in-process)", f"{figures.fan_out_seconds:.3f} s ({figures.fan_out_queued:,} emails)", ""),
        (
            f"send_queued_emails, {figures.per_run} a run",
            f"{figures.sent:,} in {len(figures.send_runs)} runs, {figures.send_rate:.1f}/s",
            "",
        ),
        ("configured rate (a run a minute)", f"{figures.per_run}/min: {count} in {minutes:.0f} min", ""),
        (
            "sink: messages to bench subscribers",
            f"{figures.mail.messages:,} to {figures.mail.recipients:,} addresses",
            "one each",
        ),
        ("sink: to anyone else (demo subscribers)", f"{figures.mail.others:,}", ""),
    ]
    lines = [f"{label:42} {figure:>36}  {goal}".rstrip() for label, figure, goal in rows]
    problems = off_goal(figures)
    lines.append(f"1-minute load at the end of the publishes: {figures.load_average:.1f}")
    lines.append("verdict: " + ("; ".join(problems) if problems else "every goal met"))
    return "\n".join(lines)


def check_messages(received: list[tuple[list[str], bytes]]) -> MailCheck:
    """What the sink received (envelope recipients, raw message): each bench message goes to one bench
    address (the envelope's and the To header's), once, carries the RFC 8058 headers, and names no
    other bench address anywhere (headers or any decoded part)."""
    per_address: Counter = Counter()
    problems: Counter = Counter()
    messages = others = 0
    for recipients, raw in received:
        if not any(ADDRESS.fullmatch(address) for address in recipients):
            others += 1
            continue
        messages += 1
        message = email.message_from_bytes(raw, policy=email.policy.default)
        to = [address.addr_spec for header in message.get_all("To", []) for address in header.addresses]
        if len(recipients) != 1 or [a.lower() for a in to] != [a.lower() for a in recipients]:
            problems["not to exactly its one recipient"] += 1
        recipient = recipients[0].lower()
        per_address[recipient] += 1
        unsubscribe = message.get("List-Unsubscribe", "")
        if not re.fullmatch(r"<https?://[^>]+/alerts/unsubscribe/[^/>]+/>", unsubscribe.strip()):
            problems["without a List-Unsubscribe link"] += 1
        if message.get("List-Unsubscribe-Post", "").strip() != "List-Unsubscribe=One-Click":
            problems["without List-Unsubscribe-Post: List-Unsubscribe=One-Click"] += 1
        texts = [f"{name}: {value}" for name, value in message.items()]
        texts += [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
        named = {found.lower() for text in texts for found in ADDRESS.findall(text)}
        if named - {recipient}:
            problems["naming another subscriber"] += 1
    twice = sum(1 for count in per_address.values() if count > 1)
    if twice:
        problems["recipients who got more than one"] = twice
    return MailCheck(
        messages=messages,
        recipients=len(per_address),
        others=others,
        problems=[f"{count:,} message(s) {what}" for what, count in sorted(problems.items())],
    )


def parse_sent(output: str) -> int:
    """The number `send_queued_emails` says it sent ("sent 200, will retry 0, ...")."""
    found = re.search(r"\bsent (\d+)", output)
    if not found:
        raise ValueError(f"not send_queued_emails output: {output!r}")
    return int(found.group(1))


# --- the app's side, in a subprocess (production settings, the bench's database) -----------------


def bench_emails():
    """The outbox rows of the bench: to its subscribers, or an alert of one of its releases."""
    from django.db.models import Q

    from home.alerts.models import AlertBroadcast
    from site_core.models import OutgoingEmail

    broadcasts = [
        str(pk) for pk in AlertBroadcast.objects.filter(page__slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
    ]
    return OutgoingEmail.objects.filter(
        Q(to__iendswith="@" + MARKER_DOMAIN) | Q(kind="alert", params__broadcast__in=[int(b) for b in broadcasts])
    )


def cleanup() -> dict:
    from wagtail.models import Page

    from home.alerts.models import Subscriber

    emails = bench_emails().delete()[0]
    subscribers = Subscriber.objects.filter(email__iendswith="@" + MARKER_DOMAIN).delete()[1].get("home.Subscriber", 0)
    pages = 0
    for page in Page.objects.filter(slug__startswith=SLUG_PREFIX).specific():
        page.delete()
        pages += 1
    return {"emails": emails, "subscribers": subscribers, "releases": pages}


def prepare() -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from home.alerts.models import Subscriber
    from news.models import NewsIndexPage

    cleaned = cleanup()
    user, _created = get_user_model().objects.get_or_create(
        username=PUBLISHER, defaults={"email": f"publisher@{MARKER_DOMAIN}"}
    )
    user.is_superuser = user.is_staff = user.is_active = True
    user.set_password(PASSWORD)
    user.save()
    index = NewsIndexPage.objects.filter(locale__language_code="en").order_by("depth", "pk").first()
    others = Subscriber.objects.filter(
        confirmed_at__isnull=False, suppressed_at__isnull=True, language="en", subscriptions__list_key="news"
    ).count()
    return {
        "cleaned": cleaned,
        "news_index_id": index.pk,
        "other_subscribers": others,
        "per_run": settings.OUTBOX_SEND_PER_RUN,
    }


def subscribers(count: int) -> dict:
    """Exactly `count` confirmed English subscribers to every news release, immediate, at MARKER_DOMAIN
    (what an earlier call made is deleted first, with the emails queued for it)."""
    from django.utils import timezone

    from home.alerts.models import Subscriber, Subscription

    started = time.perf_counter()
    bench_emails().filter(to__iendswith="@" + MARKER_DOMAIN).delete()
    Subscriber.objects.filter(email__iendswith="@" + MARKER_DOMAIN).delete()
    now = timezone.now()
    made = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"reader{number:05d}@{MARKER_DOMAIN}",
                language="en",
                frequency=Subscriber.Frequency.IMMEDIATE,
                created_at=now,
                confirmed_at=now,
                consented_at=now,
                consent_text="make bench",
                consent_form="make bench",
            )
            for number in range(count)
        ],
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=subscriber, list_key="news", filters={}) for subscriber in made], batch_size=2000
    )
    return {"subscribers": len(made), "seconds": round(time.perf_counter() - started, 2)}


def fanout(slug: str) -> dict:
    """The release's alert made undone for the bench subscribers (their deliveries and emails
    deleted), then `fan_out` timed: every bench subscriber gets a queued email again."""
    from django.utils import timezone

    from home.alerts.models import AlertBroadcast, AlertDelivery
    from home.alerts.sending import fan_out

    broadcast = AlertBroadcast.objects.filter(page__slug=slug).order_by("pk").first()
    bench_emails().filter(to__iendswith="@" + MARKER_DOMAIN).delete()
    AlertDelivery.objects.filter(broadcast=broadcast, subscriber__email__iendswith="@" + MARKER_DOMAIN).delete()
    AlertBroadcast.objects.filter(pk=broadcast.pk).update(done_at=None)
    started = time.perf_counter()
    queued = fan_out(broadcast.pk)
    seconds = time.perf_counter() - started
    due = bench_emails().filter(to__iendswith="@" + MARKER_DOMAIN)
    due.update(next_attempt_at=timezone.now())
    return {"seconds": round(seconds, 3), "queued": len(queued), "bench_emails": due.count()}


def send(runs: int) -> dict:
    """`send_queued_emails` as the scheduler runs it, `runs` times back to back, each timed."""
    from django.core.management import call_command

    results = []
    for _run in range(runs):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("send_queued_emails", stdout=out)
        results.append({"sent": parse_sent(out.getvalue()), "seconds": round(time.perf_counter() - started, 3)})
        if results[-1]["sent"] == 0:
            break
    return {"runs": results}


def main(argv: list[str]) -> dict:
    import django

    django.setup()
    command, *args = argv
    if command == "prepare":
        return prepare()
    if command == "subscribers":
        return subscribers(int(args[0]))
    if command == "fanout":
        return fanout(args[0])
    if command == "send":
        return send(int(args[0]))
    if command == "cleanup":
        return cleanup()
    raise SystemExit(f"unknown command {command!r}")


# --- the bench's side (bench/run.py's process) ----------------------------------------------------


class RecordingSink:
    """An SMTP sink (aiosmtpd, as devtools/smtpsink.py) that keeps each message raw with its envelope
    recipients, parsing nothing while it receives (so that it is not what limits the send rate)."""

    def __init__(self):
        from devtools.faultproxy import free_port

        self.port = free_port()
        self.received: list[tuple[list[str], bytes]] = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.received.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> RecordingSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def take(self) -> list[tuple[list[str], bytes]]:
        with self._lock:
            taken, self.received = self.received, []
        return taken


class Admin:
    """A Publisher in the Wagtail admin, over plain HTTP to gunicorn (no proxy: the request's own time),
    keeping its cookies by hand (production marks them Secure)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), text

    @staticmethod
    def csrf_token(html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not found:
            raise SystemExit(f"make bench: no CSRF token in the admin's form:\n{html[:1000]}")
        return found.group(1)

    def sign_in(self) -> None:
        _status, _headers, html = self.request("GET", "/admin/login/")
        fields = {"csrfmiddlewaretoken": self.csrf_token(html), "username": PUBLISHER, "password": PASSWORD}
        status, _headers, html = self.request("POST", "/admin/login/", fields)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"make bench: the bench publisher could not sign in ({status}):\n{html[:1000]}")

    def publish_release(self, index_id: int, slug: str) -> tuple[float, float]:
        """Add a news release with "Publish": (monotonic time of the POST, seconds to its answer)."""
        import datetime
        import zoneinfo

        path = f"/admin/pages/add/news/newsreleasepage/{index_id}/"
        status, _headers, html = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"make bench: the admin's add form answered {status}")
        released = datetime.datetime.now(zoneinfo.ZoneInfo("America/Toronto")) - datetime.timedelta(minutes=5)
        fields = {
            "csrfmiddlewaretoken": self.csrf_token(html),
            "title": f"Bench alert {slug}",
            "slug": slug,
            "release_type": "news-release",
            "release_date": released.strftime("%Y-%m-%d %H:%M"),
            "lead": "A release the email alerts bench publishes, then deletes.",
            "body-count": "0",
            "media_kit-count": "0",  # every StreamField of the form (Wagtail builds them in the browser)
            "action-publish": "publish",
        }
        fields |= management_fields(html)  # every inline panel of the form, empty
        started = time.monotonic()
        status, _headers, html = self.request("POST", path, fields)
        seconds = time.monotonic() - started
        if status != 302:
            raise SystemExit(f"make bench: publishing {slug} answered {status}:\n{html[:3000]}")
        return started, seconds


def management_fields(html: str) -> dict[str, str]:
    """The formsets' management fields of an admin form (its inline panels: `<prefix>-TOTAL_FORMS` and
    the others) with the values the empty form carries."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name and value:
            fields[name.group(1)] = value.group(1)
    return fields


class Database:
    """Polls the bench database directly (psycopg2): an alert's state while the app works."""

    def __init__(self, url: str):
        import psycopg2

        self.connection = psycopg2.connect(url)
        self.connection.autocommit = True

    def one(self, sql: str, params: list) -> tuple | None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    def alert_done(self, slug: str) -> bool:
        row = self.one(
            "SELECT b.done_at IS NOT NULL FROM home_alertbroadcast b JOIN wagtailcore_page p ON p.id = b.page_id"
            " WHERE p.slug = %s",
            [slug],
        )
        return bool(row and row[0])

    def sending(self) -> int:
        return self.one("SELECT count(*) FROM site_core_outgoingemail WHERE state = 'sending'", [])[0]

    def close(self) -> None:
        self.connection.close()


def wait(condition, seconds: float, interval: float = 0.02) -> float | None:
    """Poll until `condition()` is true: the monotonic time it was seen, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(interval)
    return None


def settle(database: Database, sink: RecordingSink, seconds: float = 120, quiet: float = 2.0) -> int:
    """Until the app's background lane is done: the sink and the outbox's "sending" rows unchanged for
    `quiet` seconds (an email whose sender gave up mid-way stays "sending" until its lease ends).
    Returns how many stay "sending"."""
    deadline = time.monotonic() + seconds
    last, quiet_since = (sink.count(), database.sending()), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = (sink.count(), database.sending())
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet:
            return now[1]
    raise SystemExit("make bench: the app's background sending did not settle")


def probe(env: dict, *args: str) -> dict:
    out = subprocess.run(  # noqa: S603 -- this file, with the bench's Python
        [PY, str(Path(__file__).resolve()), *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(env: dict, *, app_port: int, gunicorn: list[str], start, wait_for, say, logs: Path) -> AlertFigures:
    """The whole scenario (see the module's docstring); `start` and `wait_for` are bench/run.py's (its
    processes are stopped on exit, failure or Ctrl-C)."""
    sink = RecordingSink().start()
    env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port), "EMAIL_USE_TLS": "0"}
    database = Database(env["DATABASE_URL"])
    app = None
    try:
        prepared = probe(env, "prepare")
        say(
            f"email alerts: {SUBSCRIBERS:,} subscribers, {RUNS} publishes with and without, a sample of {SAMPLE:,}"
            f" sent; the database's own news subscribers: {prepared['other_subscribers']}"
            + (f" (cleaned an earlier run's {prepared['cleaned']})" if any(prepared["cleaned"].values()) else "")
        )
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / "gunicorn-alerts.log"
        app = start([*gunicorn, "--bind", f"127.0.0.1:{app_port}"], log, cwd=ROOT, env=env)
        wait_for(f"http://127.0.0.1:{app_port}/en/", app, log)
        admin = Admin(app_port)
        admin.sign_in()
        stamp = time.strftime("%Y%m%d%H%M%S")
        index_id = prepared["news_index_id"]

        def publish(name: str) -> tuple[float, float, str, int, int, bool]:
            """(the POST's seconds, seconds until all queued, slug, sent at once, left "sending", whether
            the scheduler's `send_alerts` had to fan it out)."""
            slug = f"{SLUG_PREFIX}{stamp}-{name}"
            before = sink.count()
            started, seconds = admin.publish_release(index_id, slug)
            done = wait(lambda: database.alert_done(slug), BACKSTOP_AFTER)
            backstop = done is None
            if backstop:
                # The app gave up (its log says why): what the minutely `send_alerts` does in production.
                command = [PY, "manage.py", "send_alerts"]
                subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
                done = wait(lambda: database.alert_done(slug), 5)
                if done is None:
                    raise SystemExit(f"make bench: the alert of {slug} was not fanned out, even by send_alerts")
            left = settle(database, sink)
            return seconds, done - started, slug, sink.count() - before, left, backstop

        probe(env, "subscribers", "0")
        publish("warm-up")
        without, with_, queued, at_once, left_sending, backstops = [], [], [], [], [], []
        last_slug = ""
        for run in range(1, RUNS + 1):
            probe(env, "subscribers", "0")
            without.append(publish(f"{run}-none")[0])
            made = probe(env, "subscribers", str(SUBSCRIBERS))
            seconds, after, last_slug, sent_now, left, backstop = publish(f"{run}-many")
            with_.append(seconds)
            queued.append(after)
            at_once.append(sent_now)
            left_sending.append(left)
            backstops.append(backstop)
            say(
                f"  run {run}/{RUNS}: publish {without[-1]:.3f} s without, {seconds:.3f} s with"
                f" {made['subscribers']:,} (made in {made['seconds']:.1f} s); all queued {after:.2f} s after the POST;"
                f" {sent_now} sent at once by the app, {left} left 'sending'"
                + (f"; the app gave up, send_alerts queued them after {BACKSTOP_AFTER:.0f} s" if backstop else "")
                + f"; load {os.getloadavg()[0]:.1f}"
            )
        publishes_load = os.getloadavg()[0]
        sink.take()  # the first emails the app sent at once; the sample below is sent by the scheduler's job
        app.terminate()
        app.wait(timeout=30)

        fanned = probe(env, "fanout", last_slug)
        say(f"  fan_out alone: {fanned['seconds']:.3f} s for {fanned['queued']:,} emails")
        runs = -(-SAMPLE // max(prepared["per_run"], 1))
        sent = probe(env, "send", str(runs))["runs"]
        say(f"  send_queued_emails x{len(sent)}: {sum(r['sent'] for r in sent):,} sent")
        mail = check_messages(sink.take())
        return AlertFigures(
            subscribers=SUBSCRIBERS,
            other_subscribers=prepared["other_subscribers"],
            publish_without=without,
            publish_with=with_,
            queued_after=queued,
            sent_at_once=at_once,
            backstop=backstops,
            left_sending=left_sending,
            fan_out_seconds=fanned["seconds"],
            fan_out_queued=fanned["queued"],
            per_run=prepared["per_run"],
            send_runs=sent,
            mail=mail,
            load_average=publishes_load,
        )
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            app.wait(timeout=30)
        database.close()
        sink.stop()
        say(f"email alerts: cleaned up {probe(env, 'cleanup')}")


def as_json(figures: AlertFigures) -> dict:
    return {
        **asdict(figures),
        "publish_ratio": figures.publish_ratio,
        "sent": figures.sent,
        "send_rate": figures.send_rate,
        "off_goal": off_goal(figures),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
