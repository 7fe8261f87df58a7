"""The one reminder a draft gets: DRAFT_REMINDER_HOURS before its challenge's deadline, if it is
still unsent (run by `manage.py send_draft_reminders`, with the other scheduled commands)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from challenges import outbox as emails
from challenges.models import ApplicationDraft
from site_core.services import outbox


def queue_draft_reminders(now=None) -> list[int]:
    """Queue a reminder for each unsent draft whose challenge closes within DRAFT_REMINDER_HOURS
    (and has not closed). Each draft once (`reminded_at` and the email's dedupe key)."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(hours=settings.DRAFT_REMINDER_HOURS)
    drafts = ApplicationDraft.objects.filter(
        reminded_at__isnull=True, challenge__live=True, challenge__closes_at__gt=now, challenge__closes_at__lte=soon
    ).only("pk", "email", "language")
    queued = []
    for draft in drafts.iterator():
        with transaction.atomic():
            email = outbox.queue(
                emails.DRAFT_REMINDER,
                draft.email,
                language=draft.language,
                about=draft,
                dedupe_key=f"{emails.DRAFT_REMINDER}:{draft.pk}",
            )
            ApplicationDraft.objects.filter(pk=draft.pk).update(reminded_at=now)
        queued.append(email.pk)
    return queued


def forget_closed_drafts(now=None, grace_days: int = 7) -> int:
    """Delete the drafts (and their kept files) of challenges that closed more than `grace_days` ago:
    a draft never sent is not kept."""
    from challenges import uploads

    now = now or timezone.now()
    old = ApplicationDraft.objects.filter(challenge__closes_at__lt=now - datetime.timedelta(days=grace_days))
    count = 0
    for draft in old.select_related("upload").iterator():
        upload = draft.upload
        draft.delete()
        uploads.discard(upload)
        count += 1
    return count
