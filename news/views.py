"""What every newsroom route shows: the releases (filtered by type and topic), the period
navigation and the filter form."""

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from news.archive import TORONTO
from news.choices import ReleaseType
from site_core.filters import filter_field, query_string, read_choice
from site_core.models import Topic
from site_core.pagination import paginate

PER_PAGE = 10


def archive_periods(index) -> list[dict]:
    """Years and months (on Toronto's calendar) that have releases, newest first, in one query."""
    rows = (
        index.releases()
        .order_by()
        .annotate(year=ExtractYear("release_date", tzinfo=TORONTO), month=ExtractMonth("release_date", tzinfo=TORONTO))
        .values("year", "month")
        .annotate(count=Count("pk"))
        .order_by("-year", "-month")
    )
    years: dict[int, dict] = {}
    for row in rows:
        year = years.setdefault(row["year"], {"year": row["year"], "count": 0, "months": []})
        year["count"] += row["count"]
        label = date_format(datetime.date(row["year"], row["month"], 1), "F")
        year["months"].append({"month": row["month"], "count": row["count"], "label": label})
    return list(years.values())


def newsroom_context(index, request, releases, heading=None) -> dict:
    topics = list(Topic.objects.filter(locale_id=index.locale_id))
    release_type, type_notice = read_choice(request, "type", ReleaseType.values)
    topic, topic_notice = read_choice(request, "topic", {item.slug for item in topics})
    if release_type:
        releases = releases.filter(release_type=release_type)
    if topic:
        releases = releases.filter(topics__slug=topic, topics__locale_id=index.locale_id)
    selected = {"type": release_type, "topic": topic}
    return {
        "releases": paginate(request, releases, per_page=PER_PAGE),
        "heading": heading or index.title,
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
