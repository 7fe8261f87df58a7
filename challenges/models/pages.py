"""Challenge calls: the index (listing, filters, feed) and the challenge page (call, dates, calendar)."""

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from challenges.blocks import CriteriaBlock, FAQBlock, PartnersBlock, ResourceBlock
from challenges.models.dates import KeyDateKind
from challenges.models.forms import ChallengePageForm
from challenges.status import Milestones, Status, closing_soon_from, compute_status, days_left
from challenges.structured_data import info_session_events
from site_core.api.fields import (
    LISTING_API_FIELDS,
    ComputedField,
    InlineListField,
    SnippetField,
    SnippetListField,
    StreamBlocksField,
)
from site_core.listings.queries import live_in_locale
from site_core.local_time import city_zone
from site_core.models import BasePage
from site_core.seo.structured_data import image_object
from site_core.text.rich_text import LIMITED_FEATURES


class ChallengeIndexPage(RoutablePageMixin, BasePage):
    """The list of challenge calls for one language, with filters and an RSS feed."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("One or two sentences above the list of challenges.")
    )
    empty_message = models.TextField(
        _("message when nothing matches"),
        blank=True,
        help_text=_("Shown when no challenge matches the filters, e.g. how to hear about the next call."),
    )

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("empty_message")]
    api_fields = [*LISTING_API_FIELDS, APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["challenges.ChallengePage"]
    max_count_per_parent = 1
    summary_field = "intro"  # describes the page to search engines when it has no SEO description

    class Meta:
        verbose_name = _("challenge list")

    def challenges(self):
        """Live, public challenges of this index's language, with what their cards show."""
        return live_challenges(self.locale_id)

    def get_cached_paths(self):
        """The fixed addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py)."""
        return ["/", "feed/", "open-data/", "open-data/challenges.csv", "open-data/challenges.json"]

    @path("")
    def listing(self, request):
        from challenges.views import challenge_listing_context

        return self.render(request, context_overrides=challenge_listing_context(self, request))

    @path("feed/")
    def feed(self, request):
        from challenges.feeds import ChallengeFeed

        return ChallengeFeed(self)(request)

    @path("open-data/")
    def open_data(self, request):
        from challenges.open_data import open_data_context

        return self.render(
            request, template="challenges/open_data.html", context_overrides=open_data_context(self, request)
        )

    @path("open-data/challenges.csv/")  # served at …/challenges.csv (see site_core/urls.py)
    def open_data_csv(self, request):
        from challenges.open_data import csv_response

        return csv_response(self, request)

    @path("open-data/challenges.json/")  # served at …/challenges.json
    def open_data_json(self, request):
        from challenges.open_data import json_response

        return json_response(self, request)

    def sitemap_routes(self, request) -> list[dict]:
        """The open-data page for the sitemap (site_core/seo/sitemaps.py), last modified when a challenge
        of this language was last published. `key` pairs it with its translations."""
        latest = live_in_locale(ChallengePage, self.locale_id).aggregate(latest=models.Max("last_published_at"))
        return [
            {
                "path": f"{self.get_url(request)}open-data/",
                "lastmod": latest["latest"] or self.last_published_at,
                "key": f"{self.translation_key}:open-data",
            }
        ]


def live_challenges(locale_id):
    return (
        live_in_locale(ChallengePage, locale_id)
        .select_related("division", "listing_image")
        .prefetch_related("listing_image__renditions")
    )


