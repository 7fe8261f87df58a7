"""The double opt-in email: a link to confirm what the subscribe form asked for. At most one an hour
per address (a form sent again within the hour updates the choice the link confirms, and queues
nothing more), so the form cannot be used to flood someone's inbox."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from home.alerts.lists import describe
from home.alerts.models import Subscriber
from site_core.i18n.locales import locale_id
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services import outbox

KIND = "alert-confirm"
RESEND_AFTER = datetime.timedelta(hours=1)


def queue_confirmation(subscriber: Subscriber, now) -> OutgoingEmail | None:
    """Queue the confirmation email (in the caller's transaction), unless one was queued within the hour."""
    recent = OutgoingEmail.objects.filter(kind=KIND, to=subscriber.email, created_at__gte=now - RESEND_AFTER)
    if recent.exists():
        return None
    email = outbox.queue(
        KIND, subscriber.email, language=subscriber.pending.get("language") or subscriber.language, about=subscriber
    )
    outbox.send_soon([email.pk])
    return email


def build_confirmation(email: OutgoingEmail) -> list[EmailMessage]:
    subscriber = Subscriber.objects.filter(pk=email.object_id, email=email.to).first()
    if subscriber is None or not subscriber.pending or subscriber.suppressed_at is not None:
        return []  # confirmed (or unsubscribed, or suppressed) since: nothing to confirm
    key = subscriber.new_key()
    with translation.override(email.language):
        context = {
            "confirm_url": settings.BASE_URL + reverse("alerts:confirm", kwargs={"key": key}),
            "lists": describe(subscriber.pending, locale_id(email.language)),
            "office": OfficeDetails.for_language(email.language),
            "base_url": settings.BASE_URL,
        }
        subject = " ".join(render_to_string("home/alerts/emails/confirm_subject.txt", context).split())
        body = render_to_string("home/alerts/emails/confirm.txt", context)
    return [EmailMessage(subject=subject, body=body, to=[email.to])]


outbox.register(KIND, _("Confirm email alerts"), build_confirmation, keep_days=30)
