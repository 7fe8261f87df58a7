"""The alert email (outbox kind "alert", queued by home/alerts/sending.py), written at send time in the
subscriber's language: the page's title, summary and address, the office's name and mailing address
(CASL), a link to manage the subscription and a one-click unsubscribe link (also in the
`List-Unsubscribe` headers, RFC 8058), both carrying a new key of this subscriber. One recipient per
email. Nothing is sent when the subscriber can no longer be reached, no longer follows the list, or
the page is no longer live and public."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home.alerts.models import AlertBroadcast, Subscriber, Subscription
from home.alerts.sending import ALERT, is_public
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services import outbox

SUBJECTS = {
    "challenges": _("New challenge: %(title)s"),
    "news": _("News release: %(title)s"),
    "jobs": _("Job posting: %(title)s"),
    "stories": _("Partner city story: %(title)s"),
}
KEEP_DAYS = 30  # the row holds the address; the delivery (home/alerts/models.py) records the send


def subscriber_of(email: OutgoingEmail) -> Subscriber | None:
    if email.content_type_id is None or email.content_type.model_class() is not Subscriber:
        return None
    return Subscriber.objects.filter(pk=email.object_id).first()


def link(name: str, key: str, language: str) -> str:
    with translation.override(language):
        return settings.BASE_URL + reverse(f"alerts:{name}", kwargs={"key": key})


def links(subscriber: Subscriber, language: str) -> dict[str, str]:
    """The manage and unsubscribe addresses, with a new key (only its hash is stored)."""
    key = subscriber.new_key()
    return {"manage_url": link("manage", key, language), "unsubscribe_url": link("unsubscribe", key, language)}


def build_alert(email: OutgoingEmail) -> list[EmailMultiAlternatives]:
    subscriber = subscriber_of(email)
    broadcast = AlertBroadcast.objects.filter(pk=email.params.get("broadcast")).first()
    if subscriber is None or broadcast is None or not subscriber.reachable:
        return []
    if subscriber.email.lower() != email.to.lower() or subscriber.language != email.language:
        return []  # the address or the language changed since: this email is not theirs any more
    if not Subscription.objects.filter(subscriber=subscriber, list_key=broadcast.list_key).exists():
        return []
    page = Page.objects.filter(pk=broadcast.page_id).first()
    if page is None or not is_public(page):
        return []
    page = page.specific
    language = email.language
    office = OfficeDetails.for_language(language)
    context = {
        "page": page,
        "title": " ".join(page.title.split()),
        "summary": getattr(page, "card_summary", "") or page.search_description,
        "page_url": settings.BASE_URL + page.url,
        "office_name": office.office_name,
        "office_address": office.street_address,
        **links(subscriber, language),
    }
    with translation.override(language):
        subject = " ".join(str(SUBJECTS.get(broadcast.list_key, "%(title)s") % {"title": context["title"]}).split())
        text = render_to_string("home/alerts/emails/alert.txt", context)
        html = render_to_string("home/alerts/emails/alert.html", {**context, "language": language})
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[email.to],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return [message]


def register_emails() -> None:
    outbox.register(ALERT, _("Email alert of a new page"), build_alert, keep_days=KEEP_DAYS)
