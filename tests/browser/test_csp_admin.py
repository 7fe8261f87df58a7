"""The Content-Security-Policy breaks nothing people use: an editor works through the Wagtail admin
(dashboard, explorer, Draftail, live preview, image chooser, snippets, wagtail-localize's editor) and
a public page with the userbar, and a visitor reads a public page, with no policy violation and no
console error in Chromium."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page

from news.models import NewsReleasePage
from site_core.models import MediaContact

pytestmark = pytest.mark.browser

PASSWORD = "a-long-password-for-the-csp-check"  # a throwaway user of the test database
RELEASE = "launch-of-the-civic-innovation-office"

# Runs in every document and frame before its own scripts: violations are reported to the test
# through a binding, so none is lost when a page navigates away.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportViolation({
        page: document.location.pathname,
        directive: event.violatedDirective,
        blocked: event.blockedURI,
        source: `${event.sourceFile}:${event.lineNumber}`,
        sample: event.sample,
    });
});
"""


class Watched:
    """A browser page whose policy violations and console errors are collected as it goes."""

    def __init__(self, context):
        self.violations: list[dict] = []
        self.errors: list[str] = []
        context.expose_binding("reportViolation", lambda source, violation: self.violations.append(violation))
        context.add_init_script(LISTEN)
        self.autosave_conflicts = 0
        self.page = context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("response", self.note_autosave_conflict)

    def note_autosave_conflict(self, response) -> None:
        """Wagtail 8 autosaves the edit form every half second; an autosave that reaches the server
        after "Save draft" made a newer revision is refused with a 400 "invalid_revision" (Wagtail's
        own conflict check, working as designed) and the browser logs "Failed to load resource".
        Counted here, so that exactly those console errors are expected and any other still fails."""
        if response.status != 400 or response.request.method != "POST" or "/edit/" not in response.url:
            return
        try:
            if response.json().get("error_code") == "invalid_revision":
                self.autosave_conflicts += 1
        except Exception:  # not JSON: not an autosave answer
            return

    def assert_clean(self, step: str) -> None:
        assert not self.violations, f"{step}: Content-Security-Policy violations {self.violations}"
        errors = list(self.errors)
        for _ in range(self.autosave_conflicts):
            refused = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
            if refused in errors:
                errors.remove(refused)
        assert not errors, f"{step}: console errors {errors}"


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    yield Watched(context)
    context.close()


@pytest.fixture
def editor(demo_server, watched):
    """Logged in through the admin's own login form, as a person would."""
    user_model = get_user_model()
    user_model.objects.filter(username="csp-editor").delete()
    user_model.objects.create_superuser("csp-editor", "csp-editor@example.ca", PASSWORD)
    page = watched.page
    page.goto(demo_server + "/admin/login/")
    page.get_by_label("Username").fill("csp-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(demo_server + "/admin/")
    watched.assert_clean("login")
    return watched


def release() -> NewsReleasePage:
    return NewsReleasePage.objects.get(slug=RELEASE, locale=Locale.get_default())


def test_the_dashboard_and_the_page_explorer_work_under_the_admin_policy(demo_server, editor):
    page = editor.page
    page.wait_for_load_state("networkidle")
    editor.assert_clean("dashboard")
    home = Page.objects.get(depth=2, locale=Locale.get_default())
    page.goto(f"{demo_server}/admin/pages/{home.pk}/")
    page.get_by_role("link", name="News", exact=True).first.wait_for()
    page.wait_for_load_state("networkidle")
    editor.assert_clean("page explorer")


def test_an_editor_types_in_draftail_previews_and_saves_a_draft(demo_server, editor, settings):
    # Wagtail 8's autosave posts the form every half second and races "Save draft": under load its
    # refused answer ("invalid_revision") can arrive while the page navigates, when its body can no
    # longer be read to tell it from a real error (CI, 6 December 2026). This test is about the
    # policy; autosave posts the same form "Save draft" does, so it is off here.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = editor.page
    page.goto(f"{demo_server}/admin/pages/{release().pk}/edit/")
    body = page.locator(".Draftail-Editor [contenteditable='true']").first
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" Typed under the Content-Security-Policy.")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe[title='Preview']").first
    preview.locator("h1").first.wait_for()
    editor.assert_clean("edit view with live preview")

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("has been updated").first.wait_for()
    editor.assert_clean("draft saved")
    assert "Typed under the Content-Security-Policy." in str(release().get_latest_revision().content)

    # A new inline child re-runs the <script> elements of its form template (Wagtail's runInlineScripts).
    page.get_by_role("button", name="Add media contact").click()
    page.get_by_role("button", name="Choose media contact").last.wait_for()
    editor.assert_clean("inline panel child added")


def test_the_image_chooser_opens_and_lists_images(demo_server, editor):
    page = editor.page
    page.goto(f"{demo_server}/admin/pages/{release().pk}/edit/")
    page.get_by_role("tab", name="Promote").click()
    page.get_by_role("button", name="Choose an image").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("heading", name="Choose an image").wait_for()
    page.wait_for_load_state("networkidle")
    editor.assert_clean("image chooser")


def test_a_snippet_edit_view_works(demo_server, editor):
    page = editor.page
    contact = MediaContact.objects.filter(locale=Locale.get_default()).first()
    page.goto(f"{demo_server}/admin/snippets/site_core/mediacontact/edit/{contact.pk}/")
    page.get_by_role("button", name="Save").first.wait_for()
    page.wait_for_load_state("networkidle")
    editor.assert_clean("snippet edit view")


def test_the_translation_editor_of_the_french_release_works(demo_server, editor):
    page = editor.page
    french = release().get_translation(Locale.objects.get(language_code="fr"))
    page.goto(f"{demo_server}/admin/pages/{french.pk}/edit/")
    page.locator(".editor__header, [class*='editor']").first.wait_for()
    page.wait_for_load_state("networkidle")
    editor.assert_clean("wagtail-localize translation editor")


def test_a_public_page_with_the_userbar_works_for_a_logged_in_editor(demo_server, editor):
    page = editor.page
    page.goto(f"{demo_server}/en/news/{RELEASE}/")
    page.locator("wagtail-userbar").wait_for(state="attached")
    page.locator("wagtail-userbar").locator("button.w-userbar-trigger").click()
    page.locator("wagtail-userbar").get_by_role("menuitem").first.wait_for()
    page.wait_for_load_state("networkidle")
    editor.assert_clean("public page with the userbar")


def test_a_visitor_reads_a_public_page_without_violations(demo_server, watched):
    page = watched.page
    for path in ("/en/", f"/en/news/{RELEASE}/", "/en/challenges/"):
        page.goto(demo_server + path)
        page.wait_for_load_state("networkidle")
    watched.assert_clean("public pages")
