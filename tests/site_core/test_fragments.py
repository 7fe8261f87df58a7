"""{% remember %} (site_core/templatetags/fragments.py): a part of a page kept as HTML under the
generation token, per language and per the values that identify it, a minute at most with `clock=60`;
the pages that use it read nothing for the part when it is kept, and show a change at once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from news.models import NewsReleasePage
from site_core.caching.generation import bump_generation

TEMPLATE = Template('{% load fragments %}{% remember "test-part" key %}<b>{{ value }}</b>{% endremember %}')
CLOCKED = Template('{% load fragments %}{% remember "test-clock" key clock=60 %}{{ value }}{% endremember %}')


def render(template: Template, **values) -> str:
    return template.render(Context(values))


def test_a_part_is_kept_until_content_changes():
    assert render(TEMPLATE, key=1, value="first") == "<b>first</b>"
    assert render(TEMPLATE, key=1, value="second") == "<b>first</b>"  # kept
    assert render(TEMPLATE, key=2, value="second") == "<b>second</b>"  # another part
    bump_generation()
    assert render(TEMPLATE, key=1, value="third") == "<b>third</b>"


def test_each_language_has_its_own_part():
    with translation.override("en"):
        assert render(TEMPLATE, key=1, value="hello") == "<b>hello</b>"
    with translation.override("fr"):
        assert render(TEMPLATE, key=1, value="bonjour") == "<b>bonjour</b>"
    with translation.override("en"):
        assert render(TEMPLATE, key=1, value="bonjour") == "<b>hello</b>"


def test_a_kept_part_stays_escaped():
    assert render(TEMPLATE, key=1, value="<script>") == "<b>&lt;script&gt;</b>"
    assert render(TEMPLATE, key=1, value="") == "<b>&lt;script&gt;</b>"


def test_a_preview_neither_reads_nor_keeps_a_part(rf):
    preview = rf.get("/")
    preview.is_preview = True
    assert render(TEMPLATE, key=1, value="published") == "<b>published</b>"
    assert render(TEMPLATE, key=1, value="draft", request=preview) == "<b>draft</b>"
    assert render(TEMPLATE, key=1, value="other") == "<b>published</b>"
    assert render(TEMPLATE, key=2, value="draft", request=preview) == "<b>draft</b>"
    assert render(TEMPLATE, key=2, value="public") == "<b>public</b>"  # the draft was not kept


def test_a_clocked_part_is_kept_a_minute_at_most():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC), tick=False) as clock:
        assert render(CLOCKED, key=1, value="open") == "open"
        clock.shift(59)
        assert render(CLOCKED, key=1, value="closed") == "open"
        clock.shift(2)
        assert render(CLOCKED, key=1, value="closed") == "closed"
        assert render(TEMPLATE, key=1, value="unclocked") == "<b>unclocked</b>"
        clock.shift(61)
        assert render(TEMPLATE, key=1, value="later") == "<b>unclocked</b>"  # kept until content changes


def test_the_tag_wants_a_quoted_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% remember part %}x{% endremember %}")


@pytest.mark.django_db
def test_a_listing_kept_reads_no_cards_and_shows_a_publish_at_once(demo, client):
    def reads_releases(queries) -> bool:
        return any("news_newsreleasepage" in query["sql"] for query in queries)

    with CaptureQueriesContext(connection) as cold:
        first = client.get("/en/news/")
    with CaptureQueriesContext(connection) as warm:
        again = client.get("/en/news/")
    assert again.content == first.content
    assert reads_releases(cold) and not reads_releases(warm)  # the kept cards were not read
    assert len(warm) < len(cold)

    release = NewsReleasePage.objects.filter(locale__language_code="en").first()
    release.title = "A title nobody has used before"
    release.save_revision().publish()
    assert "A title nobody has used before" in client.get("/en/news/").content.decode()
