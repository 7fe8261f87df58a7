"""The sitemaps: an index of one sitemap per language, each listing every live public page of its
language (and the partner cities' pages) with reciprocal hreflang alternates, in a fixed number of
queries; robots.txt points at the index."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from challenges.models import ChallengeIndexPage
from news.models import PartnerCityIndexPage
from site_core.models import PartnerCity
from site_core.seo.sitemaps import language_of
from tests.conftest import assert_constant_queries
from tests.factories import (
    ChallengeIndexPageFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    add_live_pages,
    make_challenge,
)

pytestmark = pytest.mark.django_db

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
HOST = "http://testserver"


def parse(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response; raises unless well-formed XML


def entries(client, url: str) -> dict[str, dict]:
    """{loc: {"lastmod": str, "alternates": {hreflang: href}}} of a sitemap."""
    root = parse(client, url)
    assert root.tag == f"{{{SITEMAP}}}urlset"
    found = {}
    for item in root.findall(f"{{{SITEMAP}}}url"):
        loc = item.findtext(f"{{{SITEMAP}}}loc")
        assert loc not in found, f"listed twice: {loc}"
        found[loc] = {
            "lastmod": item.findtext(f"{{{SITEMAP}}}lastmod"),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in item.findall(f"{{{XHTML}}}link")
                if link.get("rel") == "alternate"
            },
        }
    return found


def translate(page, locale, slug):
    translation = page.copy_for_translation(locale)
    translation.slug = slug
    translation.save_revision().publish()
    return Page.objects.get(pk=translation.pk).specific  # with the new slug's url_path


@pytest.fixture
def content(site_tree):
    """A bilingual site with what must be listed and what must not."""
    news_fr = translate(site_tree.news_index, site_tree.french, "nouvelles")
    public = NewsReleasePageFactory(parent=site_tree.news_index, slug="public-release")
    translate(public, site_tree.french, "communique-public")
    NewsReleasePageFactory(parent=site_tree.news_index, slug="english-only")
    draft = NewsReleasePageFactory(parent=site_tree.news_index, slug="draft-release")
    draft.unpublish()
    go_live = timezone.now() + datetime.timedelta(days=1)
    embargoed = NewsReleasePageFactory(parent=site_tree.news_index, slug="embargoed", live=False, release_date=go_live)
    embargoed.go_live_at = go_live
    embargoed.save_revision().publish()
    french_only = NewsReleasePageFactory(parent=news_fr, slug="seulement-en-francais", locale=site_tree.french)

    challenges = ChallengeIndexPageFactory(parent=site_tree.home)
    make_challenge(challenges, slug="open-call")
    private_section = ChallengeIndexPageFactory(parent=site_tree.home, slug="staff-only", title="Staff only")
    make_challenge(private_section, slug="inside-the-private-section")
    PageViewRestriction.objects.create(page=private_section, restriction_type="login")

    partners = PartnerCityIndexPageFactory(parent=site_tree.home)
    translate(partners, site_tree.french, "villes-partenaires")
    austin = PartnerCityFactory(name="Austin", slug="austin")
    austin.copy_for_translation(site_tree.french).save()
    PartnerCityFactory(name="Durham", slug="durham")
    PartnerStoryPageFactory(parent=partners, slug="austin-story", partner_city=austin)
    return {"draft": draft, "embargoed": embargoed, "private": private_section, "french_only": french_only}


def expected_locs(language: str) -> set[str]:
    """Every page a visitor without an account can open in `language`, found another way: Wagtail's
    own live() and public() filters, and each city under the live partner cities page."""
    pages = Page.objects.live().public().filter(locale__language_code=language, depth__gt=1)
    locs = {HOST + page.url for page in pages}
    for index in PartnerCityIndexPage.objects.live().public().filter(locale__language_code=language):
        locs |= {f"{HOST}{index.url}{city.slug}/" for city in PartnerCity.objects.filter(locale=index.locale)}
    for index in ChallengeIndexPage.objects.live().public().filter(locale__language_code=language):
        locs.add(f"{HOST}{index.url}open-data/")
    return locs


def test_a_pages_language_is_that_of_the_deepest_home_page_above_it():
    roots = {"en": "/home/", "fr": "/home/accueil/"}  # a tree where the French home sits inside the English one
    assert language_of("/home/news/", roots) == "en"
    assert language_of("/home/accueil/nouvelles/", roots) == "fr"
    assert language_of("/elsewhere/", roots) is None


def test_the_index_lists_one_sitemap_per_language(client, content):
    root = parse(client, "/sitemap.xml")
    assert root.tag == f"{{{SITEMAP}}}sitemapindex"
    locs = [item.findtext(f"{{{SITEMAP}}}loc") for item in root.findall(f"{{{SITEMAP}}}sitemap")]
    assert locs == [f"{HOST}/sitemap-en.xml", f"{HOST}/sitemap-fr.xml"]
    assert all(item.findtext(f"{{{SITEMAP}}}lastmod") for item in root.findall(f"{{{SITEMAP}}}sitemap"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_sitemap_lists_exactly_the_live_public_pages_of_its_language(client, content, language):
    listed = entries(client, f"/sitemap-{language}.xml")
    assert set(listed) == expected_locs(language)
    published = {HOST + page.url: page.last_published_at for page in Page.objects.live().filter(depth__gt=1)}
    for loc, entry in listed.items():
        if published.get(loc):  # pages made by factories without a revision have no date
            assert entry["lastmod"] == f"{timezone.localtime(published[loc]):%Y-%m-%d}", loc


def test_drafts_embargoed_releases_and_private_sections_are_left_out(client, content):
    text = client.get("/sitemap-en.xml").content.decode() + client.get("/sitemap-fr.xml").content.decode()
    assert f"{HOST}/en/news/public-release/" in text
    assert f"{HOST}/en/partner-cities/durham/" in text
    for absent in ["draft-release", "/news/embargoed/", "staff-only", "inside-the-private-section"]:
        assert absent not in text


def test_alternates_are_reciprocal_and_name_the_english_page_as_default(client, content):
    sitemaps = {language: entries(client, f"/sitemap-{language}.xml") for language in ["en", "fr"]}
    for language, listed in sitemaps.items():
        for loc, entry in listed.items():
            alternates = entry["alternates"]
            assert alternates[language] == loc  # itself included
            if "en" in alternates:
                assert alternates["x-default"] == alternates["en"]
            else:
                assert "x-default" not in alternates
            for other, href in alternates.items():
                if other == "x-default":
                    continue
                assert href in sitemaps[other], (loc, href)
                assert sitemaps[other][href]["alternates"][language] == loc, (loc, href)

    public = sitemaps["en"][f"{HOST}/en/news/public-release/"]["alternates"]
    assert public == {
        "en": f"{HOST}/en/news/public-release/",
        "fr": f"{HOST}/fr/nouvelles/communique-public/",
        "x-default": f"{HOST}/en/news/public-release/",
    }
    assert sitemaps["en"][f"{HOST}/en/partner-cities/austin/"]["alternates"]["fr"] == (
        f"{HOST}/fr/villes-partenaires/austin/"
    )
    assert set(sitemaps["en"][f"{HOST}/en/partner-cities/durham/"]["alternates"]) == {"en", "x-default"}
    assert set(sitemaps["fr"][f"{HOST}/fr/nouvelles/seulement-en-francais/"]["alternates"]) == {"fr"}


def test_a_language_without_a_sitemap_is_not_found(client, site_tree):
    assert client.get("/sitemap-de.xml").status_code == 404
    assert client.get("/sitemap-.xml").status_code == 404


def test_sitemaps_take_the_same_queries_for_10_or_500_pages(client, site_tree):
    partners = PartnerCityIndexPageFactory(parent=site_tree.home)
    cities = PartnerCityFactory.create_batch(3)

    def add_pages(count):
        add_live_pages(site_tree.news_index, NewsReleasePageFactory.build_batch(count))
        stories = [PartnerStoryPageFactory.build(partner_city=cities[number % 3]) for number in range(count // 50)]
        add_live_pages(partners, stories)

    queries = assert_constant_queries(client, ["/sitemap-en.xml", "/sitemap-fr.xml", "/sitemap.xml"], add_pages)
    assert queries["/sitemap-en.xml"] <= 6
    assert len(entries(client, "/sitemap-en.xml")) > 500


def test_robots_txt_points_at_the_sitemap_index_and_keeps_crawlers_out_of_previews(client, site_tree):
    text = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {HOST}/sitemap.xml" in text.splitlines()
    assert "Disallow: /preview/" in text.splitlines()
    assert "Disallow: /admin/" in text.splitlines()
