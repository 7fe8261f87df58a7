"""The language switcher keeps the visitor's place on every page type: the same route of the page's
translation (archives, a partner city, the open-data page, the application form), a listing's filters
and page number, a search's query; it falls back to the other language's home page, saying so, only
where the page has no translation (site_core/i18n/switcher.py)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

from challenges.models import ApplicantLink
from tests.challenges import conftest as challenge_fixtures
from tests.challenges.application_helpers import stored_application
from tests.factories import (
    ChallengeIndexPageFactory,
    DivisionFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    TopicFactory,
    add_live_pages,
    make_challenge,
)

pytestmark = pytest.mark.django_db

privacy_notice = challenge_fixtures.privacy_notice  # the application form needs a complete notice


def translate(page, locale, slug):
    translation = page.copy_for_translation(locale)
    translation.slug = slug
    translation.save_revision().publish()
    return Page.objects.get(pk=translation.pk).specific  # with the new slug's url_path


def snippet_in_both(factory, french, **fields):
    """A snippet and its French translation (the same slug, as wagtail-localize keeps it)."""
    english = factory(**fields)
    english.copy_for_translation(french).save()
    return english


@pytest.fixture
def site(site_tree, privacy_notice):
    """Every page type in English and French, with the snippets the listings filter on."""
    french = site_tree.french
    transit = snippet_in_both(TopicFactory, french, name="Transit", slug="transit")
    snippet_in_both(TopicFactory, french, name="Housing", slug="housing")
    roads = snippet_in_both(DivisionFactory, french, name="Transportation Services", slug="transportation")
    austin = snippet_in_both(PartnerCityFactory, french, name="Austin", slug="austin")
    durham = PartnerCityFactory(name="Durham", slug="durham")  # not translated yet

    news = site_tree.news_index
    translate(news, french, "nouvelles")
    release = NewsReleasePageFactory(
        parent=news, slug="transit-pilot", release_date=datetime.datetime(2017, 3, 10, 15, tzinfo=datetime.UTC)
    )
    translate(release, french, "projet-pilote")
    english_only = NewsReleasePageFactory(parent=news, slug="english-only")

    challenges = ChallengeIndexPageFactory(parent=site_tree.home)
    translate(challenges, french, "defis")
    challenge = make_challenge(challenges, slug="faster-permits", division=roads, opens=-5, closes=20)
    challenge.topics.add(transit)
    challenge.save_revision().publish()
    translate(challenge, french, "permis-plus-rapides")
    lone_challenge = make_challenge(challenges, slug="english-only-call", opens=-5, closes=20)

    partners = PartnerCityIndexPageFactory(parent=site_tree.home)
    translate(partners, french, "villes-partenaires")
    story = PartnerStoryPageFactory(parent=partners, slug="austin-story", partner_city=austin)
    translate(story, french, "histoire-austin")
    PartnerStoryPageFactory(parent=partners, slug="durham-story", partner_city=durham)

    jobs = JobIndexPageFactory(parent=site_tree.home)
    translate(jobs, french, "emplois")
    posting = JobPostingPageFactory(parent=jobs, slug="data-analyst", division=roads)
    translate(posting, french, "analyste-de-donnees")
    return {
        "challenge": challenge,
        "lone_challenge": lone_challenge,
        "english_only": english_only,
        "partners": partners,
    }


def switcher_links(client, url: str) -> dict[str, dict]:
    """The switcher's links on the page at `url`: language code -> {"href", "title"}."""
    response = client.get(url)
    assert response.status_code == 200, url
    switcher = BeautifulSoup(response.content, "html.parser").select_one("nav.language-switcher")
    assert switcher is not None, url
    return {
        link["hreflang"]: {"href": link["href"], "title": link.get("title")} for link in switcher.select("a[hreflang]")
    }


def french_link(client, url: str) -> str:
    """Where the switcher on `url` leads in French; it must be to the page's own translation (no
    notice of a missing translation), and the address must answer."""
    link = switcher_links(client, url)["fr"]
    assert link["title"] is None, f"fell back to the home page: {link}"
    assert client.get(link["href"]).status_code == 200, link["href"]
    return link["href"]


# --- Pages at their own address ------------------------------------------------------------------


def test_the_home_page_switches_to_the_french_home_page(client, site):
    assert french_link(client, "/en/") == "/fr/"
    assert switcher_links(client, "/fr/")["en"]["href"] == "/en/"


