"""The home page: what the office does, and what is happening now."""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester
from wagtail_localize.fields import TranslatableField

from challenges.models import ChallengeIndexPage
from challenges.queries import statuses_q
from challenges.status import STATUS_FILTERS
from jobs.models import JobIndexPage, open_postings
from news.models import NewsIndexPage, PartnerCityIndexPage
from site_core.api.fields import HERO_IMAGE, LISTING_API_FIELDS, PageLinkField, RenditionField, StreamBlocksField
from site_core.blocks import BodyBlock
from site_core.caching.content_cache import remember
from site_core.models import BasePage, PartnerCity
from site_core.seo import structured_data


class HomePagePermissionTester(PagePermissionTester):
    """Wagtail's page permissions pass down the tree, so "may edit the home page" would also mean
    "may edit every section under it". The `home.change_homepage` model permission grants editing
    this page alone (Communications editors); publishing still goes through the review workflow."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser and user.has_perm("home.change_homepage"):
            self.permissions = {*self.permissions, "change"}


class HomePage(BasePage):
    hero_heading = models.CharField(
        _("hero heading"),
        max_length=120,
        help_text=_("The page's main heading: what the office does, in a few words."),
    )
    hero_text = models.TextField(
        _("hero text"), max_length=400, blank=True, help_text=_("One or two sentences under the heading.")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
        help_text=_("Decorative: it is shown without alternative text."),
    )
    hero_cta_label = models.CharField(
        _("button label"),
        max_length=60,
        blank=True,
        help_text=_("Say where the button goes, e.g. 'See open challenges'."),
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("button links to"),
    )
    featured_release = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pinned release"),
        help_text=_("Optional: a release shown first under Latest news, whatever its date."),
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("more about the office"),
        help_text=_("Optional content below the news and partner cities."),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        PageChooserPanel("featured_release", "news.NewsReleasePage"),
        FieldPanel("body"),
    ]

    # The button's target is translated with the page (the French home links to the French page).
    override_translatable_fields = [TranslatableField("hero_cta_page"), TranslatableField("featured_release")]

    api_fields = [
        *LISTING_API_FIELDS,
        APIField("hero_heading"),
        APIField("hero_text"),
        APIField("hero_image", serializer=RenditionField(HERO_IMAGE, decorative=True)),
        APIField("hero_cta_label"),
        APIField("hero_cta_page", serializer=PageLinkField()),
        APIField("featured_release", serializer=PageLinkField()),
        APIField("body", serializer=StreamBlocksField()),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "challenges.ChallengeIndexPage",
        "challenges.ResultsPage",
        "news.NewsIndexPage",
        "news.PartnerCityIndexPage",
        "jobs.JobIndexPage",
        "home.StandardPage",
    ]

    summary_field = "hero_text"  # describes the page to search engines when it has no SEO description

    def get_structured_data(self, request, meta, context) -> list[dict]:
        """The office (Organization) and the site in this language (WebSite, with its search)."""
        site = structured_data.website(
            name=meta.site_name,
            url=meta.home_url,
            language=meta.language_tag,
            publisher=meta.organization,
            search_url=meta.search_url,
        )
        return [meta.organization, site]

    def permissions_for_user(self, user):
        return HomePagePermissionTester(user, self)

    class Meta:
        verbose_name = _("home page")

    def latest_news(self, count: int = 3) -> list:
        """The newest releases, the pinned one first. Which ones they are is kept in the shared cache
        until content changes (site_core/caching/content_cache.py), so a render reads them by primary key in
        one query; ordering every release by "pinned first" would sort all of them
        (docs/performance.md)."""
        releases = NewsIndexPage.listing_queryset(self.locale_id)
        if not self.featured_release_id:
            return list(releases[:count])
        pinned = Case(When(pk=self.featured_release_id, then=Value(0)), default=Value(1))

        def pick() -> list[int]:
            newest = list(releases.values_list("pk", flat=True)[:count])  # from the release-date index
            chosen = releases.filter(pk__in=[*newest, self.featured_release_id]).order_by(
                pinned, "-release_date", "-pk"
            )
            return list(chosen.values_list("pk", flat=True)[:count])

        ids = remember("latest-news", (self.locale_id, self.featured_release_id, count), pick)
        return list(releases.filter(pk__in=ids).order_by(pinned, "-release_date", "-pk"))

    def open_challenges(self, count: int = 3):
        """Challenges taking applications now, the soonest deadline first."""
        now = timezone.now()
        challenges = ChallengeIndexPage.listing_queryset(self.locale_id).filter(statuses_q(STATUS_FILTERS["open"], now))
        return challenges.order_by("closes_at", "pk")[:count]

    def section_indexes(self) -> dict:
        """The live index pages under this home page, for "see all" links, fetched in the same query
        as the hero button's target page."""
        wanted = {
            "challenge_index": ChallengeIndexPage,
            "news_index": NewsIndexPage,
            "partner_index": PartnerCityIndexPage,
            "job_index": JobIndexPage,
        }
        content_types = {ContentType.objects.get_for_model(model).pk: name for name, model in wanted.items()}
        found = dict.fromkeys(wanted)
        children = Q(path__startswith=self.path, depth=self.depth + 1, content_type_id__in=content_types)
        pages = Page.objects.live().filter(children | Q(pk=self.hero_cta_page_id or 0)).select_related("locale")
        for page in pages:
            if page.pk == self.hero_cta_page_id:
                self.hero_cta_page = page  # fills the foreign key's cache: no second query for the button
            name = content_types.get(page.content_type_id)
            if name and page.depth == self.depth + 1 and page.path.startswith(self.path):
                found[name] = found[name] or page
        return found

    def get_context(self, request, *args, **kwargs):
        """Everything below the header, read only when shown: the page keeps it as a fragment of HTML
        (home/home_page.html, site_core/templatetags/fragments.py), and a fragment from the cache reads
        nothing."""
        context = super().get_context(request, *args, **kwargs)
        sections = functools.cache(self.section_indexes)

        def partner_cities() -> list:
            cities = PartnerCity.for_locale(self.locale_id)
            if sections()["partner_index"] is not None:
                for city in cities:
                    city.url = f"{sections()['partner_index'].url}{city.slug}/"
            return cities

        def hero_cta_page():
            sections()  # the hero button's page comes in the same query as the indexes
            return self.hero_cta_page

        context["open_challenges"] = SimpleLazyObject(lambda: list(self.open_challenges()))
        context["latest_news"] = SimpleLazyObject(lambda: list(self.latest_news()))
        context["open_jobs"] = SimpleLazyObject(lambda: list(open_postings(self.locale_id)[:3]))
        for name in ("challenge_index", "news_index", "partner_index", "job_index"):
            context[name] = SimpleLazyObject(lambda name=name: sections()[name])
        context["hero_cta_page"] = SimpleLazyObject(hero_cta_page)
        context["partner_cities"] = SimpleLazyObject(partner_cities)
        return context


from home.alerts.models import AlertBroadcast, AlertDelivery, Subscriber, SubscriberKey, Subscription  # noqa: E402, F401
from home.events.models import EventSeats, Registration, RegistrationKey  # noqa: E402, F401
from home.messages.models import VisitorMessage  # noqa: E402, F401
from home.standard import StandardPage  # noqa: E402, F401
