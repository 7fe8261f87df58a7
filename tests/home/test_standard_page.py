"""Standard pages (About, Privacy, Accessibility, Terms of use, Contact): where they may live, how they
render in both languages, and the header and footer links editors turn on, in a fixed number of queries."""

import factory
import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from home.standard import StandardPage
from tests.conftest import assert_constant_queries
from tests.factories import add_live_pages
from tests.home.test_home_page import HOME_QUERY_BUDGET

pytestmark = pytest.mark.django_db

# A standard page is the header and footer around a title, an introduction and a body (4 queries
# since issue 24's routing, 10 before): fewer than the home page, which reads every section.
STANDARD_PAGE_QUERY_BUDGET = HOME_QUERY_BUDGET - 2


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Standard page {n}")
    slug = factory.Sequence(lambda n: f"standard-page-{n}")
    intro = "What this page is about."


def footer_links(html: str) -> dict[str, str]:
    """The footer's "About this site" links: label -> address."""
    nav = BeautifulSoup(html, "html.parser").select_one("footer nav[aria-labelledby=footer-about]")
    return {link.get_text(strip=True): link["href"] for link in nav.select("a")} if nav else {}


def menu_links(html: str) -> dict[str, str]:
    nav = BeautifulSoup(html, "html.parser").select_one("header nav.site-nav")
    return {link.get_text(strip=True): link["href"] for link in nav.select("a")} if nav else {}


def translate(page, site_tree, **fields):
    """`page` in French, published, with `fields` changed."""
    french = page.copy_for_translation(site_tree.french)
    for name, value in fields.items():
        setattr(french, name, value)
    french.save_revision().publish()
    return french.specific


@pytest.fixture
def privacy(site_tree):
    page = StandardPageFactory(
        parent=site_tree.home,
        title="Privacy",
        slug="privacy",
        intro="What this site collects and why.",
        body=[("heading", {"text": "Email alerts", "level": "h2"}), ("paragraph", "<p>Your address only.</p>")],
        show_in_footer=True,
    )
    french = translate(
        page,
        site_tree,
        title="Protection de la vie privée",
        slug="protection-de-la-vie-privee",
        intro="Ce que ce site recueille et pourquoi.",
        body=[("heading", {"text": "Alertes par courriel", "level": "h2"}), ("paragraph", "<p>Votre adresse.</p>")],
    )
    return page, french


