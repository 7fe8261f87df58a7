"""Email alerts (issue 22) through the production shape (tests/stack/conftest.py: nginx over TLS with the
shipped configuration, gunicorn with the production settings, PostgreSQL, Redis, an SMTP sink behind
fault proxies): a visitor subscribes with the form over HTTPS, confirms from the emailed link, gets
the alert of a release a Publisher publishes in the admin, with the RFC 8058 headers, and the
one-click POST a mail client sends through nginx ends it all. With SMTP refused, slow or silent the
form still answers at once with "check your email", the confirmation waits in the outbox and goes
once when SMTP is back. And the form's and the manage pages are private: neither nginx nor the
app's page cache hands one person's page to another."""

import re
import uuid

import pytest
from django.utils import timezone

from challenges.forms import HONEYPOT_FIELD
from home.alerts.models import AlertBroadcast, Subscriber
from site_core.models import OfficeDetails, OutgoingEmail
from tests.stack.admin import PASSWORD, Publisher, csrf_token
from tests.stack.conftest import wait_for
from tests.stack.test_applicants import received

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_SECONDS = 3.0
FORM = "/en/alerts/"
CHECK_EMAIL = "Check your email"
SMTP_FAULTS = {"refuse": 0.0, "delay": 2.0, "blackhole": 0.0}  # 2 s a chunk: past EMAIL_TIMEOUT=3 s a command


@pytest.fixture
def office(site_tree):
    return OfficeDetails.objects.create(
        locale=site_tree.english, office_name="Civic Innovation Office", street_address="100 Queen Street West"
    )


@pytest.fixture
def publisher(live_stack, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # production's
    django_user_model.objects.create_superuser("publisher", "publisher@example.ca", PASSWORD)
    return Publisher(live_stack).sign_in()


def management_fields(html: str) -> dict[str, str]:
    """The inline panels' management fields of an admin form, as the empty form carries them."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name and value:
            fields[name.group(1)] = value.group(1)
    return fields


def publish_release(publisher: Publisher, news_index, title: str):
    """A new release, added and published with the admin's own form (its CSRF token, every inline
    panel empty), as a Publisher does in a browser."""
    path = f"/admin/pages/add/news/newsreleasepage/{news_index.pk}/"
    form = publisher.visitor.get(path)
    assert form.status == 200, form.status
    slug = f"alert-{uuid.uuid4().hex[:8]}"
    fields = {
        "csrfmiddlewaretoken": csrf_token(form.text),
        "title": title,
        "slug": slug,
        "release_type": "news-release",
        "release_date": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "lead": "The City opens its transit data.",
        "body-count": "0",
        "media_kit-count": "0",
        "action-publish": "publish",
        **management_fields(form.text),
    }
    answer = publisher.visitor.post(path, fields)
    assert answer.status == 302, answer.text[:3000]
    broadcast = wait_for(lambda: AlertBroadcast.objects.filter(page__slug=slug, done_at__isnull=False).first(), 15)
    assert broadcast is not None, "the release's alert was not fanned out"
    return broadcast


def subscribe_fields(form_html: str, address: str, **overrides) -> dict:
    return {
        "csrfmiddlewaretoken": csrf_token(form_html),
        "email": address,
        "lists": ["news"],
        "frequency": "immediate",
        "language": "en",
        "consent": "on",
        HONEYPOT_FIELD: "",
        **overrides,
    }


def messages_to(stack, address: str) -> list:
    return [message for message in stack.sink.messages if address in message.get_all("To", [])]


def link_in(message, base_url: str, kind: str) -> str:
    """The path of the `kind` link (confirm, manage, unsubscribe) in an email's plain text."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"{re.escape(base_url)}(/en/alerts/{kind}/[A-Za-z0-9_-]+/)", body)
    assert found, body
    return found.group(1)


