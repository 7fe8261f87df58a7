"""Panels on the admin dashboard (`/admin/`) for the office's staff: applications received this week,
and challenges about to close. Each panel makes one query, whatever the number of rows."""

import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from challenges.admin_views import application_permission_policy
from challenges.models import ChallengePage
from challenges.panels import visible_applications

RECENT_DAYS = 7
CLOSING_DAYS = 14
MAX_ROWS = 25  # a dashboard summary, not a listing: past this, "and more" links to the full list

# The actions that make someone a page editor (Wagtail counts "add" as editing one's own pages).
PAGE_EDITING_ACTIONS = {"add", "change", "publish"}


def page_permission_policy():
    return PagePermissionPolicy()


def can_see_applications(user) -> bool:
    return application_permission_policy.user_has_permission(user, "view")


def can_edit_pages(user) -> bool:
    return page_permission_policy().user_has_any_permission(user, PAGE_EDITING_ACTIONS)


def recent_applications_by_challenge(user, now: datetime.datetime, days: int = RECENT_DAYS) -> list[dict]:
    """One row per challenge of `user`'s panels with applications received in the last `days` days:
    applications not held, those held for a check apart, and the newest not held. One query."""
    genuine = Q(is_spam=False)
    rows = (
        visible_applications(user)
        .filter(submitted_at__gte=now - datetime.timedelta(days=days))
        .values("challenge_id", "challenge__title", "challenge__draft_title", "challenge__locale_id")
        .annotate(
            received=Count("pk", filter=genuine),
            spam=Count("pk", filter=Q(is_spam=True)),
            newest=Max("submitted_at", filter=genuine),
        )
        .order_by(F("newest").desc(nulls_last=True), "challenge__title", "challenge_id")
    )
    listing = reverse("applications:index")
    return [
        {
            "challenge_id": row["challenge_id"],
            "title": row["challenge__draft_title"] or row["challenge__title"],
            "locale_id": row["challenge__locale_id"],
            "received": row["received"],
            "spam": row["spam"],
            "newest": row["newest"],
            "url": f"{listing}?challenge={row['challenge_id']}",
            "spam_url": f"{listing}?challenge={row['challenge_id']}&is_spam=true",
        }
        for row in rows
    ]


def challenges_closing_soon(user, now: datetime.datetime, days: int = CLOSING_DAYS):
    """Live challenges whose applications close between now and `days` days from now, soonest first,
    each marked `can_edit` for `user`. One query (the user's page permissions are cached)."""
    challenges = (
        ChallengePage.objects.live()
        .filter(closes_at__gte=now, closes_at__lte=now + datetime.timedelta(days=days))
        .only("pk", "title", "draft_title", "locale_id", "closes_at")
        .order_by("closes_at", "pk")
    )
    if not user.is_superuser:
        editable = page_permission_policy().instances_user_has_any_permission_for(user, {"change", "publish"})
        challenges = challenges.annotate(can_edit=Exists(editable.filter(pk=OuterRef("pk"))))
    rows = list(challenges[: MAX_ROWS + 1])
    if user.is_superuser:
        for challenge in rows:
            challenge.can_edit = True
    return rows


class RecentApplicationsPanel(Component):
    """Applications received in the last week, per challenge, for the people who review them, under
    the number of applications held for a check (two queries)."""

    name = "cio_recent_applications"
    template_name = "challenges/admin/dashboard_recent_applications.html"
    order = 230

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        rows = recent_applications_by_challenge(user, timezone.now())
        return {
            "rows": rows,
            "days": RECENT_DAYS,
            "total_received": sum(row["received"] for row in rows),
            "total_spam": sum(row["spam"] for row in rows),
            "listing_url": reverse("applications:index"),
            # Held applications wait for a person, however old: all of them, not only this week's.
            "held_total": visible_applications(user).filter(is_spam=True).exclude(status="withdrawn").count(),
            "held_url": reverse("applications:index") + "?is_spam=true",
        }


class ClosingChallengesPanel(Component):
    """Challenges whose call closes in the next two weeks: time to remind, promote, or extend."""

    name = "cio_closing_challenges"
    template_name = "challenges/admin/dashboard_closing_challenges.html"
    order = 240

    def get_context_data(self, parent_context):
        rows = challenges_closing_soon(parent_context["request"].user, timezone.now())
        return {
            "rows": rows[:MAX_ROWS],
            "more": len(rows) > MAX_ROWS,
            "days": CLOSING_DAYS,
        }


def add_challenge_panels(request, panels) -> None:
    """The `construct_homepage_panels` hook: each panel only for the people it is for."""
    if can_see_applications(request.user):
        panels.append(RecentApplicationsPanel())
    if can_edit_pages(request.user):
        panels.append(ClosingChallengesPanel())
