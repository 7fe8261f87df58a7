"""The roles do exactly what docs/editors.md says: every cell of its permission matrix is checked
against real requests to the admin, and a change goes live only through a Publisher."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Workflow

from challenges.models import ConflictDeclaration, PanelMember
from devtools.demo.translation import translate_with_localize
from site_core.models import OfficeDetails
from site_core.security.roles import ROLES, WORKFLOW_NAME
from tests.challenges.application_helpers import stored_application
from tests.factories import (
    ChallengeIndexPageFactory,
    DivisionFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    MediaContactFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    make_challenge,
)

MATRIX_DOC = Path(__file__).resolve().parents[2] / "docs" / "editors.md"


def documented_matrix() -> tuple[list[str], dict[str, dict[str, bool]]]:
    """(roles, {task: {role: allowed}}) from the table between the permission-matrix markers."""
    text = MATRIX_DOC.read_text()
    table = text.split("<!-- permission-matrix", 1)[1].split("<!-- /permission-matrix -->", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in table.splitlines() if line.startswith("|")]
    roles = [cell.strip() for cell in rows[0][1:]]
    matrix = {}
    for row in rows[2:]:
        cells = [cell.strip() for cell in row]
        assert set(cells[1:]) <= {"yes", "no"}, row
        matrix[cells[0]] = dict(zip(roles, [cell == "yes" for cell in cells[1:]], strict=True))
    return roles, matrix


@pytest.fixture
def site(site_tree):
    home = site_tree.home
    news_index = site_tree.news_index
    release = NewsReleasePageFactory(parent=news_index, title="Pilot results", slug="pilot-results")
    partners = PartnerCityIndexPageFactory(parent=home)
    story = PartnerStoryPageFactory(parent=partners, partner_city=PartnerCityFactory())
    challenges = ChallengeIndexPageFactory(parent=home)
    challenge = make_challenge(challenges, title="Shorter waits")
    jobs = JobIndexPageFactory(parent=home)
    posting = JobPostingPageFactory(parent=jobs)
    translate_with_localize(news_index, site_tree.french, {})
    release_fr = translate_with_localize(release, site_tree.french, {})
    details = OfficeDetails.objects.create(locale=site_tree.english)
    application = stored_application(challenge)
    call_command("setup_groups", stdout=io.StringIO())  # after the sections exist, as in production
    return {
        "home": home,
        "release": release,
        "release_fr": release_fr,
        "story": story,
        "challenge": challenge,
        "posting": posting,
        "details": details,
        "application": application,
        "contact": MediaContactFactory(),
        "division": DivisionFactory(),
        "site": site_tree.site,
    }


def edit(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def can_open(client, url: str) -> bool:
    return client.get(url).status_code == 200


def on_the_panel(client, s, chair: bool = False):
    """Put the logged-in user on the challenge's panel (as a Publisher would), declared: what a role
    can do there is then the role's, not the panel's."""
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    PanelMember.objects.get_or_create(challenge=s["challenge"], user=user, defaults={"is_chair": chair})
    ConflictDeclaration.objects.get_or_create(challenge=s["challenge"], user=user)
    return user


def can_score(client, s) -> bool:
    on_the_panel(client, s)
    url = f"/admin/applications/{s['application'].pk}/score/"
    return can_open(client, url) and 'value="submit"' in client.get(url).content.decode()


def can_decide(client, s) -> bool:
    """Not on the panel: a Publisher chairs every panel; an assigned chair is checked in
    tests/challenges/test_panel_review.py."""
    return can_open(client, f"/admin/review/{s['challenge'].pk}/decide/{s['application'].pk}/")


def can_publish(client, page) -> bool:
    response = client.get(edit(page))
    return response.status_code == 200 and 'name="action-publish"' in response.content.decode()


CHECKS = {
    "Edit the home page": lambda client, s: can_open(client, edit(s["home"])),
    "Edit an English news release": lambda client, s: can_open(client, edit(s["release"])),
    "Edit a partner story": lambda client, s: can_open(client, edit(s["story"])),
    "Edit a challenge": lambda client, s: can_open(client, edit(s["challenge"])),
    "Edit a job posting": lambda client, s: can_open(client, edit(s["posting"])),
    "Publish a news release": lambda client, s: can_publish(client, s["release"]),
    "Publish a challenge": lambda client, s: can_publish(client, s["challenge"]),
    "Edit a French news release": lambda client, s: can_open(client, edit(s["release_fr"])),
    "Share an embargo preview": lambda client, s: can_open(client, f"/admin/embargo-previews/{s['release'].pk}/"),
    "Open the applications": lambda client, s: can_open(client, "/admin/applications/"),
    "Assign reviewers to a challenge's panel": lambda client, s: can_open(client, "/admin/review_panels/new/"),
    "Submit a challenge for translation": lambda client, s: can_open(
        client, f"/admin/localize/submit/page/{s['challenge'].pk}/"
    ),
    "Score the applications of a challenge on one's panel": can_score,
    "Compare a panel's scores and record decisions": can_decide,
    "Release a challenge's decisions": lambda client, s: can_open(
        client, f"/admin/review/{s['challenge'].pk}/release/"
    ),
    "Edit the office details": lambda client, s: can_open(
        client, f"/admin/snippets/site_core/officedetails/edit/{s['details'].pk}/"
    ),
    "Edit a media contact": lambda client, s: can_open(
        client, f"/admin/snippets/site_core/mediacontact/edit/{s['contact'].pk}/"
    ),
    "Edit a division": lambda client, s: can_open(
        client, f"/admin/snippets/site_core/division/edit/{s['division'].pk}/"
    ),
    "Edit the site settings": lambda client, s: can_open(
        client, f"/admin/settings/site_core/sitesettings/{s['site'].pk}/"
    ),
    "See the translation status report": lambda client, s: can_open(client, "/admin/reports/translation-status/"),
    "Promote a page in site search": lambda client, s: can_open(client, "/admin/searchpicks/add/"),
    "See the email alert subscribers and sends": lambda client, s: can_open(client, "/admin/alerts/"),
    "Export the email alert subscribers": lambda client, s: can_open(client, "/admin/alerts/?export=csv"),
    "See the event registrants": lambda client, s: can_open(client, "/admin/events/"),
    "Export the event registrants": lambda client, s: can_open(client, "/admin/events/?export=csv"),
    "Read the messages from visitors": lambda client, s: can_open(client, "/admin/visitor-messages/"),
    "Export the messages from visitors": lambda client, s: can_open(client, "/admin/visitor-messages/?export=csv"),
}


def test_the_documented_matrix_covers_every_role_and_has_a_check_per_task():
    roles, matrix = documented_matrix()
    assert roles == list(ROLES)
    assert set(matrix) == set(CHECKS)


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_can_do_exactly_what_the_matrix_says(client, site, django_user_model, role):
    _roles, matrix = documented_matrix()
    user = django_user_model.objects.create_user(f"user-{len(role)}", password="x-long-password-1")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    actual = {task: check(client, site) for task, check in CHECKS.items()}
    expected = {task: allowed[role] for task, allowed in matrix.items()}
    assert actual == expected


def test_setup_groups_is_idempotent_and_removes_what_the_roles_do_not_list(site):
    editors = Group.objects.get(name="Communications editors")
    before = (set(editors.permissions.all()), set(editors.page_permissions.values_list("page", "permission")))
    editors.page_permissions.create(
        page=site["challenge"], permission_id=editors.page_permissions.first().permission_id
    )
    call_command("setup_groups", stdout=io.StringIO())
    call_command("setup_groups", stdout=io.StringIO())
    after = (set(editors.permissions.all()), set(editors.page_permissions.values_list("page", "permission")))
    assert after == before
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_setup_groups_removes_wagtails_default_groups_and_names_their_members(site, django_user_model):
    """Wagtail's migrations create "Moderators" and "Editors" with publish and delete rights on every
    page, which no documented role has: setup_groups removes them and names whoever loses them, and
    leaves alone a group staff made for a view restriction."""
    for name in ("Moderators", "Editors", "Press"):
        Group.objects.get_or_create(name=name)
    django_user_model.objects.create_user("old-editor").groups.add(Group.objects.get(name="Editors"))
    errors = io.StringIO()
    call_command("setup_groups", stdout=io.StringIO(), stderr=errors)
    names = set(Group.objects.values_list("name", flat=True))
    assert "Moderators" not in names and "Editors" not in names
    assert {*ROLES, "Press"} <= names
    assert "old-editor" in errors.getvalue()


def test_a_release_goes_live_only_when_a_publisher_approves_it(client, site, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x-long-password-1")
    editor.groups.add(Group.objects.get(name="Communications editors"))
    publisher = django_user_model.objects.create_user("publisher", password="x-long-password-1")
    publisher.groups.add(Group.objects.get(name="Publishers"))
    reviewer = django_user_model.objects.create_user("reviewer", password="x-long-password-1")
    reviewer.groups.add(Group.objects.get(name="Challenge reviewers"))
    release = site["release"]
    release.title = "Pilot results, with the evaluation"
    release.save_revision(user=editor)  # a draft: the public still sees the published version
    workflow = release.get_workflow()
    assert workflow.name == WORKFLOW_NAME

    # The editor submits; the page is in moderation, not live with the new revision.
    state = workflow.start(release, editor)
    release.refresh_from_db()
    assert release.workflow_in_progress
    assert "Pilot results, with the evaluation" not in client.get(release.url).content.decode()
    task_state = state.current_task_state
    approve_url = f"/admin/pages/workflow/action/{release.pk}/approve/{task_state.pk}/"
    reject_url = f"/admin/pages/workflow/action/{release.pk}/reject/{task_state.pk}/"

    # Neither the editor nor a reviewer may approve.
    for outsider in [editor, reviewer]:
        client.force_login(outsider)
        client.post(approve_url, {"comment": ""})
        task_state.refresh_from_db()
        assert task_state.status == "in_progress"

    # A publisher requests changes with feedback; the editor sees it and resubmits.
    client.force_login(publisher)
    client.post(reject_url, {"comment": "Please add the media contact."})
    task_state.refresh_from_db()
    assert task_state.status == "rejected"
    assert task_state.comment == "Please add the media contact."

    state.refresh_from_db()
    state.resume(editor)  # the editor resubmits after making the change
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{release.pk}/approve/{task_state.pk}/", {"comment": "Approved."}
    )
    assert response.status_code in {200, 302}
    release.refresh_from_db()
    assert release.live
    assert not release.workflow_in_progress
    assert "Pilot results, with the evaluation" in client.get(release.url).content.decode()
