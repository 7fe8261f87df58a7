"""Email alerts (issue 22) in a real browser: the subscribe form, its errors (without JavaScript), the
"check your email" page, and the confirm, manage and unsubscribe pages an email's links lead to pass
axe-core in both languages; a keyboard alone fills and sends the form. (The French interface text may
still be English: nothing here reads its wording.)"""

import pytest
from django.core.cache import cache

from home.alerts.models import Subscriber
from home.alerts.views import apply_pending, ask
from site_core.models import OutgoingEmail
from tests.browser.conftest import assert_accessible, check_page

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
LANGUAGES = ["en", "fr"]
SUBMIT = "main form.form button[type=submit]"


def forget(email: str) -> None:
    """The demo server's database is shared by the module: take away what a test stored."""
    Subscriber.objects.filter(email=email).delete()
    OutgoingEmail.objects.filter(to=email).delete()


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focused_id(page) != "id_fax_number", "the honeypot is not a tab stop"
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{selector} was not reached by keyboard")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_subscribe_form_has_no_axe_violations(demo_server, new_page, language, width):
    page = new_page(width=width)
    page.goto(f"{demo_server}/{language}/alerts/")
    check_page(page, f"alerts-{language}", width)
    assert page.locator("#id_email").get_attribute("autocomplete") == "email"
    assert page.locator("#id_lists_0").count() == 1 and page.locator("#id_consent").count() == 1
    # The topics and divisions to narrow by are the demo's, in the page's language.
    assert page.locator("input[name=challenge_topics]").count() >= 1
    assert page.locator("input[name=challenge_divisions]").count() >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_sending_it_empty_without_javascript_summarises_and_links_the_errors(demo_server, new_page, language):
    cache.clear()  # the per-address limit on posts
    stored = Subscriber.objects.count()
    page = new_page(javascript=False)
    page.goto(f"{demo_server}/{language}/alerts/")
    page.locator(SUBMIT).click()
    page.wait_for_url(f"**/{language}/alerts/")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    # The browser applies autofocus at its next rendering step, after the element exists: wait for it.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")

    targets = [link.get_attribute("href") for link in summary.locator("a").all()]
    assert {"#id_email", "#id_lists_0", "#id_consent"} <= set(targets), targets
    for target in targets:
        field = page.locator(target)
        assert field.get_attribute("aria-invalid") == "true", target
        described_by = (field.get_attribute("aria-describedby") or "").split()
        errors = [id_ for id_ in described_by if id_.endswith("-error")]
        assert len(errors) == 1, (target, described_by)
        error = page.locator(f"#{errors[0]}")
        assert error.is_visible() and error.inner_text().strip(), target
        for id_ in described_by:
            assert page.locator(f"#{id_}").count() == 1, f"{target} is described by a missing #{id_}"
    # The choice lists' fieldsets are described by their error too (heard with the question).
    assert "id_lists-error" in (page.locator("fieldset:has(#id_lists_0)").get_attribute("aria-describedby") or "")

    summary.locator('a[href="#id_email"]').click()
    assert focused_id(page) == "id_email"
    assert Subscriber.objects.count() == stored

    # axe-core runs as a script (its run never ends with JavaScript off): the same answer, checked with it on.
    checked = new_page()
    checked.goto(f"{demo_server}/{language}/alerts/")
    checked.locator(SUBMIT).click()
    checked.wait_for_selector(".error-summary")
    assert checked.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert_accessible(checked)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_keyboard_alone_fills_and_sends_the_form(demo_server, new_page, language):
    cache.clear()
    email = f"keyboard.{language}@example.ca"
    forget(email)
    page = new_page(width=WIDTHS["phone"])
    try:
        page.goto(f"{demo_server}/{language}/alerts/")
        tab_to(page, "#id_email")
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        assert focused_id(page) == "id_lists_0"  # the first list follows the address
        page.keyboard.press("Space")
        assert page.locator("#id_lists_0").is_checked()
        tab_to(page, "#id_consent")
        page.keyboard.press("Space")
        assert page.locator("#id_consent").is_checked()
        tab_to(page, SUBMIT)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{language}/alerts/sent/")
        check_page(page, f"alerts-sent-{language}", WIDTHS["phone"])

        subscriber = Subscriber.objects.get(email=email)
        assert subscriber.confirmed_at is None  # nothing until the emailed link is used
        assert subscriber.pending["language"] == language
        assert list(subscriber.pending["lists"]) == ["challenges"]
    finally:
        forget(email)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_an_emails_links_lead_to_have_no_axe_violations(demo_server, new_page, language):
    email = f"links.{language}@example.ca"
    forget(email)
    choices = {"language": language, "lists": {"challenges": {"topics": ["mobility"]}, "jobs": {}}}
    try:
        subscriber = ask(email, choices, "I agree.", f"/{language}/alerts/")
        page = new_page(width=WIDTHS["phone"])
        page.goto(f"{demo_server}/{language}/alerts/confirm/{subscriber.new_key()}/")
        check_page(page, f"alerts-confirm-{language}", WIDTHS["phone"])

        apply_pending(subscriber)
        key = subscriber.new_key()
        for width in WIDTHS.values():
            page = new_page(width=width)
            page.goto(f"{demo_server}/{language}/alerts/manage/{key}/?confirmed=1")
            check_page(page, f"alerts-manage-confirmed-{language}", width)
            page.goto(f"{demo_server}/{language}/alerts/manage/{key}/")
            check_page(page, f"alerts-manage-{language}", width)
            assert page.locator("input[name=lists][value=challenges]").is_checked()
            assert page.locator("input[name=challenge_topics][value=mobility]").is_checked()
            page.goto(f"{demo_server}/{language}/alerts/unsubscribe/{key}/")
            check_page(page, f"alerts-unsubscribe-{language}", width)

        page.locator(SUBMIT.replace("form.form", "form")).click()  # unsubscribe, by its button
        page.wait_for_load_state()
        check_page(page, f"alerts-unsubscribed-{language}", WIDTHS["phone"])
        subscriber.refresh_from_db()
        assert subscriber.unsubscribed_at is not None and not subscriber.subscriptions.exists()
    finally:
        forget(email)
