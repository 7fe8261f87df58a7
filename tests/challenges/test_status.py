"""Status is a pure function of the key dates and now; every boundary belongs to the later phase."""

import datetime

import pytest

from challenges.status import Milestones, Status, closing_soon_from, compute_status, days_left
from site_core.local_time import city_zone


def toronto(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=city_zone())


def elapsed(start, end) -> datetime.timedelta:
    """Real time between two instants (Python subtracts same-zone datetimes by wall clock)."""
    return end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)


def test_the_repeated_hour_when_clocks_fall_back_is_compared_as_real_time():
    # 1:00-2:00 a.m. happens twice on 1 November 2026. The deadline is 1:30 a.m. the second time
    # (EST); 1:45 a.m. the first time (EDT) is 45 minutes earlier in real time, so still open.
    deadline = toronto(2026, 11, 1, 1, 30).replace(fold=1)
    earlier = toronto(2026, 11, 1, 1, 45)
    milestones = Milestones(None, deadline, None, None)
    assert compute_status(milestones, earlier) == Status.CLOSING_SOON


OPENS = toronto(2026, 1, 5, 9)
CLOSES = toronto(2026, 2, 27, 17)
STINT_STARTS = toronto(2026, 4, 1, 9)
STINT_ENDS = toronto(2026, 7, 22, 17)
FULL = Milestones(OPENS, CLOSES, STINT_STARTS, STINT_ENDS)
SECOND = datetime.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS - SECOND, Status.UPCOMING),
        (OPENS, Status.OPEN),
        (CLOSES - datetime.timedelta(days=7) - SECOND, Status.OPEN),
        (CLOSES - datetime.timedelta(days=7), Status.CLOSING_SOON),
        (CLOSES - SECOND, Status.CLOSING_SOON),
        (CLOSES, Status.UNDER_REVIEW),
        (STINT_STARTS - SECOND, Status.UNDER_REVIEW),
        (STINT_STARTS, Status.IN_PROGRESS),
        (STINT_ENDS - SECOND, Status.IN_PROGRESS),
        (STINT_ENDS, Status.COMPLETED),
    ],
)
def test_status_at_each_boundary(now, expected):
    assert compute_status(FULL, now) == expected


def test_exactly_at_the_deadline_applications_are_closed():
    assert not compute_status(FULL, CLOSES).accepts_applications
    assert compute_status(FULL, CLOSES - SECOND).accepts_applications


def test_closing_soon_starts_a_wall_clock_week_before_a_deadline_after_the_spring_dst_change():
    # Clocks spring forward on 8 March 2026: a week on the wall clock is 167 hours.
    deadline = toronto(2026, 3, 10, 17)
    starts = closing_soon_from(deadline)
    assert starts == toronto(2026, 3, 3, 17)
    assert elapsed(starts, deadline) == datetime.timedelta(hours=167)
    milestones = Milestones(toronto(2026, 2, 1, 9), deadline, None, None)
    assert compute_status(milestones, starts - SECOND) == Status.OPEN
    assert compute_status(milestones, starts) == Status.CLOSING_SOON


def test_closing_soon_starts_a_wall_clock_week_before_a_deadline_after_the_autumn_dst_change():
    # Clocks fall back on 1 November 2026: a week on the wall clock is 169 hours.
    deadline = toronto(2026, 11, 3, 12)
    starts = closing_soon_from(deadline)
    assert starts == toronto(2026, 10, 27, 12)
    assert elapsed(starts, deadline) == datetime.timedelta(hours=169)
    milestones = Milestones(None, deadline, None, None)
    assert compute_status(milestones, starts - SECOND) == Status.OPEN
    assert compute_status(milestones, starts) == Status.CLOSING_SOON


def test_deadline_given_in_utc_is_compared_as_the_same_instant():
    deadline_utc = CLOSES.astimezone(datetime.UTC)
    milestones = Milestones(OPENS, deadline_utc, None, None)
    assert compute_status(milestones, CLOSES - SECOND) == Status.CLOSING_SOON
    assert compute_status(milestones, CLOSES) == Status.UNDER_REVIEW


def test_without_a_stint_start_a_closed_call_stays_under_review():
    assert compute_status(Milestones(OPENS, CLOSES, None, None), STINT_ENDS) == Status.UNDER_REVIEW


def test_without_any_dates_a_call_is_upcoming():
    assert compute_status(Milestones(None, None, None, None), OPENS) == Status.UPCOMING


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_status(FULL, datetime.datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (toronto(2026, 2, 27, 0, 0), 0),  # the last day: closes today
        (toronto(2026, 2, 26, 23, 59), 1),  # a minute before midnight, Toronto time: closes tomorrow
        (toronto(2026, 2, 20, 9), 7),
    ],
)
def test_days_left_counts_toronto_calendar_days(now, expected):
    assert days_left(CLOSES, now) == expected


def test_days_left_does_not_use_utc_dates():
    # 8 p.m. in Toronto on the 26th is already the 27th in UTC; still one day left in Toronto.
    assert days_left(CLOSES, toronto(2026, 2, 26, 20).astimezone(datetime.UTC)) == 1
