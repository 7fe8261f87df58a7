"""The alert emails, written at send time in the subscriber's language (outbox kinds "alert", queued by
home/alerts/sending.py, and "alert-digest", queued by home/alerts/digest.py):

- a new page: its title, summary and address;
- a followed challenge's update: its new announcements and amendments, its newly answered questions,
  its new deadline;
- a followed challenge's deadline reminder, 7 days and 1 day before;
- the weekly summary: every item kept for the subscriber since the last one, by list.

Each has the office's name and mailing address (CASL), a link to manage the subscription and a
one-click unsubscribe link (also in the `List-Unsubscribe` headers, RFC 8058), both carrying a new
key of this subscriber. One recipient per email. Nothing is sent when the subscriber can no longer be
reached or no longer follows what it is about, or the page is no longer live and public; a reminder
is not sent once its deadline has moved or passed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page

from home.alerts.digest import DIGEST
from home.alerts.lists import FOLLOW, LISTS
from home.alerts.models import AlertBroadcast, AlertDelivery, Subscriber, Subscription
from home.alerts.sending import ALERT, is_public
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services import outbox
from site_core.text.plain import plain_text

SUBJECTS = {
    "challenges": _("New challenge: %(title)s"),
    "news": _("News release: %(title)s"),
    "jobs": _("Job posting: %(title)s"),
    "stories": _("Partner city story: %(title)s"),
}
UPDATE_SUBJECT = _("Update on the challenge: %(title)s")
KEEP_DAYS = 30  # the row holds the address; the delivery (home/alerts/models.py) records the send


def subscriber_of(email: OutgoingEmail) -> Subscriber | None:
    """The email's subscriber, while it is reachable at this address in this language (an email
    queued before an address or language change is not theirs any more)."""
    if email.content_type_id is None or email.content_type.model_class() is not Subscriber:
        return None
    subscriber = Subscriber.objects.filter(pk=email.object_id).first()
    if subscriber is None or not subscriber.reachable:
        return None
    if subscriber.email.lower() != email.to.lower() or subscriber.language != email.language:
        return None
    return subscriber


def link(name: str, key: str, language: str) -> str:
    with translation.override(language):
        return settings.BASE_URL + reverse(f"alerts:{name}", kwargs={"key": key})


def links(subscriber: Subscriber, language: str) -> dict[str, str]:
    """The manage and unsubscribe addresses, with a new key (only its hash is stored)."""
    key = subscriber.new_key()
    return {"manage_url": link("manage", key, language), "unsubscribe_url": link("unsubscribe", key, language)}


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def item(page) -> dict:
    """A page as an alert shows it."""
    return {
        "title": one_line(page.title),
        "summary": getattr(page, "card_summary", "") or page.search_description,
        "page_url": settings.BASE_URL + page.url,
    }


def message(subscriber: Subscriber, email: OutgoingEmail, subject: str, template: str, context: dict):
    """The email to one subscriber: the text and HTML of `template` (.txt, .html) with the office's
    identity, the manage and unsubscribe links and the RFC 8058 headers."""
    language = email.language
    office = OfficeDetails.for_language(language)
    context = {
        **context,
        "office_name": office.office_name,
        "office_address": office.street_address,
        "language": language,
        **links(subscriber, language),
    }
    with translation.override(language):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    mail = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        to=[email.to],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(html, "text/html")
    return mail


def follows(subscriber: Subscriber, broadcast: AlertBroadcast, page) -> bool:
    """The subscriber still follows what the broadcast is about."""
    target = str(page.translation_key) if broadcast.list_key == FOLLOW else ""
    return Subscription.objects.filter(subscriber=subscriber, list_key=broadcast.list_key, target=target).exists()


def build_alert(email: OutgoingEmail) -> list[EmailMultiAlternatives]:
    subscriber = subscriber_of(email)
    broadcast = AlertBroadcast.objects.filter(pk=email.params.get("broadcast")).first()
    if subscriber is None or broadcast is None:
        return []
    page = Page.objects.filter(pk=broadcast.page_id).first()
    if page is None or not is_public(page):
        return []
    page = page.specific
    if not follows(subscriber, broadcast, page):
        return []
    context = {**item(page), "page": page}
    with translation.override(email.language):
        if broadcast.key.startswith("update:"):
            context.update(update_context(page, broadcast.params))
            subject = UPDATE_SUBJECT % {"title": context["title"]}
        elif broadcast.key.startswith("closes-"):
            if not reminder_still_true(page, broadcast.params):
                return []
            days = broadcast.params.get("days", 1)
            context.update({"reminder": True, "closes_at": page.closes_at, "days": days})
            subject = ngettext(
                "%(days)s day left to apply: %(title)s", "%(days)s days left to apply: %(title)s", days
            ) % {"days": days, "title": context["title"]}
        else:
            subject = SUBJECTS.get(broadcast.list_key, "%(title)s") % {"title": context["title"]}
        return [message(subscriber, email, str(subject), "home/alerts/emails/alert", context)]


def update_context(page, params: dict) -> dict:
    """What a followed challenge's update tells: its new announcements (title and text), newly
    answered questions, and its new deadline."""
    wanted = set(params.get("announcements") or [])
    announcements = [
        {"title": one_line(item.title), "body": item.body, "text": plain_text(item.body)}
        for item in page.announcements.all()
        if str(item.translation_key) in wanted
    ]
    questions = set(params.get("questions") or [])
    answered = [
        {"question": one_line(block.value["question"]), "answer": block.value["answer"]}
        for block in page.faq
        if block.id in questions
    ]
    answered = [{**entry, "text": plain_text(entry["answer"])} for entry in answered]
    return {
        "update": True,
        "announcements": announcements,
        "answered": answered,
        "new_deadline": page.closes_at if params.get("closes_at") and page.closes_at else None,
    }


def reminder_still_true(page, params: dict) -> bool:
    """A reminder is sent only while its deadline is the challenge's and still ahead."""
    closes_at = getattr(page, "closes_at", None)
    return bool(
        closes_at
        and closes_at.isoformat() == params.get("closes_at")
        and closes_at > timezone.now()
        and page.status.accepts_applications
    )


