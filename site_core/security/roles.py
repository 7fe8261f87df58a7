"""The staff roles and their exact permissions. `manage.py setup_groups` applies them (and nothing
else: a permission not listed here is removed); docs/editors.md has the same matrix in words.

Permissions are named by strings ("app_label.codename", page types as "app_label.ModelName") so this
module imports no content app."""

ADMIN = "wagtailadmin.access_admin"
TRANSLATE = "wagtail_localize.submit_translation"

EDIT_PAGES = ["add", "change", "lock", "unlock"]  # draft and submit for review, never publish
PUBLISH_PAGES = ["add", "change", "publish", "bulk_delete", "lock", "unlock"]

# The page root (depth 1): a grant there covers every page of every language.
ROOT = "root"
# Which language versions of a page type a grant covers.
ALL_LANGUAGES = "all"
TRANSLATIONS = "translations"  # every language but the source (English)


def snippet_permissions(actions: list[str], models: list[str]) -> list[str]:
    return [f"site_core.{action}_{model}" for model in models for action in actions]


NEWS_SNIPPETS = ["boilerplate", "mediacontact", "partnercity", "topic"]
ALL_SNIPPETS = ["officedetails", "division", "topic", "partnercity", "mediacontact", "boilerplate"]
MEDIA_EDIT = ["add", "change", "choose"]
# Settings > Promoted search results (Wagtail's search promotions: its admin checks these three).
PROMOTE_IN_SEARCH = [f"wagtailsearchpromotions.{action}_searchpromotion" for action in ("add", "change", "delete")]

ROLES: dict[str, dict] = {
    "Communications editors": {
        "description": (
            "Write news releases, partner stories and the home page; submit them for review; promote pages in "
            "search; see, suppress and export the email alert subscribers; see and export event registrants; read, "
            "answer and export the messages from visitors (contact and accessibility feedback)."
        ),
        "permissions": [
            ADMIN,
            "home.change_homepage",  # the home page alone, not the sections under it (see home/models.py)
            *PROMOTE_IN_SEARCH,
            *snippet_permissions(["add", "change", "view"], NEWS_SNIPPETS),
            # Reports > Email alerts: counts and sends, suppressing an address, the export (issue 22).
            "home.view_subscriber",
            "home.change_subscriber",
            "home.export_subscriber",
            # Reports > Event registrations: the registrants, releasing a held one, the export (issue 22).
            "home.view_registration",
            "home.change_registration",
            "home.export_registration",
            # Reports > Messages from visitors: read, mark answered, release a held one, export (issue 23).
            "home.view_visitormessage",
            "home.change_visitormessage",
            "home.export_visitormessage",
        ],
        "pages": [
            ("news.NewsIndexPage", ALL_LANGUAGES, EDIT_PAGES),
            ("news.PartnerCityIndexPage", ALL_LANGUAGES, EDIT_PAGES),
        ],
        "collections": {"image": MEDIA_EDIT, "document": MEDIA_EDIT},
    },
    "Innovation Office staff": {
        "description": (
            "Write challenge calls, their application forms and job postings, and their French translations; "
            "submit them for review."
        ),
        "permissions": [ADMIN, TRANSLATE, *snippet_permissions(["add", "change", "view"], ["division"])],
        "pages": [
            ("challenges.ChallengeIndexPage", ALL_LANGUAGES, EDIT_PAGES),
            ("jobs.JobIndexPage", ALL_LANGUAGES, EDIT_PAGES),
        ],
        "collections": {"image": MEDIA_EDIT, "document": MEDIA_EDIT},
    },
    "Publishers": {
        "description": "Approve and publish anything, schedule releases, share embargo previews.",
        "permissions": [
            ADMIN,
            TRANSLATE,
            "home.change_homepage",
            *snippet_permissions(["add", "change", "delete", "view"], ALL_SNIPPETS),
            "site_core.change_sitesettings",
            "news.share_embargo_preview",
            *PROMOTE_IN_SEARCH,
            # Settings > Review panels: who reviews which challenge (challenges/panels.py).
            *[f"challenges.{action}_panelmember" for action in ("add", "change", "delete", "view")],
        ],
        "pages": [(ROOT, ALL_LANGUAGES, PUBLISH_PAGES)],
        "collections": {"image": [*MEDIA_EDIT, "delete"], "document": [*MEDIA_EDIT, "delete"]},
    },
    "Challenge reviewers": {
        "description": (
            "See, review (status and notes), export and delete the applications of the challenges whose panel "
            "they are on; no page editing."
        ),
        "permissions": [
            ADMIN,
            "challenges.view_application",
            "challenges.change_application",
            "challenges.delete_application",
        ],
        "pages": [],
        "collections": {},
    },
    "Translators": {
        "description": "Translate pages and shared content into French; never publish or edit English.",
        "permissions": [ADMIN, TRANSLATE, *snippet_permissions(["change", "view"], ALL_SNIPPETS)],
        "pages": [("home.HomePage", TRANSLATIONS, ["change"])],
        "collections": {"image": ["choose"], "document": ["choose"]},
    },
}

WORKFLOW_NAME = "Review before publish"
WORKFLOW_TASK_NAME = "Publisher approval"
WORKFLOW_APPROVERS = "Publishers"
