"""Reports > Event registrations (home/events/admin_views.py), imported by home/wagtail_hooks.py."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from home.events.admin_views import VIEW, EventRegistrantsView, EventsReportView


class EventsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_urls")
def register_events_report_urls():
    return [
        path("events/", EventsReportView.as_view(), name="events_report"),
        path("events/<uuid:key>/", EventRegistrantsView.as_view(), name="event_registrants"),
    ]


@hooks.register("register_reports_menu_item")
def register_events_report_menu_item():
    return EventsMenuItem(
        _("Event registrations"), reverse("events_report"), name="event-registrations", icon_name="date", order=670
    )
