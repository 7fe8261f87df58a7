"""The demo's panel review (issue 20): three reviewers on the panel of a call closed and under review,
one its chair, each with a declaration of conflicts of interest, one of them conflicted with an
applicant organisation, whose application they neither see nor score; their submitted score sheets
(one still a draft), one application they disagree on, and the chair's shortlist of two, not yet
released; and the decided call's decisions released to its applicants. Created once however often the
demo is loaded, without queuing an email, and leaving alone what a person changed in the admin."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from challenges import decisions, panel_table, scoring
from challenges.models import (
    ApplicantLink,
    ApplicationStatus,
    ChallengePage,
    Conflict,
    ConflictDeclaration,
    DecisionRelease,
    PanelMember,
    ScoreSheet,
)
from challenges.models.review import REVIEWERS_GROUP
from challenges.panels import readable_applications, visible_applications
from challenges.status import Status
from site_core.models import OutgoingEmail
from tests.conftest import load_demo

pytestmark = pytest.mark.django_db

CALL = "faster-follow-up-on-apartment-repair-complaints"  # closed, under review by the demo's panel
DECIDED_CALL = "simpler-business-licence-renewals"  # its decisions taken and released
REVIEWERS = {"reviewer.amara", "reviewer.ben", "reviewer.chloe"}
CHAIR = "reviewer.amara"
CONFLICTED = "reviewer.ben"
CONFLICTED_WITH = "Bylaw Bridge Ltd."
SHORTLIST = {"Tenant Voice Co-operative", "RepairLoop Inc."}
DISAGREED_ON = "Inspect Ahead Analytics"
ORGANISATIONS = SHORTLIST | {CONFLICTED_WITH, DISAGREED_ON}


def call(slug: str = CALL) -> ChallengePage:
    return ChallengePage.objects.get(slug=slug, locale__language_code="en")


def reviewer(username: str):
    return get_user_model().objects.get(username=username)


def by_hand(challenge: ChallengePage, scores: dict) -> Decimal:
    """The total out of 100 from the call's published weights, as challenges/scoring.py documents it:
    sum(weight / sum of weights * score / 5) * 100, to one decimal."""
    blocks = [block for block in challenge.evaluation_criteria if block.block_type == "criterion"]
    whole = sum(Decimal(block.value["weight"]) for block in blocks)
    total = sum(
        Decimal(block.value["weight"]) / whole * Decimal(scores[block.id]["score"]) / 5 * 100 for block in blocks
    )
    return total.quantize(Decimal("0.1"))


def test_three_reviewers_sit_on_the_closed_calls_panel_one_of_them_its_chair(demo):
    challenge = call()
    assert challenge.status == Status.UNDER_REVIEW  # deadline passed, stint not started
    weights = [block.value["weight"] for block in challenge.evaluation_criteria if block.block_type == "criterion"]
    assert len(weights) == 4 and all(weights) and sum(weights) == 100  # published criteria, with their weights
    assert challenge.get_translation_or_none(challenge.locale.__class__.objects.get(language_code="fr")) is not None
    members = PanelMember.objects.filter(challenge=challenge).select_related("user")
    assert {member.user.username for member in members} == REVIEWERS
    assert [member.user.username for member in members if member.is_chair] == [CHAIR]
    assert PanelMember.objects.count() == 3  # the demo puts nobody on another panel
    for member in members:
        user = member.user
        assert member.assigned_at < challenge.closes_at
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
    assert set(applications.values_list("organisation_name", flat=True)) == ORGANISATIONS
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
    for username in REVIEWERS:
        user = reviewer(username)
        visible = set(visible_applications(user).values_list("organisation_name", flat=True))
        readable = set(readable_applications(user).values_list("organisation_name", flat=True))
        expected = ORGANISATIONS - {CONFLICTED_WITH} if username == CONFLICTED else ORGANISATIONS
        assert visible == expected, username  # and no application of another call
        assert readable == expected, username  # declared: they read them without declaring again


def test_the_conflicted_reviewer_cannot_open_that_application_in_the_admin(demo, client):
    hidden = call().applications.get(organisation_name=CONFLICTED_WITH)
    client.force_login(reviewer(CONFLICTED))
    assert CONFLICTED_WITH not in client.get("/admin/applications/").content.decode()
    assert client.get(f"/admin/applications/inspect/{hidden.pk}/", follow=True).status_code == 404
    assert client.get(f"/admin/applications/{hidden.pk}/score/", follow=True).status_code == 404
    client.force_login(reviewer("reviewer.chloe"))
    assert client.get(f"/admin/applications/inspect/{hidden.pk}/").status_code == 200


def test_the_reviewers_submitted_their_sheets_with_weighted_totals_and_one_is_a_draft(demo):
    challenge = call()
    criteria = scoring.criteria_of(challenge)
    sheets = ScoreSheet.objects.filter(application__challenge=challenge).select_related("application", "reviewer")
    submitted = [sheet for sheet in sheets if sheet.is_submitted]
    drafts = [sheet for sheet in sheets if not sheet.is_submitted]
    assert len(submitted) == 10
    assert {sheet.reviewer.username for sheet in submitted} == REVIEWERS
    declared = {declaration.user_id: declaration.declared_at for declaration in ConflictDeclaration.objects.all()}
    for sheet in submitted:
        assert set(sheet.scores) == {criterion.key for criterion in criteria}  # every criterion of the call
        for entry in sheet.scores.values():
            assert entry["score"] in scoring.SCORES and entry["comment"].strip()
        assert sheet.overall_note.strip()
        assert sheet.total == scoring.weighted_total(criteria, sheet.scores) == by_hand(challenge, sheet.scores)
        assert Decimal(0) <= sheet.total <= Decimal(100)
        assert declared[sheet.reviewer_id] < sheet.submitted_at  # read after declaring, scored after the close
    # Every application scored by every reviewer without a conflict with it, but for one draft.
    for application in challenge.applications.all():
        reviewers = {sheet.reviewer.username for sheet in sheets if sheet.application == application}
        expected = REVIEWERS - {CONFLICTED} if application.organisation_name == CONFLICTED_WITH else REVIEWERS
        assert reviewers == expected, application.organisation_name
    assert not ScoreSheet.objects.filter(
        reviewer__username=CONFLICTED, application__organisation_name=CONFLICTED_WITH
    ).exists()
    [draft] = drafts
    assert draft.total is None and draft.submitted_at is None
    assert scoring.missing_scores(criteria, draft.scores)  # scored in part
    assert scoring.weighted_total(criteria, draft.scores) is None


def test_the_chairs_table_shows_a_disagreement_and_ranks_the_shortlist_first(demo):
    challenge = call()
    chair = reviewer(CHAIR)
    assert decisions.chairs(chair, challenge)
    table = panel_table.build(chair, challenge, publisher=False)
    assert table.members[0].user.username == CHAIR  # the chair first
    assert table.threshold == Decimal(str(settings.SCORE_SPREAD_THRESHOLD))
    rows = {row.application.organisation_name: row for row in table.rows}
    assert set(rows) == ORGANISATIONS and table.held == 0
    assert not any(row.hidden for row in rows.values())  # the chair submitted all her sheets
    disagreements = [name for name, row in rows.items() if row.disagreement]
    assert disagreements == [DISAGREED_ON]
    assert rows[DISAGREED_ON].spread > table.threshold
    assert [row.application.organisation_name for row in panel_table.select(table.rows, disagreement=True)] == [
        DISAGREED_ON
    ]
    assert "draft" in rows[DISAGREED_ON].totals.values()
    assert rows[CONFLICTED_WITH].conflicted == {reviewer(CONFLICTED).pk}
    ranked = [row.application.organisation_name for row in panel_table.order(table.rows, "rank")]
    assert set(ranked[:2]) == SHORTLIST and {rows[name].rank for name in SHORTLIST} == {1, 2}
    # The mean of the row is the mean of its submitted totals.
    for row in rows.values():
        totals = [total for total in row.totals.values() if isinstance(total, Decimal)]
        assert row.mean == scoring.mean(totals)


def test_the_chair_shortlisted_two_with_reasons_and_released_nothing_yet(demo, client):
    challenge = call()
    chair = reviewer(CHAIR)
    shortlist = challenge.applications.filter(status=ApplicationStatus.SHORTLISTED)
    assert set(shortlist.values_list("organisation_name", flat=True)) == SHORTLIST
    for application in shortlist:
        assert application.decision_reason.strip()
        assert application.decided_by == chair
        assert application.decided_at is None  # shortlisted is not a decision applicants are told
    others = challenge.applications.exclude(status=ApplicationStatus.SHORTLISTED)
    assert set(others.values_list("status", flat=True)) == {ApplicationStatus.UNDER_REVIEW}
    assert decisions.release_of(challenge) is None
    assert decisions.undecided(challenge).count() == 4  # nothing to release until each is decided
    assert challenge.applications.filter(publish_consent=True).count() == 3  # most agreed to be named
    # The applicant's page says "under review", whatever the panel recorded.
    application = shortlist.first()
    token = ApplicantLink.create_for(application=application)
    html = client.get(f"{challenge.url}apply/application/{token}/").content.decode()
    assert "application-status--under-review" in html
    # The chair opens the table in the admin.
    client.force_login(chair)
    response = client.get(f"/admin/review/{challenge.pk}/")
    assert response.status_code == 200
    assert DISAGREED_ON in response.content.decode()


def test_the_decided_calls_decisions_are_released_with_their_reasons(demo, client):
    challenge = call(DECIDED_CALL)
    assert challenge.status == Status.IN_PROGRESS
    release = DecisionRelease.objects.get()  # on the decided call only
    assert release.challenge == challenge  # its page in the default language
    decided = list(challenge.applications.order_by("organisation_name"))
    assert [(application.organisation_name, application.status) for application in decided] == [
        ("Counterless Inc.", ApplicationStatus.SELECTED),
        ("Paperless Permits Ltd.", ApplicationStatus.DECLINED),
    ]
    for application in decided:
        assert application.decision_reason.strip()
        assert application.decided_at <= release.released_at
        code, _words = decisions.public_status(application, released=True, deadline_passed=True)
        assert code == application.status
        token = ApplicantLink.create_for(application=application)
        html = client.get(f"{challenge.url}apply/application/{token}/").content.decode()
        assert f"application-status--{application.status}" in html
        assert application.get_status_display() in html
    assert decisions.named_teams(challenge) == ["Counterless Inc."]  # agreed to be named


def test_the_demo_queued_no_email(demo):
    assert not OutgoingEmail.objects.exists()


def test_loading_the_demo_again_creates_nothing_twice_and_keeps_what_a_person_changed(demo):
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
            ScoreSheet.objects.count(),
            ScoreSheet.objects.filter(submitted_at__isnull=False).count(),
            DecisionRelease.objects.count(),
        )

    before = counts()
    assert before[1:] == (3, 3, 1, 3, 1, 11, 10, 1)
    declared_at = ConflictDeclaration.objects.get(user=ben).declared_at
    # What people did in the admin since: the chair returned a sheet to its reviewer, who changed
    # their note; another decision was taken on a shortlisted application.
    returned = ScoreSheet.objects.filter(reviewer=ben, submitted_at__isnull=False).first()
    ScoreSheet.objects.filter(pk=returned.pk).update(submitted_at=None, total=None, overall_note="Rethinking.")
    redecided = call().applications.get(organisation_name="RepairLoop Inc.")
    call().applications.filter(pk=redecided.pk).update(
        status=ApplicationStatus.UNDER_REVIEW, decision_reason="", decided_by=ben
    )
    load_demo()
    after = counts()
    assert after[:7] == before[:7] and after[8] == before[8]
    assert after[7] == before[7] - 1  # the returned sheet stays a draft
    assert ConflictDeclaration.objects.get(user=ben).declared_at == declared_at
    assert not reviewer(CONFLICTED).has_usable_password()
    returned.refresh_from_db()
    assert (returned.submitted_at, returned.total, returned.overall_note) == (None, None, "Rethinking.")
    redecided.refresh_from_db()
    assert (redecided.status, redecided.decision_reason, redecided.decided_by) == (
        ApplicationStatus.UNDER_REVIEW,
        "",
        ben,
    )
    assert not OutgoingEmail.objects.exists()
