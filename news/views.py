"""What every newsroom route shows: the releases (filtered by type and topic), the period
navigation and the filter form; and the public page of embargo preview links."""

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from news.choices import ReleaseType
from site_core.caching.content_cache import remember
from site_core.listings.filters import filter_field, query_string, read_choice
from site_core.listings.pagination import paginate
from site_core.local_time import city_zone
from site_core.models import Topic
from site_core.views import page_not_found

PER_PAGE = 10


def archive_periods(index) -> list[dict]:
    """Years and months (on Toronto's calendar) that have releases, newest first: one query over
    every release of the language, kept in the shared cache until content changes."""
    rows = remember("news-periods", (index.locale_id,), lambda: list(period_counts(index)))
    years: dict[int, dict] = {}
    for row in rows:
        year = years.setdefault(row["year"], {"year": row["year"], "count": 0, "months": []})
        year["count"] += row["count"]
        label = date_format(datetime.date(row["year"], row["month"], 1), "F")  # in the active language
        year["months"].append({"month": row["month"], "count": row["count"], "label": label})
    return list(years.values())


def period_counts(index):
    return (
        index.releases()
        .order_by()
        .annotate(
            year=ExtractYear("release_date", tzinfo=city_zone()), month=ExtractMonth("release_date", tzinfo=city_zone())
        )
        .values("year", "month")
        .annotate(count=Count("pk"))
        .order_by("-year", "-month")
    )


def newsroom_context(index, request, releases, heading=None, timeless=True) -> dict:
    """`timeless`: the listing's query does not depend on the time of the request (all but "recent"),
    so its count may be cached."""
    topics = Topic.for_locale(index.locale_id)
    release_type, type_notice = read_choice(request, "type", ReleaseType.values)
    topic, topic_notice = read_choice(request, "topic", {item.slug for item in topics})
    if release_type:
        releases = releases.filter(release_type=release_type)
    if topic:
        releases = releases.filter(topics__slug=topic, topics__locale_id=index.locale_id)
    selected = {"type": release_type, "topic": topic}
    return {
        "releases": paginate(request, releases, per_page=PER_PAGE, cache_count=timeless),
        "heading": heading or index.title,
        "meta_title": heading,  # an archive's own title; the newsroom itself uses its page's SEO title
        "periods": archive_periods(index),
        "selected": selected,
        "filters_active": any(selected.values()),
        "filter_query": query_string(selected),
        "filters": [
            filter_field("type", _("Type"), _("Any type"), ReleaseType.choices, release_type),
            filter_field("topic", _("Topic"), _("Any topic"), [(item.slug, item.name) for item in topics], topic),
        ],
        "notices": [notice for notice in (type_notice, topic_notice) if notice],
        "release_types": list(ReleaseType),
    }


# Every answer of the preview route, valid or not: nothing cached or indexed, and the token (in the
# address) never sent on to other sites as a referrer.
PREVIEW_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}
PREVIEW_TEMPLATE = "news/embargo_preview.html"


def _with_preview_headers(response):
    for name, value in PREVIEW_HEADERS.items():
        response.headers[name] = value
    return response


def _preview_not_found(request):
    """The site's ordinary 404 page, the same for an unknown, revoked or expired token and after
    go-live, so the answer says nothing about the release."""
    # LocaleMiddleware answers a 404 outside the language prefixes with a redirect to the same path
    # under /en/ when that path resolves (Wagtail's catch-all always does), which would put the
    # token in a Location header and turn the 404 into a 302. Judged against news.urls (which has
    # no language prefixes), the 404 stays a 404.
    request.urlconf = "news.urls"
    return _with_preview_headers(page_not_found(request))


@require_safe
def embargo_preview(request, token: str):
    """The latest draft of an embargoed release, for whoever holds a valid preview link: served
    the way Wagtail serves previews, in the release's language, under an embargo banner."""
    from news.models.previews import EmbargoPreviewLink  # news.models imports this module

    link = EmbargoPreviewLink.objects.for_token(token)
    if link is None or not link.is_valid():
        return _preview_not_found(request)
    page = link.page.get_latest_revision_as_object()
    language = link.page.locale.language_code
    mode = page.default_preview_mode
    with translation.override(language):
        request.LANGUAGE_CODE = language
        request.is_preview = True
        request.preview_mode = mode
        response = page.serve_preview(request, mode)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.context_data = {
                **(response.context_data or {}),
                "embargo_base_template": response.template_name,
                "embargo_until": link.ends_at(),
            }
            response.template_name = PREVIEW_TEMPLATE
            response.render()
    response.headers["Content-Language"] = language
    return _with_preview_headers(response)