def test_a_challenge_switches_to_its_french_translation(client, site):
    assert french_link(client, "/en/challenges/faster-permits/") == "/fr/defis/permis-plus-rapides/"


def test_a_news_release_switches_to_its_french_translation(client, site):
    assert french_link(client, "/en/news/transit-pilot/") == "/fr/nouvelles/projet-pilote/"


def test_the_partner_cities_page_switches_to_its_french_translation(client, site):
    assert french_link(client, "/en/partner-cities/") == "/fr/villes-partenaires/"


def test_a_partner_story_switches_to_its_french_translation(client, site):
    assert french_link(client, "/en/partner-cities/austin-story/") == "/fr/villes-partenaires/histoire-austin/"


def test_a_job_posting_switches_to_its_french_translation(client, site):
    assert french_link(client, "/en/jobs/data-analyst/") == "/fr/emplois/analyste-de-donnees/"


def test_the_newsroom_switches_to_the_french_newsroom(client, site):
    assert french_link(client, "/en/news/") == "/fr/nouvelles/"


# --- Routes below a page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("/en/news/2017/", "/fr/nouvelles/2017/"),
        ("/en/news/2017/03/", "/fr/nouvelles/2017/03/"),
        ("/en/news/recent/", "/fr/nouvelles/recent/"),
    ],
)
def test_a_news_archive_switches_to_the_same_archive_in_french(client, site, english, french):
    assert french_link(client, english) == french
    assert switcher_links(client, french)["en"]["href"] == english


def test_an_archive_period_with_nothing_in_french_switches_to_the_french_newsroom(client, site, site_tree):
    """An empty period is a 404 (news/models/newsroom.py), so the switcher leads to the newsroom."""
    NewsReleasePageFactory(
        parent=site_tree.news_index,
        release_date=datetime.datetime(2015, 6, 1, 15, tzinfo=datetime.UTC),
    )
    assert french_link(client, "/en/news/2015/06/") == "/fr/nouvelles/"
    assert client.get("/fr/nouvelles/2015/06/").status_code == 404


def test_the_open_data_page_switches_to_the_french_open_data_page(client, site):
    assert french_link(client, "/en/challenges/open-data/") == "/fr/defis/open-data/"


def test_the_application_form_switches_to_the_french_form(client, site):
    assert french_link(client, "/en/challenges/faster-permits/apply/") == "/fr/defis/permis-plus-rapides/apply/"
    assert french_link(client, "/en/challenges/faster-permits/apply/link/") == (
        "/fr/defis/permis-plus-rapides/apply/link/"
    )


def test_the_applicants_own_page_switches_to_the_challenge_without_its_private_link(client, site):
    """A private link opened under the French challenge only redirects back to the English one, and
    its token goes into no new address: the switcher leads to the French challenge itself."""
    token = ApplicantLink.create_for(application=stored_application(site["challenge"]))
    url = f"/en/challenges/faster-permits/apply/application/{token}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    links = switcher_links(client, url)
    assert links["fr"] == {"href": "/fr/defis/permis-plus-rapides/", "title": None}
    assert token not in str(BeautifulSoup(response.content, "html.parser").select_one("nav.language-switcher"))


def test_a_saved_drafts_notice_switches_to_the_challenge_without_its_state(client, site):
    links = switcher_links(client, "/en/challenges/faster-permits/apply/saved/?state=not-emailed")
    assert links["fr"] == {"href": "/fr/defis/permis-plus-rapides/", "title": None}


def test_a_partner_city_switches_to_the_same_city_in_french(client, site):
    assert french_link(client, "/en/partner-cities/austin/") == "/fr/villes-partenaires/austin/"


def test_a_partner_city_not_yet_translated_switches_to_the_french_partner_cities_page(client, site):
    """The French page exists; the city on it does not yet: the French list of cities, without the
    notice of a missing translation (the page has one)."""
    assert french_link(client, "/en/partner-cities/durham/") == "/fr/villes-partenaires/"


# --- Listings and search -------------------------------------------------------------------------


def test_a_filtered_challenge_listing_keeps_its_filters_in_french(client, site):
    url = "/en/challenges/?topic=transit&status=open&division=transportation"
    assert french_link(client, url) == "/fr/defis/?status=open&division=transportation&topic=transit"


