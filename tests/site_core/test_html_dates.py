"""Issue 21, item 6: every `<time datetime>` is a valid HTML date or date-time: no microseconds
(HTML allows at most three digits of a second), with the offset of Toronto time."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from devtools.demo.home import index_pages_for_search
from site_core.templatetags.site_tags import html_datetime
from tests.factories import NewsReleasePageFactory

# HTML's valid date string, or global date and time string with an offset (fraction of 1-3 digits).
VALID = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?([+-]\d{2}:\d{2}|Z))?$")


def test_html_datetime_drops_microseconds_and_keeps_the_offset(settings):
    moment = datetime.datetime(2026, 12, 4, 15, 30, 12, 654321, tzinfo=datetime.UTC)
    assert html_datetime(moment.astimezone(ZoneInfo(settings.TIME_ZONE))) == "2026-12-04T10:30:12-05:00"
    assert html_datetime(None) == ""


@pytest.mark.django_db
def test_a_release_and_its_search_result_carry_valid_machine_dates(client, site_tree):
    moment = datetime.datetime(2026, 7, 2, 13, 45, 7, 123456, tzinfo=datetime.UTC)
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Microsecond release", release_date=moment)
    index_pages_for_search()
    for url, params in ((release.url, {}), ("/en/search/", {"q": "Microsecond"})):
        html = client.get(url, params).content.decode()
        stamps = re.findall(r'<time datetime="([^"]*)"', html)
        assert stamps, url
        assert all(VALID.match(stamp) for stamp in stamps), (url, stamps)
        assert "2026-07-02T09:45:07-04:00" in stamps


@pytest.mark.parametrize(
    ("language", "month", "expected"),
    [
        ("en", 1, "(Toronto time, EST)"),
        ("en", 7, "(Toronto time, EDT)"),
        ("fr", 1, "(heure de Toronto, HNE)"),
        ("fr", 7, "(heure de Toronto, HAE)"),
    ],
)
def test_the_time_zone_is_named_as_each_language_names_it(language, month, expected):
    """Issue 21: French pages said "EST"/"EDT", tzdata's English abbreviations; CLDR's French are HNE/HAE."""
    from django.template.loader import render_to_string
    from django.utils import translation

    moment = datetime.datetime(2026, month, 15, 17, 0, tzinfo=datetime.UTC)
    with translation.override(language):
        assert (
            render_to_string("includes/timezone.html", {"moment": moment})
            == f'<span class="timezone">{expected}</span>'
        )
