"""Robots, sitemap, API and admin screens for the shared snippets."""

import pytest

from tests.factories import DivisionFactory, NewsReleasePageFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, site_tree):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap_lists_live_pages_only(client, site_tree):
    """/sitemap.xml is the index of the per-language sitemaps (more in test_sitemap.py)."""
    NewsReleasePageFactory(parent=site_tree.news_index, slug="public-release")
    draft = NewsReleasePageFactory(parent=site_tree.news_index, slug="draft-release")
    draft.unpublish()
    assert "http://testserver/sitemap-en.xml" in client.get("/sitemap.xml").content.decode()
    xml = client.get("/sitemap-en.xml").content.decode()
    assert "/en/news/public-release/" in xml
    assert "draft-release" not in xml


def test_api_lists_published_pages(client, site_tree):
    NewsReleasePageFactory(parent=site_tree.news_index, title="Open data release")
    titles = [item["title"] for item in client.get("/api/v2/pages/").json()["items"]]
    assert "Open data release" in titles


@pytest.mark.parametrize("model", ["officedetails", "division", "topic", "partnercity", "mediacontact", "boilerplate"])
def test_shared_snippets_have_admin_listings(superuser_client, site_tree, model):
    DivisionFactory(name="Transportation Services")
    response = superuser_client.get(f"/admin/snippets/site_core/{model}/")
    assert response.status_code == 200


def test_site_settings_are_editable_in_the_admin(superuser_client, site_tree):
    response = superuser_client.get(f"/admin/settings/site_core/sitesettings/{site_tree.site.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Navigation" in html
    assert "Office details, once per language" in html  # where the translated texts went
