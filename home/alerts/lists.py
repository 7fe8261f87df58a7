"""The lists a visitor can follow by email, what each page type tells them, and who wants a page: pure
rules, beside the models (home/alerts/models.py), with unit tests.

A list is a page type; some lists can be narrowed by facets of the page (its topics, its division,
a release's type), named by slug, which is the same in every language.

Following one challenge (FOLLOW) is a subscription whose target is the challenge's translation key
(the same in every language): its followers get its announcements and amendments, its newly answered
questions, a changed deadline, and reminders 7 days and 1 day before the deadline, always at once
(a reminder in a weekly summary would come too late)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengePage
from challenges.queries import statuses_q
from challenges.status import Status
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


FOLLOW = "challenge"  # the list key of a subscription to one challenge (its target: the translation key)
# A challenge can be followed until its stint ends (its followers hear of the selection and the stint).
FOLLOWABLE = (Status.UPCOMING, Status.OPEN, Status.CLOSING_SOON, Status.UNDER_REVIEW, Status.IN_PROGRESS)


def followable_challenges(locale_id: int, now: datetime.datetime, also: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(translation key, title) of the live, public challenges of a language a visitor can follow,
    soonest deadline first, plus those of `also` (what someone follows already): one query."""
    chosen = statuses_q(FOLLOWABLE, now) | Q(translation_key__in=list(also))
    pages = (
        ChallengePage.objects.live()
        .public()
        .filter(locale_id=locale_id)
        .filter(chosen)
        .order_by("closes_at", "title")
        .values_list("translation_key", "title")
    )
    return [(str(key), title) for key, title in pages]


def describe(choice: dict, locale_id: int | None = None) -> list[str]:
    """What a choice (a subscriber's pending request) follows, as the visitor reads it: the lists'
    names, then each followed challenge's title, in the language of `locale_id` where it has one (at
    most one query)."""
    lines = [str(LISTS[key].label) for key in (choice.get("lists") or {}) if key in LISTS]
    followed = choice.get("follow") or []
    titles: dict[str, str] = {}
    pages = ChallengePage.objects.filter(translation_key__in=followed).order_by("pk")
    for key, page_locale, title in pages.values_list("translation_key", "locale_id", "title"):
        if str(key) not in titles or page_locale == locale_id:  # its title in this language, if it has one
            titles[str(key)] = title
    for title in sorted(titles.values()):
        lines.append(str(_("Updates on the challenge “%(title)s”") % {"title": title}))
    return lines
