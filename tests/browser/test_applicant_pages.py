"""The applicant's own pages in Chromium: the saved-draft page, the lost-link form, a draft reopened
by its link, the applicant's page with its edit form and withdraw confirmation, the locked and
broken-link pages, and the form after a failed post that kept the file. Each passes axe-core on a
phone and on a desktop; and an applicant with JavaScript off finishes an application, and saves a
draft, by keyboard alone."""

import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale

from challenges.models import (
    ApplicantLink,
    Application,
    ApplicationDraft,
    ApplicationStatus,
    ApplicationVersion,
    ChallengePage,
    PendingUpload,
)
from tests.browser.conftest import WIDTHS, check_page
from tests.browser.test_application_form import as_if_served_before_the_minimum_fill_time
from tests.challenges.application_helpers import PDF_BYTES, pdf, stored_application

pytestmark = pytest.mark.browser

OPEN = "/en/challenges/track-your-311-service-request/"
CLOSED = "/en/challenges/simpler-business-licence-renewals/"  # its deadline passed 60 days ago
NO_SUCH_TOKEN = "x" * 43


def challenge_at(path: str) -> ChallengePage:
    return ChallengePage.objects.get(slug=path.strip("/").rsplit("/", 1)[-1], locale__language_code="en")


def new_address() -> str:
    """An address of its own for each applicant: the per-address limits (emails, applications)
    never join two tests' applicants."""
    return f"applicant-{uuid.uuid4().hex[:12]}@example.ca"


def kept_pdf(expires_at) -> PendingUpload:
    pending = PendingUpload(name="proposal.pdf", size=len(PDF_BYTES), expires_at=expires_at)
    pending.file.save("proposal.pdf", pdf(), save=False)
    pending.save()
    return pending


def draft_on(challenge, **answers) -> tuple[ApplicationDraft, str]:
    """A draft as "Save and finish later" leaves it (answers as posted, its file kept), and its link."""
    email = new_address()
    draft = ApplicationDraft.objects.create(
        challenge=challenge,
        email=email,
        answers={"email": [email], **{name: [value] for name, value in answers.items()}},
    )
    if challenge.closes_at and challenge.closes_at > timezone.now():
        draft.upload = kept_pdf(challenge.closes_at)
        draft.save(update_fields=["upload"])
    return draft, ApplicantLink.create_for(draft=draft)


def application_on(challenge, versions: int = 0, **fields) -> tuple[Application, str]:
    application = stored_application(challenge, email=new_address(), **fields)
    for number in range(1, versions + 1):
        ApplicationVersion.objects.create(
            application=application,
            number=number,
            saved_at=application.submitted_at,
            answers={"phone": "416-555-0100"},
            changed=["Phone", "Proposal summary"],
        )
    if versions:
        Application.objects.filter(pk=application.pk).update(changed_at=timezone.now())
    return application, ApplicantLink.create_for(application=application)


def applicant_path(challenge_path: str, token: str, tail: str = "") -> str:
    return f"{challenge_path}apply/application/{token}/{tail}"


