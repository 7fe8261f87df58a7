"""Queue application emails with the application, then send them from the queue with retries."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from challenges.models import Application, OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the back-off below, about two days of retrying


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off before the next try: 1, 2, 4 … minutes, at most 6 hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def staff_address(application: Application) -> str:
    from site_core.models import SiteSettings

    challenge = application.challenge
    if challenge.contact_email:
        return challenge.contact_email
    site = challenge.get_site()
    fallback = SiteSettings.for_site(site).contact_email if site else ""
    return fallback or settings.SERVER_EMAIL


def queue_application_emails(application: Application) -> list[OutgoingEmail]:
    """Queue the applicant's confirmation and the staff notification (call inside the transaction
    that stores the application, so both exist or neither does)."""
    emails = [
        OutgoingEmail(
            application=application,
            kind=OutgoingEmail.Kind.APPLICANT_CONFIRMATION,
            to=application.email,
            language=application.language,
        ),
        OutgoingEmail(
            application=application,
            kind=OutgoingEmail.Kind.STAFF_NOTIFICATION,
            to=staff_address(application),
            language=settings.LANGUAGE_CODE,
        ),
    ]
    for email in emails:
        email.save()
    return emails


def build_message(email: OutgoingEmail, connection=None) -> EmailMessage:
    application = email.application
    context = {
        "application": application,
        "challenge": application.challenge,
        "base_url": settings.BASE_URL,
        "admin_url": settings.BASE_URL + reverse("applications:inspect", args=[application.pk]),
    }
    template = (
        "challenges/emails/applicant_confirmation"
        if email.kind == OutgoingEmail.Kind.APPLICANT_CONFIRMATION
        else "challenges/emails/staff_notification"
    )
    with translation.override(email.language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[email.to], connection=connection)


def send_due_emails(ids=None, now=None, limit: int = 200) -> dict[str, int]:
    """Send queued emails whose time has come (only `ids` when given). Each email is locked while it
    is sent, so two workers never send the same one; a failure schedules a retry instead of raising."""
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    connection = get_connection(fail_silently=False)
    for email_id in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            email = (
                # Only the email's row: locking the joined rows too (Django's default) would lock the
                # challenge's page, so concurrent senders of that challenge's emails skipped each
                # other's, which then waited for the scheduler (tests/test_load_applications.py).
                OutgoingEmail.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("application__challenge")
                .filter(pk=email_id, state=OutgoingEmail.State.QUEUED)
                .first()
            )
            if email is None:
                continue  # another worker has it, or it was sent meanwhile
            email.attempts += 1
            try:
                build_message(email, connection).send()
            except Exception as error:
                email.last_error = f"{type(error).__name__}: {error}"[:300]
                if email.attempts >= MAX_ATTEMPTS:
                    email.state = OutgoingEmail.State.FAILED
                    counts["failed"] += 1
                    logger.error("Gave up sending email %s after %s attempts: %s", email.pk, email.attempts, error)
                else:
                    email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
                    counts["retrying"] += 1
                    logger.warning("Email %s not sent (attempt %s), will retry: %s", email.pk, email.attempts, error)
            else:
                email.state = OutgoingEmail.State.SENT
                email.sent_at = timezone.now()
                email.last_error = ""
                counts["sent"] += 1
            email.save()
    return counts


def send_soon(ids) -> None:
    """After the storing transaction commits, try to send at once; whatever fails stays queued for
    `manage.py send_queued_emails`. Never raises: the application is already safe."""
    ids = list(ids)

    def attempt():
        try:
            send_due_emails(ids=ids)
        except Exception:
            logger.exception("Immediate email attempt failed; the emails stay queued")

    transaction.on_commit(attempt)
