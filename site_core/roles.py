"""The staff roles and their exact permissions, as "app_label.codename" strings (so this module
imports no content app). `manage.py setup_groups` applies them; docs/editors.md explains them."""

ROLES: dict[str, list[str]] = {
    # See, review (status and notes), export and delete applications; no page editing.
    "Challenge reviewers": [
        "wagtailadmin.access_admin",
        "challenges.view_application",
        "challenges.change_application",
        "challenges.delete_application",
    ],
}
