"""An innovator applies in a real browser: fill, upload, send, see the reference, get the email.
The empty form, the form with errors and the confirmation pass axe-core."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache

from challenges.models import Application
from tests.browser.conftest import WIDTHS, assert_accessible
from tests.challenges.application_helpers import PDF_BYTES, form_token

pytestmark = pytest.mark.browser

APPLY = "/en/challenges/track-your-311-service-request/apply/"


@pytest.fixture
def proposal_pdf(tmp_path):
    path = tmp_path / "Our proposal.pdf"
    path.write_bytes(PDF_BYTES)
    return path


def fill_application(page, proposal_pdf):
    page.get_by_label("Organisation name").fill("Civic Widgets Inc.")
    page.get_by_label("Contact person").fill("Alex Martin")
    page.get_by_label("Email").fill("alex@example.ca")
    page.get_by_label("Phone").fill("416-555-0100")
    page.get_by_label("Team size").fill("4")
    page.get_by_label("Proposal summary").fill("A status tracker for 311 requests, tested with residents.")
    page.get_by_label("Proposal document (PDF)").set_input_files(str(proposal_pdf))
    page.get_by_label("Which 311 service request types would your pilot cover first?").fill("Potholes first.")
    page.get_by_role("group", name="Has your team worked with a government before?").get_by_label("Yes").check()
    page.get_by_role("group", name="Which stage is your product at?").get_by_label("Prototype").check()
    page.get_by_label("I have read the notice of collection").check()


def as_if_served_before_the_minimum_fill_time(page):
    """Put in the form the token it would have been served a little longer ago than the minimum fill
    time, signed as the form signs it: the server, comparing with its own clock, sees a person's pace
    (a faster one is kept aside as spam), and the test does not wait for it."""
    token = form_token(seconds_ago=settings.APPLICATION_MIN_FILL_SECONDS + 1)
    page.locator('input[name="form_token"]').evaluate("(input, token) => { input.value = token; }", token)


def test_an_innovator_applies_and_gets_a_reference_and_an_email(demo_server, new_page, proposal_pdf):
    cache.clear()
    earlier = list(Application.objects.values_list("pk", flat=True))
    page = new_page(width=WIDTHS["phone"])
    page.goto(demo_server + "/en/challenges/track-your-311-service-request/")
    page.get_by_role("link", name="Apply now").click()
    page.wait_for_url("**" + APPLY)
    fill_application(page, proposal_pdf)
    as_if_served_before_the_minimum_fill_time(page)  # a person takes longer than that; a bot does not
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url("**/apply/thanks/**")

    application = Application.objects.exclude(pk__in=earlier).get()
    assert not application.is_spam
    assert page.locator(".confirmation__reference").inner_text() == application.reference
    assert application.attachment_name == "Our proposal.pdf"
    recipients = sorted(message.to[0] for message in mail.outbox if application.reference in message.subject)
    assert recipients == ["alex@example.ca", "innovation@example.ca"]


def test_errors_are_summarised_linked_and_keep_the_answers_without_javascript(demo_server, new_page):
    cache.clear()
    stored = Application.objects.count()
    page = new_page(javascript=False)
    page.goto(demo_server + APPLY)
    page.get_by_label("Organisation name").fill("Civic Widgets Inc.")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Send my application").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    # The browser applies autofocus at its next rendering step, after the element exists: wait for it.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.evaluate("document.activeElement.id") == "error-summary"  # focus starts at the problems
    summary.get_by_role("link", name="Email — Enter an email address like name@example.ca.").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert page.get_by_label("Organisation name").input_value() == "Civic Widgets Inc."
    assert Application.objects.count() == stored


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_form_errors_and_confirmation_have_no_axe_violations(demo_server, new_page, proposal_pdf, width):
    cache.clear()
    page = new_page(width=width)
    page.goto(demo_server + APPLY)
    assert_accessible(page)

    page.get_by_role("button", name="Send my application").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page)

    fill_application(page, proposal_pdf)
    as_if_served_before_the_minimum_fill_time(page)
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url("**/apply/thanks/**")
    assert_accessible(page)

    page.goto(demo_server + "/en/challenges/fewer-missed-curbside-collections/apply/")
    assert_accessible(page)
