"""A challenge's key dates as an iCalendar file (RFC 5545) people can add to their calendars."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from site_core.local_time import city_zone

UID_DOMAIN = "civic-innovation-office"


def build_calendar(challenge, challenge_url: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//City of Toronto//Civic Innovation Office//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # One line: icalendar escapes line breaks in standard text properties but not in X- ones, where
    # a title holding one made to_ical() fail (a 500).
    calendar.add("x-wr-calname", " ".join(challenge.title.split()))
    stamp = (challenge.last_published_at or timezone.now()).astimezone(datetime.UTC)
    key_dates = challenge.sorted_key_dates()
    for key_date in key_dates:
        event = Event()
        event.add("uid", f"{key_date.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", key_date.starts_at.astimezone(city_zone()))
        if key_date.ends_at:
            event.add("dtend", key_date.ends_at.astimezone(city_zone()))
        event.add("summary", f"{key_date.get_kind_display()}: {challenge.title}")
        event.add("description", challenge.summary)
        if key_date.location:
            event.add("location", key_date.location)
        event.add("url", key_date.online_url or challenge_url)
        calendar.add_component(event)
    if key_dates:
        # Describe Toronto's offsets only for the years the events span, not 1970-2038.
        first = key_dates[0].starts_at.astimezone(city_zone()).date()
        last = max(key_date.ends_at or key_date.starts_at for key_date in key_dates).astimezone(city_zone()).date()
        calendar.add_missing_timezones(
            first_date=first.replace(month=1, day=1), last_date=last.replace(year=last.year + 1, month=1, day=1)
        )
    return calendar


def calendar_response(challenge, request) -> HttpResponse:
    url = request.build_absolute_uri(challenge.url)
    response = HttpResponse(build_calendar(challenge, url).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{challenge.slug}.ics"'
    return response
