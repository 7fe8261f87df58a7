"""Admin wiring of the top floor: dashboard panels that cover every page type."""

from wagtail import hooks

from home.dashboard import add_home_panels


@hooks.register("construct_homepage_panels")
def home_dashboard_panels(request, panels):
    """Scheduled publishing and unpublishing, for page editors."""
    add_home_panels(request, panels)
