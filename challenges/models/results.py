"""The results hub (/en/results/, /fr/resultats/): every completed challenge of one language with its
outcome, filters by division, topic, year and procurement, figures counted from the pages and the
same rows as a CSV file (site_core.models.IndexPage's listing contract)."""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import path
from wagtail.models import Page

from challenges.models.challenge import ChallengePage
from challenges.open_data import challenge_row, csv_file_response, facts_for, open_data_challenges
from challenges.outcomes import PROCURED, team_count_expression
from challenges.queries import status_q
from challenges.status import Status
from site_core.caching.content_cache import remember
from site_core.listings.filters import read_choice
from site_core.listings.queries import live_in_locale, restricted_paths
from site_core.local_time import city_zone
from site_core.models import Division, IndexPage, ListingFilter, Topic

OUTCOME_OPTIONS = [(PROCURED, _("Procured by the City")), ("not-procured", _("Not procured (yet)"))]


def completed(challenges: QuerySet, now: datetime.datetime) -> QuerySet:
    """The challenges whose stint had ended at `now` (status "completed")."""
    return challenges.filter(status_q(Status.COMPLETED, now))


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[January 1, next January 1) on Toronto's calendar: the stints that ended in `year`."""
    zone = city_zone()
    return datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def by_outcome(items: QuerySet, value: str) -> QuerySet:
    procured = Q(procurement_outcome=PROCURED)
    return items.filter(procured) if value == PROCURED else items.exclude(procured)


def by_year(items: QuerySet, value: str) -> QuerySet:
    start, end = year_bounds(int(value))
    return items.filter(stint_ends_at__gte=start, stint_ends_at__lt=end)


def public_release_links(locale_id: int) -> Prefetch:
    """A challenge's links from live, public releases of its language, newest first, as
    `public_release_links` (one query for every card; the link model is news's, reached through the
    relation so this app does not import news)."""
    link_model = Page.release_links.rel.related_model
    links = link_model.objects.filter(page__live=True, page__locale_id=locale_id)
    paths = restricted_paths()
    if paths:
        links = links.exclude(reduce(or_, (Q(page__path__startswith=path) for path in paths)))
    links = links.select_related("page").order_by("-page__release_date", "pk")
    return Prefetch("release_links", queryset=links, to_attr="public_release_links")


class ResultsPage(IndexPage):
    """What the office achieved: every completed challenge of one language, with its outcome."""

    content_panels = IndexPage.content_panels
    subpage_types: list[str] = []

    listing_name = "results"
    per_page = 10
    cache_listing_count = False  # which challenges are completed depends on the time of the request

    class Meta:
        verbose_name = _("results hub")

    # --- the listing (site_core/models/indexes.py) -------------------------------------------

    @classmethod
    def listing_queryset(cls, locale_id: int) -> QuerySet:
        return (
            live_in_locale(ChallengePage, locale_id)
            .select_related("division")
            .prefetch_related(public_release_links(locale_id))
        )

    def completed_challenges(self, now: datetime.datetime) -> QuerySet:
        return completed(self.listing_queryset(self.locale_id), now)

    def listing_filters(self, now: datetime.datetime) -> list[ListingFilter]:
        divisions = remember(  # the same divisions as the challenge list's filter
            "challenge-divisions",
            (self.locale_id,),
            lambda: list(Division.objects.filter(locale_id=self.locale_id, challenges__live=True).distinct()),
        )
        years = [year for year, first_end in self.stint_end_years() if first_end <= now]
        return [
            ListingFilter.by_snippet(
                "division", _("City division"), _("Any division"), divisions, "division", self.locale_id
            ),
            ListingFilter.by_snippet(
                "topic", _("Topic"), _("Any topic"), Topic.for_locale(self.locale_id), "topics", self.locale_id
            ),
            ListingFilter("year", _("Year completed"), _("Any year"), [(str(y), str(y)) for y in years], by_year),
            ListingFilter("outcome", _("Outcome"), _("Any outcome"), OUTCOME_OPTIONS, by_outcome),
        ]

    def stint_end_years(self) -> list[tuple[int, datetime.datetime]]:
        """Each Toronto year in which a live challenge's stint ends, newest first, with the first such
        end: the year filter offers those whose first end has passed. From the shared cache until
        content changes (it depends on the pages only, not on the time)."""

        def compute():
            return list(
                live_in_locale(ChallengePage, self.locale_id)
                .filter(stint_ends_at__isnull=False)
                .annotate(year=ExtractYear("stint_ends_at", tzinfo=city_zone()))
                .values_list("year")
                .annotate(first_end=Min("stint_ends_at"))
                .order_by("-year")
            )

        return remember("result-years", (self.locale_id,), compute)

    def listing_order(self, now: datetime.datetime) -> list:
        return ["-stint_ends_at", "-pk"]

    def prepare_cards(self, items, now: datetime.datetime) -> None:
        for challenge in items:
            challenge._status = Status.COMPLETED
            challenge.result_year = challenge.stint_ends_at.astimezone(city_zone()).year

    # --- what the page shows --------------------------------------------------------------------

    @staticmethod
    def summary_figures(challenges: QuerySet) -> dict:
        """Challenges run, teams engaged and solutions procured, counted from the pages in one query
        (the teams by the rule of challenges/outcomes.py)."""
        figures = challenges.order_by().aggregate(
            challenges=Count("pk"),
            teams=Sum(team_count_expression()),
            procured=Count("pk", filter=Q(procurement_outcome=PROCURED)),
        )
        return {**figures, "teams": figures["teams"] or 0}

    def filtered(self, request, items: QuerySet, now: datetime.datetime) -> QuerySet:
        """`items` narrowed by the filters the request gives, as the listing reads them (unknown values
        ignored), for the CSV of the rows the page shows."""
        for spec in self.listing_filters(now):
            value, _notice = read_choice(request, spec.name, {option for option, _label in spec.options})
            if value:
                items = spec.apply(items, value)
        return items

    @path("")
    def listing(self, request):
        now = timezone.now()
        challenges = self.completed_challenges(now)
        context = self.listing_context(request, challenges, timeless=False)
        query = context["filter_query"].rstrip("&")
        context["figures"] = self.summary_figures(challenges)
        context["csv_url"] = f"{self.get_url(request)}results.csv" + (f"?{query}" if query else "")
        return self.render(request, context_overrides=context)

    @path("results.csv/")  # served at …/results.csv (site_core/urls.py)
    def results_csv(self, request):
        """The completed challenges the filters select, in the open data's columns (docs/open-data.md)."""
        now = timezone.now()
        items = self.filtered(request, completed(open_data_challenges(self.locale_id), now), now)
        language = self.locale.language_code
        rows = [
            challenge_row(facts_for(challenge, challenge.get_full_url(request), language, now))
            for challenge in items.order_by("-stint_ends_at", "-pk")
        ]
        return csv_file_response(rows, f"results-{language}.csv")

    def get_cached_paths(self):
        """The fixed addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py)."""
        return ["/", "results.csv"]
