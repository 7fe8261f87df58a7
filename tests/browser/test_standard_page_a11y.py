"""The demo's standard pages (About, Privacy, Accessibility, Terms of use, Contact) in a real browser:
no axe-core violation in English or French, at a phone's width and a desktop's, and the footer of
each language leads to that language's pages."""

import pytest

from site_core.models import OfficeDetails
from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 320}
PAGES = {
    "en": ["about", "privacy", "accessibility", "terms-of-use", "contact"],
    "fr": ["a-propos", "protection-de-la-vie-privee", "accessibilite", "conditions-d-utilisation", "nous-joindre"],
}
ADDRESSES = [(language, slug) for language, slugs in PAGES.items() for slug in slugs]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(("language", "slug"), ADDRESSES)
def test_each_standard_page_has_no_axe_violations(demo_server, new_page, language, slug, width):
    page = new_page(width=width)
    response = page.goto(f"{demo_server}/{language}/{slug}/")
    assert response.status == 200
    check_page(page, f"{language}/{slug}", width)


@pytest.mark.parametrize("language", PAGES)
def test_the_footer_leads_to_the_standard_pages_of_its_own_language(demo_server, new_page, language):
    page = new_page()
    page.goto(f"{demo_server}/{language}/")
    footer = page.locator("footer nav[aria-labelledby=footer-about] a")
    hrefs = [footer.nth(index).get_attribute("href") for index in range(footer.count())]
    assert hrefs == [f"/{language}/{slug}/" for slug in PAGES[language]]
    assert page.locator(f'footer a[href="/{language}/alerts/"]').count() == 1


@pytest.mark.parametrize(("language", "slug"), [("en", "contact"), ("fr", "nous-joindre")])
def test_the_contact_page_gives_the_offices_own_address(demo_server, new_page, language, slug):
    details = OfficeDetails.objects.get(locale__language_code=language)
    page = new_page()
    page.goto(f"{demo_server}/{language}/{slug}/")
    main = page.locator("main").inner_text()
    for line in details.street_address.splitlines():
        assert " ".join(line.split()) in " ".join(main.split()), line
    assert page.locator('main a[href="mailto:innovation@example.ca"]').count() == 1
