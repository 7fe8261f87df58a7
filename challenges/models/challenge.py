"""The challenge page: a call for innovators to solve one City service problem in a stint the City
can procure. Its fields, editing tabs, API and search fields and routes are in the modules it
combines here; this one holds its dates and status, its template context and its JSON-LD."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models.challenge_api import API_FIELDS, SEARCH_FIELDS
from challenges.models.challenge_fields import ChallengeFields
from challenges.models.challenge_panels import CALL_PANELS, CONTENT_PANELS, EDIT_HANDLER, FORM_PANELS, OUTCOME_PANELS
from challenges.models.challenge_routes import ChallengeRoutes
from challenges.models.dates import KeyDateKind
from challenges.models.forms import ChallengePageForm
from challenges.outcomes import normalised_teams
from challenges.status import Milestones, Status, closing_soon_from, compute_status, days_left
from challenges.structured_data import info_session_events
from site_core.local_time import city_zone
from site_core.models import BasePage
from site_core.seo.structured_data import image_object


class ChallengePage(ChallengeRoutes, ChallengeFields, BasePage):
    """A call for innovators to solve one City service problem in a stint the City can procure."""

    base_form_class = ChallengePageForm

    content_panels = CONTENT_PANELS
    call_panels = CALL_PANELS
    form_panels = FORM_PANELS
    outcome_panels = OUTCOME_PANELS
    edit_handler = EDIT_HANDLER
    search_fields = SEARCH_FIELDS
    api_fields = API_FIELDS

    parent_page_types = ["challenges.ChallengeIndexPage"]
    subpage_types: list[str] = []
    served_with_related = ("division",)

    class Meta:
        verbose_name = _("challenge")

    # --- dates and status -------------------------------------------------------------------

    def milestones(self) -> Milestones:
        return Milestones(self.opens_at, self.closes_at, self.stint_starts_at, self.stint_ends_at)

    def refresh_milestones(self) -> None:
        """Copy the milestone dates from the key dates (in memory, so it works on unsaved revisions)."""
        by_kind = {}
        for key_date in self.key_dates.all():
            by_kind.setdefault(key_date.kind, key_date.starts_at)
        self.opens_at = by_kind.get(KeyDateKind.OPENS)
        self.closes_at = by_kind.get(KeyDateKind.CLOSES)
        self.closing_soon_at = closing_soon_from(self.closes_at) if self.closes_at else None
        self.stint_starts_at = by_kind.get(KeyDateKind.STINT_START)
        stint_end = by_kind.get(KeyDateKind.STINT_END)
        if stint_end is None and self.stint_starts_at is not None:
            # Same Toronto wall-clock time N weeks later, whatever daylight saving does in between.
            stint_end = self.stint_starts_at.astimezone(city_zone()) + datetime.timedelta(weeks=self.stint_length_weeks)
        self.stint_ends_at = stint_end

    def save(self, *args, **kwargs):
        self.refresh_milestones()
        self.selected_teams = normalised_teams(self.selected_teams)  # so the results hub counts lines
        return super().save(*args, **kwargs)

    def status_at(self, now: datetime.datetime) -> Status:
        return compute_status(self.milestones(), now)

    @property
    def status(self) -> Status:
        if not hasattr(self, "_status"):
            self._status = self.status_at(timezone.now())
        return self._status

    @property
    def days_left(self) -> int | None:
        if self.closes_at is None or not self.status.accepts_applications:
            return None
        return days_left(self.closes_at, timezone.now())

    @property
    def card_summary(self) -> str:
        return self.listing_summary or self.summary

    def sorted_key_dates(self):
        return sorted(self.key_dates.all(), key=lambda key_date: key_date.starts_at)

    @property
    def shows_announcements_first(self) -> bool:
        return self.status in {Status.UPCOMING, Status.OPEN, Status.CLOSING_SOON}

    # --- the page ---------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["key_dates"] = self.sorted_key_dates()
        context["announcements"] = sorted(self.announcements.all(), key=lambda a: a.published_at, reverse=True)
        context["related_news"] = [
            link.page
            for link in self.release_links.filter(page__live=True, page__locale_id=self.locale_id)
            .select_related("page")
            .order_by("-page__release_date")[:3]
        ]
        return context

    def get_structured_data(self, request, meta, context) -> list[dict]:
        """An Event per information session, on the challenge's own page (whose context holds the
        key dates already loaded for the timeline)."""
        key_dates = context.get("key_dates")
        if key_dates is None:
            return []
        image = meta.image and image_object(meta.image.url, meta.image.width, meta.image.height, meta.image.alt)
        return info_session_events(
            key_dates,
            title=self.title,
            url=request.build_absolute_uri(self.get_url(request)),
            organizer=meta.organization,
            description=self.summary,
            image=image,
        )
