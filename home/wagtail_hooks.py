"""Admin wiring of the top floor: dashboard panels that cover every page type, and Reports > Email
alerts (home/alerts/admin_views.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from home.alerts.admin_views import VIEW, AlertsReportView
from home.dashboard import add_home_panels
from home.events import wagtail_hooks as events_hooks  # noqa: F401 -- Reports > Event registrations
from home.messages import wagtail_hooks as messages_hooks  # noqa: F401 -- Reports > Messages from visitors


@hooks.register("construct_homepage_panels")
def home_dashboard_panels(request, panels):
    """Scheduled publishing and unpublishing, for page editors."""
    add_home_panels(request, panels)


class AlertsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_urls")
def register_alerts_report_url():
    return [path("alerts/", AlertsReportView.as_view(), name="alerts_report")]


@hooks.register("register_reports_menu_item")
def register_alerts_report_menu_item():
    return AlertsMenuItem(_("Email alerts"), reverse("alerts_report"), name="email-alerts", icon_name="mail", order=660)
