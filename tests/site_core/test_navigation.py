"""Editor-managed navigation and the language switcher, in the visitor's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from site_core.models import OfficeDetails, SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def navigation(site_tree):
    settings = SiteSettings.for_site(site_tree.site)
    settings.primary_navigation = [("link", {"page": site_tree.news_index, "label": ""})]
    settings.save()
    news_fr = site_tree.news_index.copy_for_translation(site_tree.french)
    news_fr.title = "Nouvelles"
    news_fr.slug = "nouvelles"
    news_fr.save_revision().publish()
    return news_fr


def test_main_navigation_links_to_the_page_in_english(client, navigation):
    html = client.get("/en/").content.decode()
    assert '<a href="/en/news/"' in html


def test_main_navigation_links_to_the_translated_page_in_french(client, navigation):
    html = client.get("/fr/").content.decode()
    assert '<a href="/fr/nouvelles/"' in html
    assert ">Nouvelles</a>" in html


def test_current_section_is_marked_for_assistive_technology(client, navigation):
    html = client.get("/en/news/").content.decode()
    assert '<a href="/en/news/" aria-current="page">' in html


def test_language_switcher_links_to_the_french_twin(client, navigation):
    html = client.get("/en/news/").content.decode()
    assert 'href="/fr/nouvelles/" hreflang="fr" lang="fr"' in html


def test_language_switcher_falls_back_to_the_french_home_page_with_a_notice(client, site_tree):
    html = client.get("/en/news/").content.decode()
    assert 'href="/fr/?untranslated=1" hreflang="fr" lang="fr" title="' in html
    assert "(page d&#x27;accueil)" in html or "(home page)" in html


def test_hreflang_alternates_name_both_languages_when_a_translation_exists(client, navigation):
    html = client.get("/en/news/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/news/">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/nouvelles/">' in html


def test_root_redirects_by_accept_language(client, site_tree):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").headers["Location"] == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA").headers["Location"] == "/en/"


def test_footer_shows_the_office_contact_details_from_settings(client, site_tree):
    OfficeDetails.objects.create(locale=site_tree.english, street_address="100 Queen Street West\nToronto, ON")
    settings = SiteSettings.for_site(site_tree.site)
    settings.phone_311 = "311 (416-392-2489 outside Toronto)"
    settings.x_url = "https://x.com/TorontoComms"
    settings.save()
    html = client.get("/en/").content.decode()
    assert "100 Queen Street West<br>Toronto, ON" in html
    assert "311 (416-392-2489 outside Toronto)" in html
    assert 'href="https://x.com/TorontoComms"' in html


def test_the_settings_are_read_from_the_shared_cache_and_a_change_shows_at_once(client, site_tree):
    """SiteSettings.for_request keeps the row under the generation token: pages read no settings row
    once it is kept, and saving the settings (which replaces the token) shows at once."""
    client.get("/en/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")
    assert not [query for query in queries if "site_core_sitesettings" in query["sql"]]
    settings = SiteSettings.for_site(site_tree.site)
    settings.phone_311 = "311 (a number changed a moment ago)"
    settings.save()
    assert "311 (a number changed a moment ago)" in client.get("/en/").content.decode()
