"""Issue 20's score sheets and the chair's views in a real browser. A reviewer on the demo call's panel
scores an application by keyboard alone: sending the sheet empty gives an accessible error summary that
takes the focus, a draft is kept, and the submitted sheet has the weighted total of the chosen scores and
reveals the panel's other submitted sheets (hidden until then). A Publisher opens the panel's table,
records a decision by keyboard after an accessible error, and opens the release page; each page passes
axe-core."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import ModelLogEntry

from challenges import decisions, scoring
from challenges.models import (
    Application,
    ApplicationStatus,
    ChallengePage,
    ConflictDeclaration,
    DecisionRelease,
    PanelMember,
    ScoreSheet,
)
from challenges.review_views import next_to_score
from devtools.demo.panels import PANEL_CALL
from tests.browser.test_review_admin import assert_page_accessible, focused, log_in, staff_user, tab_to
from tests.challenges.application_helpers import stored_application

pytestmark = pytest.mark.browser

# The score chosen for each of the call's criteria, in order (each from 0 to 5), and a comment on the first.
CHOSEN = [4, 3, 5, 2, 1, 0]
COMMENT = "Clear benefit for counter staff; the renewal reminders need more detail."
OTHER_COMMENT = "Other reviewer's comment: zebra-striped invoices look promising."
REASON = "Best fit for the renewal backlog; invite the team to present."


def panel_call() -> ChallengePage:
    return ChallengePage.objects.get(slug=PANEL_CALL, locale__language_code="en")


def forget(users) -> None:
    """Delete the test's users with what cascades from them (panel seats, declarations, score sheets,
    profiles) and the audit entries they caused (the log keeps its user without a foreign key)."""
    pks = [user.pk for user in users]
    ModelLogEntry.objects.filter(user_id__in=pks).delete()
    get_user_model().objects.filter(pk__in=pks).delete()


def wait_for_focus(page, element_id: str) -> None:
    """The browser applies autofocus (and a fragment link's focus) at its next rendering step: wait for it."""
    page.wait_for_function(f"document.activeElement && document.activeElement.id === {element_id!r}")


def description(page, selector: str) -> str:
    """The text of the elements the control's aria-describedby names (what a screen reader adds to its
    label); each must exist."""
    return page.evaluate(
        """(selector) => (document.querySelector(selector).getAttribute("aria-describedby") || "")
            .split(/\\s+/).filter(Boolean)
            .map((id) => document.getElementById(id)?.textContent.trim() ?? `missing #${id}`)
            .join(" ")""",
        selector,
    )


def press_and_wait(page, key: str, url: str) -> None:
    """Press `key` on the focused control, which sends a form or follows a link, and wait for `url` to load
    (whatever its fragment: after an error summary's link, the form is sent from the page's URL with the
    field's fragment, and the browser keeps it through the redirect that follows)."""
    with page.expect_navigation(url=lambda loaded: loaded.split("#")[0] == url):
        page.keyboard.press(key)


@pytest.fixture
def scoring_panel(demo_server):
    """A reviewer on the demo call's panel, conflicts declared just now, and a second panel member who has
    submitted a sheet for the application the reviewer is to score next."""
    challenge = panel_call()
    reviewer = staff_user("scoring-browser-reviewer", "Challenge reviewers")
    other = staff_user("scoring-browser-other", "Challenge reviewers")
    try:
        now = timezone.now()
        for user in (reviewer, other):
            PanelMember.objects.create(challenge=challenge, user=user)
            ConflictDeclaration.objects.create(challenge=challenge, user=user, declared_at=now, covers_until=now)
        application = next_to_score(reviewer, challenge)
        assert application is not None, "the demo call has an application to score"
        criteria = scoring.criteria_of(challenge)
        other_scores = {criterion.key: {"score": 3, "comment": OTHER_COMMENT} for criterion in criteria}
        ScoreSheet.objects.create(
            application=application,
            reviewer=other,
            scores=other_scores,
            total=scoring.weighted_total(criteria, other_scores),
            submitted_at=now,
        )
        yield reviewer, challenge, application
    finally:
        forget([reviewer, other])


def test_a_reviewer_scores_an_application_by_keyboard(demo_server, new_page, scoring_panel):
    reviewer, challenge, application = scoring_panel
    criteria = scoring.criteria_of(challenge)
    assert 2 <= len(criteria) <= len(CHOSEN), "the demo call publishes weighted criteria"
    chosen = CHOSEN[: len(criteria)]
    score_url = f"{demo_server}/admin/applications/{application.pk}/score/"

    page = new_page()
    log_in(page, demo_server, reviewer.username)
    page.goto(demo_server + "/admin/review/")
    row = page.locator("main table tr", has_text=challenge.title)
    assert row.get_by_role("link", name="Score the next application").count() == 1
    assert_page_accessible(page, "Review")

    # Keyboard only from here on the sheet: to the link, follow it.
    tab_to(page, lambda element: element["text"] == "Score the next application", limit=80)
    press_and_wait(page, "Enter", score_url)
    main = page.locator("main")
    assert main.get_by_text(OTHER_COMMENT).count() == 0, "the panel's sheets are hidden before the reviewer submits"
    assert main.get_by_text("The panel's other scores are hidden until you submit yours").count() == 1
    assert description(page, "#id_overall_note").startswith("Your view of the application as a whole")

    # Submitting with nothing chosen: a 400 page whose error summary, focused, links to each criterion.
    tab_to(page, lambda element: element["text"] == "Submit my scores", limit=80)
    with page.expect_navigation(url=score_url) as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 400
    summary = page.locator("#error-summary")
    assert summary.get_by_role("heading", name="There is a problem").count() == 1
    wait_for_focus(page, "error-summary")
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == [
        f"Score “{criterion.name}” from 0 to 5 before you submit." for criterion in criteria
    ]
    assert [links.nth(index).get_attribute("href") for index in range(len(criteria))] == [
        f"#id_score_{index}_0" for index in range(len(criteria))
    ]
    assert main.get_by_text(OTHER_COMMENT).count() == 0
    assert not ScoreSheet.objects.filter(application=application, reviewer=reviewer).exists()
    assert_page_accessible(page, "score sheet with its errors")

    # From the summary's first link to the first criterion's radio group, then through each group: Space
    # checks its first score (0), each right arrow the next one; Tab leaves for the criterion's comment,
    # and Tab again reaches the next group.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == links.first.inner_text()
    page.keyboard.press("Enter")
    wait_for_focus(page, "id_score_0_0")
    for index, score in enumerate(chosen):
        if index:
            element = tab_to(page, lambda element, index=index: element["id"] == f"id_score_{index}_0", limit=2)
        page.keyboard.press("Space")
        for _step in range(score):
            page.keyboard.press("ArrowRight")
        element = focused(page)
        assert element["id"] == f"id_score_{index}_{score}"
        assert element["label"] == str(scoring.SCORES[score])
        page.keyboard.press("Tab")
        assert focused(page)["id"] == f"id_comment_{index}"
        if index == 0:
            page.keyboard.type(COMMENT)
    tab_to(page, lambda element: element["text"] == "Save draft", limit=3)
    press_and_wait(page, "Enter", score_url)
    page.locator(".messages").get_by_text("Draft saved. Only you see it until you submit it.").wait_for()

    sheet = ScoreSheet.objects.get(application=application, reviewer=reviewer)
    assert sheet.submitted_at is None
    assert sheet.total is None
    assert sheet.scores == {
        criterion.key: {"score": score, "comment": COMMENT if index == 0 else ""}
        for index, (criterion, score) in enumerate(zip(criteria, chosen, strict=True))
    }
    page.reload()
    for index, score in enumerate(chosen):
        assert page.locator(f"#id_score_{index}_{score}").is_checked(), f"criterion {index} keeps its draft score"
        assert page.locator(f"input[name=score_{index}]:checked").count() == 1
    assert page.locator("#id_comment_0").input_value() == COMMENT
    assert main.get_by_text(OTHER_COMMENT).count() == 0, "a draft does not reveal the panel's sheets"

    # Submitted: final, with the weighted total of the scores chosen; the panel's other sheets show.
    tab_to(page, lambda element: element["text"] == "Submit my scores", limit=80)
    press_and_wait(page, "Enter", score_url)
    main.get_by_role("heading", name="Your submitted sheet").wait_for()
    sheet.refresh_from_db()
    chosen_scores = {criterion.key: score for criterion, score in zip(criteria, chosen, strict=True)}
    expected = scoring.weighted_total(criteria, chosen_scores)
    assert expected is not None
    assert sheet.submitted_at is not None
    assert sheet.total == expected
    assert main.get_by_role("heading", name=f"You: {sheet.total} out of 100").count() == 1
    page.locator(".messages").get_by_text(f"Your scores are submitted: total {sheet.total} out of 100.").wait_for()
    assert main.get_by_role("button", name="Submit my scores").count() == 0
    assert main.get_by_role("heading", name="The panel's other submitted sheets").count() == 1
    assert main.get_by_text(OTHER_COMMENT).count() == len(criteria)
    assert main.get_by_role("heading", name="Test Scoring-Browser-Other: ").count() == 1
    assert_page_accessible(page, "submitted score sheet")


@pytest.fixture
def publisher_and_application(demo_server):
    """A Publisher, and an application of the demo call still to decide (received just now)."""
    challenge = panel_call()
    publisher = staff_user("scoring-browser-publisher", "Publishers")
    application = stored_application(
        challenge, organisation_name="Undecided Browser Check Ltd.", status=ApplicationStatus.RECEIVED
    )
    try:
        yield publisher, challenge, application
    finally:
        ModelLogEntry.objects.filter(
            content_type__app_label="challenges", content_type__model="application", object_id=str(application.pk)
        ).delete()
        application.attachment.delete(save=False)
        Application.objects.filter(pk=application.pk).delete()
        forget([publisher])


def test_a_publisher_decides_by_keyboard_on_accessible_chair_pages(demo_server, new_page, publisher_and_application):
    publisher, challenge, application = publisher_and_application
    released = decisions.release_of(challenge) is not None
    table_url = f"{demo_server}/admin/review/{challenge.pk}/"
    decide_url = f"{demo_server}/admin/review/{challenge.pk}/decide/{application.pk}/"

    page = new_page()
    log_in(page, demo_server, publisher.username)
    page.goto(table_url)
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Panel scores")
    row = main.locator("table tbody tr", has_text=application.reference)
    assert row.get_by_text("Undecided Browser Check Ltd.").count() == 1
    assert row.get_by_role("link", name=f"Decide on {application.reference}").count() == 1
    assert_page_accessible(page, "panel table")

    # Recording without a decision: the error summary, focused, links to the choices.
    page.goto(decide_url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Record a decision")
    assert description(page, "#id_reason").startswith("Why the panel decided so")
    tab_to(page, lambda element: element["text"] == "Record the decision", limit=80)
    with page.expect_navigation(url=decide_url) as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 400
    summary = page.locator("#error-summary")
    assert summary.get_by_role("heading", name="There is a problem").count() == 1
    wait_for_focus(page, "error-summary")
    assert summary.get_by_role("link").all_inner_texts() == ["Choose a decision."]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert_page_accessible(page, "decision form with its error")

    # By keyboard: the summary's link to the first choice, the arrow to "Shortlisted", the reason, send.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Choose a decision."
    page.keyboard.press("Enter")
    wait_for_focus(page, "id_status_0")
    page.keyboard.press("ArrowDown")
    element = focused(page)
    assert (element["id"], element["label"]) == ("id_status_1", "Shortlisted")
    assert page.locator("#id_status_1").is_checked()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_reason"
    page.keyboard.type(REASON)
    tab_to(page, lambda element: element["text"] == "Record the decision", limit=2)
    press_and_wait(page, "Enter", table_url)
    page.locator(".messages").get_by_text(f"Decision recorded: {application.reference} is Shortlisted.").wait_for()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert application.decision_reason == REASON
    assert application.decided_by_id == publisher.pk
    row = main.locator("table tbody tr", has_text=application.reference)
    assert row.get_by_text("Shortlisted").count() == 1

    page.goto(f"{demo_server}/admin/review/{challenge.pk}/release/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Release the decisions")
    if released:
        assert main.get_by_text("The decisions of this challenge were released already.").count() == 1
    else:
        # The shortlisted application is still to decide: the release waits for it.
        assert main.get_by_text("Every application needs a decision").count() == 1
    assert_page_accessible(page, "release page")
    assert DecisionRelease.objects.filter(challenge=challenge).exists() == released