def test_the_page_shows_its_title_introduction_and_body_in_english(client, privacy):
    soup = BeautifulSoup(client.get("/en/privacy/").content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Privacy"
    assert soup.select_one(".page-header__lead").get_text(strip=True) == "What this site collects and why."
    assert soup.select_one("main h2").get_text(strip=True) == "Email alerts"
    assert "Your address only." in soup.select_one("main").get_text()


def test_the_french_page_shows_its_own_text(client, privacy):
    soup = BeautifulSoup(client.get("/fr/protection-de-la-vie-privee/").content, "html.parser")
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "Protection de la vie privée"
    assert soup.select_one("main h2").get_text(strip=True) == "Alertes par courriel"
    assert "Votre adresse." in soup.select_one("main").get_text()


def test_the_page_describes_itself_to_search_engines_with_its_introduction(client, privacy):
    soup = BeautifulSoup(client.get("/en/privacy/").content, "html.parser")
    assert soup.select_one('meta[name="description"]')["content"] == "What this site collects and why."


def test_the_footer_links_the_page_in_the_visitors_language(client, privacy):
    assert footer_links(client.get("/en/").content)["Privacy"] == "/en/privacy/"
    french = footer_links(client.get("/fr/").content)
    assert french == {"Protection de la vie privée": "/fr/protection-de-la-vie-privee/"}


def test_the_footer_keeps_the_email_alerts_link_in_both_languages(client, privacy):
    for language in ("en", "fr"):
        soup = BeautifulSoup(client.get(f"/{language}/").content, "html.parser")
        assert soup.select_one(f'footer a[href="/{language}/alerts/"]') is not None, language


def test_a_page_not_marked_for_the_footer_is_not_in_it(client, site_tree):
    StandardPageFactory(parent=site_tree.home, title="Our history", slug="history")
    assert "Our history" not in footer_links(client.get("/en/").content)


def test_a_page_marked_for_the_menu_joins_the_header_after_the_menus_own_links(client, site_tree):
    StandardPageFactory(parent=site_tree.home, title="About the office", slug="about", show_in_menus=True)
    html = client.get("/en/about/").content
    assert menu_links(html) == {"About the office": "/en/about/"}
    assert BeautifulSoup(html, "html.parser").select_one('header a[aria-current="page"]')["href"] == "/en/about/"
    assert "About the office" not in footer_links(html)


def test_an_english_page_without_a_french_version_is_not_linked_from_the_french_footer(client, site_tree):
    StandardPageFactory(parent=site_tree.home, title="Terms of use", slug="terms-of-use", show_in_footer=True)
    assert footer_links(client.get("/fr/").content) == {}


def test_unpublished_and_private_pages_leave_the_footer(client, site_tree, privacy):
    page, _french = privacy
    secret = StandardPageFactory(parent=site_tree.home, title="Staff only", slug="staff", show_in_footer=True)
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    page.unpublish()
    links = footer_links(client.get("/en/").content)
    assert "Privacy" not in links
    assert "Staff only" not in links


def test_publishing_a_footer_page_shows_it_at_once(client, site_tree):
    assert "Contact us" not in footer_links(client.get("/en/").content)  # the links are now in the shared cache
    StandardPageFactory(parent=site_tree.home, title="Contact us", slug="contact", show_in_footer=True)
    assert footer_links(client.get("/en/").content)["Contact us"] == "/en/contact/"


def test_a_standard_page_renders_in_the_same_few_queries_with_10_or_500_footer_pages(client, site_tree, privacy):
    def add_footer_pages(count):
        start = StandardPage.objects.count()
        pages = [
            StandardPageFactory.build(title=f"Footer page {n}", slug=f"footer-page-{n}", show_in_footer=True)
            for n in range(start, start + count)
        ]
        add_live_pages(site_tree.home, pages)

    queries = assert_constant_queries(client, "/en/privacy/", add_footer_pages)
    assert queries <= STANDARD_PAGE_QUERY_BUDGET
    assert len(footer_links(client.get("/en/privacy/").content)) == 501


# --- the office's contact details and privacy contact, read from Settings -------------------------


@pytest.fixture
def office(site_tree):
    from site_core.models import OfficeDetails, SiteSettings

    settings_row = SiteSettings.for_site(site_tree.site)
    settings_row.contact_email = "innovation@example.ca"
    settings_row.save()
    details = OfficeDetails.objects.create(
        locale=site_tree.english,
        office_name="Civic Innovation Office",
        parent_organisation="City Manager's Office",
        street_address="100 Queen Street West\nToronto, ON  M5H 2N2",
        phone="416 392-0000",
        privacy_officer_title="Director, Civic Innovation Office",
        privacy_officer_address="Toronto City Hall",
        privacy_officer_phone="416-392-1111",
    )
    return details


@pytest.fixture
def contact(site_tree, office):
    return StandardPageFactory(
        parent=site_tree.home,
        title="Contact us",
        slug="contact",
        body=[("heading", {"text": "Reach us", "level": "h2"}), ("office_contact", None), ("privacy_contact", None)],
    )


def main_of(html: bytes) -> str:
    return str(BeautifulSoup(html, "html.parser").select_one("main"))


def test_the_office_contact_block_shows_the_settings_name_address_phone_and_email(client, contact):
    main = main_of(client.get("/en/contact/").content)
    assert "<strong>Civic Innovation Office</strong><br/>City Manager's Office" in main
    assert "<address>100 Queen Street West<br/>Toronto, ON  M5H 2N2</address>" in main
    assert '<a href="tel:416392-0000">416 392-0000</a>' in main
    assert '<a href="mailto:innovation@example.ca">innovation@example.ca</a>' in main


def test_the_privacy_contact_block_shows_the_privacy_officer_as_the_forms_notices_do(client, contact):
    main = main_of(client.get("/en/contact/").content)
    assert "Questions about this collection can be directed to:" in main
    assert "<address>Director, Civic Innovation Office<br/>Toronto City Hall<br/>Phone: 416-392-1111</address>" in main


def test_a_change_in_settings_shows_on_the_page_at_once(client, contact, office):
    client.get("/en/contact/")
    office.street_address = "55 John Street\nToronto, ON  M5V 3C6"
    office.save()
    main = main_of(client.get("/en/contact/").content)
    assert "55 John Street" in main
    assert "100 Queen Street West" not in main


def test_the_demo_pages_quote_no_address_or_phone_of_their_own(demo):
    """The demo's Contact, Privacy and Accessibility pages show the office through the blocks, so
    changing Settings changes them: no address or phone number is typed into their text."""
    pages = {page.slug: page for page in StandardPage.objects.filter(locale__language_code="en")}
    for slug in ("contact", "privacy", "accessibility"):
        raw = str(pages[slug].body.raw_data)
        assert "Queen Street" not in raw and "416-392" not in raw, slug
    assert [block.block_type for block in pages["contact"].body].count("office_contact") == 1
    assert [block.block_type for block in pages["privacy"].body].count("privacy_contact") == 1
    assert [block.block_type for block in pages["accessibility"].body].count("office_contact") == 1
