"""Giving seats: every change to an event's registrations (a registration, a cancellation, a held one
released) happens with the event's `EventSeats` row locked (SELECT … FOR UPDATE; SQLite locks the
whole database for a write anyway), so the confirmed registrations are counted and the new one added
by one transaction at a time and an event never takes more people than its seats. Whoever is moved
off the waiting list (a seat freed, or the seats raised) is emailed in the same transaction, through
the outbox."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from home.events import emails
from home.events.catalogue import Event, find_event
from home.events.models import EventSeats, Registration
from site_core.models import OutgoingEmail
from site_core.services import outbox

Status = Registration.Status
RESEND_AFTER = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Answer:
    """What the person who sent the form is told: confirmed, or their place on the waiting list."""

    status: str
    position: int = 0


def counts(key) -> dict[str, int]:
    """{"confirmed": n, "waiting": n} of an event, in one query."""
    return Registration.objects.filter(translation_key=key).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )


def lock(key) -> EventSeats:
    """The event's seats row, locked until the transaction ends (call inside one)."""
    EventSeats.objects.get_or_create(translation_key=key)
    return EventSeats.objects.select_for_update().get(translation_key=key)


def next_answer(event: Event, taken: dict[str, int]) -> Answer:
    """What a new registration gets now: a seat while any is left, else the end of the waiting list."""
    if taken["confirmed"] < event.capacity:
        return Answer(Status.CONFIRMED)
    return Answer(Status.WAITING, taken["waiting"] + 1)


def fill_seats(event: Event, now: datetime.datetime) -> list[int]:
    """Move the first people on the waiting list to the free seats (none once the event has started);
    returns the ids of the emails that tell them. Call with the seats locked."""
    if event.has_started(now):
        return []
    free = event.capacity - counts(event.key)["confirmed"]
    if free <= 0:
        return []
    waiting = Registration.objects.filter(translation_key=event.key, status=Status.WAITING)
    queued = []
    for registration in waiting.order_by("created_at", "pk")[:free]:
        registration.status = Status.CONFIRMED
        registration.notified_at = now
        registration.save(update_fields=["status", "notified_at"])
        queued.append(emails.queue(emails.SEAT_FREED, registration).pk)
    return queued


def register(event: Event, page, data: dict, language: str, held: str = "", now=None) -> Answer:
    """Register `data` (the form's name, email, organisation, accessibility_needs) for the event. An
    address already registered is not registered twice, and its answer is the one a new registration
    would get (nothing tells that it was known); its own email goes again, at most once an hour. A
    held form (`held` says why) takes no seat until staff release it."""
    now = now or timezone.now()
    with transaction.atomic():
        lock(event.key)
        queued = fill_seats(event, now)
        taken = counts(event.key)
        answer = next_answer(event, taken)
        registration = Registration.objects.filter(translation_key=event.key, email=data["email"]).first()
        if registration is not None and registration.status != Status.CANCELLED:
            queued += resend(registration, now)
        else:
            registration = registration or Registration(translation_key=event.key, email=data["email"])
            registration.page = page
            registration.name = data["name"]
            registration.organisation = data.get("organisation", "")
            registration.accessibility_needs = data.get("accessibility_needs", "")
            registration.language = language
            registration.created_at = now
            registration.cancelled_at = registration.reminded_at = registration.notified_at = None
            registration.status = Status.HELD if held else answer.status
            registration.held_reason = held[:200]
            registration.save()
            if not held:
                queued.append(emails.queue(emails.kind_for(registration.status), registration).pk)
        outbox.send_soon(queued)
    return answer


def resend(registration: Registration, now) -> list[int]:
    """The registration's email again (its seat or its place), unless one was queued within the hour."""
    if registration.status not in (Status.CONFIRMED, Status.WAITING):
        return []
    recent = OutgoingEmail.objects.filter(
        kind__in=emails.KINDS, to=registration.email, object_id=registration.pk, created_at__gte=now - RESEND_AFTER
    )
    if recent.exists():
        return []
    return [emails.queue(emails.kind_for(registration.status), registration).pk]


def cancel(registration: Registration, now=None) -> bool:
    """Cancel (again: nothing happens, False); a freed seat goes to the first on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        lock(registration.translation_key)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return False
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        event = find_event(registration.translation_key, registration.language)
        if event is not None:
            outbox.send_soon(fill_seats(event, now))
    return True


def release(registration: Registration, now=None) -> Answer | None:
    """Staff checked a held registration: it gets a seat or a place on the waiting list, and its email.
    None when it is no longer held, or its event has started or is gone."""
    now = now or timezone.now()
    with transaction.atomic():
        lock(registration.translation_key)
        registration = Registration.objects.filter(pk=registration.pk, status=Status.HELD).first()
        event = registration and find_event(registration.translation_key, registration.language)
        if event is None or event.has_started(now):
            return None
        queued = fill_seats(event, now)
        answer = next_answer(event, counts(event.key))
        registration.status = answer.status
        registration.save(update_fields=["status"])
        queued.append(emails.queue(emails.kind_for(registration.status), registration).pk)
        outbox.send_soon(queued)
    return answer
