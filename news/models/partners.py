"""Stories from the partner cities of the Innovation Teams network."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from news.feeds import StoryFeed
from site_core.api.fields import (
    LARGE_IMAGE,
    LISTING_API_FIELDS,
    RenditionField,
    SnippetField,
    SnippetListField,
    StreamBlocksField,
)
from site_core.blocks import BodyBlock
from site_core.listings.queries import live_in_locale
from site_core.models import BasePage, IndexPage, PartnerCity


class PartnerCityIndexPage(IndexPage):
    """The partner cities, each with its stories: /partner-cities/ lists the cities and the latest
    stories, /partner-cities/<city>/ one city's stories, /partner-cities/<story>/ a story; the RSS
    feeds of every story (feed/) and of one city's (<city>/feed/)."""

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro", help_text=_("One or two sentences above the cities.")),
    ]
    subpage_types = ["news.PartnerStoryPage"]

    listing_name = "stories"
    per_page = 10
    cache_listing_count = False
    children_win = True  # a story (a child page) wins over a city of the same slug

    class Meta:
        verbose_name = _("partner cities")

    @classmethod
    def listing_queryset(cls, locale_id: int) -> models.QuerySet:
        """Newest first."""
        return (
            live_in_locale(PartnerStoryPage, locale_id)
            .select_related("partner_city", "listing_image", "image")
            .prefetch_related("listing_image__renditions", "image__renditions")
            .order_by("-story_date", "-pk")
        )

    def get_cached_paths(self):
        """The addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py): the
        list, its feed, and each partner city's page and feed of its language."""
        cities = PartnerCity.for_locale(self.locale_id)
        return ["/", "feed/", *(f"{city.slug}/{route}" for city in cities for route in ("", "feed/"))]

    def city_url(self, city) -> str:
        return f"{self.url}{city.slug}/"

    @path("")
    def cities(self, request):
        cities = list(PartnerCity.objects.filter(locale_id=self.locale_id))
        latest = list(self.listing_queryset(self.locale_id)[:6])
        for city in cities:
            city.url = self.city_url(city)
        return self.render(request, context_overrides={"cities": cities, "latest_stories": latest})

    @path("feed/")  # before the cities' route: a city cannot be called "feed"
    def feed(self, request):
        return StoryFeed(self)(request)

    @path("<slug:city_slug>/feed/")
    def city_feed(self, request, city_slug):
        city = get_object_or_404(PartnerCity, locale_id=self.locale_id, slug=city_slug)
        return StoryFeed(self, city)(request)

    @path("<slug:city_slug>/")
    def city(self, request, city_slug):
        city = get_object_or_404(PartnerCity, locale_id=self.locale_id, slug=city_slug)
        stories = self.listing_context(request, self.listing_queryset(self.locale_id).filter(partner_city=city))
        # The city in the languages it is translated into (its slug is synchronised, but a city may
        # not be translated yet): where the page's hreflang alternates point.
        translated = PartnerCity.objects.filter(translation_key=city.translation_key)
        return self.render(
            request,
            template="news/partner_city.html",
            context_overrides={
                **stories,
                "city": city,
                "meta_title": city.name,
                "meta_description": city.description or f"{city.name}, {city.place}",
                "extra_breadcrumbs": [{"title": city.name, "url": self.city_url(city)}],
                "alternate_suffixes": {
                    code: f"{slug}/" for code, slug in translated.values_list("locale__language_code", "slug")
                },
            },
        )

    def sitemap_routes(self, request) -> list[dict]:
        """The city pages for the sitemap (site_core/seo/sitemaps.py): each city of this language, last
        modified when its newest story was published. `key` pairs a city with its translations."""
        stories = live_in_locale(PartnerStoryPage, self.locale_id).order_by()
        latest = dict(stories.values_list("partner_city").annotate(latest=Max("last_published_at")))
        url = self.get_url(request)
        return [
            {
                "path": f"{url}{city.slug}/",
                "lastmod": latest.get(city.pk) or self.last_published_at,
                "key": f"{self.translation_key}:{city.translation_key}",
            }
            for city in PartnerCity.for_locale(self.locale_id)
        ]


class PartnerStoryPage(BasePage):
    """What a partner city's innovation team tried, learned or launched."""

    partner_city = models.ForeignKey(
        "site_core.PartnerCity",
        on_delete=models.PROTECT,
        related_name="stories",
        verbose_name=_("partner city"),
    )
    story_date = models.DateField(
        _("date"), default=datetime.date.today, help_text=_("When the story happened or was told.")
    )
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in listings and at the top.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("Shown at the top of the story."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required when there is an image."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("story"))
    topics = ParentalManyToManyField("site_core.Topic", blank=True, related_name="+", verbose_name=_("topics"))

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("partner_city"), FieldPanel("story_date")], heading=_("Where and when")),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
        FieldPanel("topics"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields(
            "partner_city", [index.SearchField("name"), index.SearchField("region"), index.SearchField("country")]
        ),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    # The public API (docs/open-data.md): what the story shows.
    api_fields = [
        *LISTING_API_FIELDS,
        APIField("partner_city", serializer=SnippetField("name", "slug", "region", "country", "program", "website")),
        APIField("story_date"),
        APIField("summary"),
        APIField("image", serializer=RenditionField(LARGE_IMAGE, alt_attribute="image_alt")),
        APIField("body", serializer=StreamBlocksField()),
        APIField("topics", serializer=SnippetListField("name", "slug")),
    ]
    # A translation's topics follow its source's, in its own language (BasePage.localise_snippet_links).
    override_translatable_fields = [SynchronizedField("topics", overridable=False)]
    parent_page_types = ["news.PartnerCityIndexPage"]
    subpage_types: list[str] = []
    served_with_related = ("partner_city", "image")

    class Meta:
        verbose_name = _("partner story")
        verbose_name_plural = _("partner stories")

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image for people who cannot see it.")})

    def get_related_cached_urls(self, roots) -> list[str]:
        """Its partner city's page and feed list it too (site_core/caching/proxy_cache.py)."""
        index_url = self.get_parent().get_full_url(roots)
        if not index_url or not self.partner_city_id:
            return []
        city_url = f"{index_url}{self.partner_city.slug}/"
        return [city_url, f"{city_url}feed/"]

    @property
    def card_summary(self) -> str:
        return self.listing_summary or self.summary

    @property
    def card_image(self):
        return self.listing_image or self.image