def build_digest(email: OutgoingEmail) -> list[EmailMultiAlternatives]:
    """The weekly summary: the items gathered into this email, still live and public and of lists the
    subscriber still follows, by list; nothing when none is left."""
    subscriber = subscriber_of(email)
    if subscriber is None:
        return []
    followed = set(subscriber.subscriptions.filter(target="").values_list("list_key", flat=True))
    deliveries = AlertDelivery.objects.filter(email=email, subscriber=subscriber).select_related("broadcast")
    list_of_page = {
        delivery.broadcast.page_id: delivery.broadcast.list_key
        for delivery in deliveries
        if delivery.broadcast.list_key in followed
    }
    pages = Page.objects.live().public().filter(pk__in=list_of_page).specific().order_by("-first_published_at")
    sections = {key: [] for key in LISTS}
    for page in pages:
        sections[list_of_page[page.pk]].append(item(page))
    sections = [{"label": LISTS[key].label, "items": items} for key, items in sections.items() if items]
    count = sum(len(section["items"]) for section in sections)
    if not count:
        return []
    with translation.override(email.language):
        subject = ngettext(
            "Your weekly summary: %(count)s new item", "Your weekly summary: %(count)s new items", count
        ) % {"count": count}
        context = {"sections": sections, "count": count, "title": subject}
        return [message(subscriber, email, subject, "home/alerts/emails/digest", context)]


def register_emails() -> None:
    outbox.register(ALERT, _("Email alert"), build_alert, keep_days=KEEP_DAYS)
    outbox.register(DIGEST, _("Weekly summary of email alerts"), build_digest, keep_days=KEEP_DAYS)
