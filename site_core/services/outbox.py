"""Sending the outbox (site_core.models.OutgoingEmail): never inside a request, never inside a
transaction, each email by at most one sender at a time, every wait on SMTP bounded.

- An app registers each kind of email it sends with a builder (`register`), and queues it with
  `queue()` inside the transaction that stores what the email is about: both exist or neither.
- `send_soon(ids)` hands the new emails to the background "email" lane once that transaction
  commits (site_core/services/background.py): the response does not wait for SMTP.
- `send_due_emails()` (also run every minute by `manage.py send_queued_emails`) claims each due email
  with one conditional UPDATE that marks it "sending" until a lease ends (no row lock is held while
  SMTP is talked to; a sender that dies leaves the email to be tried again once its lease ends), writes
  it with its kind's builder, sends it, and records the result. Every SMTP call waits at most
  EMAIL_TIMEOUT seconds. When the server refuses, times out or drops the connection, the run stops
  and the SMTP breaker (site_core/services/dependencies/) keeps immediate sends away for a while: the
  emails stay queued, untouched, for the next run.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone

from site_core.models import OutgoingEmail
from site_core.services import background
from site_core.services.dependencies import smtp_breaker

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the back-off below, about two days of retrying
LEASE = datetime.timedelta(minutes=5)  # well beyond the SMTP timeouts of one email
# The server refused this one message (a bad recipient, a rejected body): retry it later, go on with
# the others. Any other error (refused or dropped connection, a timeout, a 4xx "try later") is
# the server's: stop this run.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass(frozen=True)
class EmailKind:
    label: str
    build: Callable[[OutgoingEmail], list[EmailMessage]]  # [] when there is nothing to send after all
    # Days a sent (or given up) email of this kind is kept; None: as long as what it is about (an
    # application's emails go with the application, under its retention).
    keep_days: int | None = None


KINDS: dict[str, EmailKind] = {}


def register(
    kind: str, label: str, build: Callable[[OutgoingEmail], list[EmailMessage]], keep_days: int | None = None
) -> None:
    KINDS[kind] = EmailKind(label, build, keep_days)


def forget_old_emails(now=None) -> int:
    """Delete the emails whose kind keeps them a number of days, once sent (or given up, or with
    nothing to send) that long ago: an address typed into a password reset is not kept for ever."""
    now = now or timezone.now()
    finished = [OutgoingEmail.State.SENT, OutgoingEmail.State.DROPPED, OutgoingEmail.State.FAILED]
    deleted = 0
    for kind, details in KINDS.items():
        if details.keep_days is None:
            continue
        older = now - datetime.timedelta(days=details.keep_days)
        deleted += OutgoingEmail.objects.filter(kind=kind, state__in=finished, created_at__lt=older).delete()[0]
    return deleted


def queue(
    kind: str,
    to: str,
    *,
    language: str,
    about=None,
    params: dict | None = None,
    dedupe_key: str | None = None,
) -> OutgoingEmail:
    """Queue one email (call inside the transaction that stores what it is about)."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}: register it first")
    if dedupe_key:
        existing = OutgoingEmail.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    email = OutgoingEmail(kind=kind, to=to, language=language, params=params or {}, dedupe_key=dedupe_key or None)
    if about is not None:
        email.about = about
    email.save()
    return email


def sender(language: str) -> str:
    """DEFAULT_FROM_EMAIL's address under the office's name in the email's language ("Bureau de
    l'innovation civique <…>" for a French email), from the office details of that language."""
    from email.utils import formataddr, parseaddr

    from site_core.models import OfficeDetails

    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = OfficeDetails.for_language(language or settings.LANGUAGE_CODE).office_name or default_name
    return formataddr((" ".join(name.split()), address))  # one line, whatever an editor typed


def send_soon(ids) -> None:
    """Send these emails after the current transaction commits, off the request. Never raises (it is
    called once what the emails are about is stored: an error here must not tell an applicant their
    application was lost); whatever is not sent stays queued for `send_queued_emails`."""
    ids = list(ids)
    try:
        background.after_commit("email", send_now, ids)
    except Exception:
        logger.exception("Could not hand emails %s to the sender; they stay queued", ids)


