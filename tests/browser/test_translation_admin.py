"""Issue 21's translator in a real browser: a Translator opens the French launch release in
wagtail-localize's editor, finds what is left to translate and the Submit for review button above it,
follows it by keyboard to the confirmation page (which passes axe-core), and submits; the page goes to
the Publishers' review and stays unpublished. The translation status report passes axe-core too."""

import pytest
from wagtail.models import Locale, WorkflowState

from news.models import NewsReleasePage
from tests.browser.test_review_admin import assert_page_accessible, log_in, staff_user

pytestmark = pytest.mark.browser

LAUNCH = "launch-of-the-civic-innovation-office"


def french_launch_release() -> NewsReleasePage:
    english = NewsReleasePage.objects.get(slug=LAUNCH, locale=Locale.get_default())
    return english.get_translation(Locale.objects.get(language_code="fr")).specific


def test_a_translator_submits_the_french_page_for_review_by_keyboard(demo_server, new_page):
    from django.core.management import call_command

    call_command("setup_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    translator = staff_user("traducteur", "Translators")
    french = french_launch_release()
    page = new_page()
    try:
        log_in(page, demo_server, translator.username)
        page.goto(f"{demo_server}/admin/pages/{french.pk}/edit/")
        page.wait_for_selector(".js-translation-editor")
        message = page.locator(".messages")
        assert "submit it for review" in message.inner_text()
        button = message.get_by_role("link", name="Submit for review")
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"{demo_server}/admin/translations/{french.pk}/submit-for-review/")
        assert "All" in page.locator("main").inner_text() and "segments are translated" in page.content()
        assert_page_accessible(page, "submit for review")

        page.get_by_role("button", name="Submit for review").focus()
        with page.expect_navigation():  # the form posts, then the explorer loads
            page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")
        assert "is submitted for review" in page.locator(".messages").inner_text()
        states = WorkflowState.objects.filter(object_id=str(french.pk), status="in_progress")
        assert states.count() == 1 and states.get().requested_by_id == translator.pk
        french.refresh_from_db()
        assert french.live  # the published French release stays as it was while its new revision is reviewed
    finally:
        WorkflowState.objects.filter(object_id=str(french.pk)).delete()
        translator.delete()


def test_the_translation_status_report_is_accessible(demo_server, new_page):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("report-reader", "r@example.com", "x")
    user.set_password("a-long-password-for-the-review-check")
    user.save()
    page = new_page()
    try:
        log_in(page, demo_server, user.username)
        page.goto(f"{demo_server}/admin/reports/translation-status/")
        assert "in sync" in page.locator("main").inner_text().lower()
        assert_page_accessible(page, "translation status report")
    finally:
        user.delete()
