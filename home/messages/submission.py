"""Storing a message and queueing its emails in one transaction, as an application is stored
(challenges/submission.py): the message exists before any email is tried, so an SMTP outage loses
nothing; the outbox sends off the request and retries. A held message (the honeypot) queues nothing."""

from django.db import transaction
from django.utils import timezone

from home.messages import emails, routing
from home.messages.models import VisitorMessage
from site_core.services import outbox


def store(kind: str, fields: dict, language: str, held: str = "") -> VisitorMessage:
    with transaction.atomic():
        message = VisitorMessage(kind=kind, language=language, created_at=timezone.now(), **fields)
        message.routed_to = routing.address_for(kind, message.topic)
        if held:
            message.status = VisitorMessage.Status.HELD
            message.held_reason = held[:200]
        message.save()
        queued = [] if held else emails.queue_for(message)
        outbox.send_soon([email.pk for email in queued])
    return message


def release(message: VisitorMessage) -> None:
    """Staff checked a held message: it joins the ones to answer, and its two emails go."""
    with transaction.atomic():
        message.status, message.held_reason = VisitorMessage.Status.NEW, ""
        message.save(update_fields=["status", "held_reason"])
        outbox.send_soon([email.pk for email in emails.queue_for(message)])
