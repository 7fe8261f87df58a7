"""Database versions of the status rules in challenges/status.py, so listings filter and sort by
status in one query. A property-based test checks they agree with `compute_status`."""

import datetime

from django.db.models import Case, F, IntegerField, Q, Value, When

from challenges.status import Status


def status_q(status: Status, now: datetime.datetime) -> Q:
    """Rows whose computed status at `now` is `status` (mirrors compute_status branch by branch)."""
    started = Q(opens_at__isnull=True) | Q(opens_at__lte=now)
    after_deadline = Q(closes_at__lte=now)
    stint_started = Q(stint_starts_at__lte=now)
    stint_over = Q(stint_ends_at__lte=now)
    conditions = {
        Status.UPCOMING: Q(opens_at__gt=now) | Q(opens_at__isnull=True, closes_at__isnull=True),
        Status.CLOSING_SOON: started & Q(closes_at__gt=now, closing_soon_at__lte=now),
        Status.OPEN: started
        & (Q(closes_at__gt=now, closing_soon_at__gt=now) | Q(closes_at__isnull=True, opens_at__isnull=False)),
        Status.UNDER_REVIEW: started & after_deadline & ~stint_started,
        Status.IN_PROGRESS: started & after_deadline & stint_started & ~stint_over,
        Status.COMPLETED: started & after_deadline & stint_started & stint_over,
    }
    return conditions[status]


def statuses_q(statuses, now: datetime.datetime) -> Q:
    combined = Q(pk__in=[])
    for status in statuses:
        combined |= status_q(status, now)
    return combined


def listing_order(now: datetime.datetime) -> list:
    """Open and closing-soon first (soonest deadline first), then upcoming (soonest opening first),
    then everything else, most recent deadline first."""
    accepting = status_q(Status.CLOSING_SOON, now) | status_q(Status.OPEN, now)
    upcoming = status_q(Status.UPCOMING, now)
    rank = Case(
        When(accepting, then=Value(0)),
        When(upcoming, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    first_date = Case(When(accepting, then=F("closes_at")), When(upcoming, then=F("opens_at")), default=None)
    return [rank.asc(), first_date.asc(nulls_last=True), F("closes_at").desc(nulls_last=True), "-pk"]
