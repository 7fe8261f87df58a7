"""The newsroom lists live releases of its language, newest first, on pages that never fail."""

import pytest

from tests.conftest import assert_constant_queries
from tests.factories import NewsReleasePageFactory

pytestmark = pytest.mark.django_db


def test_releases_are_listed_newest_first(client, site_tree):
    NewsReleasePageFactory(parent=site_tree.news_index, title="Older release", release_date="2017-03-09T10:00Z")
    NewsReleasePageFactory(parent=site_tree.news_index, title="Newer release", release_date="2017-03-10T10:00Z")
    html = client.get("/en/news/").content.decode()
    assert html.index("Newer release") < html.index("Older release")


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999", "1.5", "%00"])
def test_bad_page_numbers_give_the_nearest_valid_page(client, site_tree, page):
    NewsReleasePageFactory.create_batch(12, parent=site_tree.news_index)
    response = client.get(f"/en/news/?page={page}")
    assert response.status_code == 200
    assert 'aria-current="page"><span class="visually-hidden">Page </span>' in response.content.decode()


def test_empty_newsroom_says_so(client, site_tree):
    html = client.get("/en/news/").content.decode()
    assert "No news releases here" in html


def test_release_page_query_count_does_not_grow_with_contacts_and_boilerplates(client, site_tree):
    from tests.factories import BoilerplateFactory, MediaContactFactory

    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="launch")

    def add_links(count):
        for _ in range(min(count, 5)):
            release.media_contact_links.create(media_contact=MediaContactFactory())
            release.boilerplate_links.create(boilerplate=BoilerplateFactory())

    assert_constant_queries(client, "/en/news/launch/", add_links, small=1, large=6)
