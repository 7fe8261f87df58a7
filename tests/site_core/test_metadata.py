"""Every page's head: title, description, canonical address, robots, hreflang, Open Graph and
Twitter card, all absolute; filtered listings kept out of search results; French pages in French."""

import datetime
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Page

from devtools.demo.site import SHARE_IMAGE_ALT, SHARE_IMAGE_TITLE, demo_image
from news.models import EmbargoPreviewLink, NewsReleasePage
from site_core.models import OfficeDetails, SiteSettings
from site_core.seo import metadata
from tests.conftest import count_queries
from tests.factories import (
    ChallengeIndexPageFactory,
    JobIndexPageFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    TopicFactory,
    make_challenge,
)

pytestmark = pytest.mark.django_db


def head(html: str) -> dict:
    """The metadata of a page's head: {"title", "description", "canonical", "robots",
    "alternates": {code: url}, "og": {property: [values]}, "twitter": {name: value}}."""
    soup = BeautifulSoup(html, "html.parser").head
    named = {tag["name"]: tag["content"] for tag in soup.select("meta[name]")}
    og = {}
    for tag in soup.select("meta[property]"):
        og.setdefault(tag["property"], []).append(tag["content"])
    canonical = soup.select('link[rel="canonical"]')
    return {
        "title": soup.title.get_text(),
        "description": named.get("description"),
        "robots": named.get("robots"),
        "canonical": [link["href"] for link in canonical],
        "alternates": {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')},
        "og": og,
        "twitter": {name: value for name, value in named.items() if name.startswith("twitter:")},
    }


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


# --- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        ("https://x.com/TorontoComms", "@TorontoComms"),
        ("https://twitter.com/cityofto/", "@cityofto"),
        ("https://www.x.com/@Name_1?lang=fr", "@Name_1"),
        ("https://x.com/TorontoComms/status/1", None),
        ("https://example.com/TorontoComms", None),
        ("", None),
    ],
)
def test_twitter_site_comes_from_an_x_profile_address_only(url, handle):
    assert metadata.x_handle(url) == handle


def test_languages_are_tagged_for_canada():
    assert metadata.og_locale("fr") == "fr_CA"
    assert metadata.language_tag("en") == "en-CA"


def test_descriptions_are_one_line_and_cut_at_a_word():
    assert metadata.plain_description("Two\nlines  here ") == "Two lines here"
    long = "word " * 100
    cut = metadata.plain_description(long, limit=50)
    assert len(cut) <= 50 and cut.endswith("…") and "wor…" not in cut


def test_a_listing_is_filtered_only_by_its_own_filters_given_a_value():
    names = ["status", "division", "topic"]
    assert metadata.is_filtered(QueryDict("status=open"), names)
    assert metadata.is_filtered(QueryDict("topic=no-such-topic"), names)  # ignored with a notice: not for indexing
    assert not metadata.is_filtered(QueryDict("status=&division=&topic="), names)  # the form sent with "any"
    assert not metadata.is_filtered(QueryDict("page=2&utm_source=x"), names)


@pytest.mark.parametrize(
    ("filtered", "number", "expected"),
    [(False, None, "/en/news/"), (False, 1, "/en/news/"), (False, 3, "/en/news/?page=3"), (True, 3, "/en/news/")],
)
def test_canonical_keeps_only_the_page_number_of_an_unfiltered_listing(filtered, number, expected):
    assert metadata.canonical_path("/en/news/", filtered=filtered, page_number=number) == expected


def test_robots_directive():
    assert metadata.robots_directive(explicit=None, filtered=False) is None
    assert metadata.robots_directive(explicit=None, filtered=True) == "noindex, follow"
    assert metadata.robots_directive(explicit="noindex, nofollow", filtered=True) == "noindex, nofollow"


def test_alternates_of_pages_and_routes():
    translations = {"en": "http://h/en/news/", "fr": "http://h/fr/nouvelles/"}
    assert metadata.alternate_links(translations, "2017/") == [
        {"code": "en", "url": "http://h/en/news/2017/"},
        {"code": "fr", "url": "http://h/fr/nouvelles/2017/"},
    ]
    assert metadata.alternate_links(translations, "x/", {"en": "austin/"}) == []  # one language: none
    assert metadata.alternate_links({"en": "http://h/en/"}, "") == []


# --- pages built for one test ---------------------------------------------------------------


@pytest.fixture
def default_image(site_tree):
    image = demo_image(SHARE_IMAGE_TITLE, ("#0b3d6e", "#f2b705"))
    image.description = SHARE_IMAGE_ALT
    image.save()
    settings = SiteSettings.for_site(site_tree.site)
    settings.default_share_image = image
    settings.x_url = "https://x.com/TorontoComms"
    settings.save()
    return image


