"""iCalendar files (RFC 5545) people can add to their calendars: a challenge's key dates (public), and
the one event a registrant signed up for (attached to their emails, home/events/emails.py), both
written by `calendar_file`."""

import datetime
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from site_core.local_time import city_zone

UID_DOMAIN = "civic-innovation-office"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""


def calendar_file(name: str, entries: list[CalendarEntry], stamp: datetime.datetime) -> Calendar:
    """A calendar of `entries` (in date order), in Toronto time with its offsets for the years they span."""
    calendar = Calendar()
    calendar.add("prodid", "-//City of Toronto//Civic Innovation Office//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # One line: icalendar escapes line breaks in standard text properties but not in X- ones, where
    # a title holding one made to_ical() fail (a 500).
    calendar.add("x-wr-calname", " ".join(name.split()))
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp.astimezone(datetime.UTC))
        event.add("dtstart", entry.starts_at.astimezone(city_zone()))
        if entry.ends_at:
            event.add("dtend", entry.ends_at.astimezone(city_zone()))
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        if entry.url:
            event.add("url", entry.url)
        calendar.add_component(event)
    if entries:
        # Describe Toronto's offsets only for the years the events span, not 1970-2038.
        first = entries[0].starts_at.astimezone(city_zone()).date()
        last = max(entry.ends_at or entry.starts_at for entry in entries).astimezone(city_zone()).date()
        calendar.add_missing_timezones(
            first_date=first.replace(month=1, day=1), last_date=last.replace(year=last.year + 1, month=1, day=1)
        )
    return calendar


def build_calendar(challenge, challenge_url: str) -> Calendar:
    """A challenge's key dates. An event that takes registrations shows no online link (its
    registrants get it in their own calendar file)."""
    entries = [
        CalendarEntry(
            uid=str(key_date.uid),
            summary=f"{key_date.get_kind_display()}: {challenge.title}",
            starts_at=key_date.starts_at,
            ends_at=key_date.ends_at,
            description=challenge.summary,
            location=key_date.location,
            url=key_date.public_online_url or challenge_url,
        )
        for key_date in challenge.sorted_key_dates()
    ]
    stamp = challenge.last_published_at or timezone.now()
    return calendar_file(challenge.title, entries, stamp)


def calendar_response(challenge, request) -> HttpResponse:
    url = request.build_absolute_uri(challenge.url)
    response = HttpResponse(build_calendar(challenge, url).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{challenge.slug}.ics"'
    return response
