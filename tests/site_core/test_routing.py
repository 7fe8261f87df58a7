"""site_core/routing.py finds the page Wagtail's own routing finds, for every kind of address of the demo
site and the tree's edge cases (a draft on the way, a draft at the end, a story named like a city, a
private section, an unknown address), in two queries."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from news.models import NewsReleasePage, PartnerStoryPage
from site_core import routing
from site_core.caching.generation import bump_generation
from tests.browser.test_public_pages_a11y import PAGES
from tests.test_html_validity import PAGES as VALIDITY_PAGES

pytestmark = pytest.mark.django_db

ADDRESSES = sorted(
    {
        *(address.split("?")[0] for address in [*PAGES.values(), *VALIDITY_PAGES.values()]),
        "/en/challenges/track-your-311-service-request/calendar.ics",
        "/en/challenges/track-your-311-service-request/apply/thanks/",
        "/en/challenges/feed/",
        "/en/challenges/open-data/challenges.csv",
        "/en/news/2017/",
        "/en/news/feed/statement/",
        "/en/partner-cities/feed/",
        "/en/partner-cities/austin/feed/",
        "/en/partner-cities/atlantis/",
        "/en/news/launch-of-the-civic-innovation-office/nothing-here/",
        "/fr/villes-partenaires/austin/",
        "/en/",
        "/fr/",
    }
)


def wagtails_route(language: str, path: str):
    """Wagtail's own answer: `Page.route_for_request` on a fresh request."""
    request = RequestFactory().get(f"/{language}/{path}")
    with translation.override(language):
        return Page.route_for_request(request, path), request


def sites_route(language: str, path: str):
    request = RequestFactory().get(f"/{language}/{path}")
    with translation.override(language):
        return routing.route_for_request(request, path), request


def described(route, request) -> tuple | None:
    if route is None:
        return None
    page, args, kwargs = route
    if args:  # a routable page's view, its arguments
        view, view_args, view_kwargs = args
        args = (view.__name__, tuple(view_args), view_kwargs)
    return (type(page), page.pk, page.live, args, kwargs, getattr(request, "routable_resolver_match", None) is not None)


def assert_same_route(address: str) -> None:
    language, path = address.strip("/").split("/", 1) if "/" in address.strip("/") else (address.strip("/"), "")
    path = f"{path}/" if path and not path.endswith((".ics", ".csv", ".json")) else path
    expected = described(*wagtails_route(language, path))
    assert described(*sites_route(language, path)) == expected, address


def test_every_address_of_the_demo_routes_to_the_page_wagtail_finds(demo):
    for address in ADDRESSES:
        assert_same_route(address)
    assert sum(sites_route("en", path)[0] is not None for path in ("", "news/", "jobs/", "nowhere/")) == 3


def test_a_routed_page_costs_two_queries_and_knows_its_ancestors(demo, client):
    path = "challenges/track-your-311-service-request/"
    routing.localized_root(routing.site_for_request(RequestFactory().get(f"/en/{path}")))  # the cached Site
    with CaptureQueriesContext(connection) as queries:
        route, _request = sites_route("en", path)
        assert route.page.division.name  # loaded with the page (ChallengePage.served_with_related)
    assert len(queries) == 2
    assert routing.ancestors(route.page) == list(route.page.get_ancestors())
    assert route.page.get_parent().pk == route.page.get_ancestors().last().pk

    assert client.get(f"/en/{path}").status_code == 200  # answered 200: kept until content changes
    with CaptureQueriesContext(connection) as queries:
        route, _request = sites_route("en", path)
        assert route.page.division.name
    assert len(queries) == 0
    assert routing.ancestors(route.page) == list(route.page.get_ancestors())


def test_only_addresses_that_answered_200_are_kept(demo, client):
    """An address that leads nowhere, or to a route whose view refuses its arguments, is routed from
    the database each time: made-up addresses fill no cache."""
    for path, status in (
        ("news/", 200),
        ("news/2017/", 200),
        ("news/no-such-release/", 404),
        ("partner-cities/atlantis/", 404),
        ("news/1999/", 404),
    ):
        assert client.get(f"/en/{path}").status_code == status, path
        with CaptureQueriesContext(connection) as queries:
            sites_route("en", path)
        assert (len(queries) == 0) is (status == 200), path


def test_a_kept_route_is_forgotten_when_content_changes(demo, client):
    release = NewsReleasePage.objects.live().filter(locale__language_code="en").first()
    path = f"news/{release.slug}/"
    assert client.get(f"/en/{path}").status_code == 200  # kept
    assert sites_route("en", path)[0].page.pk == release.pk
    release.unpublish()
    assert sites_route("en", path)[0] is None
    assert_same_route(f"/en/{path}")


def test_drafts_on_the_way_and_at_the_end_route_as_wagtail_routes_them(demo):
    newsroom = Page.objects.get(url_path__endswith="/news/", locale__language_code="en", depth=3)
    newsroom.live = False  # a draft section: its live children are still served
    newsroom.save(update_fields=["live"])
    bump_generation()  # a direct database edit: what the caches hold is made stale by hand (clear_page_cache)
    release = newsroom.get_children().first()
    assert_same_route(f"/en/news/{release.slug}/")
    assert_same_route("/en/news/")
    assert_same_route("/en/news/2017/")
    release.live = False
    release.save(update_fields=["live"])
    bump_generation()
    assert_same_route(f"/en/news/{release.slug}/")


def test_a_story_named_like_a_city_wins_over_the_city_as_in_wagtail(demo):
    story = PartnerStoryPage.objects.filter(locale__language_code="en").first()
    story.slug = "austin"
    story.save_revision().publish()
    assert_same_route("/en/partner-cities/austin/")
    assert sites_route("en", "partner-cities/austin/")[0].page.pk == story.pk
    story.unpublish()
    assert_same_route("/en/partner-cities/austin/")  # the draft story gives the address back to the city


def test_a_private_section_keeps_its_restriction(demo, client):
    jobs = Page.objects.get(url_path__endswith="/jobs/", locale__language_code="en", depth=3)
    PageViewRestriction.objects.create(page=jobs, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    posting = jobs.get_children().live().first()
    route, _request = sites_route("en", f"jobs/{posting.slug}/")
    assert [restriction.page_id for restriction in route.page.get_view_restrictions()] == [jobs.pk]
    response = client.get(f"/en/jobs/{posting.slug}/")
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
