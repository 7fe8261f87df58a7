"""The registrants' emails, queued in the outbox (site_core/services/outbox.py) in the transaction of
the change they tell, written at send time in the registrant's language, one recipient each:

- "event-confirmed": a seat is theirs, with the online link and a calendar file (.ics) holding it;
- "event-waiting": they are on the waiting list (and their place);
- "event-seat-freed": someone cancelled and the seat is now theirs, with the link and the .ics;
- "event-reminder": the day before (home/events/reminders.py), with the link.

Every email names the event, says how to cancel (a link with a new key: home/events/models.py) and
signs with the office's name and address. Nothing is sent when the registration no longer has the
status the email tells, or its event has started or is no longer shown."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from challenges.calendar import CalendarEntry, calendar_file
from home.events.catalogue import Event, find_event
from home.events.models import Registration
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services import outbox

CONFIRMED = "event-confirmed"
WAITING = "event-waiting"
SEAT_FREED = "event-seat-freed"
REMINDER = "event-reminder"
KINDS = (CONFIRMED, WAITING, SEAT_FREED, REMINDER)
KEEP_DAYS = 30  # the row holds the address; the registration records what happened

SUBJECTS = {
    CONFIRMED: _("You are registered: %(title)s"),
    WAITING: _("You are on the waiting list: %(title)s"),
    SEAT_FREED: _("A seat is yours: %(title)s"),
    REMINDER: _("Tomorrow: %(title)s"),
}
# The status a registration must still have for its email to go.
STATUS = {
    CONFIRMED: Registration.Status.CONFIRMED,
    WAITING: Registration.Status.WAITING,
    SEAT_FREED: Registration.Status.CONFIRMED,
    REMINDER: Registration.Status.CONFIRMED,
}


def kind_for(status: str) -> str:
    return CONFIRMED if status == Registration.Status.CONFIRMED else WAITING


def queue(kind: str, registration: Registration, dedupe_key: str | None = None) -> OutgoingEmail:
    """Queue one email to the registrant (call in the transaction that changed the registration)."""
    return outbox.queue(
        kind, registration.email, language=registration.language, about=registration, dedupe_key=dedupe_key
    )


def registration_of(email: OutgoingEmail) -> Registration | None:
    if email.content_type_id is None or email.content_type.model_class() is not Registration:
        return None
    return Registration.objects.filter(pk=email.object_id, email__iexact=email.to).first()


def registrant_calendar(event: Event, page_url: str) -> bytes:
    """The event in the registrant's own calendar file: with the online link, which the public
    calendar of the page never holds."""
    details = [event.row.registration_note, event.row.online_url]
    entry = CalendarEntry(
        uid=event.calendar_uid,
        summary=event.title,
        starts_at=event.row.starts_at,
        ends_at=event.row.ends_at,
        description="\n".join(line for line in details if line),
        location=event.row.location,
        url=event.row.online_url or page_url,
    )
    return calendar_file(event.title, [entry], timezone.now()).to_ical()


def build(email: OutgoingEmail) -> list[EmailMessage]:
    registration = registration_of(email)
    if registration is None or registration.status != STATUS[email.kind]:
        return []
    with translation.override(email.language):
        event = find_event(registration.translation_key, email.language)
        if event is None or event.has_started():
            return []
        key = registration.new_key()
        page_url = settings.BASE_URL + event.page.url
        with_link = email.kind != WAITING
        context = {
            "kind": email.kind,
            "registration": registration,
            "event": event,
            "title": event.title,
            "page_url": page_url,
            "online_url": event.row.online_url if with_link else "",
            "position": registration.waiting_position() if email.kind == WAITING else 0,
            "cancel_url": settings.BASE_URL + reverse("events:cancel", kwargs={"key": key}),
            "office": OfficeDetails.for_language(email.language),
            "base_url": settings.BASE_URL,
        }
        subject = " ".join(str(SUBJECTS[email.kind] % {"title": event.title}).split())
        body = render_to_string("home/events/emails/registration.txt", context)
        message = EmailMessage(subject=subject, body=body, to=[email.to])
        if email.kind in (CONFIRMED, SEAT_FREED):
            name = slugify(event.page.slug)[:60] or "event"
            message.attach(f"{name}.ics", registrant_calendar(event, page_url), "text/calendar")
    return [message]


def register_emails() -> None:
    labels = {
        CONFIRMED: _("Event registration confirmed"),
        WAITING: _("Event waiting list"),
        SEAT_FREED: _("Event seat freed"),
        REMINDER: _("Event reminder"),
    }
    for kind, label in labels.items():
        outbox.register(kind, label, build, keep_days=KEEP_DAYS)
