"""The City's clock: the one time zone (settings.TIME_ZONE, America/Toronto) in which pages show dates
and rules compare them. Code that needs the zone asks `city_zone()`; Django's `timezone.localtime()`
uses the same zone."""

from zoneinfo import ZoneInfo

from django.utils import timezone


def city_zone() -> ZoneInfo:
    """The City's time zone (follows settings.TIME_ZONE, including a test's override)."""
    return timezone.get_default_timezone()
