"""Retention of messages from visitors: each is deleted `RETENTION_MONTHS` after it arrived, with the
outbox emails about it (they hold the address and, for the office's, the message)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from home.messages.models import VisitorMessage, retention_cutoff
from site_core.models import OutgoingEmail


def purge_messages(now=None) -> int:
    """Delete the messages past their retention and their emails; returns how many messages went."""
    cutoff = retention_cutoff(now or timezone.now())
    old = VisitorMessage.objects.filter(created_at__lt=cutoff)
    content_type = ContentType.objects.get_for_model(VisitorMessage)
    with transaction.atomic():
        ids = list(old.values_list("pk", flat=True))
        OutgoingEmail.objects.filter(content_type=content_type, object_id__in=ids).delete()
        deleted = VisitorMessage.objects.filter(pk__in=ids).delete()[0]
    return deleted
