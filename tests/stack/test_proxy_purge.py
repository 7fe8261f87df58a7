"""What the shipped proxy serves after a change, seen over HTTPS through nginx: a page unpublished,
deleted, moved or made private leaves the proxy (and every listing drops it) within 2 seconds, and
a release going live shows there as fast. The changes are made as staff make them: in the admin
through the stack, or by the scheduler's command."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tests.factories import HomePageFactory, NewsReleasePageFactory
from tests.stack.admin import PASSWORD, Publisher
from tests.stack.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def publisher(live_stack, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # production's
    django_user_model.objects.create_superuser("publisher", "publisher@example.ca", PASSWORD)
    return Publisher(live_stack).sign_in()


@pytest.fixture
def release(live_stack, site_tree):
    slug = f"transit-{uuid.uuid4().hex[:8]}"
    return NewsReleasePageFactory(parent=site_tree.news_index, title=f"Transit data {slug}", slug=slug)


def cached_through_the_proxy(visitor, path: str, text: str) -> None:
    """The page is stored by nginx: a second anonymous request is a HIT with the text."""
    for expected in ("MISS", "HIT"):
        answer = visitor.get(path)
        assert answer.status == 200, (path, answer.status)
        assert answer.headers["X-Cache-Status"] == expected, (path, answer.headers)
        assert text in answer.text


def gone_within(visitor, path: str, text: str, seconds: float = 2.0):
    """The answer to `path` no longer carries `text` within `seconds`: returns that answer."""
    return wait_for(lambda: (answer := visitor.get(path)) and text not in answer.text and answer, seconds)


def test_an_unpublished_release_leaves_the_proxy_and_its_listings(live_stack, publisher, release):
    visitor = live_stack.client()
    for path in (release.url, "/en/news/", "/en/"):
        cached_through_the_proxy(visitor, path, release.title)

    assert publisher.unpublish(release).status == 302
    answer = gone_within(visitor, release.url, release.title)
    assert answer is not None and answer.status == 404, "the proxy still serves the unpublished release"
    for path in ("/en/news/", "/en/"):
        assert gone_within(visitor, path, release.title), f"{path} still lists the unpublished release"
    # Not served stale later either: nginx has no copy left to fall back on.
    assert visitor.get(release.url).status == 404
    assert "Couldn't purge" not in live_stack.log("gunicorn")


def test_a_deleted_release_leaves_the_proxy(live_stack, publisher, release):
    visitor = live_stack.client()
    cached_through_the_proxy(visitor, release.url, release.title)
    assert publisher.delete(release).status == 302
    answer = gone_within(visitor, release.url, release.title)
    assert answer is not None and answer.status == 404


def test_a_moved_section_leaves_its_old_addresses(live_stack, publisher, site_tree, release):
    """The newsroom moved out of the site (under a second home page, as when a section is retired):
    its old address and its releases' leave the proxy."""
    visitor = live_stack.client()
    cached_through_the_proxy(visitor, release.url, release.title)
    cached_through_the_proxy(visitor, "/en/news/", release.title)
    retired = HomePageFactory(parent=site_tree.home.get_parent(), locale=site_tree.english, slug="retired")
    assert publisher.move(site_tree.news_index, retired).status == 302
    for path in (release.url, "/en/news/"):
        answer = gone_within(visitor, path, release.title)
        assert answer is not None and answer.status == 404, path


@pytest.mark.parametrize("restriction", ["password", "groups"])
def test_a_release_made_private_leaves_the_proxy(live_stack, publisher, release, restriction):
    visitor = live_stack.client()
    cached_through_the_proxy(visitor, release.url, release.title)
    cached_through_the_proxy(visitor, "/en/news/", release.title)
    fields = {"restriction_type": restriction}
    if restriction == "password":
        fields["password"] = "press-only-2017"
    else:
        fields["groups"] = [str(Group.objects.get_or_create(name="Press")[0].pk)]
    assert publisher.restrict(release, **fields).status == 200
    answer = gone_within(visitor, release.url, release.title)
    assert answer is not None, "the proxy still serves the private release to anyone"
    assert answer.status in (200, 302)  # the password form, or the way to sign in
    assert "X-Cache-Status" not in answer.headers or answer.headers["X-Cache-Status"] != "HIT"
    assert gone_within(visitor, "/en/news/", release.title), "the newsroom still lists the private release"


def test_an_embargoed_release_shows_through_the_proxy_when_the_scheduler_publishes_it(live_stack, site_tree):
    visitor = live_stack.client()
    cached_through_the_proxy(visitor, "/en/news/", "News")
    slug = f"embargo-{uuid.uuid4().hex[:8]}"
    release = NewsReleasePageFactory(parent=site_tree.news_index, title=f"Embargoed {slug}", slug=slug, live=False)
    revision = release.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(seconds=1))
    assert revision.approved_go_live_at is not None
    assert visitor.get(release.url).status == 404

    result = live_stack.manage("publish_scheduled")
    assert result.returncode == 0, result.stderr
    assert wait_for(lambda: release.title in visitor.get("/en/news/").text, 2.0), "the newsroom does not list it"
    assert visitor.get(release.url).status == 200


def test_a_visitor_with_a_dead_session_gets_the_cached_page_and_a_publisher_their_own(live_stack, publisher):
    """Issue 24, item 2, through nginx over TLS and gunicorn with production settings and Redis: a
    session cookie naming no session is sent on to the app (nginx cannot read sessions), which answers
    from its cache; the signed-in publisher's page is rendered for them, with the userbar, and stored
    nowhere."""
    anonymous = live_stack.client()
    assert anonymous.get("/en/").headers["X-Page-Cache"] == "miss"
    stale = live_stack.client()
    stale.cookies["sessionid"] = "expiredsessionkey0123456789abcdef"
    for _ in range(2):
        answer = stale.get("/en/")
        assert answer.status == 200 and answer.headers["X-Page-Cache"] == "hit"
        assert answer.headers.get("X-Cache-Status") != "HIT"
    own = publisher.visitor.get("/en/")
    assert own.status == 200 and "X-Page-Cache" not in own.headers
    assert "wagtail-userbar" in own.text
    assert "private" in own.headers["Cache-Control"]
    assert "wagtail-userbar" not in anonymous.get("/en/").text
