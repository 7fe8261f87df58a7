"""The home page shows what exists and hides what does not, in a fixed number of queries."""

import pytest

from tests.conftest import assert_constant_queries
from tests.factories import NewsReleasePageFactory, PartnerCityFactory, add_live_pages

pytestmark = pytest.mark.django_db

HOME_QUERY_BUDGET = 12


def test_latest_news_shows_the_three_newest_releases(client, site_tree):
    for day in range(5):
        NewsReleasePageFactory(parent=site_tree.news_index, title=f"Release from day {day}")
    html = client.get("/en/").content.decode()
    assert "Release from day 0" in html
    assert "Release from day 2" in html
    assert "Release from day 3" not in html


def test_sections_without_content_are_hidden(client, site_tree):
    html = client.get("/en/").content.decode()
    assert 'id="latest-news"' not in html
    assert 'id="partner-cities"' not in html


def test_partner_cities_appear_in_the_visitors_language(client, site_tree):
    PartnerCityFactory(name="Austin", locale=site_tree.english)
    PartnerCityFactory(name="Ville française", locale=site_tree.french)
    html = client.get("/en/").content.decode()
    assert "Austin" in html
    assert "Ville française" not in html


def test_unpublished_releases_are_not_on_the_home_page(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Draft release")
    release.unpublish()
    assert "Draft release" not in client.get("/en/").content.decode()


def test_home_page_renders_in_the_same_few_queries_with_10_or_500_releases(client, site_tree):
    PartnerCityFactory.create_batch(6)

    def add_releases(count):
        add_live_pages(site_tree.news_index, NewsReleasePageFactory.build_batch(count))

    queries = assert_constant_queries(client, "/en/", add_releases)
    assert queries <= HOME_QUERY_BUDGET
