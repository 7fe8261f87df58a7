"""Site search at /<lang>/search/: live, public pages of the visitor's language among challenges,
news releases, partner stories and job postings, with the editors' promoted results on top.

Wagtail's database backend does the matching (PostgreSQL full text in production, SQLite FTS5 in
development), in the visitor's language (site_core/search_backend.py: French stems on PostgreSQL,
word starts on SQLite). The page costs a fixed number of queries however many pages match and of
whatever types: the language and the view restrictions, the counts per type in one GROUP BY (which also
give the total), one slice of results that joins each page's specific table (so a result needs no
query of its own), and on page 1 the promotions and their pages. Searches are not recorded (no
Query.add_hit): what residents type may identify them, and a GET stays read-only."""

from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamValue
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.utils import normalise_query_string

from challenges.models import ChallengeIndexPage, ChallengePage
from home.search_text import MAX_QUERY_LENGTH, clean_query, highlight, highlight_words, snippet, stream_text
from jobs.models import JobIndexPage, JobPostingPage
from news.models import NewsIndexPage, NewsReleasePage, PartnerCityIndexPage, PartnerStoryPage
from site_core.caching.content_cache import remember
from site_core.i18n.locales import locale as active_locale
from site_core.listings.filters import query_string, read_choice
from site_core.listings.pagination import paginate
from site_core.listings.queries import exclude_restricted
from site_core.routing import site_for_request
from site_core.search_backend import search_backend
from site_core.text.plain import plain_text, search_terms

PER_PAGE = 10


@dataclass(frozen=True)
class SearchType:
    model: type[Page]
    label: str  # the filter's label, plural
    index_model: type[Page]  # the section that lists this type, for "browse" links
    related: tuple[str, ...] = field(default=())  # what each result shows, fetched with it

    @property
    def accessor(self) -> str:
        """The name under which a base Page reaches its row of this type (multi-table inheritance)."""
        return self.model._meta.model_name


# The `?type=` values, in the order the filter shows them.
SEARCH_TYPES: dict[str, SearchType] = {
    "challenges": SearchType(ChallengePage, _("Challenges"), ChallengeIndexPage, ("division",)),
    "news": SearchType(NewsReleasePage, _("News releases"), NewsIndexPage),
    "stories": SearchType(PartnerStoryPage, _("Partner city stories"), PartnerCityIndexPage, ("partner_city",)),
    "jobs": SearchType(JobPostingPage, _("Job postings"), JobIndexPage, ("division",)),
}


def content_type_ids(models) -> dict[int, type[Page]]:
    """Content type id → model (from Django's per-process cache: no query once warm)."""
    return {content_type.pk: model for model, content_type in ContentType.objects.get_for_models(*models).items()}


def with_specific(pages):
    """`pages` (base Page rows) joined to the tables of the searchable types and what their results
    show: Django fills each page's specific instance from the same row, in the same query."""
    related = []
    for search_type in SEARCH_TYPES.values():
        related.append(search_type.accessor)
        related.extend(f"{search_type.accessor}__{name}" for name in search_type.related)
    return pages.select_related(*related)


def specific_page(page: Page) -> Page:
    """The specific instance of a page fetched through with_specific(), marked with its search type
    (`search_kind`); the base page itself when it is of another type."""
    kinds = {search_type.model: key for key, search_type in SEARCH_TYPES.items()}
    kind = kinds.get(content_type_ids(kinds).get(page.content_type_id))
    specific = getattr(page, SEARCH_TYPES[kind].accessor, None) if kind else None
    if specific is None:
        return page
    specific.search_kind = kind
    return specific


@dataclass
class Result:
    """One search result or promoted page, as the template shows it."""

    page: Page
    kind: str  # a SEARCH_TYPES key, or "" for another page type (only promotions can be one)
    url: str
    title: str
    summary: str = ""
    snippet: str = ""


class RankedResults:
    """The results of one search, ranked by the search backend, whose total is already known (from
    the per-type counts, so the paginator does not count again). Which pages make up each page of
    results is kept in the shared cache until content changes (site_core/caching/content_cache.py): ranking
    a word most pages contain is slow at bulk volume, while reading ten pages by primary key is not, in
    the same one query (docs/performance.md)."""

    def __init__(self, pages, search_string: str, operator: str, total: int, key: tuple, language: str):
        self.pages, self.search_string, self.operator = pages, search_string, operator
        self.total, self.key, self.language = total, key, language

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[Page]:
        """The pages in `window`, read when first used: a page of results kept as HTML
        (home/search.html, site_core/templatetags/fragments.py) reads none."""
        return SimpleLazyObject(partial(self.pages_in, window))

    def pages_in(self, window: slice) -> list[Page]:
        if not self.total or window.start == window.stop:
            return []
        ranked: dict[int, Page] = {}

        def rank() -> list[int]:
            backend = search_backend(self.language)
            found = list(backend.search(self.search_string, self.pages, operator=self.operator)[window])
            ranked.update((page.pk, page) for page in found)
            return [page.pk for page in found]

        ids = remember("search-results", (*self.key, window.start, window.stop), rank)
        if ids and not ranked:
            ranked = {page.pk: page for page in self.pages.filter(pk__in=ids)}
        return [ranked[pk] for pk in ids if pk in ranked]