def send_now(ids: list[int]) -> None:
    if not smtp_breaker.allow():
        logger.info("SMTP skipped after a failure: %s email(s) left to the scheduled job", len(ids))
        return
    send_due_emails(ids=ids)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off before the next try: 1, 2, 4 … minutes, at most 6 hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def due(now: datetime.datetime) -> Q:
    """Queued and its time has come, or left "sending" by a sender whose lease ended."""
    return Q(state__in=[OutgoingEmail.State.QUEUED, OutgoingEmail.State.SENDING], next_attempt_at__lte=now)


def claim(email_id: int, now: datetime.datetime) -> bool:
    """Take the email for this sender (one UPDATE, committed at once): False when another sender
    holds it, or it was sent meanwhile."""
    return bool(
        OutgoingEmail.objects.filter(due(now), pk=email_id).update(
            state=OutgoingEmail.State.SENDING, next_attempt_at=now + LEASE, attempts=F("attempts") + 1
        )
    )


def record_failure(email: OutgoingEmail, error: Exception, counts: dict) -> None:
    email.last_error = f"{type(error).__name__}: {error}"[:300]
    if email.attempts >= MAX_ATTEMPTS:
        email.state = OutgoingEmail.State.FAILED
        counts["failed"] += 1
        logger.error("Gave up sending email %s after %s attempts: %s", email.pk, email.attempts, error)
    else:
        email.state = OutgoingEmail.State.QUEUED
        email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
        counts["retrying"] += 1
        logger.warning("Email %s not sent (attempt %s), will retry: %s", email.pk, email.attempts, error)
    email.save(update_fields=["state", "last_error", "next_attempt_at"])


def record_sent(email: OutgoingEmail, state: str, counts: dict) -> None:
    email.state = state
    email.sent_at = timezone.now() if state == OutgoingEmail.State.SENT else None
    email.last_error = ""
    email.save(update_fields=["state", "sent_at", "last_error"])
    counts["sent" if state == OutgoingEmail.State.SENT else "dropped"] += 1


def send_due_emails(ids=None, now=None, limit: int = 200) -> dict[str, int]:
    """Send queued emails whose time has come (only `ids` when given); see the module's docstring."""
    now = now or timezone.now()
    waiting = OutgoingEmail.objects.filter(due(now))
    if ids is not None:
        waiting = waiting.filter(pk__in=list(ids))
    counts = {"sent": 0, "retrying": 0, "failed": 0, "dropped": 0, "left": 0}
    pending = list(waiting.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    connection = None
    try:
        for position, email_id in enumerate(pending):
            if not claim(email_id, now):
                continue  # another sender has it
            email = OutgoingEmail.objects.get(pk=email_id)
            try:
                messages = KINDS[email.kind].build(email)
            except Exception as error:
                logger.exception("Could not write email %s", email.pk)
                record_failure(email, error, counts)
                continue
            if not messages:
                record_sent(email, OutgoingEmail.State.DROPPED, counts)
                continue
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                for message in messages:
                    message.connection = connection
                    if message.from_email in (None, settings.DEFAULT_FROM_EMAIL):
                        message.from_email = sender(email.language)
                    message.send()
            except MESSAGE_ERRORS as error:
                record_failure(email, error, counts)
                connection = close_quietly(connection)
            except Exception as error:
                record_failure(email, error, counts)
                connection = close_quietly(connection)
                smtp_breaker.failed(f"{type(error).__name__}: {error}", "slow" if is_timeout(error) else "down")
                counts["left"] = len(pending) - position - 1
                break
            else:
                record_sent(email, OutgoingEmail.State.SENT, counts)
                smtp_breaker.succeeded()
    finally:
        close_quietly(connection)
    return counts


def is_timeout(error: Exception) -> bool:
    return isinstance(error, TimeoutError) or "timed out" in str(error).lower()


def close_quietly(connection):
    if connection is not None:
        try:
            connection.close()
        except Exception:  # the server is gone already
            logger.debug("SMTP connection did not close cleanly", exc_info=True)
    return None
