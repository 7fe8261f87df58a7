"""The list of challenge calls for one language: filters by status, division and topic, open calls
first (site_core.models.IndexPage's listing contract), an RSS feed and the open data."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import path

from challenges.feeds import ChallengeFeed
from challenges.models.challenge import ChallengePage
from challenges.open_data import csv_response, json_response, open_data_context
from challenges.queries import listing_order, statuses_q
from challenges.status import STATUS_FILTER_LABELS, STATUS_FILTERS
from site_core.caching.content_cache import remember
from site_core.listings.queries import live_in_locale
from site_core.models import BasePage, Division, IndexPage, ListingFilter, Topic


class ChallengeIndexPage(IndexPage):
    """The list of challenge calls for one language, with filters and an RSS feed."""

    empty_message = models.TextField(
        _("message when nothing matches"),
        blank=True,
        help_text=_("Shown when no challenge matches the filters, e.g. how to hear about the next call."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro", help_text=_("One or two sentences above the list of challenges.")),
        FieldPanel("empty_message"),
    ]
    subpage_types = ["challenges.ChallengePage"]

    listing_name = "challenges"
    per_page = 12

    class Meta:
        verbose_name = _("challenge list")

    # --- the listing (site_core/models/indexes.py) -------------------------------------------

    @classmethod
    def listing_queryset(cls, locale_id: int) -> models.QuerySet:
        return (
            live_in_locale(ChallengePage, locale_id)
            .select_related("division", "listing_image")
            .prefetch_related("listing_image__renditions")
        )

    def listing_filters(self, now: datetime.datetime) -> list[ListingFilter]:
        divisions = remember(  # the filter offers only divisions with a live challenge
            "challenge-divisions",
            (self.locale_id,),
            lambda: list(Division.objects.filter(locale_id=self.locale_id, challenges__live=True).distinct()),
        )
        topics = Topic.for_locale(self.locale_id)
        return [
            ListingFilter(
                "status",
                _("Status"),
                _("Any status"),
                list(STATUS_FILTER_LABELS.items()),
                lambda items, value: items.filter(statuses_q(STATUS_FILTERS[value], now)),
                timeless=False,  # a status depends on the time of the request
            ),
            ListingFilter.by_snippet(
                "division", _("City division"), _("Any division"), divisions, "division", self.locale_id
            ),
            ListingFilter.by_snippet("topic", _("Topic"), _("Any topic"), topics, "topics", self.locale_id),
        ]

    def listing_order(self, now: datetime.datetime) -> list:
        return listing_order(now)

    def prepare_cards(self, items, now: datetime.datetime) -> None:
        for challenge in items:
            challenge._status = challenge.status_at(now)

    # --- routes -------------------------------------------------------------------------------

    def get_cached_paths(self):
        """The fixed addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py)."""
        return ["/", "feed/", "open-data/", "open-data/challenges.csv", "open-data/challenges.json"]

    @path("feed/")
    def feed(self, request):
        return ChallengeFeed(self)(request)

    @path("open-data/")
    def open_data(self, request):
        return self.render(
            request, template="challenges/open_data.html", context_overrides=open_data_context(self, request)
        )

    @path("open-data/challenges.csv/")  # served at …/challenges.csv (see site_core/urls.py)
    def open_data_csv(self, request):
        return csv_response(self, request)

    @path("open-data/challenges.json/")  # served at …/challenges.json
    def open_data_json(self, request):
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
