"""Embargoed releases stay invisible everywhere until their time; partner cities list their stories."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from news.models import NewsReleasePage
from tests.conftest import assert_constant_queries
from tests.factories import (
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    add_live_pages,
    release_form,
)

pytestmark = pytest.mark.django_db

SECRET = "Embargoed announcement"


def schedule_release(site_tree, go_live_at) -> NewsReleasePage:
    """A release scheduled to go live at `go_live_at` (Wagtail's scheduled publishing)."""
    release = NewsReleasePageFactory(
        parent=site_tree.news_index, title=SECRET, slug="embargoed", live=False, release_date=go_live_at
    )
    release.go_live_at = go_live_at
    release.save_revision().publish()
    release.refresh_from_db()
    assert not release.live
    return release


def public_places(client) -> dict[str, str]:
    """Every public place a release can appear, by path (each must answer 200)."""
    bodies = {}
    for path in [
        "/en/",
        "/en/news/",
        "/en/news/recent/",
        f"/en/news/{timezone.localdate():%Y}/",
        "/en/news/feed/",
        "/en/news/feed/news-release/",
        "/sitemap-en.xml",  # the English sitemap (/sitemap.xml is their index)
        "/api/v2/pages/?type=news.NewsReleasePage",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        bodies[path] = response.content.decode()
    return bodies


def test_an_embargoed_release_is_invisible_everywhere_before_its_time(client, site_tree):
    NewsReleasePageFactory(parent=site_tree.news_index, release_date=timezone.now())  # so this year's archive exists
    schedule_release(site_tree, timezone.now() + datetime.timedelta(hours=1))
    call_command("publish_scheduled", stdout=io.StringIO())
    for path, body in public_places(client).items():
        assert SECRET not in body and "/news/embargoed/" not in body, path
    assert client.get("/en/news/embargoed/").status_code == 404


def test_it_appears_at_its_time_when_the_scheduler_runs_and_not_a_moment_before(client, site_tree, time_machine):
    go_live_at = timezone.now() + datetime.timedelta(seconds=3)
    schedule_release(site_tree, go_live_at)
    call_command("publish_scheduled", stdout=io.StringIO())  # runs a moment early: nothing happens
    assert client.get("/en/news/embargoed/").status_code == 404

    time_machine.move_to(go_live_at + datetime.timedelta(seconds=0.2))
    call_command("publish_scheduled", stdout=io.StringIO())  # the minutely job in production
    assert client.get("/en/news/embargoed/").status_code == 200
    for path, body in public_places(client).items():
        assert SECRET in body or "/news/embargoed/" in body, path


def test_a_release_dated_in_the_future_is_scheduled_not_published(superuser_client, site_tree):
    release_at = (timezone.localtime() + datetime.timedelta(days=2)).replace(microsecond=0)
    data = release_form(
        title="Tomorrow's announcement",
        slug="tomorrow",
        release_date=release_at.strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "publish"},
    )
    response = superuser_client.post(f"/admin/pages/add/news/newsreleasepage/{site_tree.news_index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    release = NewsReleasePage.objects.get(slug="tomorrow")
    assert not release.live
    assert release.get_latest_revision().approved_go_live_at == release_at.replace(second=0)


@pytest.fixture
def partners(site_tree):
    index = PartnerCityIndexPageFactory(parent=site_tree.home)
    austin = PartnerCityFactory(name="Austin", slug="austin")
    durham = PartnerCityFactory(name="Durham", slug="durham")
    return index, austin, durham


def test_a_city_page_lists_its_own_stories_newest_first(client, partners):
    index, austin, durham = partners
    PartnerStoryPageFactory(
        parent=index, title="Older Austin story", partner_city=austin, story_date=datetime.date(2017, 5, 1)
    )
    PartnerStoryPageFactory(
        parent=index, title="Newer Austin story", partner_city=austin, story_date=datetime.date(2018, 5, 1)
    )
    PartnerStoryPageFactory(parent=index, title="Durham story", partner_city=durham)
    html = client.get("/en/partner-cities/austin/").content.decode()
    assert html.index("Newer Austin story") < html.index("Older Austin story")
    assert "Durham story" not in html


def test_stories_and_cities_share_the_address_space_without_clashing(client, partners):
    index, austin, _durham = partners
    PartnerStoryPageFactory(parent=index, title="A story", slug="a-story", partner_city=austin)
    assert "<h1>A story</h1>" in client.get("/en/partner-cities/a-story/").content.decode()
    assert "<h1>Austin</h1>" in client.get("/en/partner-cities/austin/").content.decode()
    assert client.get("/en/partner-cities/atlantis/").status_code == 404


def test_partner_index_lists_every_city_with_a_link(client, partners):
    html = client.get("/en/partner-cities/").content.decode()
    assert 'href="/en/partner-cities/austin/"' in html
    assert 'href="/en/partner-cities/durham/"' in html


def test_partner_pages_render_in_the_same_queries_with_3_or_500_stories(client, partners):
    index, austin, _durham = partners

    def add_stories(count):
        add_live_pages(index, PartnerStoryPageFactory.build_batch(count, partner_city=austin))

    # Fewer stories than the index's six latest and the city page's ten: a query per card shows.
    assert_constant_queries(client, ["/en/partner-cities/", "/en/partner-cities/austin/"], add_stories, small=3)