def test_without_any_image_the_card_is_a_summary(client, site_tree):
    meta = head(client.get("/en/news/").content.decode())
    assert "og:image" not in meta["og"]
    assert meta["twitter"] == {"twitter:card": "summary"}


def test_the_default_sharing_image_is_a_1200_by_630_rendition(client, site_tree, default_image):
    meta = head(client.get("/en/news/").content.decode())
    [image] = meta["og"]["og:image"]
    assert is_absolute(image) and "fill-1200x630" in image
    assert meta["og"]["og:image:width"] == ["1200"] and meta["og"]["og:image:height"] == ["630"]
    assert meta["og"]["og:image:alt"] == [SHARE_IMAGE_ALT]
    assert meta["twitter"] == {"twitter:card": "summary_large_image", "twitter:site": "@TorontoComms"}


def test_a_pages_own_social_image_wins_and_its_alt_text_follows_edits(client, site_tree, default_image):
    own = demo_image("Release photo", ("#ffffff", "#000000"), size=(800, 600))
    own.description = "Councillors at the launch"
    own.save()
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="with-photo", social_image=own)
    meta = head(client.get(release.url).content.decode())
    assert "/release-photo." in meta["og"]["og:image"][0]
    # Wagtail never enlarges: a 800x600 original gives the largest 1200:630 crop it holds.
    assert meta["og"]["og:image:width"] == ["800"] and meta["og"]["og:image:height"] == ["420"]
    assert meta["og"]["og:image:alt"] == ["Councillors at the launch"]

    own.description = "The Mayor at the launch"
    own.save()  # forgets the cached rendition data
    assert head(client.get(release.url).content.decode())["og"]["og:image:alt"] == ["The Mayor at the launch"]


def test_the_sharing_image_adds_no_query(client, site_tree):
    client.get("/en/news/")
    without, _response = count_queries(client, "/en/news/")
    image = demo_image(SHARE_IMAGE_TITLE, ("#0b3d6e", "#f2b705"))
    settings = SiteSettings.for_site(site_tree.site)
    settings.default_share_image = image
    settings.save()
    client.get("/en/news/")  # makes the rendition and caches it
    with_image, response = count_queries(client, "/en/news/")
    assert "og:image" in head(response.content.decode())["og"]
    assert with_image == without


def test_the_head_leaves_lazy_values_such_as_the_csrf_token_unevaluated(client, site_tree):
    # Evaluating the lazy token would set a CSRF cookie on every page, and caches skip those.
    assert "csrftoken" not in client.get("/en/news/").cookies


def test_a_release_is_an_article_with_its_release_date(client, site_tree):
    release_date = datetime.datetime(2017, 3, 10, 10, 0, tzinfo=datetime.UTC)  # 05:00 in Toronto (EST)
    release = NewsReleasePageFactory(
        parent=site_tree.news_index, slug="launch", release_date=release_date, search_description="Short and sweet."
    )
    meta = head(client.get(release.url).content.decode())
    assert meta["og"]["og:type"] == ["article"]
    assert meta["og"]["article:published_time"] == ["2017-03-10T05:00:00-05:00"]
    modified = datetime.datetime.fromisoformat(meta["og"]["article:modified_time"][0])
    assert modified >= release_date
    assert meta["description"] == "Short and sweet."
    assert head(client.get("/en/news/").content.decode())["og"]["og:type"] == ["website"]


def test_the_description_falls_back_to_the_listing_summary_then_the_lead(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="a", listing_summary="From the listing.")
    assert head(client.get(release.url).content.decode())["description"] == "From the listing."
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="b", lead="The lead says it all.")
    assert head(client.get(release.url).content.decode())["description"] == "The lead says it all."


def test_a_seo_title_makes_the_title_and_the_office_name_follows(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="seo", seo_title="Short title for search")
    meta = head(client.get(release.url).content.decode())
    assert meta["title"] == "Short title for search | Civic Innovation Office"
    assert meta["og"]["og:title"] == ["Short title for search"]
    assert meta["og"]["og:site_name"] == ["Civic Innovation Office"]


def test_the_home_page_is_named_by_the_office_not_home(client, site_tree):
    meta = head(client.get("/en/").content.decode())
    assert meta["title"] == "Civic Innovation Office"
    assert meta["og"]["og:title"] == ["Civic Innovation Office"]
    site_tree.home.seo_title = "Civic innovation in Toronto"
    site_tree.home.save()
    assert head(client.get("/en/").content.decode())["title"] == "Civic innovation in Toronto | Civic Innovation Office"


