"""The lists a visitor can follow by email, what each page type tells them, and who wants a page: pure
rules, beside the models (home/alerts/models.py), with unit tests.

A list is a page type; some lists can be narrowed by facets of the page (its topics, its division,
a release's type), named by slug, which is the same in every language."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengePage
from jobs.models import JobPostingPage
from news.models import NewsReleasePage, PartnerStoryPage


@dataclass(frozen=True)
class AlertList:
    key: str
    label: str
    model: type
    facets: tuple[str, ...] = ()  # the filters a subscription to it may have: "topics", "divisions", "types"


LISTS: dict[str, AlertList] = {
    alert_list.key: alert_list
    for alert_list in [
        AlertList("challenges", _("New challenges"), ChallengePage, ("topics", "divisions")),
        AlertList("news", _("News releases"), NewsReleasePage, ("types", "topics")),
        AlertList("jobs", _("Job postings"), JobPostingPage),
        AlertList("stories", _("Stories from partner cities"), PartnerStoryPage),
    ]
}


def list_of(page) -> AlertList | None:
    """The list a (specific) page is announced to, or None."""
    for alert_list in LISTS.values():
        if isinstance(page, alert_list.model):
            return alert_list
    return None


def facets_of(page) -> dict[str, set[str]]:
    """What a subscription's filters are compared with: the page's topics, division and type, by slug."""
    facets: dict[str, set[str]] = {}
    if hasattr(page, "topics"):
        facets["topics"] = {topic.slug for topic in page.topics.all()}
    division = getattr(page, "division", None)
    if division is not None:
        facets["divisions"] = {division.slug}
    release_type = getattr(page, "release_type", None)
    if release_type:
        facets["types"] = {release_type}
    return facets


def wants(filters: dict, facets: dict[str, set[str]]) -> bool:
    """Whether a subscription with `filters` wants a page with `facets`: for each facet it narrows,
    the page must have one of the chosen values; a facet it leaves empty takes everything."""
    return all(set(chosen) & facets.get(name, set()) for name, chosen in (filters or {}).items() if chosen)


def clean_filters(alert_list: AlertList, raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """Only the facets the list has, each a sorted list of distinct slugs (what is stored)."""
    return {name: sorted(set(raw.get(name) or [])) for name in alert_list.facets if raw.get(name)}
