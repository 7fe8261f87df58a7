"""schema.org Event data for a challenge's information sessions, so search engines can list them
with their date, time (Toronto's offset of that day) and where to attend."""

from django.utils.translation import gettext as _

from challenges.models.dates import KeyDateKind
from site_core.local_time import city_zone

SCHEMA = "https://schema.org/"
OFFLINE = SCHEMA + "OfflineEventAttendanceMode"
ONLINE = SCHEMA + "OnlineEventAttendanceMode"
MIXED = SCHEMA + "MixedEventAttendanceMode"
SCHEDULED = SCHEMA + "EventScheduled"


def event_location(
    location: str, online_url: str, online: bool = False, page_url: str = ""
) -> tuple[str | None, list[dict]]:
    """The attendance mode and the locations the data gives: a Place for an address or room (kept
    as written), a VirtualLocation for a link to join; (None, []) when neither is known. A session
    held online only is never a Place: its location text says how to join, and without a link of
    its own the call's page (where it is explained) is its address."""
    places = []
    if location.strip() and not online:
        places.append({"@type": "Place", "name": location.strip(), "address": location.strip()})
    if online_url.strip() or (online and page_url):
        places.append({"@type": "VirtualLocation", "url": online_url.strip() or page_url})
    if len(places) == 2:
        return MIXED, places
    if places:
        return (OFFLINE if places[0]["@type"] == "Place" else ONLINE), places
    return None, []


def info_session_event(
    key_date, *, name: str, url: str, organizer: dict, description: str = "", image: dict | None = None
) -> dict:
    """One information session as an Event. `key_date` is a ChallengeKeyDate (or anything with
    starts_at, ends_at, location and online_url; its `public_online_url` when it has one)."""
    data = {
        "@type": "Event",
        "name": name,
        "startDate": key_date.starts_at.astimezone(city_zone()).isoformat(),
        "eventStatus": SCHEDULED,
        "organizer": organizer,
        "url": url,
    }
    if key_date.ends_at:
        data["endDate"] = key_date.ends_at.astimezone(city_zone()).isoformat()
    # An event that takes registrations keeps its link for registrants (site_core/events.py).
    online_url = getattr(key_date, "public_online_url", key_date.online_url)
    mode, places = event_location(
        key_date.location or "", online_url or "", bool(getattr(key_date, "online", False)), url
    )
    if mode:
        data["eventAttendanceMode"] = mode
        data["location"] = places[0] if len(places) == 1 else places
    if description:
        data["description"] = description
    if image:
        data["image"] = [image]
    return data


def info_session_events(
    key_dates, *, title: str, url: str, organizer: dict, description: str = "", image: dict | None = None
) -> list[dict]:
    """An Event for each information session among a challenge's key dates, in date order."""
    sessions = sorted(
        (key_date for key_date in key_dates if key_date.kind == KeyDateKind.INFO_SESSION),
        key=lambda key_date: key_date.starts_at,
    )
    # French typography puts a space before the colon, so the pattern is translated.
    name = _("%(kind)s: %(title)s") % {"kind": KeyDateKind.INFO_SESSION.label, "title": title}
    return [
        info_session_event(session, name=name, url=url, organizer=organizer, description=description, image=image)
        for session in sessions
    ]