@pytest.fixture
def listings(site_tree):
    """A challenge list, the newsroom and the job list, with a topic and enough releases for two pages."""
    challenge_index = ChallengeIndexPageFactory(parent=site_tree.home)
    topic = TopicFactory(slug="mobility")
    make_challenge(challenge_index, opens=-5, closes=20)
    for number in range(12):  # this year's, so this year's archive exists
        NewsReleasePageFactory(
            parent=site_tree.news_index, release_date=timezone.now() - datetime.timedelta(minutes=number)
        )
    JobIndexPageFactory(parent=site_tree.home)
    return topic


@pytest.mark.parametrize(
    ("url", "unfiltered"),
    [
        ("/en/challenges/?status=open", "/en/challenges/"),
        ("/en/challenges/?topic=mobility&page=2", "/en/challenges/"),
        ("/en/challenges/?division=no-such-division", "/en/challenges/"),
        ("/en/news/?type=statement", "/en/news/"),
        ("/en/news/recent/?topic=mobility", "/en/news/recent/"),
        (f"/en/news/{timezone.localdate():%Y}/?type=news-release", f"/en/news/{timezone.localdate():%Y}/"),
        ("/en/jobs/?type=full-time", "/en/jobs/"),
    ],
)
def test_filtered_listings_are_noindex_and_name_the_unfiltered_list(client, listings, url, unfiltered):
    meta = head(client.get(url).content.decode())
    assert meta["robots"] == "noindex, follow"
    assert meta["canonical"] == [f"http://testserver{unfiltered}"]
    assert meta["og"]["og:url"] == meta["canonical"]


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/en/challenges/", "/en/challenges/"),
        ("/en/challenges/?status=&division=&topic=", "/en/challenges/"),
        ("/en/news/", "/en/news/"),
        ("/en/news/?page=2", "/en/news/?page=2"),
        ("/en/news/?page=99", "/en/news/?page=2"),  # past the end: the last page is shown
        ("/en/news/?page=abc", "/en/news/"),
        ("/en/news/?page=1&utm_source=newsletter", "/en/news/"),
        ("/en/news/recent/", "/en/news/recent/"),
        ("/en/jobs/", "/en/jobs/"),
        ("/fr/?untranslated=1", "/fr/"),
    ],
)
def test_plain_listings_are_indexed_under_their_own_address(client, listings, url, canonical):
    meta = head(client.get(url).content.decode())
    assert meta["robots"] is None
    assert meta["canonical"] == [f"http://testserver{canonical}"]


def test_search_results_are_noindex(client, site_tree):
    meta = head(client.get("/en/search/?q=transit").content.decode())
    assert meta["robots"] == "noindex, follow"
    assert meta["canonical"] == ["http://testserver/en/search/"]


def test_an_application_receipt_is_not_for_search_engines(client, site_tree):
    OfficeDetails.objects.create(locale=site_tree.english)
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home))
    html = client.get(f"{challenge.url}apply/thanks/?receipt=whatever").content.decode()  # 400: bad receipt
    assert head(html)["robots"] == "noindex, nofollow"
    assert html.count('name="robots"') == 1


def test_an_embargo_preview_names_the_public_address_not_the_token(client, site_tree):
    go_live = timezone.now() + datetime.timedelta(hours=2)
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="embargoed", live=False, release_date=go_live)
    release.go_live_at = go_live
    release.save_revision().publish()
    link = EmbargoPreviewLink.create_for(release, "Toronto Star")
    html = client.get(f"/preview/{link.token}/").content.decode()
    assert link.token not in str(BeautifulSoup(html, "html.parser").head)
    assert head(html)["canonical"] == ["http://testserver/en/news/embargoed/"]


def test_a_partner_city_page_has_its_own_title_and_alternates_where_the_city_is_translated(client, site_tree):
    index = PartnerCityIndexPageFactory(parent=site_tree.home)
    index_fr = index.copy_for_translation(site_tree.french)
    index_fr.slug = "villes-partenaires"
    index_fr.save_revision().publish()
    austin = PartnerCityFactory(name="Austin", slug="austin", description="Austin's i-team.")
    PartnerCityFactory(name="Durham", slug="durham")
    austin.copy_for_translation(site_tree.french).save()

    meta = head(client.get("/en/partner-cities/austin/").content.decode())
    assert meta["title"] == "Austin | Civic Innovation Office"
    assert meta["description"] == "Austin's i-team."
    assert meta["canonical"] == ["http://testserver/en/partner-cities/austin/"]
    assert meta["alternates"] == {
        "en": "http://testserver/en/partner-cities/austin/",
        "fr": "http://testserver/fr/villes-partenaires/austin/",
    }
    assert head(client.get("/en/partner-cities/durham/").content.decode())["alternates"] == {}  # not in French


