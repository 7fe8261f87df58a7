"""The demo's review panel (issue 20): three reviewers on the panel of the closed licence-renewal call,
one its chair, each with a declaration of conflicts of interest, one of them conflicted with an
applicant organisation, whose application they do not see. Created once however often the demo is
loaded."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from challenges.models import ChallengePage, Conflict, ConflictDeclaration, PanelMember
from challenges.models.review import REVIEWERS_GROUP
from challenges.panels import readable_applications, visible_applications
from challenges.status import Status

pytestmark = pytest.mark.django_db

CALL = "simpler-business-licence-renewals"
REVIEWERS = {"reviewer.amara", "reviewer.ben", "reviewer.chloe"}
CONFLICTED = "reviewer.ben"
CONFLICTED_WITH = "Paperless Permits Ltd."


def load_demo() -> None:
    with open(os.devnull, "w") as devnull:
        call_command("load_demo_content", stdout=devnull)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def call() -> ChallengePage:
    return ChallengePage.objects.get(slug=CALL, locale__language_code="en")


def reviewer(username: str):
    return get_user_model().objects.get(username=username)


def test_three_reviewers_sit_on_the_closed_calls_panel_one_of_them_its_chair(demo):
    challenge = call()
    assert not challenge.status.accepts_applications
    assert challenge.status in {Status.UNDER_REVIEW, Status.IN_PROGRESS, Status.COMPLETED}
    members = PanelMember.objects.filter(challenge=challenge).select_related("user")
    assert {member.user.username for member in members} == REVIEWERS
    assert [member.user.username for member in members if member.is_chair] == ["reviewer.amara"]
    assert PanelMember.objects.count() == 3  # the demo puts nobody on another panel
    for member in members:
        user = member.user
        assert user.get_full_name() and user.get_full_name() != user.username  # real-looking names
        assert user.is_active and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [REVIEWERS_GROUP]
        assert not user.has_usable_password()  # an administrator sets one in Settings > Users
        assert user.has_perm("challenges.view_application")


def test_each_reviewer_declared_and_one_declared_a_conflict_with_an_applicant(demo):
    challenge = call()
    declarations = ConflictDeclaration.objects.filter(challenge=challenge).select_related("user")
    assert {declaration.user.username for declaration in declarations} == REVIEWERS
    applications = challenge.applications.all()
    assert applications.count() == 2
    for declaration in declarations:
        # Declared after the call closed, covering every application received.
        assert declaration.declared_at > challenge.closes_at
        assert all(declaration.covers_until >= application.submitted_at for application in applications)
    conflicts = Conflict.objects.select_related("declaration", "application", "user")
    assert [(conflict.user.username, conflict.application.organisation_name) for conflict in conflicts] == [
        (CONFLICTED, CONFLICTED_WITH)
    ]
    conflict = conflicts.get()
    assert conflict.declaration.user == conflict.user and conflict.declaration.challenge == challenge


def test_the_conflicted_reviewer_does_not_see_that_organisations_application_the_others_do(demo):
    challenge = call()
    all_names = {CONFLICTED_WITH, "Counterless Inc."}
    assert set(challenge.applications.values_list("organisation_name", flat=True)) == all_names
    for username in REVIEWERS:
        user = reviewer(username)
        visible = set(visible_applications(user).values_list("organisation_name", flat=True))
        readable = set(readable_applications(user).values_list("organisation_name", flat=True))
        expected = all_names - {CONFLICTED_WITH} if username == CONFLICTED else all_names
        assert visible == expected, username  # and no application of another call
        assert readable == expected, username  # declared: they read them without declaring again


def test_the_conflicted_reviewer_cannot_open_that_application_in_the_admin(demo, client):
    hidden = call().applications.get(organisation_name=CONFLICTED_WITH)
    client.force_login(reviewer(CONFLICTED))
    assert CONFLICTED_WITH not in client.get("/admin/applications/").content.decode()
    assert client.get(f"/admin/applications/inspect/{hidden.pk}/", follow=True).status_code == 404
    client.force_login(reviewer("reviewer.chloe"))
    assert client.get(f"/admin/applications/inspect/{hidden.pk}/").status_code == 200


def test_loading_the_demo_again_creates_nothing_twice(demo):
    user_model = get_user_model()
    ben = reviewer(CONFLICTED)

    def counts():
        return (
            user_model.objects.count(),
            user_model.objects.filter(groups__name=REVIEWERS_GROUP).count(),
            PanelMember.objects.count(),
            PanelMember.objects.filter(is_chair=True).count(),
            ConflictDeclaration.objects.count(),
            Conflict.objects.count(),
        )

    before = counts()
    assert before[1:] == (3, 3, 1, 3, 1)
    declared_at = ConflictDeclaration.objects.get(user=ben).declared_at
    load_demo()
    assert counts() == before
    assert ConflictDeclaration.objects.get(user=ben).declared_at == declared_at
    assert not reviewer(CONFLICTED).has_usable_password()
