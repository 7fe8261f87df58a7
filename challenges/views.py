"""The challenge listing: filters from a plain GET form, unknown values ignored with a notice."""

from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.queries import listing_order, statuses_q
from challenges.status import STATUS_FILTER_LABELS, STATUS_FILTERS
from site_core.models import Division, Topic
from site_core.pagination import paginate

PER_PAGE = 12


def _clean(request, name: str) -> str:
    """A filter value as a short, printable string ('' when absent)."""
    return request.GET.get(name, "").strip()[:100]


def challenge_listing_context(index, request) -> dict:
    now = timezone.now()
    challenges = index.challenges()
    notices = []
    selected = {"status": "", "division": "", "topic": ""}

    status = _clean(request, "status")
    if status in STATUS_FILTERS:
        challenges = challenges.filter(statuses_q(STATUS_FILTERS[status], now))
        selected["status"] = status
    elif status:
        notices.append(
            _("“%(value)s” is not a status we know, so challenges of every status are shown.") % {"value": status}
        )

    divisions = list(Division.objects.filter(locale_id=index.locale_id, challenges__live=True).distinct())
    division = _clean(request, "division")
    if division:
        match = next((item for item in divisions if item.slug == division), None)
        if match:
            challenges = challenges.filter(division_id=match.pk)
            selected["division"] = division
        else:
            notices.append(
                _("“%(value)s” is not a division with challenges, so every division is shown.") % {"value": division}
            )

    topics = list(Topic.objects.filter(locale_id=index.locale_id))
    topic = _clean(request, "topic")
    if topic:
        match = next((item for item in topics if item.slug == topic), None)
        if match:
            challenges = challenges.filter(topics=match)
            selected["topic"] = topic
        else:
            notices.append(_("“%(value)s” is not a topic we know, so every topic is shown.") % {"value": topic})

    page_obj = paginate(request, challenges.order_by(*listing_order(now)), per_page=PER_PAGE)
    for challenge in page_obj.object_list:
        challenge._status = challenge.status_at(now)
    active = {key: value for key, value in selected.items() if value}
    return {
        "challenges": page_obj,
        "filters_active": bool(active),
        "filter_query": urlencode(active) + "&" if active else "",
        "selected": selected,
        "status_options": list(STATUS_FILTER_LABELS.items()),
        "division_options": [(division.slug, division.name) for division in divisions],
        "topic_options": [(topic.slug, topic.name) for topic in topics],
        "notices": notices,
    }
