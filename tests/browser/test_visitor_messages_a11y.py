"""The contact form and the accessibility feedback form (issue 23, item 2) in a real browser on the
demo site: both forms, their errors without JavaScript and the thanks page pass axe-core in English
and French at phone and desktop widths; a message is sent without JavaScript; the demo's Contact and
Accessibility pages link to the forms in each language."""

import pytest
from django.core.cache import cache

from home.messages.models import VisitorMessage
from site_core.models import OutgoingEmail
from tests.browser.conftest import assert_accessible, check_page

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 320}
LANGUAGES = ["en", "fr"]
FORMS = {"contact": "contact/form/", "feedback": "accessibility/feedback/"}
SUBMIT = "main form.form button[type=submit]"


def forget(email: str) -> None:
    """The demo server's database is shared by the module: take away what a test stored."""
    VisitorMessage.objects.filter(email=email).delete()
    OutgoingEmail.objects.filter(to=email).delete()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_forms_have_no_axe_violations(demo_server, new_page, language, form, width):
    page = new_page(width=width)
    page.goto(f"{demo_server}/{language}/{FORMS[form]}")
    check_page(page, f"{form}-{language}", width)
    assert page.locator("#id_email").get_attribute("autocomplete") == "email"
    assert page.locator("#notice-heading").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", FORMS)
def test_sending_it_empty_without_javascript_summarises_and_links_the_errors(demo_server, new_page, language, form):
    cache.clear()  # the per-address limit on posts
    stored = VisitorMessage.objects.count()
    page = new_page(javascript=False)
    page.goto(f"{demo_server}/{language}/{FORMS[form]}")
    page.locator(SUBMIT).click()
    page.wait_for_url(f"**/{language}/{FORMS[form]}")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    targets = [link.get_attribute("href") for link in summary.locator("a").all()]
    assert {"#id_email", "#id_message", "#id_consent"} <= set(targets), targets
    for target in targets:
        field = page.locator(target)
        assert field.count() == 1, target
        described_by = (field.get_attribute("aria-describedby") or "").split()
        for id_ in described_by:
            assert page.locator(f"#{id_}").count() == 1, f"{target} is described by a missing #{id_}"
    assert VisitorMessage.objects.count() == stored

    checked = new_page()
    checked.goto(f"{demo_server}/{language}/{FORMS[form]}")
    checked.locator(SUBMIT).click()
    checked.wait_for_selector(".error-summary")
    assert_accessible(checked)


@pytest.mark.parametrize("language", LANGUAGES)
def test_feedback_without_javascript_reaches_an_accessible_thanks_page(demo_server, new_page, language):
    cache.clear()
    email = f"feedback.{language}@example.ca"
    forget(email)
    try:
        page = new_page(width=WIDTHS["phone"], javascript=False)
        page.goto(f"{demo_server}/{language}/accessibility/feedback/")
        page.fill("#id_email", email)
        page.fill("#id_about", "The challenge PDF")
        page.fill("#id_message", "The PDF has no tags.")
        page.check("#id_reply_format_1")  # a phone call
        page.fill("#id_phone", "416-555-0100")
        page.check("#id_consent")
        page.locator(SUBMIT).click()
        page.wait_for_url(f"**/{language}/accessibility/feedback/thanks/**")
        message = VisitorMessage.objects.get(email=email)
        assert message.reply_format == "phone" and message.language == language
        assert message.reference in page.locator(".confirmation").inner_text() and email not in page.url

        thanks = new_page(width=WIDTHS["phone"])
        thanks.goto(page.url)
        check_page(thanks, f"feedback-thanks-{language}", WIDTHS["phone"])
    finally:
        forget(email)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_contact_message_without_javascript_reaches_the_thanks_page(demo_server, new_page, language):
    cache.clear()
    email = f"contact.{language}@example.ca"
    forget(email)
    try:
        page = new_page(javascript=False)
        page.goto(f"{demo_server}/{language}/contact/form/")
        page.fill("#id_name", "Sam Rivera")
        page.fill("#id_email", email)
        page.check("#id_topic_2")  # media
        page.fill("#id_message", "An interview, please.")
        page.check("#id_consent")
        page.locator(SUBMIT).click()
        page.wait_for_url(f"**/{language}/contact/form/thanks/**")
        message = VisitorMessage.objects.get(email=email)
        assert message.topic == "media" and message.reference in page.content()
    finally:
        forget(email)


@pytest.mark.parametrize(
    ("language", "contact", "accessibility"),
    [("en", "contact", "accessibility"), ("fr", "nous-joindre", "accessibilite")],
)
def test_the_contact_and_accessibility_pages_link_to_the_forms_in_their_language(
    demo_server, new_page, language, contact, accessibility
):
    page = new_page()
    page.goto(f"{demo_server}/{language}/{accessibility}/")
    page.locator(f'main a[href="/{language}/accessibility/feedback/"]').click()
    page.wait_for_url(f"**/{language}/accessibility/feedback/")
    page.goto(f"{demo_server}/{language}/{contact}/")
    assert page.locator(f'main a[href="/{language}/accessibility/feedback/"]').count() == 1
    page.locator(f'main a[href="/{language}/contact/form/"]').click()
    page.wait_for_url(f"**/{language}/contact/form/")
