"""The two emails of a message from a visitor, through the outbox (site_core/services/outbox.py),
queued in the transaction that stores the message:

- "visitor-message-receipt", to the sender, in their language: the reference number, what happens
  next and the office's signature. It never repeats what was typed into the form (anyone can type
  anyone's address: the City's name must never carry someone else's words), and one address gets at
  most APPLICANT_EMAILS_PER_ADDRESS of them a day.
- "visitor-message-office", to the inbox of the topic (home/messages/routing.py): everything sent,
  with the reply format; Reply-To is the sender.

Nothing is sent for a message deleted meanwhile (the retention purge)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from home.messages.models import VisitorMessage
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services import outbox

RECEIPT = "visitor-message-receipt"
OFFICE = "visitor-message-office"
KEEP_DAYS = 30  # the row holds an address; the message itself is kept under its own retention
RECIPIENT_WINDOW = datetime.timedelta(hours=24)


def recipient_has_room(address: str, now=None) -> bool:
    now = now or timezone.now()
    recent = OutgoingEmail.objects.filter(to__iexact=address, kind=RECEIPT, created_at__gte=now - RECIPIENT_WINDOW)
    return recent.count() < settings.APPLICANT_EMAILS_PER_ADDRESS


def queue_for(message: VisitorMessage) -> list[OutgoingEmail]:
    """The office's notification, and the sender's receipt while their address has room (call in the
    transaction that stored the message)."""
    queued = [
        outbox.queue(
            OFFICE,
            message.routed_to,
            language=settings.LANGUAGE_CODE,
            about=message,
            dedupe_key=f"{OFFICE}:{message.pk}",
        )
    ]
    if recipient_has_room(message.email):
        queued.append(
            outbox.queue(
                RECEIPT, message.email, language=message.language, about=message, dedupe_key=f"{RECEIPT}:{message.pk}"
            )
        )
    return queued


def message_of(email: OutgoingEmail) -> VisitorMessage | None:
    if email.content_type_id is None or email.content_type.model_class() is not VisitorMessage:
        return None
    return VisitorMessage.objects.filter(pk=email.object_id).first()


def build(email: OutgoingEmail) -> list[EmailMessage]:
    message = message_of(email)
    if message is None:
        return []
    with translation.override(email.language):
        context = {
            "message": message,
            "reference": message.reference,
            "accessibility": message.kind == VisitorMessage.Kind.ACCESSIBILITY,
            "office": OfficeDetails.for_language(email.language),
            "base_url": settings.BASE_URL,
        }
        if email.kind == RECEIPT:
            subject = _("We received your message (%(reference)s)") % {"reference": message.reference}
            body = render_to_string("home/messages/emails/receipt.txt", context)
            return [EmailMessage(subject=str(subject), body=body, to=[email.to])]
        context["admin_url"] = settings.BASE_URL + reverse("visitor_message", kwargs={"pk": message.pk})
        if message.kind == VisitorMessage.Kind.ACCESSIBILITY:
            subject = _("Accessibility feedback %(reference)s") % {"reference": message.reference}
        else:
            subject = _("Message %(reference)s: %(topic)s") % {
                "reference": message.reference,
                "topic": message.get_topic_display(),
            }
        body = render_to_string("home/messages/emails/office.txt", context)
        return [EmailMessage(subject=str(subject), body=body, to=[email.to], reply_to=[message.email])]


def register_emails() -> None:
    outbox.register(RECEIPT, _("Message from a visitor: receipt"), build, keep_days=KEEP_DAYS)
    outbox.register(OFFICE, _("Message from a visitor: to the office"), build, keep_days=KEEP_DAYS)
