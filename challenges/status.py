"""A challenge's status, computed from its key dates and the current time. Editors never set it.

Timeline: upcoming → open → closing soon (the last 7 days before the deadline, counted on Toronto's
wall clock so a daylight-saving change does not move the boundary) → under review (after the
deadline, until the stint starts) → in progress (the stint) → completed (the stint has ended).
"""

import datetime
import enum
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from site_core.local_time import city_zone

CLOSING_SOON_DAYS = 7


class Status(enum.StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSING_SOON = "closing-soon"
    UNDER_REVIEW = "under-review"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def accepts_applications(self) -> bool:
        return self in {Status.OPEN, Status.CLOSING_SOON}


STATUS_LABELS = {
    Status.UPCOMING: _("Upcoming"),
    Status.OPEN: _("Open"),
    Status.CLOSING_SOON: _("Closing soon"),
    Status.UNDER_REVIEW: _("Under review"),
    Status.IN_PROGRESS: _("In progress"),
    Status.COMPLETED: _("Completed"),
}


@dataclass(frozen=True)
class Milestones:
    """The four moments the status depends on; any may be unknown (None)."""

    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    stint_starts_at: datetime.datetime | None
    stint_ends_at: datetime.datetime | None


def closing_soon_from(closes_at: datetime.datetime) -> datetime.datetime:
    """The moment 'closing soon' begins: the same Toronto wall-clock time 7 days before the deadline."""
    local = closes_at.astimezone(city_zone())
    naive_week_before = local.replace(tzinfo=None) - datetime.timedelta(days=CLOSING_SOON_DAYS)
    return naive_week_before.replace(tzinfo=city_zone()).astimezone(datetime.UTC)


def _utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    # Python compares two datetimes that share a tzinfo by wall clock, which is wrong in the hour
    # that repeats when clocks fall back; in UTC every comparison is between instants.
    return None if moment is None else moment.astimezone(datetime.UTC)


def compute_status(milestones: Milestones, now: datetime.datetime) -> Status:
    """The status at `now`. Each boundary belongs to the later phase (at the deadline it is closed)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = _utc(now)
    m = Milestones(
        *(
            _utc(moment)
            for moment in (
                milestones.opens_at,
                milestones.closes_at,
                milestones.stint_starts_at,
                milestones.stint_ends_at,
            )
        )
    )
    if m.opens_at is not None and now < m.opens_at:
        return Status.UPCOMING
    if m.closes_at is None:
        # No deadline yet: open once it has opened, otherwise not yet announced.
        return Status.OPEN if m.opens_at is not None else Status.UPCOMING
    if now < m.closes_at:
        return Status.CLOSING_SOON if now >= closing_soon_from(m.closes_at) else Status.OPEN
    if m.stint_starts_at is None or now < m.stint_starts_at:
        return Status.UNDER_REVIEW
    if m.stint_ends_at is None or now < m.stint_ends_at:
        return Status.IN_PROGRESS
    return Status.COMPLETED


def days_left(closes_at: datetime.datetime, now: datetime.datetime) -> int:
    """Whole calendar days (in Toronto) from today until the deadline's day: 0 on the last day."""
    return (closes_at.astimezone(city_zone()).date() - now.astimezone(city_zone()).date()).days


# Values accepted in ?status= and the statuses each one selects. "open" includes closing soon;
# "closed" is the public word for "under review" (applications closed, decision pending).
STATUS_FILTERS: dict[str, tuple[Status, ...]] = {
    "open": (Status.OPEN, Status.CLOSING_SOON),
    "closing-soon": (Status.CLOSING_SOON,),
    "upcoming": (Status.UPCOMING,),
    "closed": (Status.UNDER_REVIEW,),
    "in-progress": (Status.IN_PROGRESS,),
    "completed": (Status.COMPLETED,),
}
STATUS_FILTER_LABELS = {
    "open": _("Open for applications"),
    "closing-soon": _("Closing soon"),
    "upcoming": _("Upcoming"),
    "closed": _("Closed, under review"),
    "in-progress": _("In progress"),
    "completed": _("Completed"),
}
