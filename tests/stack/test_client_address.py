"""The application rate limit behind the shipped proxy: counted per visitor (nginx's X-Real-IP, not
the proxy's own address), and a visitor cannot escape it with headers of their own."""

import time

import pytest
from django_ratelimit.core import _get_window, _split_rate

from tests.factories import ChallengeIndexPageFactory, make_challenge
from tests.stack.applicants import hidden

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 5  # APPLICATION_RATE_LIMIT, production's default: 5 per 10 minutes per visitor
RATE = f"{LIMIT}/10m"


@pytest.fixture
def apply_path(live_stack, site_tree, privacy_notice):
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home), slug="buses", opens=-5, closes=20)
    return challenge.url + "apply/"


def post_incomplete(visitor, path: str, headers: dict | None = None) -> int:
    """An application missing most answers: refused with 400 unless the visitor is over the limit."""
    form = visitor.get(path)
    fields = {"csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"), "organisation_name": "Bus Co."}
    return visitor.post(path, fields, headers=headers).status


def address_well_inside_its_window(margin: float = 120) -> str:
    """A visitor address (127.0.0.100 and up) whose rate-limit window has `margin` seconds left at least.
    django-ratelimit's windows follow the clock, each key's shifted by a hash of it (the app servers
    count with the same clock): a visitor's posts straddling their window's end would be counted in
    two windows."""
    period = _split_rate(RATE)[1]
    for last in range(100, 200):
        address = f"127.0.0.{last}"
        if _get_window(address, period) - time.time() >= margin:
            return address
    raise AssertionError("no address with a window that far from its end")


def test_each_visitor_has_their_own_limit_and_forged_headers_do_not_reset_it(live_stack, apply_path):
    busy = live_stack.client(source=address_well_inside_its_window())
    statuses = [post_incomplete(busy, apply_path) for _ in range(LIMIT + 1)]
    assert statuses == [400] * LIMIT + [429]

    # Someone else, behind the same proxy, is not held back by the first visitor's posts.
    other = live_stack.client(source="127.0.0.51")
    assert post_incomplete(other, apply_path) == 400

    # The first visitor claiming to be someone else: nginx replaces these headers with what it saw.
    for forged in (
        {"X-Real-IP": "203.0.113.7"},
        {"X-Forwarded-For": "203.0.113.8"},
        {"X-Real-IP": "203.0.113.9", "X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
    ):
        assert post_incomplete(busy, apply_path, headers=forged) == 429, forged
