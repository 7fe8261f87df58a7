"""Admin wiring for the application module."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from challenges.admin_views import (
    DOWNLOAD_ACTION,
    EXPORT_ACTION,
    PURGE_ACTION,
    VIEW_ACTION,
    ApplicationViewSet,
    PanelMemberViewSet,
    download_attachment,
)
from challenges.conflicts import DECLARE_ACTION, DeclareConflictsView
from challenges.dashboard import add_challenge_panels
from challenges.decisions import DECIDE_ACTION, RELEASE_ACTION, TEAMS_ACTION, chairs, is_publisher
from challenges.models import ChallengePage, PanelMember
from challenges.panels import reviews_challenge
from challenges.review_views import (
    RETURN_ACTION,
    SCORES_EXPORT_ACTION,
    SUBMIT_ACTION,
    DecideView,
    PanelTableView,
    ReleaseView,
    ReviewHomeView,
    ScoreSheetView,
    fill_teams,
    return_sheet,
)
from challenges.submission import APPLICANT_EDIT_ACTION, APPLICANT_WITHDRAW_ACTION


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return ApplicationViewSet()


@hooks.register("register_admin_viewset")
def register_panel_viewset():
    return PanelMemberViewSet()


@hooks.register("register_admin_urls")
def register_attachment_url():
    return [
        path("applications/<int:pk>/attachment/", download_attachment, name="application_attachment"),
        path(
            "applications/<int:pk>/versions/<int:number>/attachment/",
            download_attachment,
            name="application_version_attachment",
        ),
        path(
            "applications/conflicts/<int:challenge_id>/",
            DeclareConflictsView.as_view(),
            name="application_conflicts",
        ),
        path("applications/<int:pk>/score/", ScoreSheetView.as_view(), name="application_score"),
        path(
            "applications/<int:pk>/score/<int:reviewer_id>/return/",
            return_sheet,
            name="application_score_return",
        ),
        path("review/", ReviewHomeView.as_view(), name="review_home"),
        path("review/<int:challenge_id>/", PanelTableView.as_view(), name="review_panel"),
        path("review/<int:challenge_id>/decide/<int:pk>/", DecideView.as_view(), name="review_decide"),
        path("review/<int:challenge_id>/release/", ReleaseView.as_view(), name="review_release"),
        path("review/<int:challenge_id>/teams/", fill_teams, name="review_teams"),
    ]


class ReviewMenuItem(MenuItem):
    """Review: for the members of a panel and for Publishers."""

    def is_shown(self, request):
        user = request.user
        return is_publisher(user) or PanelMember.objects.filter(user=user).exists()


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewMenuItem(_("Review"), reverse("review_home"), icon_name="tick", order=260)


@hooks.register("register_log_actions")
def register_application_log_actions(actions):
    actions.register_action(VIEW_ACTION, _("View application"), _("Viewed the application"))
    actions.register_action(EXPORT_ACTION, _("Export application"), _("Exported the application"))
    actions.register_action(DOWNLOAD_ACTION, _("Download attachment"), _("Downloaded the application's PDF"))
    actions.register_action(PURGE_ACTION, _("Delete after retention"), _("Deleted at the end of its retention period"))
    actions.register_action(DECLARE_ACTION, _("Declare conflicts"), _("Declared conflicts of interest"))
    actions.register_action(APPLICANT_EDIT_ACTION, _("Changed by the applicant"), _("Changed by its applicant"))
    actions.register_action(SUBMIT_ACTION, _("Submit scores"), _("Submitted a score sheet"))
    actions.register_action(RETURN_ACTION, _("Return scores"), _("Returned a score sheet to its reviewer"))
    actions.register_action(SCORES_EXPORT_ACTION, _("Export scores"), _("Exported the panel's scores"))
    actions.register_action(DECIDE_ACTION, _("Record a decision"), _("Recorded a decision"))
    actions.register_action(RELEASE_ACTION, _("Release decisions"), _("Released the decisions of the challenge"))
    actions.register_action(TEAMS_ACTION, _("Name the selected teams"), _("Named the selected teams on a draft"))
    actions.register_action(APPLICANT_WITHDRAW_ACTION, _("Withdrawn by the applicant"), _("Withdrawn by its applicant"))


@hooks.register("register_page_header_buttons")
def applications_button(page, user, view_name=None, next_url=None):
    """ "Applications" next to a challenge's title in the admin, for the reviewers of its panel only."""
    if isinstance(page.specific_deferred, ChallengePage) and reviews_challenge(user, page):
        url = reverse("applications:index") + f"?challenge={page.pk}"
        yield Button(_("Applications"), url, icon_name="form", priority=45)
    if isinstance(page.specific_deferred, ChallengePage) and chairs(user, page):
        yield Button(_("Panel scores"), reverse("review_panel", args=[page.pk]), icon_name="tick", priority=46)


@hooks.register("construct_homepage_panels")
def challenge_dashboard_panels(request, panels):
    """Applications received this week (reviewers) and challenges closing soon (page editors)."""
    add_challenge_panels(request, panels)