def private(answer) -> bool:
    """Not for any cache: the app says so, and nginx neither stored nor served it from its cache."""
    cache_control = answer.headers.get("Cache-Control", "")
    return ("no-store" in cache_control or "private" in cache_control) and answer.headers.get(
        "X-Cache-Status", "BYPASS"
    ) in ("BYPASS", "MISS", "EXPIRED")


def flush_outbox(stack) -> None:
    """The scheduler's job once the app servers' own attempts have ended: what waits made due, and
    `send_queued_emails` run (again if SMTP's breaker kept the first run away)."""
    assert wait_for(lambda: not OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENDING).exists(), 30)
    for _run in range(3):
        waiting = OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED)
        if not waiting.exists():
            break
        waiting.update(next_attempt_at=timezone.now())
        result = stack.manage("send_queued_emails")
        assert result.returncode == 0, result.stderr[-2000:]


def test_subscribe_confirm_alert_and_one_click_unsubscribe_through_nginx(live_stack, site_tree, office, publisher):
    address = "resident@example.ca"
    visitor = live_stack.client(source="127.0.0.31")
    form = visitor.get(FORM)
    assert form.status == 200 and private(form), form.headers
    answer = visitor.post(FORM, subscribe_fields(form.text, address))
    assert answer.status == 302 and answer.headers["Location"] == "/en/alerts/sent/", answer.text[:2000]
    assert answer.seconds < PAGE_SECONDS
    sent = visitor.get("/en/alerts/sent/")
    assert sent.status == 200 and CHECK_EMAIL in sent.text

    # The confirmation, from the app server's background lane.
    assert wait_for(lambda: messages_to(live_stack, address), 15), "no confirmation email"
    (confirmation,) = messages_to(live_stack, address)
    confirm_path = link_in(confirmation, live_stack.base_url, "confirm")
    page = visitor.get(confirm_path)
    assert page.status == 200 and private(page) and page.headers["Referrer-Policy"] == "strict-origin"
    subscriber = Subscriber.objects.get(email=address)
    assert subscriber.confirmed_at is None  # a GET (a mail scanner) confirms nothing
    confirmed = visitor.post(confirm_path, {"csrfmiddlewaretoken": csrf_token(page.text)})
    assert confirmed.status == 302 and "/en/alerts/manage/" in confirmed.headers["Location"]
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None and list(
        subscriber.subscriptions.values_list("list_key", flat=True)
    ) == ["news"]

    # A Publisher publishes a release in the admin: the alert follows, off the request.
    live_stack.sink.clear()
    publish_release(publisher, site_tree.news_index, "Transit data opens")
    assert wait_for(lambda: messages_to(live_stack, address), 15), "no alert email"
    (alert,) = messages_to(live_stack, address)
    assert "Transit data opens" in alert["Subject"]
    assert alert.get_all("To") == [address]
    unsubscribe = re.fullmatch(  # (a long header is folded: its value starts with the fold's space)
        rf"<{re.escape(live_stack.base_url)}(/en/alerts/unsubscribe/[\w-]+/)>", alert["List-Unsubscribe"].strip()
    )
    assert unsubscribe, alert["List-Unsubscribe"]
    assert alert["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert "100 Queen Street West" in alert.get_body(preferencelist=("plain",)).get_content()

    # The one-click unsubscribe of RFC 8058, as a mail client sends it: no cookie, no CSRF token.
    mail_client = live_stack.client(source="127.0.0.77")
    one_click = mail_client.post(unsubscribe.group(1), {"List-Unsubscribe": "One-Click"}, cookies=False)
    assert one_click.status == 200, one_click.text[:1000]
    assert "X-Cache-Status" not in one_click.headers or one_click.headers["X-Cache-Status"] != "HIT"
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None and not subscriber.subscriptions.exists()

    # Nothing more is sent to them.
    live_stack.sink.clear()
    broadcast = publish_release(publisher, site_tree.news_index, "Another release")
    flush_outbox(live_stack)
    assert not OutgoingEmail.objects.filter(kind="alert", to=address, params__broadcast=broadcast.pk).exists()
    assert messages_to(live_stack, address) == []
    assert OutgoingEmail.objects.filter(to=address).count() == 2  # the confirmation and the one alert


@pytest.mark.parametrize("mode", list(SMTP_FAULTS))
def test_with_smtp_down_slow_or_silent_the_form_answers_at_once_and_the_email_goes_once_later(
    live_stack, site_tree, office, mode
):
    address = f"smtp-{mode}@example.ca"
    visitor = live_stack.client(source="127.0.0.41")
    form = visitor.get(FORM)
    live_stack.fault("smtp", mode, SMTP_FAULTS[mode])
    answer = visitor.post(FORM, subscribe_fields(form.text, address))
    assert answer.status == 302 and answer.seconds < PAGE_SECONDS, (answer.status, answer.seconds)
    sent = visitor.get(answer.headers["Location"])
    assert sent.status == 200 and CHECK_EMAIL in sent.text and sent.seconds < PAGE_SECONDS

    # Nothing lost: the app server's attempt failed (at once, or after EMAIL_TIMEOUT), and the
    # confirmation waits in the outbox to be retried; nothing reached the sink.
    tried = OutgoingEmail.objects.filter(to=address, attempts__gte=1).exclude(state=OutgoingEmail.State.SENDING)
    assert wait_for(tried.exists, 30), list(OutgoingEmail.objects.values_list("state", "attempts"))
    email = OutgoingEmail.objects.get(to=address)
    assert email.kind == "alert-confirm" and email.state == OutgoingEmail.State.QUEUED
    assert email.attempts >= 1 and email.last_error, (email.attempts, email.last_error)
    assert Subscriber.objects.get(email=address).pending["lists"] == {"news": {}}
    assert messages_to(live_stack, address) == []

    live_stack.heal()
    flush_outbox(live_stack)
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert received(live_stack)[address] == 1  # exactly once
    flush_outbox(live_stack)  # the scheduler's next run sends nothing again
    assert received(live_stack)[address] == 1


def test_the_alerts_pages_are_never_served_from_a_cache_to_someone_else(live_stack, site_tree, office):
    """Person A's form with their address in it (a 400 with errors), their confirmation and manage
    pages: private for nginx and the page cache; person B, anonymous from another address, gets a
    page of their own (a CSRF token of their own: nothing served from a copy) without A's address."""
    first = live_stack.client(source="127.0.0.51")
    form = first.get(FORM)
    assert private(form)
    rejected = first.post(FORM, subscribe_fields(form.text, "person-a@example.ca", consent=""))
    assert rejected.status == 400 and "person-a@example.ca" in rejected.text and private(rejected)

    second = live_stack.client(source="127.0.0.52")
    for _visit in range(2):
        theirs = second.get(FORM)
        assert theirs.status == 200 and private(theirs), theirs.headers
        assert "person-a@example.ca" not in theirs.text
        assert csrf_token(theirs.text) not in (csrf_token(form.text), csrf_token(rejected.text))
    assert "person-a@example.ca" not in second.get("/en/alerts/sent/").text

    # A's own pages, reached by the key in their emails.
    subscriber = Subscriber.objects.create(email="person-a@example.ca", language="en", confirmed_at=timezone.now())
    key = subscriber.new_key()
    for path in (f"/en/alerts/manage/{key}/", f"/en/alerts/unsubscribe/{key}/"):
        for _visit in range(2):
            page = first.get(path)
            assert page.status == 200 and private(page), (path, page.headers)
            assert page.headers["Referrer-Policy"] == "strict-origin"
    manage = first.get(f"/en/alerts/manage/{key}/")
    saved = first.post(
        f"/en/alerts/manage/{key}/",
        {"csrfmiddlewaretoken": csrf_token(manage.text), "lists": ["jobs"], "frequency": "weekly", "language": "en"},
    )
    assert saved.status == 200 and private(saved)
    for path in (FORM, "/en/alerts/manage/not-a-key/", "/en/"):
        answer = second.get(path)
        assert "person-a@example.ca" not in answer.text and key not in answer.text, path
