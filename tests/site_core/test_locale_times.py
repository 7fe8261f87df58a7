"""Issue 21, item 4: times as each language writes them, from CLDR's patterns (through Babel): French
pages said "17:00"; Canadian French writes "17 h" and "9 h 30", English "5 p.m." and "9:30 a.m."."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from site_core.local_time import city_zone
from site_core.text.locale_formats import datetime_text, time_text

ZONE = city_zone()


def at(hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2017, 3, 10, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("moment", "english", "french"),
    [
        (at(17, 0), "5 p.m.", "17 h"),
        (at(9, 30), "9:30 a.m.", "9 h 30"),
        (at(9, 5), "9:05 a.m.", "9 h 05"),
        (at(0, 0), "12 a.m.", "0 h"),
        (at(12, 45), "12:45 p.m.", "12 h 45"),
    ],
)
def test_a_time_of_day_in_each_language(moment, english, french):
    """Written with no-break spaces (CLDR's narrow one before "a.m."), so a time never wraps."""
    assert time_text(moment, "en") == english.replace(" ", "\u202f")
    assert time_text(moment, "fr") == french.replace(" ", "\u00a0")


def test_a_date_and_time_in_each_language():
    assert datetime_text(at(17, 0), "en") == "March 10, 2017, 5\u202fp.m."
    assert datetime_text(at(9, 30), "fr") == "10 mars 2017, 9\u00a0h\u00a030"


def test_the_template_filters_show_the_city_wall_clock_in_the_active_language():
    """An aware UTC moment becomes Toronto time (the site's TIME_ZONE) before it is written."""
    moment = at(17, 0).astimezone(datetime.UTC)
    template = Template("{% load site_tags %}{{ moment|datetime_text }} / {{ moment|time_text }}")
    with translation.override("fr"):
        assert template.render(Context({"moment": moment})) == "10 mars 2017, 17\u00a0h / 17\u00a0h"
    with translation.override("en"):
        assert template.render(Context({"moment": moment})) == "March 10, 2017, 5\u202fp.m. / 5\u202fp.m."
    assert Template("{% load site_tags %}[{{ None|datetime_text }}]").render(Context()) == "[]"
