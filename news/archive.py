"""Date rules of the newsroom: archive periods in Toronto time and the "recent" window."""

import datetime

from site_core.local_time import city_zone

RECENT_DAYS = 30
FIRST_YEAR = 1998  # the City's online newsroom archive starts here
LAST_YEAR = 2100


def period_bounds(year: int, month: int | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """The [start, end) instants of a year or a month on Toronto's calendar.

    Raises ValueError for impossible periods (month 13, year 0), so callers can answer 404."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside the archive")
    if month is None:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    else:
        start = datetime.date(year, month, 1)  # ValueError for month 0 or 13
        end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=city_zone()),
        datetime.datetime.combine(end, datetime.time(), tzinfo=city_zone()),
    )


def recent_since(now: datetime.datetime) -> datetime.datetime:
    """The start of the "last 30 days" window: exactly 30 days before now."""
    return now - datetime.timedelta(days=RECENT_DAYS)