def test_the_french_listing_applies_the_filters_the_switcher_kept(client, site):
    href = french_link(client, "/en/challenges/?topic=transit")
    page = BeautifulSoup(client.get(href).content, "html.parser")
    assert page.select_one('select[name="topic"] option[selected]')["value"] == "transit"


def test_a_listing_reflects_no_parameter_it_does_not_know(client, site):
    """Campaign tags, the fallback's notice and made-up filter values stay behind."""
    url = "/en/challenges/?topic=transit&utm_source=newsletter&untranslated=1&division=%3Cscript%3E"
    assert french_link(client, url) == "/fr/defis/?topic=transit"


def test_a_filtered_job_listing_keeps_its_filters_in_french(client, site):
    url = "/en/jobs/?type=full-time&division=transportation"
    assert french_link(client, url) == "/fr/emplois/?division=transportation&type=full-time"


def test_a_listings_page_number_is_kept(client, site, site_tree):
    add_live_pages(site_tree.news_index, NewsReleasePageFactory.build_batch(12))
    assert french_link(client, "/en/news/?page=2") == "/fr/nouvelles/?page=2"
    assert french_link(client, "/en/news/?page=1") == "/fr/nouvelles/"


def test_a_search_switches_to_the_same_search_in_french(client, site):
    links = switcher_links(client, "/en/search/?q=permits&type=challenges")
    assert links["fr"] == {"href": "/fr/search/?q=permits&type=challenges", "title": None}


# --- No translation ------------------------------------------------------------------------------


def test_a_page_without_a_translation_falls_back_to_the_french_home_page_and_says_so(client, site):
    link = switcher_links(client, "/en/news/english-only/")["fr"]
    assert link["href"] == "/fr/?untranslated=1"
    assert link["title"] == "This page is not yet available in Français: go to the home page"
    notice = BeautifulSoup(client.get(link["href"]).content, "html.parser").select_one(".translation-notice")
    assert notice is not None


def test_a_route_of_a_page_without_a_translation_falls_back_to_the_french_home_page(client, site):
    link = switcher_links(client, "/en/challenges/english-only-call/apply/")["fr"]
    assert link["href"] == "/fr/?untranslated=1"


# --- What the switcher leaves as it was --------------------------------------------------------------


def test_hreflang_alternates_of_an_archive_name_its_twin_once(client, site):
    head = BeautifulSoup(client.get("/en/news/2017/").content, "html.parser").head
    alternates = {link["hreflang"]: link["href"] for link in head.select('link[rel="alternate"][hreflang]')}
    assert alternates == {"en": "http://testserver/en/news/2017/", "fr": "http://testserver/fr/nouvelles/2017/"}


def test_a_cached_listing_shows_the_switcher_of_its_own_filters(client, site, settings):
    """The page cache keys an entry on the parameters the page reads: the switcher repeats only
    values the listing itself read, so `?topic=transit` and `?topic=housing` are two entries with
    their own switcher, and a campaign tag is answered from the first without being reflected."""
    settings.PAGE_CACHE_ENABLED = True
    client.get("/en/challenges/?utm_source=x")  # the cache learns which parameters the listing reads
    transit = client.get("/en/challenges/?topic=transit")
    housing = client.get("/en/challenges/?topic=housing")
    assert transit["X-Page-Cache"] == housing["X-Page-Cache"] == "miss"
    again = client.get("/en/challenges/?utm_source=newsletter&topic=transit")
    assert again["X-Page-Cache"] == "hit"
    assert switcher_links(client, "/en/challenges/?topic=housing&utm_source=y")["fr"]["href"] == (
        "/fr/defis/?topic=housing"
    )
    assert switcher_links(client, "/en/challenges/?utm_source=newsletter&topic=transit")["fr"]["href"] == (
        "/fr/defis/?topic=transit"
    )


def test_the_switcher_reads_nothing_of_the_query_string_itself(rf, site):
    """Everything it repeats comes from what the view read and validated, so the cache key holds it."""
    from site_core.caching.query_params import track_reads
    from site_core.i18n.switcher import place_of

    index = Page.objects.get(url_path="/home/challenges/").specific
    request = rf.get("/en/challenges/?topic=transit&utm_source=x")
    tracked = track_reads(request)
    context = {"filters": [{"name": "topic", "selected": "transit"}]}
    assert place_of(context, index, request).query == "topic=transit"
    assert tracked.names_read == set() and not tracked.read_all
