"""The abstract index page every section's listing builds on (challenges, newsroom, partner cities,
jobs): the introduction, the tree rules the sections share, and the listing contract.

A page type says what it lists (`listing_queryset`: live, public pages of one language, with what
their cards show), which filters it offers (`listing_filters`), in which order (`listing_order`) and
what its cards compute per item (`prepare_cards`); `listing_context` reads the filters from the
query string (an unknown value is ignored with a notice), applies them, orders and paginates the
items (`site_core.listings.pagination.paginate`, the count from the shared cache when the query does
not depend on the time of the request) and returns what the templates show. The routes call it; the
home page and the feeds start from `listing_queryset` too."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from site_core.api.fields import LISTING_API_FIELDS
from site_core.listings.filters import filter_field, query_string, read_choice
from site_core.listings.pagination import paginate

from .pages import BasePage


@dataclass(frozen=True)
class ListingFilter:
    """One select of a listing's filter form (components/filter_form.html): `?<name>=` takes one of
    the values of `options` ((value, label) pairs); `apply(items, value)` narrows the queryset.
    `timeless` is False when the narrowed query depends on the time of the request (a status), so
    its count is not cached."""

    name: str
    label: str
    any_label: str
    options: list[tuple[str, str]]
    apply: Callable[[models.QuerySet, str], models.QuerySet]
    timeless: bool = True

    @classmethod
    def by_snippet(cls, name: str, label, any_label, snippets, field: str, locale_id: int) -> "ListingFilter":
        """A filter on a snippet (a division, a topic) by its slug: `field` is the relation the listed
        pages reach it through; `snippets` the ones offered, in the listing's language."""
        return cls(
            name,
            label,
            any_label,
            [(item.slug, item.name) for item in snippets],
            lambda items, value: items.filter(**{f"{field}__slug": value, f"{field}__locale_id": locale_id}),
        )


class IndexPage(RoutablePageMixin, BasePage):
    """Abstract parent of the section index pages, one per language right under the home page."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("One or two sentences above the list."))

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    api_fields = [*LISTING_API_FIELDS, APIField("intro")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1
    summary_field = "intro"  # describes the page to search engines when it has no SEO description

    # The listing contract (see the module's docstring).
    listing_name = "items"  # the page of items' name in the template context
    per_page = 12
    cache_listing_count = True  # the count from the shared cache when the query does not depend on the time
    # A child page wins over a route of the same address (the partner cities: stories are what editors
    # name). site_core/routing.py follows the same rule.
    children_win = False

    class Meta:
        abstract = True

    def route(self, request, path_components):
        if self.children_win and path_components:
            try:
                return Page.route(self, request, path_components)
            except Http404:
                pass
        return super().route(request, path_components)

    # How site_core/routing.py recognises this rule (a subclass with a `route` of its own routes itself),
    # without importing this module, which imports the pages it routes.
    route.children_first = True

    @classmethod
    def listing_queryset(cls, locale_id: int) -> models.QuerySet:
        """Live, public pages of one language that the index lists, with `select_related` and
        `prefetch_related` for what their cards show."""
        raise NotImplementedError

    def listing_filters(self, now: datetime.datetime) -> list[ListingFilter]:
        return []

    def listing_order(self, now: datetime.datetime) -> list | None:
        """The listing's ORDER BY, or None to keep the queryset's own."""
        return None

    def prepare_cards(self, items, now: datetime.datetime) -> None:
        """Set what the cards of the page shown compute at `now`, once for the whole page."""

    def prepared_cards(self, items, now: datetime.datetime) -> list:
        items = list(items)
        self.prepare_cards(items, now)
        return items

    @path("")
    def listing(self, request):
        """The listing at the index's own address. A type whose own address shows more (the
        newsroom's archives, the partner cities) declares its own "" route, which comes first."""
        return self.render(request, context_overrides=self.listing_context(request))

    def listing_context(self, request, items: models.QuerySet | None = None, *, timeless: bool = True) -> dict:
        """The page of items (`items`, default the whole listing) the request asks for, filtered,
        ordered and paginated, with the filter form, the notices and the query string the
        pagination links keep. `timeless`: `items` does not depend on the time of the request."""
        now = timezone.now()
        items = self.listing_queryset(self.locale_id) if items is None else items
        selected, fields, notices = {}, [], []
        for spec in self.listing_filters(now):
            value, notice = read_choice(request, spec.name, {option for option, _label in spec.options})
            if value:
                items = spec.apply(items, value)
                timeless = timeless and spec.timeless
            selected[spec.name] = value
            fields.append(filter_field(spec.name, spec.label, spec.any_label, spec.options, value))
            if notice:
                notices.append(notice)
        order = self.listing_order(now)
        if order:
            items = items.order_by(*order)
        page = paginate(request, items, per_page=self.per_page, cache_count=self.cache_listing_count and timeless)
        # Read (and prepared) only when the cards are shown: a listing kept as a fragment of HTML
        # (site_core/templatetags/fragments.py) shows them without reading them.
        page.object_list = SimpleLazyObject(partial(self.prepared_cards, page.object_list, now))
        return {
            self.listing_name: page,
            "filters": fields,
            "selected": selected,
            "filters_active": any(selected.values()),
            "filter_query": query_string(selected),
            "notices": notices,
        }
