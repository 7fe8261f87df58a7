"""Visitors with a session cookie are served the cached anonymous page whenever their page would be
the same (issue 24, item 2): an expired, unknown or empty session, or one holding nothing a page
shows. Signed-in staff, waiting messages and a private page's password still step aside."""

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from wagtail.models import PageViewRestriction

from site_core.caching import page_cache
from tests.conftest import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def visitor_with_session(data: dict | None = None, key: str | None = None) -> Client:
    """A browser holding a session cookie: of a stored session with `data`, or `key` as it is."""
    if key is None:
        store = SessionStore()
        for name, value in (data or {}).items():
            store[name] = value
        store.create() if not data else store.save()
        key = store.session_key
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = key
    return visitor


def test_an_unknown_or_expired_session_cookie_gets_the_cached_page_without_a_query(client, site_tree):
    assert client.get("/en/")["X-Page-Cache"] == "miss"
    visitor = visitor_with_session(key="expiredsessionkey0123456789abcdef")
    first = visitor.get("/en/")
    assert first["X-Page-Cache"] == "hit"  # one read of the session store found no session
    count, again = count_queries(visitor, "/en/")
    assert (count, again["X-Page-Cache"]) == (0, "hit")  # remembered: not even that read now
    assert again.content == client.get("/en/").content


def test_a_session_holding_nothing_a_page_shows_gets_the_cached_page(client, site_tree):
    client.get("/en/")
    visitor = visitor_with_session({"_session_expiry": 3600})
    count, response = count_queries(visitor, "/en/")
    assert response["X-Page-Cache"] == "hit"
    assert count == 1  # reading the session; the page itself costs nothing


def test_a_signed_in_editor_steps_aside_and_sees_their_own_page(client, site_tree, django_user_model):
    client.get("/en/")
    editor = django_user_model.objects.create_superuser("editor", "editor@example.ca", "pw")
    staff = Client()
    staff.force_login(editor)
    response = staff.get("/en/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert client.get("/en/")["X-Page-Cache"] == "hit"  # and the anonymous copy is untouched


def test_waiting_messages_in_the_session_step_aside(client, site_tree):
    client.get("/en/")
    visitor = visitor_with_session({"_messages": '[["__json_message", 0, %d, "Saved."]]' % constants.SUCCESS})  # noqa: UP031
    assert "X-Page-Cache" not in visitor.get("/en/")


def test_a_private_pages_password_in_the_session_steps_aside(client, site_tree):
    page = site_tree.news_index
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    visitor = visitor_with_session({restriction.passed_view_restrictions_session_key: [restriction.pk]})
    client.get("/en/")
    response = visitor.get("/en/")
    assert "X-Page-Cache" not in response


def test_the_rule_on_session_data():
    assert page_cache.session_is_anonymous({})
    assert page_cache.session_is_anonymous({"_session_expiry": 60})
    assert not page_cache.session_is_anonymous({"_auth_user_id": "1"})
    assert not page_cache.session_is_anonymous({"_messages": "[]"})
    assert not page_cache.session_is_anonymous({"something_new": 1})  # unknown keys step aside


def test_a_session_visitor_never_fills_the_cache_with_their_own_answer(site_tree):
    """On a miss the visitor's page is rendered for them and not stored: their answer deletes or sets
    their session cookie, and only answers setting no cookie are stored."""
    visitor = visitor_with_session(key="expiredsessionkey0123456789abcdef")
    answer = visitor.get("/en/")
    assert "X-Page-Cache" not in answer and answer.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 0
    assert Client().get("/en/")["X-Page-Cache"] == "miss"
