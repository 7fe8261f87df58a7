"""Event registration (issue 22, item 3) in a real browser, on the demo's 311 information session
(40 seats, online): the form, its errors without JavaScript, the answer after it and the cancel page
pass axe-core in both languages; the form works without JavaScript; the challenge page shows
"Register" and never the online link."""

import pytest
from django.core.cache import cache
from wagtail.models import Locale

from challenges.models import ChallengeKeyDate, KeyDateKind
from home.events.catalogue import find_event
from home.events.models import Registration
from home.events.seats import register
from site_core.models import OutgoingEmail
from tests.browser.conftest import assert_accessible, check_page

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
LANGUAGES = ["en", "fr"]
SUBMIT = "main form.form button[type=submit]"


@pytest.fixture
def session(demo_server, database_access):
    session = ChallengeKeyDate.objects.filter(kind=KeyDateKind.INFO_SESSION, registration_required=True).first()
    assert session is not None, "the demo's 311 information session takes registrations"
    return session


def form_url(demo_server, session, language: str) -> str:
    return f"{demo_server}/{language}/events/{session.translation_key}/register/"


def forget(email: str) -> None:
    """The demo server's database is shared by the module: take away what a test stored."""
    Registration.objects.filter(email=email).delete()
    OutgoingEmail.objects.filter(to=email).delete()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_registration_form_has_no_axe_violations(demo_server, new_page, session, language, width):
    page = new_page(width=width)
    page.goto(form_url(demo_server, session, language))
    check_page(page, f"event-register-{language}", width)
    assert page.locator("#id_email").get_attribute("autocomplete") == "email"
    assert page.locator("#id_name").get_attribute("autocomplete") == "name"
    assert session.online_url not in page.content()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_challenge_page_offers_registration_and_hides_the_link(demo_server, new_page, session, language):
    challenge = session.page.get_translation(Locale.objects.get(language_code=language))
    page = new_page()
    page.goto(f"{demo_server}{challenge.url}")
    link = page.locator(f'a[href$="/events/{session.translation_key}/register/"]')
    assert link.count() == 1 and session.online_url not in page.content()
    link.click()
    page.wait_for_url(f"**/{language}/events/{session.translation_key}/register/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_sending_it_empty_without_javascript_summarises_and_links_the_errors(demo_server, new_page, session, language):
    cache.clear()  # the per-address limit on posts
    stored = Registration.objects.count()
    page = new_page(javascript=False)
    page.goto(form_url(demo_server, session, language))
    page.locator(SUBMIT).click()
    page.wait_for_url(f"**/{language}/events/{session.translation_key}/register/")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    targets = [link.get_attribute("href") for link in summary.locator("a").all()]
    assert {"#id_name", "#id_email", "#id_consent"} <= set(targets), targets
    for target in targets:
        field = page.locator(target)
        assert field.get_attribute("aria-invalid") == "true", target
        described_by = (field.get_attribute("aria-describedby") or "").split()
        assert any(id_.endswith("-error") for id_ in described_by), (target, described_by)
        for id_ in described_by:
            assert page.locator(f"#{id_}").count() == 1, f"{target} is described by a missing #{id_}"
    assert Registration.objects.count() == stored

    checked = new_page()
    checked.goto(form_url(demo_server, session, language))
    checked.locator(SUBMIT).click()
    checked.wait_for_selector(".error-summary")
    assert_accessible(checked)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_registration_without_javascript_reaches_an_accessible_answer(demo_server, new_page, session, language):
    cache.clear()
    email = f"browser.{language}@example.ca"
    forget(email)
    try:
        page = new_page(width=WIDTHS["phone"], javascript=False)
        page.goto(form_url(demo_server, session, language))
        page.fill("#id_name", "Sam Rivera")
        page.fill("#id_email", email)
        page.fill("#id_accessibility_needs", "Captions, please.")
        page.check("#id_consent")
        page.locator(SUBMIT).click()
        page.wait_for_url(f"**/{language}/events/{session.translation_key}/registered/**")
        assert page.locator(".confirmation").is_visible() and email not in page.url
        registration = Registration.objects.get(email=email)
        assert registration.status == Registration.Status.CONFIRMED and registration.language == language

        answer = new_page(width=WIDTHS["phone"])
        answer.goto(page.url)
        check_page(answer, f"event-registered-{language}", WIDTHS["phone"])
    finally:
        forget(email)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cancel_page_has_no_axe_violations(demo_server, new_page, session, language):
    email = f"cancel.{language}@example.ca"
    forget(email)
    try:
        event = find_event(session.translation_key, language)
        data = {"name": "Sam Rivera", "email": email, "organisation": "", "accessibility_needs": ""}
        register(event, event.page, data, language)
        key = Registration.objects.get(email=email).new_key()
        page = new_page(width=WIDTHS["phone"])
        page.goto(f"{demo_server}/{language}/events/cancel/{key}/")
        check_page(page, f"event-cancel-{language}", WIDTHS["phone"])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        check_page(page, f"event-cancelled-{language}", WIDTHS["phone"])
        assert Registration.objects.get(email=email).status == Registration.Status.CANCELLED
    finally:
        forget(email)