class ChallengePage(RoutablePageMixin, BasePage):
    """A call for innovators to solve one City service problem in a stint the City can procure."""

    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("The problem and the ask in one or two plain sentences. Shown in listings and at the top."),
    )
    problem_statement = RichTextField(
        _("the problem"),
        features=LIMITED_FEATURES,
        help_text=_("What is not working today, for whom, and what we know about why."),
    )
    who_is_affected = RichTextField(
        _("who is affected"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("The residents, businesses or staff who live with the problem, with numbers where known."),
    )
    success_looks_like = RichTextField(
        _("what success looks like"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("Measurable outcomes the City hopes for by the end of the stint."),
    )
    division = models.ForeignKey(
        "site_core.Division",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
        verbose_name=_("division"),
        help_text=_("The City division that owns the problem."),
    )
    topics = ParentalManyToManyField("site_core.Topic", blank=True, related_name="challenges", verbose_name=_("topics"))
    partners = StreamField(PartnersBlock(), blank=True, verbose_name=_("partner organisations"))
    eligibility = RichTextField(
        _("who can apply"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("Eligible applicants (e.g. incorporated startups, non-profits, researchers) and any conditions."),
    )
    evaluation_criteria = StreamField(CriteriaBlock(), blank=True, verbose_name=_("evaluation criteria"))
    award_value = models.CharField(
        _("award or contract value"),
        max_length=150,
        blank=True,
        help_text=_("As applicants should read it, e.g. 'Up to $50,000 for the 16-week stint'."),
    )
    award_amount = models.DecimalField(
        _("award amount (CAD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The maximum amount as a number, for sorting and open data. Leave blank if not fixed."),
    )
    stint_length_weeks = models.PositiveSmallIntegerField(
        _("stint length (weeks)"),
        default=16,
        help_text=_("How long selected teams work with the City."),
    )
    procurement_path = RichTextField(
        _("after the stint"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_(
            "How the City may procure the solution after a successful stint (e.g. non-competitive "
            "procurement up to a limit, or a follow-on competitive call)."
        ),
    )
    how_to_apply = RichTextField(
        _("how to apply"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("Steps, what to prepare, and where to ask questions."),
    )
    contact_email = models.EmailField(
        _("staff contact email"),
        blank=True,
        help_text=_(
            "Questions about this challenge go here, and application notifications are sent here. "
            "Defaults to the office's contact email."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep applications for (months)"),
        default=24,
        validators=[MinValueValidator(12)],
        help_text=_(
            "Months after the decision before applications and their files are deleted "
            "(at least 12). Check the City's records retention schedule."
        ),
    )
    resources = StreamField(ResourceBlock(), blank=True, verbose_name=_("resources"))
    faq = StreamField(FAQBlock(), blank=True, verbose_name=_("frequently asked questions"))

    outcome_summary = RichTextField(
        _("outcome"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("After the stint: what was piloted and what the City learned."),
    )
    selected_teams = models.TextField(
        _("selected teams"),
        blank=True,
        help_text=_("The teams selected for the stint, one per line."),
    )
    procurement_outcome = models.CharField(
        _("procurement decision"),
        max_length=20,
        blank=True,
        choices=[
            ("pending", _("Decision pending")),
            ("procured", _("The City procured the solution")),
            ("extended", _("The pilot was extended")),
            ("not-procured", _("The City did not procure the solution")),
        ],
    )

    # Computed from the key dates on every save, so listings filter and sort by status in the database.
    opens_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    closes_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    closing_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    stint_starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    stint_ends_at = models.DateTimeField(null=True, blank=True, editable=False)

    base_form_class = ChallengePageForm

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("problem_statement"), FieldPanel("who_is_affected"), FieldPanel("success_looks_like")],
            heading=_("The problem"),
        ),
        MultiFieldPanel([FieldPanel("division"), FieldPanel("topics"), FieldPanel("partners")], heading=_("Who")),
        InlinePanel(
            "key_dates",
            heading=_("Key dates"),
            label=_("key date"),
            min_num=1,
            help_text=_("Times are Toronto time. The status (open, closing soon, …) follows from these."),
        ),
        InlinePanel(
            "announcements",
            heading=_("Announcements and amendments"),
            label=_("announcement"),
            help_text=_("Dated notices shown at the top of the page while the call is open."),
        ),
    ]
    call_panels = [
        FieldPanel("eligibility"),
        FieldPanel("evaluation_criteria"),
        FieldRowPanel([FieldPanel("award_value"), FieldPanel("award_amount")]),
        FieldPanel("stint_length_weeks"),
        FieldPanel("procurement_path"),
        FieldPanel("how_to_apply"),
        FieldPanel("contact_email"),
        FieldPanel("resources"),
        FieldPanel("faq"),
    ]
    form_panels = [
        InlinePanel(
            "questions",
            heading=_("Questions for applicants"),
            label=_("question"),
            help_text=_(
                "Asked after the standard questions (organisation, contact, team, summary, PDF "
                "proposal), which every form has."
            ),
        ),
        FieldPanel("retention_months"),
    ]
    outcome_panels = [FieldPanel("outcome_summary"), FieldPanel("selected_teams"), FieldPanel("procurement_outcome")]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(call_panels, heading=_("The call")),
            ObjectList(form_panels, heading=_("Application form")),
            ObjectList(outcome_panels, heading=_("Outcome")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(BasePage.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary"),
        index.SearchField("problem_statement"),
        index.SearchField("who_is_affected"),
        index.SearchField("success_looks_like"),
        index.SearchField("eligibility"),
        index.SearchField("award_value"),
        index.SearchField("how_to_apply"),
        index.SearchField("procurement_path"),
        index.SearchField("faq"),
        index.SearchField("partners"),
        index.SearchField("outcome_summary"),
        index.SearchField("selected_teams"),
        index.RelatedFields("division", [index.SearchField("name")]),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("closes_at"),
    ]

    # The public API (docs/open-data.md): what the page shows, never the staff contact, the retention
    # period or the application form's configuration.
    api_fields = [
        *LISTING_API_FIELDS,
        APIField("status", serializer=ComputedField()),
        APIField("summary"),
        APIField("problem_statement"),
        APIField("who_is_affected"),
        APIField("success_looks_like"),
        APIField("division", serializer=SnippetField("name", "slug", "website")),
        APIField("topics", serializer=SnippetListField("name", "slug")),
        APIField(
            "key_dates",
            serializer=InlineListField("kind", "starts_at", "ends_at", "location", "online_url", order_by="starts_at"),
        ),
        APIField(
            "announcements",
            serializer=InlineListField(
                "published_at", "title", "body", rich_text_attributes=["body"], order_by="published_at"
            ),
        ),
        APIField("partners", serializer=StreamBlocksField()),
        APIField("eligibility"),
        APIField("evaluation_criteria", serializer=StreamBlocksField()),
        APIField("award_value"),
        APIField("award_amount"),
        APIField("stint_length_weeks"),
        APIField("procurement_path"),
        APIField("how_to_apply"),
        APIField("resources", serializer=StreamBlocksField()),
        APIField("faq", serializer=StreamBlocksField()),
        APIField("outcome_summary"),
        APIField("selected_teams"),
        APIField("procurement_outcome"),
    ]

    parent_page_types = ["challenges.ChallengeIndexPage"]
    subpage_types: list[str] = []

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

    @path("")
    def challenge(self, request):
        return self.render(request)

    def get_cached_paths(self):
        """The fixed addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py)."""
        return ["/", "calendar.ics"]

    def csrf_failure_response(self, request, view_name: str):
        """The application form again, with what was typed, when its security token had expired
        (site_core.views.csrf_failure)."""
        if view_name != "apply":
            return None
        from challenges.application_views import apply_again

        return apply_again(self, request)

    @path("apply/")
    def apply(self, request):
        from challenges.application_views import apply

        return apply(self, request)

    @path("apply/thanks/")
    def apply_thanks(self, request):
        from challenges.application_views import thanks

        return thanks(self, request)

    @path("calendar.ics/")  # served at …/calendar.ics (see site_core/urls.py)
    def calendar(self, request):
        from challenges.calendar import calendar_response

        return calendar_response(self, request)