def searchable_pages(locale):
    """Live, public pages of the four searchable types in one language: outside the view-restricted
    sections by their tree paths (site_core.listings.queries.exclude_restricted, from the shared cache),
    which the search backends accept as a filter on an indexed field, as they do Wagtail's `.public()`
    (which reads the restrictions from the database on every search)."""
    type_ids = content_type_ids(search_type.model for search_type in SEARCH_TYPES.values())
    pages = Page.objects.live().filter(locale_id=locale.pk, content_type_id__in=list(type_ids))
    return with_specific(exclude_restricted(pages))


def indexed_texts(page) -> list[str]:
    """The page's text in the order to look for a snippet: its summary, then each indexed field."""
    texts = [getattr(page, "card_summary", "") or ""]
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
            continue
        value = getattr(page, search_field.field_name, None)
        if isinstance(value, StreamValue):
            texts.append(stream_text(value.raw_data))
        elif isinstance(value, str):
            texts.append(plain_text(value))
    return texts


def promoted_pages(query: str, locale, kind: str) -> tuple[list, list[Page]]:
    """The editors' picks for the query that apply in this language (in their order) and the live,
    public page each shows in it.

    A pick applies to searches in its page's language. A language with no pick of its own for the
    query (none whose page is live and public) shows the translations of the picks made in the
    source language (English), or nothing for a pick not translated; a pick in another language never
    shows elsewhere, so French editors can promote "logement" to a French page without touching
    English searches. External links have no language: they show in every one. Two queries, as
    before: the picks with their pages' locales, and the pages."""
    picks = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .select_related("page__locale")
        .order_by("sort_order", "pk")
    )
    source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    own = [pick for pick in picks if pick.page_id and pick.page.locale_id == locale.pk]
    translated = [pick for pick in picks if pick.page_id and pick.page.locale.language_code == source]
    keys = {pick.page.translation_key for pick in own + translated}
    pages = []
    if keys:
        found = exclude_restricted(Page.objects.live().filter(translation_key__in=keys, locale_id=locale.pk))
        if kind:
            found = found.filter(content_type_id=ContentType.objects.get_for_model(SEARCH_TYPES[kind].model).pk)
        pages = [specific_page(page) for page in with_specific(found)]
    shown = {page.translation_key for page in pages}
    chosen = own if any(pick.page.translation_key in shown for pick in own) else translated
    return [pick for pick in picks if pick in chosen or not pick.page_id], pages


def build_result(page: Page, request, words: list[str] | None = None) -> Result:
    """A result from a page given by specific_page(); with `words`, its highlighted snippet."""
    kind = getattr(page, "search_kind", "")
    if not kind:  # a promoted page of another type: what every page has
        return Result(page, "", page.get_url(request), page.title, page.search_description)
    result = Result(page, kind, page.get_url(request), page.card_title, page.card_summary)
    if words is not None:
        result.snippet = highlight(snippet(indexed_texts(page), words), words)
    return result


def recommended(picks, pages, request, kind: str) -> list[dict]:
    """What the "Recommended" box lists: each pick shown by its page in the visitor's language
    (with the editor's description when it is that very page, else the page's own summary), or
    by its external link when no type filter narrows the results."""
    by_key = {page.translation_key: page for page in pages}
    entries = []
    for pick in picks:
        if pick.page_id:
            page = by_key.get(pick.page.translation_key)
            if page is None:
                continue
            result = build_result(page, request)
            description = pick.description if page.pk == pick.page_id and pick.description else result.summary
            entries.append({"title": result.title, "url": result.url, "description": description})
        elif pick.external_link_url and not kind:
            title = pick.external_link_text or pick.external_link_url
            entries.append({"title": title, "url": pick.external_link_url, "description": pick.description})
    return entries


def section_links(locale, request) -> list[dict]:
    """Links to the section lists (challenges, news, partner cities, jobs) in this language."""
    models = {search_type.index_model: key for key, search_type in SEARCH_TYPES.items()}
    type_ids = content_type_ids(models)
    found = {}
    for page in exclude_restricted(Page.objects.live().filter(locale_id=locale.pk, content_type_id__in=list(type_ids))):
        found.setdefault(models[type_ids[page.content_type_id]], page)
    return [{"title": found[key].title, "url": found[key].get_url(request)} for key in SEARCH_TYPES if key in found]


