"""What keeps editors' pages good: title length guidance in the form, and Wagtail's userbar (with its
accessibility checker) on pages for logged-in staff only."""

from django.test import Client

from tests.factories import NewsReleasePageFactory


def test_the_page_form_gives_title_length_guidance(superuser_client, site_tree):
    response = superuser_client.get(f"/admin/pages/add/news/newsreleasepage/{site_tree.news_index.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keep it under 70 characters" in html
    assert "Search engines show about 60 characters" in html


def test_staff_get_the_userbar_and_its_accessibility_checker_and_the_public_does_not(superuser_client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="checked")
    staff_html = superuser_client.get(release.url).content.decode()
    assert "wagtail-userbar" in staff_html
    assert "wagtailadmin/js/userbar.js" in staff_html  # the userbar runs Wagtail's axe-based checker
    public_html = Client().get(release.url).content.decode()  # superuser_client is the logged-in `client`
    assert "wagtail-userbar" not in public_html
    assert "userbar.js" not in public_html
