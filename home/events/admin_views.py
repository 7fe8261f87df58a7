"""Reports > Event registrations, for the Communications role: every event taking registrations with
its seats taken, capacity and waiting list; each event's registrants (name, organisation, email,
accessibility needs, status); the CSV export (formula-safe cells); and the registrations the spam
checks held, which staff release (they then get a seat or a place, and their email) or delete."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.events import seats
from home.events.catalogue import find_event, registrable_events
from home.events.models import Registration
from site_core.csv_download import csv_download

VIEW = "home.view_registration"
RELEASE = "home.change_registration"
EXPORT = "home.export_registration"
Status = Registration.Status
CSV_HEADER = ["event", "name", "organisation", "email", "accessibility needs", "language", "status", "registered"]


def export_response(registrations, filename: str):
    """The registrations as CSV, every cell through `spreadsheet_cell` (no formula runs)."""

    def rows():
        yield CSV_HEADER
        for registration in registrations.iterator(chunk_size=1000):
            yield [
                str(registration.translation_key),
                registration.name,
                registration.organisation,
                registration.email,
                registration.accessibility_needs,
                registration.language,
                registration.get_status_display(),
                registration.created_at,
            ]

    return csv_download(rows(), f"{filename}-{timezone.now():%Y-%m-%d}.csv")


class EventsAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def export(self, registrations, filename: str):
        if not self.request.user.has_perm(EXPORT):
            raise PermissionDenied
        return export_response(registrations.order_by("translation_key", "created_at", "pk"), filename)


class EventsReportView(EventsAdminMixin, TemplateView):
    template_name = "home/admin/events_report.html"
    page_title = _("Event registrations")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.export(Registration.objects.all(), "event-registrations")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        events = registrable_events(translation.get_language())
        counts = (
            Registration.objects.values("translation_key")
            .annotate(
                confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
                waiting=Count("pk", filter=Q(status=Status.WAITING)),
                held=Count("pk", filter=Q(status=Status.HELD)),
            )
            .order_by()
        )
        by_key = {row["translation_key"]: row for row in counts}
        empty = {"confirmed": 0, "waiting": 0, "held": 0}
        rows = [{"event": event, **by_key.get(event.key, empty)} for event in events]
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "can_export": self.request.user.has_perm(EXPORT),
            "now": timezone.now(),
        }


class EventRegistrantsView(EventsAdminMixin, TemplateView):
    template_name = "home/admin/event_registrants.html"
    page_title = _("Event registrants")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.key: uuid.UUID = kwargs["key"]

    def registrations(self):
        return Registration.objects.filter(translation_key=self.key)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.export(self.registrations(), f"registrants-{self.key}")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """Release a held registration (a seat or a place, and its email), or delete it."""
        if not request.user.has_perm(RELEASE):
            raise PermissionDenied
        here = reverse("event_registrants", kwargs={"key": self.key})
        registration = self.registrations().filter(pk=request.POST.get("release"), status=Status.HELD).first()
        if registration is None:
            messages.error(request, _("That registration is no longer held: nothing was changed."))
        elif request.POST.get("decision") == "drop":
            registration.delete()
            messages.success(
                request, _("The held registration of %(email)s is deleted.") % {"email": registration.email}
            )
        elif seats.release(registration) is None:
            messages.warning(request, _("The event has started or is no longer shown: nothing was changed."))
        else:
            messages.success(
                request, _("%(email)s is registered and is being emailed.") % {"email": registration.email}
            )
        return redirect(here)

    def get_context_data(self, **kwargs):
        event = find_event(self.key, translation.get_language())
        registrations = list(self.registrations().select_related("page").order_by("created_at", "pk"))
        if event is None and not registrations:
            raise Http404("no such event")
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "key": self.key,
            "registrations": registrations,
            "counts": seats.counts(self.key),
            "can_release": self.request.user.has_perm(RELEASE),
            "can_export": self.request.user.has_perm(EXPORT),
        }