def other_languages(query: str, kind: str) -> list[dict]:
    """The same search in each other language of the site."""
    current = translation.get_language()
    params = urlencode({key: value for key, value in {"q": query, "type": kind}.items() if value})
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        with translation.override(code):
            url = reverse("search")
            native_name = str(name)  # "Français" on an English page, as the language switcher says it
        links.append({"code": code, "name": native_name, "url": f"{url}?{params}" if params else url})
    return links


def count_by_type(pages, search_string: str, operator: str, locale) -> dict[str, int]:
    """How many pages of each searchable type match, in one GROUP BY query, kept in the shared cache
    until content changes (site_core/caching/content_cache.py): a word most pages contain is slow to
    count at bulk volume (docs/performance.md), and a surge of visitors searches the same few words."""
    kinds = {search_type.model: key for key, search_type in SEARCH_TYPES.items()}
    models = content_type_ids(kinds)

    def count() -> dict[str, int]:
        counts = dict.fromkeys(SEARCH_TYPES, 0)
        found_pages = search_backend(locale.language_code).search(search_string, pages, operator=operator)
        for type_id, found in found_pages.facet("content_type_id").items():
            counts[kinds[models[type_id]]] = found
        return counts

    return remember("search-counts", (locale.pk, search_string, operator), count)


def run_search(request, query: str, kind: str, locale) -> dict:
    """Counts per type, the requested page of results and, on page 1, the promoted results.

    Pages must contain every word; when none does and there are several words, pages that contain
    any of them are shown instead (best matches first), and the page says so."""
    terms = search_terms(query)
    if not terms or locale is None:  # nothing searchable in it ("*", an emoji): no results
        empty = paginate(request, [], per_page=PER_PAGE)
        counts = dict.fromkeys(SEARCH_TYPES, 0)
        return {"results_page": empty, "results": [], "total": 0, "everything": 0, "counts": counts, "recommended": []}

    search_string = " ".join(terms)
    pages = searchable_pages(locale)
    operator = "and"
    counts = count_by_type(pages, search_string, operator, locale)
    if not any(counts.values()) and len(terms) > 1:
        operator = "or"
        counts = count_by_type(pages, search_string, operator, locale)
    if kind:
        pages = pages.filter(content_type_id=ContentType.objects.get_for_model(SEARCH_TYPES[kind].model).pk)
    total = counts[kind] if kind else sum(counts.values())
    key = (locale.pk, search_string, operator, kind)
    found = RankedResults(pages, search_string, operator, total, key=key, language=locale.language_code)
    results_page = paginate(request, found, per_page=PER_PAGE)

    picks, promoted = promoted_pages(query, locale, kind) if results_page.number == 1 else ([], [])
    words = highlight_words(terms, locale.language_code)
    return {
        "results_page": results_page,
        "results": SimpleLazyObject(
            lambda: (
                [build_result(specific_page(page), request, words) for page in results_page.object_list]
                if total
                else []
            )
        ),
        "total": total,
        "everything": sum(counts.values()),  # the "Everything" tab, whichever tab is chosen
        "counts": counts,
        "any_words": operator == "or" and total > 0,
        "recommended": recommended(picks, promoted, request, kind),
    }


@require_safe
def search_view(request):
    query, shortened = clean_query(request.GET.get("q", ""))
    kind, type_notice = read_choice(request, "type", SEARCH_TYPES)
    site_for_request(request)  # the Site from the shared cache, for the page URLs (site_core/routing.py)
    locale = active_locale()
    notices = [type_notice] if type_notice else []
    if shortened:
        notices.append(_("Your search was shortened to its first %(count)s characters.") % {"count": MAX_QUERY_LENGTH})
    context = {
        "query": query,
        "kind": kind,
        "kind_label": SEARCH_TYPES[kind].label if kind else "",
        "notices": notices,
        "meta_robots": "noindex, follow",
        "hide_header_search": True,  # the page's own search form replaces the header's
        "max_query_length": MAX_QUERY_LENGTH,
        "pagination_query": query_string({"q": query, "type": kind}),
        "all_types_query": urlencode({"q": query}),
        "other_languages": other_languages(query, kind),
    }
    # The language switcher offers the same search in the other language, not its home page.
    context["language_urls"] = {link["code"]: link["url"] for link in context["other_languages"]}
    context["language_urls"][translation.get_language()] = request.get_full_path()
    if query:
        context.update(run_search(request, query, kind, locale))
    counts = context.get("counts", {})
    context["types"] = [
        {"value": key, "label": search_type.label, "count": counts.get(key)}
        for key, search_type in SEARCH_TYPES.items()
    ]
    if not query or not context["total"]:
        context["sections"] = section_links(locale, request) if locale is not None else []
    response = TemplateResponse(request, "home/search.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    return response
