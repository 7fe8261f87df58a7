"""Job postings: the list (open first), its RSS feed and one posting with schema.org JobPosting data."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone, translation
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from jobs.feeds import JobFeed
from jobs.rules import is_open, job_posting_data
from site_core.api.fields import LISTING_API_FIELDS, ComputedField, SnippetField
from site_core.listings.queries import live_in_locale
from site_core.models import BasePage, Division, IndexPage, ListingFilter, OfficeDetails
from site_core.text.rich_text import LIMITED_FEATURES

ACCOMMODATION_STATEMENT = (
    "The City of Toronto is committed to creating an accessible and inclusive organization. We are "
    "committed to providing barrier-free and accessible employment practices in compliance with the "
    "Accessibility for Ontarians with Disabilities Act (AODA). Should you require Code-protected "
    "accommodation through any stage of the recruitment process, please make them known when contacted "
    "and we will work with you to meet your needs."
)


class EmploymentType(models.TextChoices):
    FULL_TIME = "full-time", _("Full-time")
    PART_TIME = "part-time", _("Part-time")
    CONTRACT = "contract", _("Contract")
    TEMPORARY = "temporary", _("Temporary")


class WorkArrangement(models.TextChoices):
    ON_SITE = "on-site", _("On site")
    HYBRID = "hybrid", _("Hybrid (on site and remote)")
    REMOTE = "remote", _("Remote")


def listing_order(now):
    """Open postings first, closing soonest first; then closed ones, most recently closed first."""
    closed = Case(When(closes_at__gt=now, then=Value(0)), default=Value(1), output_field=IntegerField())
    open_deadline = Case(When(closes_at__gt=now, then=F("closes_at")), default=None)
    return [closed.asc(), open_deadline.asc(nulls_last=True), F("closes_at").desc(), "-pk"]


def open_postings(locale_id):
    """Postings taking applications now, closing soonest first."""
    return JobIndexPage.listing_queryset(locale_id).filter(closes_at__gt=timezone.now()).order_by("closes_at", "pk")


class JobIndexPage(IndexPage):
    """The job postings of one language: open first, filters by division and employment type, and an
    RSS feed (newest posting first)."""

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro", help_text=_("One or two sentences above the postings.")),
    ]
    subpage_types = ["jobs.JobPostingPage"]

    listing_name = "postings"
    per_page = 20
    cache_listing_count = False

    class Meta:
        verbose_name = _("job list")

    @classmethod
    def listing_queryset(cls, locale_id: int) -> models.QuerySet:
        return live_in_locale(JobPostingPage, locale_id).select_related("division")

    def listing_filters(self, now: datetime.datetime) -> list[ListingFilter]:
        divisions = list(Division.objects.filter(locale_id=self.locale_id, jobs__live=True).distinct())
        return [
            ListingFilter.by_snippet(
                "division", _("City division"), _("Any division"), divisions, "division", self.locale_id
            ),
            ListingFilter(
                "type",
                _("Employment type"),
                _("Any type"),
                EmploymentType.choices,
                lambda items, value: items.filter(employment_type=value),
            ),
        ]

    def listing_order(self, now: datetime.datetime) -> list:
        return listing_order(now)

    def prepare_cards(self, items, now: datetime.datetime) -> None:
        for posting in items:
            posting._is_open = is_open(posting.closes_at, now)

    # --- routes -------------------------------------------------------------------------------

    def get_cached_paths(self):
        """The fixed addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py)."""
        return ["/", "feed/"]

    @path("feed/")
    def feed(self, request):
        return JobFeed(self)(request)


class JobPostingPage(BasePage):
    job_id = models.CharField(_("job ID"), max_length=40, help_text=_("The City's job ID, e.g. '2534871X'."))
    division = models.ForeignKey(
        "site_core.Division",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("division"),
    )
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    positions = models.PositiveSmallIntegerField(_("number of positions"), default=1)
    salary_min = models.DecimalField(_("salary from (CAD)"), max_digits=10, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(_("salary to (CAD)"), max_digits=10, decimal_places=2, null=True, blank=True)
    salary_period = models.CharField(
        _("salary per"), max_length=10, choices=[("year", _("year")), ("hour", _("hour"))], default="year"
    )
    hours = models.CharField(_("hours"), max_length=120, blank=True, help_text=_("e.g. '35 hours per week'."))
    street_address = models.CharField(_("street address"), max_length=200, default="100 Queen Street West")
    locality = models.CharField(_("city"), max_length=100, default="Toronto")
    region = models.CharField(_("province"), max_length=50, default="ON")
    postal_code = models.CharField(_("postal code"), max_length=10, default="M5H 2N2")
    country = models.CharField(_("country code"), max_length=2, default="CA")
    work_arrangement = models.CharField(
        _("where the work happens"), max_length=10, choices=WorkArrangement.choices, default=WorkArrangement.HYBRID
    )
    posting_date = models.DateField(_("posting date"), default=datetime.date.today)
    closes_at = models.DateTimeField(
        _("closing date and time"),
        help_text=_("Toronto time. After it, the posting shows as closed by itself."),
        db_index=True,
    )
    summary = models.TextField(_("summary"), max_length=600, help_text=_("The job in two or three sentences."))
    responsibilities = RichTextField(_("what you will do"), features=LIMITED_FEATURES)
    qualifications = RichTextField(_("what you bring"), features=LIMITED_FEATURES)
    offer = RichTextField(_("what we offer"), features=LIMITED_FEATURES, blank=True)
    apply_url = models.URLField(
        _("apply online at"), blank=True, help_text=_("The posting on the City's careers site.")
    )
    apply_email = models.EmailField(_("or apply by email to"), blank=True)
    accommodation_statement = models.TextField(
        _("accommodation statement"),
        default=ACCOMMODATION_STATEMENT,
        help_text=_("How applicants ask for accommodation (AODA). Keep it on every posting."),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("job_id"), FieldPanel("division")]),
                FieldRowPanel([FieldPanel("employment_type"), FieldPanel("positions")]),
                FieldRowPanel([FieldPanel("salary_min"), FieldPanel("salary_max"), FieldPanel("salary_period")]),
                FieldPanel("hours"),
            ],
            heading=_("The position"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel(
                    [FieldPanel("locality"), FieldPanel("region"), FieldPanel("postal_code"), FieldPanel("country")]
                ),
                FieldPanel("work_arrangement"),
            ],
            heading=_("Location"),
        ),
        FieldRowPanel([FieldPanel("posting_date"), FieldPanel("closes_at")], heading=_("Dates")),
        FieldPanel("summary"),
        FieldPanel("responsibilities"),
        FieldPanel("qualifications"),
        FieldPanel("offer"),
        MultiFieldPanel([FieldPanel("apply_url"), FieldPanel("apply_email")], heading=_("How to apply")),
        FieldPanel("accommodation_statement"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary"),
        index.SearchField("responsibilities"),
        index.SearchField("qualifications"),
        index.SearchField("offer"),
        index.SearchField("job_id"),
        index.SearchField("locality"),
        index.RelatedFields("division", [index.SearchField("name")]),
    ]
    # The public API (docs/open-data.md): what the posting shows.
    api_fields = [
        *LISTING_API_FIELDS,
        APIField("is_open", serializer=ComputedField()),
        APIField("job_id"),
        APIField("division", serializer=SnippetField("name", "slug", "website")),
        APIField("employment_type"),
        APIField("positions"),
        APIField("salary_min"),
        APIField("salary_max"),
        APIField("salary_period"),
        APIField("hours"),
        APIField("street_address"),
        APIField("locality"),
        APIField("region"),
        APIField("postal_code"),
        APIField("country"),
        APIField("work_arrangement"),
        APIField("posting_date"),
        APIField("closes_at"),
        APIField("summary"),
        APIField("responsibilities"),
        APIField("qualifications"),
        APIField("offer"),
        APIField("apply_url"),
        APIField("apply_email"),
        APIField("accommodation_statement"),
    ]
    parent_page_types = ["jobs.JobIndexPage"]
    subpage_types: list[str] = []
    served_with_related = ("division",)

    class Meta:
        verbose_name = _("job posting")

    def clean(self):
        super().clean()
        if not self.apply_url and not self.apply_email:
            raise ValidationError({"apply_url": _("Give a web address or an email address to apply to.")})
        if self.salary_min is not None and self.salary_max is not None and self.salary_max < self.salary_min:
            raise ValidationError({"salary_max": _("The top of the range is below its bottom.")})

    @property
    def is_open(self) -> bool:
        if not hasattr(self, "_is_open"):
            self._is_open = is_open(self.closes_at, timezone.now())
        return self._is_open

    @property
    def card_summary(self) -> str:
        return self.listing_summary or self.summary

    def get_structured_data(self, request, meta, context) -> list[dict]:
        """Its JobPosting while it is open: search engines ask for expired jobs to drop their data.
        The employer is the one named in the office details, in the page's language."""
        if not self.is_open:
            return []
        employer = OfficeDetails.employer_in(translation.get_language() or settings.LANGUAGE_CODE)  # the page's
        organisation = {"name": employer, "sameAs": settings.BASE_URL}
        return [job_posting_data(self, self.get_full_url(request), organisation)]

    def description_html(self) -> str:
        parts = [
            format_html("<p>{}</p>", self.summary),
            expand_db_html(self.responsibilities),
            expand_db_html(self.qualifications),
            expand_db_html(self.offer or ""),
        ]
        return "".join(part for part in parts if strip_tags(part).strip())