def test_a_newsroom_archive_is_its_own_page_in_both_languages(client, site_tree):
    news_fr = site_tree.news_index.copy_for_translation(site_tree.french)
    news_fr.slug = "nouvelles"
    news_fr.save_revision().publish()
    for newsroom in (site_tree.news_index, news_fr):  # an archive without releases is a 404
        NewsReleasePageFactory(
            parent=newsroom, locale=newsroom.locale, release_date=datetime.datetime(2017, 3, 10, tzinfo=datetime.UTC)
        )
    meta = head(client.get("/en/news/2017/").content.decode())
    assert meta["title"] == "News releases, 2017 | Civic Innovation Office"
    assert meta["canonical"] == ["http://testserver/en/news/2017/"]
    assert meta["alternates"] == {
        "en": "http://testserver/en/news/2017/",
        "fr": "http://testserver/fr/nouvelles/2017/",
    }


# --- every page of the demo -----------------------------------------------------------------


def demo_urls() -> list[str]:
    pages = [page.url for page in Page.objects.live().filter(depth__gt=1).order_by("path")]
    routes = []
    for code, partners, news in [("en", "partner-cities", "news"), ("fr", "villes-partenaires", "nouvelles")]:
        routes += [f"/{code}/{partners}/austin/", f"/{code}/{news}/2017/", f"/{code}/{news}/recent/"]
    return pages + routes


def test_every_demo_page_has_complete_absolute_metadata(demo, client):
    urls = demo_urls()
    assert len(urls) > 50
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        meta = head(response.content.decode())
        language = url.split("/")[1]
        office = OfficeDetails.for_language(language).office_name
        if url in {"/en/", "/fr/"}:
            assert meta["title"] == office, url  # the home page is named by the office alone
        else:
            assert meta["title"].endswith(f" | {office}") and len(meta["title"]) > len(office) + 3, url
        assert meta["description"], url
        assert meta["canonical"] == [f"http://testserver{url}"], url
        assert meta["robots"] is None, url
        og = meta["og"]
        assert og["og:url"] == meta["canonical"], url
        assert og["og:title"][0] and og["og:site_name"] == [office], url
        assert og["og:description"] == [meta["description"]], url
        assert og["og:locale"] == [f"{language}_CA"], url
        assert og["og:locale:alternate"] == [{"en": "fr_CA", "fr": "en_CA"}[language]], url
        assert is_absolute(og["og:image"][0]), url
        assert int(og["og:image:width"][0]) > 0 and int(og["og:image:height"][0]) > 0, url
        assert og["og:image:alt"][0], url
        assert meta["twitter"]["twitter:card"] == "summary_large_image", url
        assert set(meta["alternates"]) == {"en", "fr"}, url
        assert all(is_absolute(href) for href in meta["alternates"].values()), url
        assert meta["alternates"][language] == meta["canonical"][0], url


def test_demo_releases_are_articles_and_other_pages_are_not(demo, client):
    releases = {release.url for release in NewsReleasePage.objects.live()}
    assert len(releases) >= 12
    for url in demo_urls():
        og = head(client.get(url).content.decode())["og"]
        assert og["og:type"] == (["article"] if url in releases else ["website"]), url
        assert ("article:published_time" in og) == (url in releases), url


def test_french_pages_carry_french_values(demo, client):
    english = head(client.get("/en/news/launch-of-the-civic-innovation-office/").content.decode())
    french = head(client.get("/fr/nouvelles/lancement-du-bureau-de-linnovation-civique/").content.decode())
    assert french["og"]["og:site_name"] == ["Bureau de l'innovation civique"]
    assert french["title"].endswith(" | Bureau de l'innovation civique")
    assert french["og"]["og:title"] != english["og"]["og:title"]
    assert french["description"] != english["description"]
    assert french["og"]["og:locale"] == ["fr_CA"] and french["og"]["og:locale:alternate"] == ["en_CA"]
    assert french["alternates"] == english["alternates"]


def test_demo_filtered_listings_are_noindex(demo, client):
    for url in [
        "/en/challenges/?status=open",
        "/fr/defis/?status=open",
        "/en/news/?type=statement",
        "/fr/emplois/?type=contract",
    ]:
        meta = head(client.get(url).content.decode())
        assert meta["robots"] == "noindex, follow", url
        assert meta["canonical"] == [f"http://testserver{urlsplit(url).path}"], url
