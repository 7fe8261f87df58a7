"""Issue 20 in a real browser: a reviewer on a panel logs in, is asked to declare their conflicts of
interest, declares them by keyboard alone on an accessible page, and reads an application; a Publisher
opens Settings > Review panels and its add form, which are accessible too."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from challenges.models import ChallengePage, Conflict, ConflictDeclaration, PanelMember
from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-password-for-the-review-check"  # throwaway users of the test database
CALL = "simpler-business-licence-renewals"  # a demo call closed with two applicants (the test makes its panel)
CONFLICTED_WITH = "Counterless Inc."  # the first organisation on the declaration page
READ = "Paperless Permits Ltd."


def assert_page_accessible(page, name: str) -> None:
    """axe-core on the whole admin page, Wagtail's own chrome (sidebar, breadcrumbs) included, once its
    scripts have drawn it: no violation."""
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert not violations, f"{name}: axe-core violations:\n" + format_violations(violations)


def staff_user(username: str, group: str):
    user_model = get_user_model()
    user_model.objects.filter(username=username).delete()
    user = user_model.objects.create_user(
        username, f"{username}@example.com", PASSWORD, first_name="Test", last_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, server: str, username: str) -> None:
    """Through the admin's own login form, as a person would."""
    page.goto(server + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server + "/admin/")


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, type: document.activeElement.type,"
        " text: (document.activeElement.textContent || '').trim(),"
        " label: document.activeElement.labels && document.activeElement.labels.length"
        " ? document.activeElement.labels[0].textContent.trim() : ''})"
    )


def tab_to(page, matches, limit: int = 60) -> dict:
    """Press Tab until the focused element `matches`; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    pytest.fail(f"not reached by keyboard in {limit} Tab presses")


@pytest.fixture
def reviewer(demo_server):
    """A reviewer on the closed call's panel who has not declared their conflicts yet."""
    challenge = ChallengePage.objects.get(slug=CALL, locale__language_code="en")
    user = staff_user("panel-browser-reviewer", "Challenge reviewers")
    PanelMember.objects.create(challenge=challenge, user=user)
    yield user, challenge
    get_user_model().objects.filter(pk=user.pk).delete()  # with their panel seat and declaration


def test_a_reviewer_declares_their_conflicts_by_keyboard_then_reads_an_application(demo_server, new_page, reviewer):
    user, challenge = reviewer
    page = new_page()
    log_in(page, demo_server, user.username)

    page.goto(demo_server + "/admin/applications/")
    warning = page.locator(".messages").get_by_text(f"Declare your conflicts of interest for “{challenge.title}”")
    warning.wait_for()
    page.locator(".messages").get_by_role("link", name="Declare").click()
    page.wait_for_url(f"{demo_server}/admin/applications/conflicts/{challenge.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Conflicts of interest")
    assert_page_accessible(page, "declaration page")

    # Keyboard only: to the first organisation's box, tick it, on to the confirmation, tick it, send.
    element = tab_to(page, lambda element: element["type"] == "checkbox")
    assert element["label"].startswith(CONFLICTED_WITH)
    page.keyboard.press("Space")
    element = tab_to(page, lambda element: element["id"] == "confirm-declaration", limit=2)
    page.keyboard.press("Space")
    element = tab_to(page, lambda element: element["text"] == "Save my declaration", limit=1)
    page.keyboard.press("Enter")

    page.wait_for_url(f"{demo_server}/admin/applications/?challenge={challenge.pk}")
    page.locator(".messages").get_by_text(
        "Declaration saved. The applications of 1 organisation(s) are hidden from you."
    ).wait_for()
    assert page.locator(".messages").get_by_text("Declare your conflicts").count() == 0
    listing = page.locator("main table")
    assert listing.get_by_text(READ).count() == 1
    assert listing.get_by_text(CONFLICTED_WITH).count() == 0
    conflicts = Conflict.objects.filter(declaration=ConflictDeclaration.objects.get(user=user))
    assert [conflict.application.organisation_name for conflict in conflicts] == [CONFLICTED_WITH]

    readable = challenge.applications.get(organisation_name=READ)
    row = listing.locator("tr", has_text=READ)
    row.get_by_role("button", name="More options").click()
    row.get_by_role("link", name="Inspect").click()
    page.wait_for_url(f"{demo_server}/admin/applications/inspect/{readable.pk}/")
    main = page.locator("main")
    assert main.get_by_text(readable.reference).count() >= 1
    assert main.get_by_text(readable.proposal_summary).count() == 1
    assert_page_accessible(page, "application inspect page")


def test_a_declaration_sent_unconfirmed_says_why_and_stays_accessible(demo_server, new_page, reviewer):
    user, challenge = reviewer
    page = new_page()
    log_in(page, demo_server, user.username)
    page.goto(f"{demo_server}/admin/applications/conflicts/{challenge.pk}/")
    page.get_by_role("button", name="Save my declaration").click()
    page.get_by_role("alert").get_by_text("Tick the box to confirm your declaration").wait_for()
    confirm = page.locator("#confirm-declaration")
    assert confirm.get_attribute("aria-invalid") == "true"
    assert confirm.get_attribute("aria-describedby") == "declaration-error"
    assert not ConflictDeclaration.objects.filter(user=user).exists()
    assert_page_accessible(page, "declaration page with its error")


def test_a_publisher_opens_the_review_panels_and_their_add_form(demo_server, new_page):
    publisher = staff_user("panel-browser-publisher", "Publishers")
    try:
        page = new_page()
        log_in(page, demo_server, publisher.username)
        page.goto(demo_server + "/admin/review_panels/")
        table = page.locator("main table")
        # The demo's panel (the list names a reviewer by username, the add form by full name).
        assert table.get_by_text(re.compile(r"^\s*(reviewer\.amara|Amara Boateng)\s*$")).count() == 1
        assert_page_accessible(page, "Settings > Review panels")

        page.get_by_role("link", name="Add panel member").first.click()
        page.wait_for_url(demo_server + "/admin/review_panels/new/")
        page.locator("main form [name=challenge]").wait_for(state="attached")
        reviewers = page.locator("main form select[name=user] option").all_inner_texts()
        assert {"Amara Boateng", "Ben Kowalski", "Chloé Gagnon"} <= set(reviewers)
        assert_page_accessible(page, "Review panels add form")
    finally:
        get_user_model().objects.filter(pk=publisher.pk).delete()
