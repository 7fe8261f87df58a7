"""The newsroom: every release of its language, with recent, yearly and monthly archives, filters
by type and topic (site_core.models.IndexPage's listing contract), the period menu and RSS feeds."""

import datetime

from django.db import models
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import path, re_path

from news.archive import period_bounds, recent_since
from news.choices import ReleaseType
from news.feeds import ReleaseFeed
from news.models.releases import NewsReleasePage
from site_core.caching.content_cache import remember
from site_core.listings.queries import exclude_restricted, live_in_locale
from site_core.local_time import city_zone
from site_core.models import BasePage, IndexPage, ListingFilter, Topic


def period_has_releases(periods: list[dict], year: int, month: int | None = None) -> bool:
    """Whether `periods` (NewsIndexPage.archive_periods) holds the year, or the month of that year."""
    for period in periods:
        if period["year"] == year:
            return month is None or any(each["month"] == month for each in period["months"])
    return False


class NewsIndexPage(IndexPage):
    """The newsroom: every release of its language, with recent, yearly and monthly archives,
    filters by type and topic, and RSS feeds (all releases, and one per type)."""

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro", help_text=_("One or two sentences above the list of releases.")),
    ]
    subpage_types = ["news.NewsReleasePage"]

    listing_name = "releases"
    per_page = 10

    class Meta:
        verbose_name = _("newsroom")

    # --- the listing (site_core/models/indexes.py) -------------------------------------------

    @classmethod
    def listing_queryset(cls, locale_id: int) -> models.QuerySet:
        """Newest first."""
        return (
            live_in_locale(NewsReleasePage, locale_id)
            .order_by("-release_date", "-pk")
            .select_related("listing_image")
            .prefetch_related("listing_image__renditions")
        )

    def listing_filters(self, now: datetime.datetime) -> list[ListingFilter]:
        topics = Topic.for_locale(self.locale_id)
        return [
            ListingFilter(
                "type",
                _("Type"),
                _("Any type"),
                ReleaseType.choices,
                lambda items, value: items.filter(release_type=value),
            ),
            ListingFilter.by_snippet("topic", _("Topic"), _("Any topic"), topics, "topics", self.locale_id),
        ]

    def newsroom_context(self, request, releases, heading=None, timeless=True, periods=None) -> dict:
        """What every newsroom route shows: the page of `releases`, the filters, the period menu.
        `timeless`: `releases` does not depend on the time of the request (all but "recent")."""
        return {
            **self.listing_context(request, releases, timeless=timeless),
            "heading": heading or self.title,
            "meta_title": heading,  # an archive's own title; the newsroom itself uses its page's SEO title
            "periods": self.archive_periods() if periods is None else periods,
            "release_types": list(ReleaseType),
        }

    # --- archive periods ------------------------------------------------------------------------

    def period_counts(self):
        """Releases per year and month on Toronto's calendar, newest first (one GROUP BY query)."""
        return (
            self.listing_queryset(self.locale_id)
            .order_by()
            .annotate(
                year=ExtractYear("release_date", tzinfo=city_zone()),
                month=ExtractMonth("release_date", tzinfo=city_zone()),
            )
            .values("year", "month")
            .annotate(count=Count("pk"))
            .order_by("-year", "-month")
        )

    def archive_periods(self) -> list[dict]:
        """Years and months (on Toronto's calendar) that have releases, newest first, with the months'
        names in the active language: one query over every release of the language, kept in the
        shared cache until content changes, names included (naming a month per row was an eighth of
        the newsroom's render at bulk volume)."""

        def periods() -> list[dict]:
            years: dict[int, dict] = {}
            for row in self.period_counts():
                year = years.setdefault(row["year"], {"year": row["year"], "count": 0, "months": []})
                year["count"] += row["count"]
                label = date_format(datetime.date(row["year"], row["month"], 1), "F")
                year["months"].append({"month": row["month"], "count": row["count"], "label": label})
            return list(years.values())

        return remember("news-periods", (self.locale_id, translation.get_language()), periods)

    def languages_of_period(self, year: int, month: int | None = None) -> dict[str, str]:
        """The archive of a period in each language that has releases in it, as the route below each
        newsroom (the hreflang alternates and the language switcher's `alternate_suffixes`): an empty
        period is a 404, so no link may lead to one. One query over every language, cached."""
        rows = remember("news-periods-by-language", (), lambda: list(self.periods_in_every_language()))
        suffix = f"{year}/{month:02d}/" if month else f"{year}/"
        return {
            row["locale__language_code"]: suffix
            for row in rows
            if row["year"] == year and (month is None or row["month"] == month)
        }

    @staticmethod
    def periods_in_every_language():
        """(language, year, month) of every live, public release, on Toronto's calendar."""
        return (
            exclude_restricted(NewsReleasePage.objects.live())
            .order_by()
            .annotate(
                year=ExtractYear("release_date", tzinfo=city_zone()),
                month=ExtractMonth("release_date", tzinfo=city_zone()),
            )
            .values("locale__language_code", "year", "month")
            .distinct()
        )

    # --- routes -------------------------------------------------------------------------------

    def get_cached_paths(self):
        """The addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py): the
        newsroom, its feeds and every archive period that has releases (one query)."""
        periods = {(row["year"], row["month"]) for row in self.period_counts()}
        years = sorted({year for year, _month in periods})
        return [
            "/",
            "recent/",
            "feed/",
            *(f"feed/{kind}/" for kind in ReleaseType.values),
            *(f"{year}/" for year in years),
            *(f"{year}/{month:02d}/" for year, month in sorted(periods)),
        ]

    @path("")
    def all_releases(self, request):
        releases = self.listing_queryset(self.locale_id)
        return self.render(request, context_overrides=self.newsroom_context(request, releases))

    @path("recent/")
    def recent(self, request):
        releases = self.listing_queryset(self.locale_id).filter(release_date__gte=recent_since(timezone.now()))
        context = self.newsroom_context(
            request, releases, heading=_("News releases from the last 30 days"), timeless=False
        )
        return self.render(request, context_overrides={**context, "view": "recent"})

    @re_path(r"^(?P<year>\d{4})/$")
    def year_archive(self, request, year):
        return self._archive(request, int(year))

    @re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/$")
    def month_archive(self, request, year, month):
        return self._archive(request, int(year), int(month))

    def _archive(self, request, year: int, month: int | None = None):
        try:
            start, end = period_bounds(year, month)
        except ValueError as error:
            raise Http404(str(error)) from error
        # A period without releases is not a page (the period menu never links it): the menu's
        # cached counts say so without another query.
        periods = self.archive_periods()
        if not period_has_releases(periods, year, month):
            raise Http404("no releases in this period")
        releases = self.listing_queryset(self.locale_id).filter(release_date__gte=start, release_date__lt=end)
        heading = (
            _("News releases, %(month)s") % {"month": date_format(start, "YEAR_MONTH_FORMAT")}
            if month
            else _("News releases, %(year)s") % {"year": year}
        )
        context = self.newsroom_context(request, releases, heading=heading, periods=periods)
        return self.render(
            request,
            context_overrides={
                **context,
                "view": "archive",
                "year": year,
                "month": month,
                "alternate_suffixes": self.languages_of_period(year, month),
            },
        )

    @path("feed/")
    def feed(self, request):
        return ReleaseFeed(self)(request)

    @path("feed/<slug:release_type>/")
    def type_feed(self, request, release_type):
        if release_type not in ReleaseType.values:
            raise Http404("unknown release type")
        return ReleaseFeed(self, ReleaseType(release_type))(request)
