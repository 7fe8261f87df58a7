"""The reminder the day before: each confirmed registrant of an event starting within the next
REMINDER_HOURS is emailed once (`reminded_at`, set by a conditional UPDATE, and the email's dedupe
key), by `manage.py send_event_reminders` (run every few minutes, at least hourly). Someone who
registered, or got their seat, within that day already has the details in a fresh email: no reminder."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from home.events import emails
from home.events.catalogue import events_starting
from home.events.models import Registration

REMINDER_HOURS = 24


def queue_event_reminders(now=None) -> list[int]:
    """Queue the reminders due now; returns the ids of the emails queued."""
    now = now or timezone.now()
    window = datetime.timedelta(hours=REMINDER_HOURS)
    queued = []
    for key, starts_at in events_starting(now, now + window).items():
        since = starts_at - window
        due = Registration.objects.filter(
            translation_key=key, status=Registration.Status.CONFIRMED, reminded_at__isnull=True, created_at__lt=since
        ).filter(Q(notified_at__isnull=True) | Q(notified_at__lt=since))
        for registration in due.iterator():
            with transaction.atomic():
                claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                )
                if claimed:
                    email = emails.queue(
                        emails.REMINDER, registration, dedupe_key=f"{emails.REMINDER}:{registration.pk}"
                    )
                    queued.append(email.pk)
    return queued