def tab_to(page, target, most: int = 25) -> int:
    """Press Tab until `target` (a locator) has the focus; fail after `most` presses. Returns the
    number of presses."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    pytest.fail(f"{target} not reached in {most} presses of Tab; the focus is on {focused}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_applicants_pages_have_no_axe_violations(demo_server, new_page, width):
    """Every state of the pages a GET shows (the states only a failed post shows are below)."""
    cache.clear()
    open_challenge, closed_challenge = challenge_at(OPEN), challenge_at(CLOSED)
    _, token = application_on(open_challenge, versions=2)
    _, held_token = application_on(open_challenge, is_spam=True, spam_reason="sent too quickly")
    _, withdrawn_token = application_on(open_challenge, status=ApplicationStatus.WITHDRAWN, withdrawn_at=timezone.now())
    _, declined_token = application_on(open_challenge, status=ApplicationStatus.DECLINED)
    _, late_token = application_on(closed_challenge, versions=1)
    _, draft_token = draft_on(open_challenge, organisation_name="Civic Widgets Inc.", proposal_summary="Half written.")
    _, closed_draft_token = draft_on(closed_challenge, organisation_name="Late Widgets")
    french_challenge = open_challenge.get_translation(Locale.objects.get(language_code="fr")).specific
    _, french_token = application_on(french_challenge, language="fr", versions=1)

    pages = {
        "saved-emailed": (OPEN + "apply/saved/?state=emailed", 200),
        "saved-not-emailed": (OPEN + "apply/saved/?state=not-emailed", 200),
        "saved-updated": (OPEN + "apply/saved/?state=updated", 200),
        "saved-fr": (french_challenge.url + "apply/saved/?state=emailed", 200),
        "lost-link": (OPEN + "apply/link/", 200),
        "lost-link-sent": (OPEN + "apply/link/?sent=1", 200),
        "draft-reopened": (f"{OPEN}apply/draft/{draft_token}/", 200),
        "applicant": (applicant_path(OPEN, token), 200),
        "applicant-changed": (applicant_path(OPEN, token) + "?done=changed", 200),
        "applicant-unchanged": (applicant_path(OPEN, token) + "?done=unchanged", 200),
        "applicant-held": (applicant_path(OPEN, held_token), 200),
        "applicant-withdrawn": (applicant_path(OPEN, withdrawn_token) + "?done=withdrawn", 200),
        "applicant-declined": (applicant_path(OPEN, declined_token), 200),
        "applicant-after-deadline": (applicant_path(CLOSED, late_token), 200),
        "applicant-fr": (applicant_path(french_challenge.url, french_token), 200),
        "edit": (applicant_path(OPEN, token, "edit/"), 200),
        "withdraw": (applicant_path(OPEN, token, "withdraw/"), 200),
        "locked-after-deadline": (applicant_path(CLOSED, late_token, "edit/"), 403),
        "locked-withdrawn": (applicant_path(OPEN, withdrawn_token, "withdraw/"), 403),
        "unknown-application": (applicant_path(OPEN, NO_SUCH_TOKEN), 404),
        "unknown-draft": (f"{OPEN}apply/draft/{NO_SUCH_TOKEN}/", 404),
        "closed-draft": (f"{CLOSED}apply/draft/{closed_draft_token}/", 410),
    }
    page = new_page(width=width)
    for name, (path, status) in pages.items():
        response = page.goto(demo_server + path)
        assert response.status == status, f"{name}: {path}"
        check_page(page, name, width)

    page.goto(demo_server + f"{OPEN}apply/draft/{draft_token}/")
    assert page.get_by_label("Proposal summary").input_value() == "Half written."
    assert page.get_by_text("Your file proposal.pdf is attached.").is_visible()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_pages_a_failed_post_shows_have_no_axe_violations(demo_server, new_page, tmp_path, width):
    """The lost-link form with its error and once sent, the edit form with an error, and the
    application form after a post that failed on an answer but kept the file."""
    cache.clear()
    page = new_page(width=width)

    # As after the skip link: the address keeps its #main-content, which the posted form's address
    # must not inherit (a page whose address names an element gets no autofocus).
    page.goto(demo_server + OPEN + "apply/link/#main-content")
    page.get_by_label("Email").fill("not an address")
    page.get_by_role("button", name="Email me my links").click()
    page.wait_for_selector(".error-summary")
    # The browser applies autofocus at its next rendering step, after the element exists: wait for it.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    check_page(page, "lost-link-error", width)
    page.get_by_label("Email").fill(new_address())
    page.get_by_role("button", name="Email me my links").click()
    page.wait_for_url("**/apply/link/?sent=1**")
    check_page(page, "lost-link-sent", width)

    application, token = application_on(challenge_at(OPEN))
    page.goto(demo_server + applicant_path(OPEN, token, "edit/"))
    page.get_by_label("Proposal summary").fill("")
    page.get_by_role("button", name="Save my changes").click()
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary").get_by_role("link", name="Proposal summary").is_visible()
    check_page(page, "edit-error", width)
    application.refresh_from_db()
    assert application.proposal_summary == "A proposal."  # nothing changed

    proposal = tmp_path / "proposal.pdf"
    proposal.write_bytes(PDF_BYTES)
    page.goto(demo_server + OPEN + "apply/")
    page.get_by_label("Organisation name").fill("Civic Widgets Inc.")
    page.get_by_label("Email").fill(new_address())
    page.get_by_label("Proposal document (PDF)").set_input_files(str(proposal))
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_selector(".error-summary")
    assert page.get_by_text("Your file proposal.pdf is attached.").is_visible()
    check_page(page, "apply-error-file-kept", width)


def test_a_draft_sent_from_its_link_then_withdrawn_from_the_applicants_page(demo_server, new_page):
    """The forms at the private links post from Chromium as from any page: the browser's Origin
    header passes the CSRF check there too."""
    cache.clear()
    open_challenge = challenge_at(OPEN)
    draft, draft_token = draft_on(
        open_challenge,
        organisation_name="Civic Widgets Inc.",
        contact_name="Alex Martin",
        phone="416-555-0100",
        team_size="4",
        proposal_summary="A status tracker for 311 requests.",
    )
    page = new_page()
    page.goto(demo_server + f"{OPEN}apply/draft/{draft_token}/")
    page.get_by_label("Which 311 service request types would your pilot cover first?").fill("Potholes first.")
    page.get_by_role("group", name="Has your team worked with a government before?").get_by_label("No").check()
    page.get_by_role("group", name="Which stage is your product at?").get_by_label("Idea").check()
    page.get_by_label("I have read the notice of collection").check()
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url("**/apply/thanks/**")
    application = Application.objects.get(email=draft.email)
    assert page.locator(".confirmation__reference").inner_text() == application.reference
    assert application.attachment_name == "proposal.pdf"  # the draft's kept file
    assert not ApplicationDraft.objects.filter(pk=draft.pk).exists()

    token = ApplicantLink.create_for(application=application)
    page.goto(demo_server + applicant_path(OPEN, token))
    page.get_by_role("link", name="Withdraw my application").click()
    page.get_by_role("button", name="Yes, withdraw my application").click()
    page.wait_for_url("**?done=withdrawn")
    assert page.get_by_text("Your application is withdrawn.").is_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_an_applicant_without_javascript_corrects_a_missing_phone_by_keyboard_and_sends(
    demo_server, new_page, tmp_path
):
    cache.clear()
    proposal = tmp_path / "Our proposal.pdf"
    proposal.write_bytes(PDF_BYTES)
    email = new_address()
    page = new_page(javascript=False)
    page.goto(demo_server + OPEN + "apply/")
    label = page.get_by_label

    page.keyboard.press("Tab")  # the skip link, then into the main content
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    tab_to(page, label("Organisation name"))
    page.keyboard.type("Civic Widgets Inc.")
    tab_to(page, label("Contact person"), most=1)
    page.keyboard.type("Alex Martin")
    tab_to(page, label("Email"), most=1)
    page.keyboard.type(email)
    tab_to(page, label("Team size"), most=3)  # past the phone (left empty) and the website (optional)
    page.keyboard.type("4")
    tab_to(page, label("Proposal summary"), most=1)
    page.keyboard.type("A status tracker for 311 requests, tested with residents.")
    tab_to(page, label("Proposal document (PDF)"), most=1)
    # Reached by keyboard; the operating system's file dialog that Space opens is outside the page,
    # and headless Chromium does not always report it, so the file is chosen as that dialog would.
    assert page.evaluate("document.activeElement.type") == "file"
    page.locator("input[type=file]:focus").set_input_files(str(proposal))
    tab_to(page, label("Which 311 service request types would your pilot cover first?"), most=1)
    page.keyboard.type("Potholes first.")
    government = page.get_by_role("group", name="Has your team worked with a government before?")
    tab_to(page, government.get_by_label("Yes"), most=1)
    page.keyboard.press("Space")
    stage = page.get_by_role("group", name="Which stage is your product at?")
    tab_to(page, stage.get_by_label("Idea"), most=1)
    page.keyboard.press("ArrowDown")  # moves to "Prototype" and chooses it
    assert stage.get_by_label("Prototype").is_checked()
    tab_to(page, label("I have read the notice of collection"), most=2)
    page.keyboard.press("Space")
    as_if_served_before_the_minimum_fill_time(page)  # the test types faster than a person
    tab_to(page, page.get_by_role("button", name="Send my application"), most=2)
    page.keyboard.press("Enter")

    page.wait_for_selector(".error-summary")
    # The browser applies autofocus at its next rendering step, after the element exists: wait for it.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link").all_inner_texts() == ["Phone — Enter a phone number, with its area code."]
    assert page.get_by_text("Your file Our proposal.pdf is attached.").is_visible()
    assert not Application.objects.filter(email=email).exists()
    page.keyboard.press("Tab")  # the summary's one link, to the phone field
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_phone"
    page.keyboard.type("416-555-0100")
    tab_to(page, page.get_by_role("button", name="Send my application"))
    page.keyboard.press("Enter")

    page.wait_for_url("**/apply/thanks/**")
    application = Application.objects.get(email=email)
    assert page.locator(".confirmation__reference").inner_text() == application.reference
    assert application.phone == "416-555-0100"
    assert application.organisation_name == "Civic Widgets Inc."
    assert not application.is_spam
    assert application.attachment_name == "Our proposal.pdf"  # the file chosen once, kept across the error
    with application.attachment.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    assert {answer["value"] for answer in application.answers} >= {"Potholes first.", "yes", "Prototype"}


def test_an_applicant_without_javascript_saves_a_draft_by_keyboard(demo_server, new_page):
    cache.clear()
    email = new_address()
    page = new_page(javascript=False)
    page.goto(demo_server + OPEN + "apply/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Organisation name"))
    page.keyboard.type("Civic Widgets Inc.")
    tab_to(page, page.get_by_label("Email"), most=2)
    page.keyboard.type(email)
    tab_to(page, page.get_by_role("button", name="Save and finish later"), most=30)
    page.keyboard.press("Enter")

    page.wait_for_url("**/apply/saved/?state=emailed**")  # (the skip link's #main-content follows)
    assert page.get_by_role("heading", level=1).inner_text() == "Draft saved"
    assert page.get_by_text("Your application has NOT been sent yet.").is_visible()
    draft = ApplicationDraft.objects.get(email=email)
    assert draft.answers["organisation_name"] == ["Civic Widgets Inc."]
    assert not Application.objects.filter(email=email).exists()
