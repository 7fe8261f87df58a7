"""The demo's results hub in a real browser: no axe-core violation in English or French, at a phone's
width and a desktop's; the header menu of each language leads to it; its filters work without
JavaScript."""

import pytest

from tests.browser.conftest import WIDTHS, check_page

pytestmark = pytest.mark.browser

PAGES = {"en": "/en/results/", "fr": "/fr/resultats/"}
COMPLETED = {"en": "Connecting newcomers to employment services", "fr": "Orienter les nouveaux arrivants"}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("language", PAGES)
def test_the_results_hub_has_no_axe_violations(demo_server, new_page, language, width):
    page = new_page(width=width)
    response = page.goto(demo_server + PAGES[language])
    assert response.status == 200
    check_page(page, f"results-{language}", width)
    assert page.get_by_role("heading", name=COMPLETED[language]).count() == 1


@pytest.mark.parametrize("language", PAGES)
def test_the_header_menu_leads_to_the_results_hub_of_its_language(demo_server, new_page, language):
    page = new_page()
    page.goto(f"{demo_server}/{language}/")
    assert page.locator(f'header a[href="{PAGES[language]}"]').count() >= 1


def test_the_filters_work_without_javascript(demo_server, new_page):
    page = new_page(javascript=False)
    page.goto(demo_server + PAGES["en"])
    page.get_by_label("Outcome").select_option("not-procured")
    page.get_by_role("button", name="Show results").click()
    assert page.url.endswith("/en/results/?division=&topic=&year=&outcome=not-procured")
    assert "No completed challenges match these filters" in page.content()
