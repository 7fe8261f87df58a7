"""Site search in Chromium: every state of the page passes axe-core in both languages on a phone and
a desktop, and the header's search form works by keyboard with JavaScript off."""

import pytest

from tests.browser.conftest import WIDTHS, check_page

pytestmark = pytest.mark.browser

PAGES = {
    "results": "/en/search/?q=apply",
    "results-filtered": "/en/search/?q=apply&type=challenges",
    "results-fr": "/fr/search/?q=innovation",
    "recommended-fr": "/fr/search/?q=apply",  # the promoted challenge, in French
    "no-results": "/en/search/?q=xylophone&type=jobs",
    "no-results-fr": "/fr/search/?q=xylophone",
    "some-words": "/en/search/?q=apply+xylophone",
    "bad-type": "/en/search/?q=apply&type=bogus",
    "empty": "/en/search/",
    "empty-fr": "/fr/search/",
}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_search_pages_have_no_axe_violations(demo_server, new_page, width):
    page = new_page(width=width)
    for name, path in PAGES.items():
        page.goto(demo_server + path)
        assert page.get_by_role("search").count() == 1, f"{name} has one search form"
        check_page(page, name, width)


def test_the_header_search_works_by_keyboard_without_javascript(demo_server, new_page):
    page = new_page(width=WIDTHS["phone"], javascript=False)
    page.goto(demo_server + "/en/news/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-query":
            break
    else:
        pytest.fail("the header's search box was not reached by keyboard")
    assert page.get_by_label("Search this site").is_visible()
    page.keyboard.type("apply")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=apply")
    assert page.get_by_role("heading", name="Recommended").is_visible()
    assert page.get_by_role("status").inner_text().endswith("results for “apply”")
    assert page.locator("mark", has_text="apply").first.is_visible()


def test_the_type_filter_works_by_keyboard_without_javascript(demo_server, new_page):
    page = new_page(javascript=False)
    page.goto(demo_server + "/fr/search/?q=innovation")
    page.locator('input[name="type"][value=""]').focus()
    page.keyboard.press("ArrowRight")  # the next type: challenges
    page.keyboard.press("Tab")  # out of the group, to its button
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/search/?q=innovation&type=challenges")
    links = page.locator(".search-result__title a").evaluate_all("links => links.map(link => link.pathname)")
    assert links and all(link.startswith("/fr/defis/") for link in links)
