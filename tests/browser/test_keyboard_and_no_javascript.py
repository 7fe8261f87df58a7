"""The site works by keyboard and with JavaScript turned off."""

import pytest

pytestmark = pytest.mark.browser


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(demo_server, new_page):
    page = new_page()
    page.goto(demo_server + "/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_keyboard_reaches_the_language_switcher_and_follows_it(demo_server, new_page):
    page = new_page()
    page.goto(demo_server + "/en/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "fr":
            break
    else:
        pytest.fail("the French link was not reached by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_release_reads_completely_without_javascript(demo_server, new_page):
    page = new_page(javascript=False)
    page.goto(demo_server + "/en/")
    page.get_by_role("link", name="City of Toronto launches Civic Innovation Office").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("City of Toronto launches")
    assert page.get_by_text("About the Innovation Team").is_visible()


def test_challenge_filters_work_by_keyboard_without_javascript(demo_server, new_page):
    page = new_page(javascript=False)
    page.goto(demo_server + "/en/challenges/")
    page.get_by_label("Status").focus()
    page.keyboard.press("ArrowDown")  # "Open for applications"
    page.get_by_role("button", name="Show challenges").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/challenges/?status=open*")
    assert page.get_by_label("Status").input_value() == "open"
    assert page.get_by_role("status").inner_text().startswith("2 challenges")
    titles = page.locator(".card__title").all_inner_texts()
    assert "Let residents track their 311 service requests from start to finish" in titles
    assert "Fewer missed curbside collections" not in titles


def test_faq_opens_by_keyboard(demo_server, new_page):
    page = new_page()
    page.goto(demo_server + "/en/challenges/track-your-311-service-request/")
    summary = page.get_by_text("Who owns the intellectual property?")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_text("Teams keep ownership").is_visible()


def test_every_row_of_the_main_menu_starts_at_the_same_edge_on_a_phone(demo_server, new_page):
    """Issue 21: at 390 px the menu wraps, and its second row was indented (only the first link was
    pulled back to the edge)."""
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_server + "/en/")
    boxes = [link.bounding_box() for link in page.locator(".site-nav__list a").all()]
    rows: dict[int, float] = {}
    for box in boxes:
        rows.setdefault(round(box["y"]), box["x"])  # the first link of each row
    assert len(rows) >= 2, boxes  # it wraps at this width
    assert len({round(x) for x in rows.values()}) == 1, rows
    text_left = page.locator(".site-header__brand").bounding_box()["x"]
    first_text = page.evaluate(
        "() => { const a = document.querySelector('.site-nav__list a');"
        " return a.getBoundingClientRect().left + parseFloat(getComputedStyle(a).paddingLeft); }"
    )
    assert abs(first_text - text_left) <= 1  # the menu's words line up with the header's
