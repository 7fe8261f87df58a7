"""The challenges' open-data page passes axe-core in Chromium, in English and French, on a phone and
on a desktop; it fits the screen without sideways scrolling, and its downloads work by keyboard."""

import pytest

from tests.browser.conftest import WIDTHS, check_page

pytestmark = pytest.mark.browser

PAGES = {"open-data": "/en/challenges/open-data/", "open-data-fr": "/fr/defis/open-data/"}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_open_data_page_has_no_axe_violations(demo_server, new_page, width):
    page = new_page(width=width)
    for name, path in PAGES.items():
        response = page.goto(demo_server + path)
        assert response.status == 200, name
        check_page(page, name, width)


def test_the_data_dictionary_scrolls_by_keyboard_and_the_csv_downloads(demo_server, new_page):
    page = new_page(width=320, javascript=False)
    page.goto(demo_server + PAGES["open-data"])
    region = page.get_by_role("region", name="Columns of the CSV file")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-wrapper')")
    link = page.get_by_role("link", name="All challenges as CSV")
    link.focus()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "challenges-en.csv"
    with open(download.path(), encoding="utf-8-sig") as downloaded:
        header = downloaded.readline()
    assert header.startswith("id,title,url,language,status")
