"""The "Scheduled publishing" panel on the admin dashboard: pages of any type (embargoed news releases
above all) that will go live, or come down, on their own. Two queries, whatever the number of pages.

How Wagtail 8 records a schedule (wagtail/actions/publish_revision.py): publishing with a go-live time
in the future sets `approved_go_live_at` on that revision (and clears it on every other revision of
the page); `publish_scheduled` publishes it when the time comes, and clears it. A live page keeps its
live row untouched meanwhile, so its `go_live_at` column is not reliable: the revision is. A draft that
merely has a go-live time was never approved, so it is not scheduled. Unpublishing is the live row's
`expire_at`."""

import datetime

from django.db.models import CharField, IntegerField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision
from wagtail.permission_policies.pages import PagePermissionPolicy

MAX_ROWS = 20
PAGE_EDITING_ACTIONS = {"add", "change", "publish"}


def can_edit_pages(user) -> bool:
    return PagePermissionPolicy().user_has_any_permission(user, PAGE_EDITING_ACTIONS)


def pages_user_may_edit(user):
    """Scheduled pages are often embargoed: list only those the user may edit or publish."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, {"change", "publish"})


def scheduled_publishing(user) -> list[Page]:
    """Pages with an approved, scheduled revision, soonest first, as `scheduled_at`. One query."""
    approved = Revision.objects.page_revisions().filter(approved_go_live_at__isnull=False)
    return list(
        pages_user_may_edit(user)
        .filter(pk__in=approved.values(page_id=Cast("object_id", IntegerField())))
        .annotate(
            scheduled_at=Subquery(
                approved.filter(object_id=Cast(OuterRef("pk"), CharField()))
                .order_by("approved_go_live_at")
                .values("approved_go_live_at")[:1]
            )
        )
        .select_related("content_type")
        .only("pk", "title", "draft_title", "locale_id", "live", "content_type")
        .order_by("scheduled_at", "pk")[: MAX_ROWS + 1]
    )


def scheduled_unpublishing(user) -> list[Page]:
    """Live pages set to expire (come down), soonest first. One query."""
    return list(
        pages_user_may_edit(user)
        .filter(live=True, expire_at__isnull=False)
        .select_related("content_type")
        .only("pk", "title", "draft_title", "locale_id", "live", "expire_at", "content_type")
        .order_by("expire_at", "pk")[: MAX_ROWS + 1]
    )


def page_type_name(page: Page) -> str:
    model = page.content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else ""


def rows(pages: list[Page], when: str, now: datetime.datetime) -> list[dict]:
    return [
        {
            "page": page,
            "type": page_type_name(page),
            "when": getattr(page, when),
            # Past its time but not yet done: the `publish_scheduled` command has not run since.
            "overdue": getattr(page, when) <= now,
        }
        for page in pages[:MAX_ROWS]
    ]


class ScheduledPublishingPanel(Component):
    name = "cio_scheduled_publishing"
    template_name = "home/admin/dashboard_scheduled_publishing.html"
    order = 245

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        now = timezone.now()
        going_live = scheduled_publishing(user)
        coming_down = scheduled_unpublishing(user)
        return {
            "going_live": rows(going_live, "scheduled_at", now),
            "more_going_live": len(going_live) > MAX_ROWS,
            "coming_down": rows(coming_down, "expire_at", now),
            "more_coming_down": len(coming_down) > MAX_ROWS,
        }


def add_home_panels(request, panels) -> None:
    if can_edit_pages(request.user):
        panels.append(ScheduledPublishingPanel())
