"""The challenge listing: filters from a plain GET form, unknown values ignored with a notice."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.queries import listing_order, statuses_q
from challenges.status import STATUS_FILTER_LABELS, STATUS_FILTERS
from site_core.caching.content_cache import remember
from site_core.listings.filters import filter_field, query_string, read_choice
from site_core.listings.pagination import paginate
from site_core.models import Division, Topic

PER_PAGE = 12


def challenge_listing_context(index, request) -> dict:
    now = timezone.now()
    challenges = index.challenges()
    divisions = remember(  # the filter offers only divisions with a live challenge
        "challenge-divisions",
        (index.locale_id,),
        lambda: list(Division.objects.filter(locale_id=index.locale_id, challenges__live=True).distinct()),
    )
    topics = Topic.for_locale(index.locale_id)

    status, status_notice = read_choice(request, "status", STATUS_FILTERS)
    division, division_notice = read_choice(request, "division", {item.slug: item for item in divisions})
    topic, topic_notice = read_choice(request, "topic", {item.slug: item for item in topics})
    if status:
        challenges = challenges.filter(statuses_q(STATUS_FILTERS[status], now))
    if division:
        challenges = challenges.filter(division__slug=division, division__locale_id=index.locale_id)
    if topic:
        challenges = challenges.filter(topics__slug=topic, topics__locale_id=index.locale_id)

    # A status filter depends on the time of the request, so its count is not cached.
    ordered = challenges.order_by(*listing_order(now))
    page_obj = paginate(request, ordered, per_page=PER_PAGE, cache_count=not status)
    for challenge in page_obj.object_list:
        challenge._status = challenge.status_at(now)
    selected = {"status": status, "division": division, "topic": topic}
    return {
        "challenges": page_obj,
        "filters_active": any(selected.values()),
        "filter_query": query_string(selected),
        "selected": selected,
        "filters": [
            filter_field("status", _("Status"), _("Any status"), STATUS_FILTER_LABELS.items(), status),
            filter_field(
                "division",
                _("City division"),
                _("Any division"),
                [(item.slug, item.name) for item in divisions],
                division,
            ),
            filter_field("topic", _("Topic"), _("Any topic"), [(item.slug, item.name) for item in topics], topic),
        ],
        "notices": [notice for notice in (status_notice, division_notice, topic_notice) if notice],
    }
