"""The registrant's side, at /<lang>/events/…: the registration form of an event, the answer after it,
and cancelling from the link in an email.

- **Register** names the event (never its online link), says how many seats are left or that the
  list is full (the form then joins the waiting list), and closes at the event's start. It is spam
  defended as the alerts form is (home/alerts/views.py): the flood guard's 429 is the only refusal,
  a filled honeypot is held for a check (it takes no seat until staff release it), never dropped.
  An address already registered gets the answer a new registration would get, and nothing twice.
- **Registered** (redirect after the post) reads its answer from a signed receipt in its address:
  a status and a place, no personal data.
- **Cancel**: a GET shows a button (mail scanners follow links), the POST cancels, again and again
  harmlessly; the freed seat goes to the first on the waiting list (home/events/seats.py)."""

import uuid

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from home.events import seats
from home.events.catalogue import Event, find_event
from home.events.forms import RegistrationForm
from home.events.models import Registration, RegistrationKey
from site_core.models import OfficeDetails
from site_core.security.personal_pages import personal_page
from site_core.security.rate_limits import over_limit

FLOOD_GROUP = "event-registration-posts"
RECEIPT_SALT = "home.events.receipt"
RECEIPT_MAX_AGE = 7 * 24 * 3600
HELD_HONEYPOT = "a field people never see was filled in"


def _flooding(request) -> bool:
    """Past ALERTS_POST_RATE_LIMIT posts from one client address (its own counter): refused with a 429
    that says nothing was stored. The limiter's store being down never refuses anyone."""
    return over_limit(request, FLOOD_GROUP, settings.ALERTS_POST_RATE_LIMIT)


def _event_or_404(key: uuid.UUID) -> Event:
    event = find_event(key)
    if event is None:
        raise Http404("no event taking registrations")
    return event


def _seats_context(event: Event) -> dict:
    taken = seats.counts(event.key)
    return {"event": event, "seats_left": max(event.capacity - taken["confirmed"], 0)}


@require_http_methods(["GET", "HEAD", "POST"])
def register_view(request, key: uuid.UUID):
    event = _event_or_404(key)
    if event.has_started():
        return personal_page(request, "home/events/closed.html", {"event": event}, status=410)
    office = OfficeDetails.for_language(translation.get_language())
    if request.method != "POST":
        context = {**_seats_context(event), "form": RegistrationForm(), "office": office}
        return personal_page(request, "home/events/register.html", context)
    if _flooding(request):
        back = {
            "back_url": reverse("events:register", kwargs={"key": event.key}),
            "back_label": _("Back to the registration form"),
        }
        return personal_page(request, "components/too_many_forms.html", back, status=429)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        context = {**_seats_context(event), "form": form, "office": office}
        return personal_page(request, "home/events/register.html", context, status=400)
    held = HELD_HONEYPOT if form.honeypot_filled else ""
    answer = seats.register(event, event.page, form.cleaned_data, translation.get_language(), held=held)
    receipt = signing.dumps({"k": str(event.key), "s": answer.status, "p": answer.position}, salt=RECEIPT_SALT)
    return redirect(reverse("events:registered", kwargs={"key": event.key}) + f"?receipt={receipt}")


def registered_view(request, key: uuid.UUID):
    event = _event_or_404(key)
    try:
        receipt = signing.loads(request.GET.get("receipt", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        raise Http404("no such receipt") from None
    if receipt.get("k") != str(event.key):
        raise Http404("a receipt of another event")
    context = {
        "event": event,
        "confirmed": receipt.get("s") == Registration.Status.CONFIRMED,
        "position": receipt.get("p") or 0,
    }
    return personal_page(request, "home/events/registered.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def cancel_view(request, key: str):
    registration = RegistrationKey.registration_of(key)
    if registration is None:
        raise Http404("unknown registration link")
    event = find_event(registration.translation_key, translation.get_language())
    if request.method == "POST":
        seats.cancel(registration, timezone.now())
        return personal_page(request, "home/events/cancelled.html", {"event": event}, keyed=True)
    if registration.status == Registration.Status.CANCELLED:
        return personal_page(request, "home/events/cancelled.html", {"event": event}, keyed=True)
    context = {"event": event, "registration": registration, "key": key}
    return personal_page(request, "home/events/cancel.html", context, keyed=True)
