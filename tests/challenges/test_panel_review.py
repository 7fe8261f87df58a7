"""Issue 20, score sheets, the panel's table and decisions, through the admin as reviewers, chairs and
Publishers use it: a sheet is a draft until submitted, others' scores stay hidden until one's own is
submitted, conflicts are excluded, the chair records decisions with reasons, and applicants learn
them all at once when the chair releases them."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from challenges import decisions, scoring
from challenges.models import (
    Application,
    ChallengePage,
    Conflict,
    ConflictDeclaration,
    DecisionRelease,
    PanelMember,
    ScoreSheet,
)
from tests.challenges.application_helpers import stored_application
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db

CRITERIA = [
    ("criterion", {"name": "Impact on residents", "weight": 40, "description": "Who benefits, how much."}),
    ("criterion", {"name": "Feasibility", "weight": 30, "description": ""}),
    ("criterion", {"name": "Team", "weight": 30, "description": ""}),
]


@pytest.fixture
def panel(challenge_index, django_user_model):
    call_command("setup_groups", stdout=io.StringIO())
    challenge = make_challenge(challenge_index, title="Track 311 requests", evaluation_criteria=CRITERIA)
    other_call = make_challenge(challenge_index, title="Safer school zones", evaluation_criteria=CRITERIA)
    reviewers = Group.objects.get(name="Challenge reviewers")
    users = {}
    for name in ("ana", "bo", "cy", "outsider"):
        user = django_user_model.objects.create_user(name, password="x-long-password-1", first_name=name.title())
        user.groups.add(reviewers)
        users[name] = user
    publisher = django_user_model.objects.create_user("pub", password="x-long-password-1")
    publisher.groups.add(Group.objects.get(name="Publishers"))
    users["publisher"] = publisher
    PanelMember.objects.create(challenge=challenge, user=users["ana"], is_chair=True)
    PanelMember.objects.create(challenge=challenge, user=users["bo"])
    PanelMember.objects.create(challenge=challenge, user=users["cy"])
    PanelMember.objects.create(challenge=other_call, user=users["outsider"], is_chair=True)
    first = stored_application(
        challenge, organisation_name="Alpha Ltd.", email="alpha@example.ca", publish_consent=True
    )
    second = stored_application(challenge, organisation_name="Beta Inc.", email="beta@example.ca")
    third = stored_application(challenge, organisation_name="Gamma Co.", email="gamma@example.ca")
    for name in ("ana", "bo", "cy", "outsider"):
        call = other_call if name == "outsider" else challenge
        ConflictDeclaration.objects.create(challenge=call, user=users[name])
    return {
        "challenge": ChallengePage.objects.get(pk=challenge.pk),
        "other_call": other_call,
        "users": users,
        "apps": [first, second, third],
    }


def criteria_keys(challenge) -> list[str]:
    return [criterion.key for criterion in scoring.criteria_of(challenge)]


def sheet_post(action="submit", scores=(5, 3, 2), comments=("", "", ""), note="") -> dict:
    data = {"action": action, "overall_note": note}
    for index, (score, comment) in enumerate(zip(scores, comments, strict=True)):
        if score is not None:
            data[f"score_{index}"] = str(score)
        data[f"comment_{index}"] = comment
    return data


def submit_sheet(client, user, application, scores, comment="") -> None:
    client.force_login(user)
    response = client.post(
        f"/admin/applications/{application.pk}/score/", sheet_post(scores=scores, comments=(comment, "", ""))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(response["Location"])  # shows (and so clears) the confirmation message


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


# --- score sheets -----------------------------------------------------------------------------------


def test_a_sheet_is_a_draft_until_submitted_then_final_with_its_weighted_total(client, panel):
    ana, application = panel["users"]["ana"], panel["apps"][0]
    url = f"/admin/applications/{application.pk}/score/"
    client.force_login(ana)
    page = body(client.get(url))
    assert "Impact on residents" in page and "40% of the total" in page
    assert page.count('type="radio"') == 18  # 0-5 for each of the three criteria

    refused = client.post(url, sheet_post(scores=(5, None, None)))
    assert refused.status_code == 400
    html = body(refused)
    assert "There is a problem" in html
    assert "Score “Feasibility” from 0 to 5 before you submit." in html
    assert "Score “Team” from 0 to 5 before you submit." in html
    assert html.count('aria-describedby="id_score_1-errors"') == 6  # each radio reads its error
    assert 'id="id_score_1-errors"' in html and 'action="/admin/applications/' in html
    assert not ScoreSheet.objects.exists()

    assert (
        client.post(url, sheet_post(action="save", scores=(5, None, None), comments=("Strong", "", ""))).status_code
        == 302
    )
    draft = ScoreSheet.objects.get()
    assert draft.submitted_at is None and draft.total is None
    assert draft.scores[criteria_keys(panel["challenge"])[0]] == {"score": 5, "comment": "Strong"}
    reloaded = body(client.get(url))
    checked = re.findall(r'<input type="radio" name="(score_\d)" value="(\d)"[^>]*checked', reloaded)
    assert checked == [("score_0", "5")] and "Strong</textarea>" in reloaded

    assert client.post(url, sheet_post(scores=(5, 3, 2), note="Worth an interview")).status_code == 302
    sheet = ScoreSheet.objects.get()
    # 40 x 5/5 + 30 x 3/5 + 30 x 2/5 = 40 + 18 + 12
    assert sheet.total == Decimal("70.0") and sheet.submitted_at is not None
    assert sheet.overall_note == "Worth an interview"
    assert ModelLogEntry.objects.filter(action="cio.review.submit", object_id=str(application.pk)).count() == 1

    again = client.post(url, sheet_post(scores=(0, 0, 0)))
    assert again.status_code == 302
    sheet.refresh_from_db()
    assert sheet.total == Decimal("70.0")  # a submitted sheet is final
    page = body(client.get(url))
    assert "Your submitted sheet" in page and 'name="action"' not in page


def test_others_scores_stay_hidden_until_ones_own_is_submitted(client, panel):
    users, application = panel["users"], panel["apps"][0]
    submit_sheet(client, users["bo"], application, (1, 1, 1), comment="Bo's distinctive remark")
    url = f"/admin/applications/{application.pk}/score/"
    client.force_login(users["cy"])
    before = body(client.get(url))
    assert "Bo's distinctive remark" not in before.replace("&#x27;", "'")
    assert "hidden until you submit yours" in before
    client.post(url, sheet_post(action="save", scores=(4, None, None)))
    assert "Bo's distinctive remark" not in body(client.get(url)).replace("&#x27;", "'")
    submit_sheet(client, users["cy"], application, (4, 4, 4))
    after = body(client.get(url)).replace("&#x27;", "'")
    assert "Bo's distinctive remark" in after and "20.0 out of 100" in after


def test_the_chairs_table_hides_an_applications_scores_until_the_chair_has_scored_it(client, panel):
    users, (first, second, _third) = panel["users"], panel["apps"]
    submit_sheet(client, users["bo"], first, (5, 5, 5))
    submit_sheet(client, users["bo"], second, (2, 2, 2))
    submit_sheet(client, users["ana"], second, (3, 3, 3))
    client.force_login(users["ana"])
    table = body(client.get(f"/admin/review/{panel['challenge'].pk}/"))
    assert "Submitted (hidden until you submit yours)" in table  # Bo's 100.0 on the first
    assert "100.0" not in table
    assert "40.0" in table and "60.0" in table and "50.0" in table  # the second: both totals, their mean
    client.force_login(users["publisher"])  # not on the panel: sees every submitted score
    assert "100.0" in body(client.get(f"/admin/review/{panel['challenge'].pk}/"))


def test_a_conflicted_reviewer_cannot_score_and_their_sheet_counts_nowhere(client, panel):
    users, first = panel["users"], panel["apps"][0]
    submit_sheet(client, users["cy"], first, (0, 0, 0))  # scored before declaring a conflict
    submit_sheet(client, users["bo"], first, (5, 5, 5))
    declaration = ConflictDeclaration.objects.get(user=users["cy"])
    Conflict.objects.create(declaration=declaration, application=first, user=users["cy"])
    client.force_login(users["cy"])
    assert client.get(f"/admin/applications/{first.pk}/score/", follow=True).status_code == 404
    table = panel_table_rows(users["publisher"], panel["challenge"])
    row = table[first.pk]
    assert row.mean == Decimal("100.0") and row.spread is None and users["cy"].pk in row.conflicted
    client.force_login(users["publisher"])
    assert "Conflict declared" in body(client.get(f"/admin/review/{panel['challenge'].pk}/"))


def panel_table_rows(user, challenge) -> dict:
    from challenges import panel_table

    table = panel_table.build(user, challenge, decisions.is_publisher(user))
    return {row.application.pk: row for row in table.rows}


def test_nobody_outside_the_panel_reaches_a_sheet_the_table_or_a_decision(client, panel):
    challenge, first = panel["challenge"], panel["apps"][0]
    submit_sheet(client, panel["users"]["bo"], first, (5, 5, 5))
    client.force_login(panel["users"]["outsider"])  # chairs another panel
    for url in (
        f"/admin/applications/{first.pk}/score/",
        f"/admin/review/{challenge.pk}/",
        f"/admin/review/{challenge.pk}/?export=csv",
        f"/admin/review/{challenge.pk}/decide/{first.pk}/",
        f"/admin/review/{challenge.pk}/release/",
    ):
        assert client.get(url, follow=True).status_code == 404, url
    assert (
        client.post(f"/admin/review/{challenge.pk}/decide/{first.pk}/", {"status": "selected"}, follow=True).status_code
        == 404
    )
    assert (
        client.post(f"/admin/applications/{first.pk}/score/{panel['users']['bo'].pk}/return/", follow=True).status_code
        == 404
    )
    client.force_login(panel["users"]["bo"])  # on the panel, not its chair
    assert client.get(f"/admin/review/{challenge.pk}/", follow=True).status_code == 404
    assert client.get(f"/admin/review/{challenge.pk}/decide/{first.pk}/", follow=True).status_code == 404
    assert client.get(f"/admin/review/{challenge.pk}/release/", follow=True).status_code == 404
    first.refresh_from_db()
    assert first.status == "received"


def test_a_reviewer_who_has_not_declared_is_sent_to_the_declaration(client, panel):
    ConflictDeclaration.objects.filter(user=panel["users"]["bo"]).delete()
    client.force_login(panel["users"]["bo"])
    response = client.get(f"/admin/applications/{panel['apps'][0].pk}/score/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/applications/conflicts/{panel['challenge'].pk}/"


def test_withdrawn_and_held_applications_are_not_scored(client, panel):
    first, second = panel["apps"][0], panel["apps"][1]
    Application.objects.filter(pk=first.pk).update(status="withdrawn", withdrawn_at=timezone.now())
    Application.objects.filter(pk=second.pk).update(is_spam=True)
    client.force_login(panel["users"]["bo"])
    for application, words in ((first, "withdrew"), (second, "held for a check")):
        page = body(client.get(f"/admin/applications/{application.pk}/score/"))
        assert words in page and 'name="action"' not in page
        refused = client.post(f"/admin/applications/{application.pk}/score/", sheet_post())
        assert refused.status_code == 400 and words in body(refused)
    assert not ScoreSheet.objects.exists()


def test_the_chair_returns_a_sheet_to_its_reviewer(client, panel):
    users, first = panel["users"], panel["apps"][0]
    submit_sheet(client, users["bo"], first, (5, 5, 5))
    client.force_login(users["ana"])
    response = client.post(f"/admin/applications/{first.pk}/score/{users['bo'].pk}/return/")
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(reviewer=users["bo"])
    assert sheet.submitted_at is None and sheet.total is None and sheet.scores  # the scores stay, as a draft
    assert ModelLogEntry.objects.filter(action="cio.review.return").count() == 1


# --- the table, filters and export ----------------------------------------------------------------


def test_the_table_ranks_flags_disagreements_and_filters(client, panel):
    users, (first, second, third) = panel["users"], panel["apps"]
    submit_sheet(client, users["bo"], first, (5, 5, 5))  # 100
    submit_sheet(client, users["cy"], first, (2, 2, 2))  # 40: spread 60, a disagreement
    submit_sheet(client, users["bo"], second, (4, 4, 4))  # 80
    submit_sheet(client, users["cy"], second, (4, 4, 3))  # 74
    rows = panel_table_rows(users["publisher"], panel["challenge"])
    assert (rows[first.pk].mean, rows[first.pk].spread, rows[first.pk].disagreement) == (
        Decimal("70.0"),
        Decimal("60.0"),
        True,
    )
    assert (rows[second.pk].mean, rows[second.pk].disagreement) == (Decimal("77.0"), False)
    assert (rows[second.pk].rank, rows[first.pk].rank, rows[third.pk].rank) == (1, 2, None)

    client.force_login(users["publisher"])
    url = f"/admin/review/{panel['challenge'].pk}/"
    flagged = body(client.get(url, {"disagreement": "on"}))
    assert "Alpha Ltd." in flagged and "Beta Inc." not in flagged
    by_rank = body(client.get(url))
    assert by_rank.index("Beta Inc.") < by_rank.index("Alpha Ltd.") < by_rank.index("Gamma Co.")
    incomplete = body(client.get(url, {"incomplete": "on"}))  # three members, two sheets each at most
    assert "Gamma Co." in incomplete and "Alpha Ltd." in incomplete
    by_name = body(client.get(url, {"sort": "organisation"}))
    assert by_name.index("Alpha Ltd.") < by_name.index("Beta Inc.") < by_name.index("Gamma Co.")
    assert client.get(url, {"sort": "nonsense", "status": "nonsense", "p": "x"}).status_code == 200


def test_the_scores_export_is_excel_ready_and_audited(client, panel):
    users, first = panel["users"], panel["apps"][0]
    Application.objects.filter(pk=first.pk).update(organisation_name="=HYPERLINK(1) Amélie")
    submit_sheet(client, users["bo"], first, (5, 3, 2))
    client.force_login(users["publisher"])
    response = client.get(f"/admin/review/{panel['challenge'].pk}/", {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert "Total by Bo" in header and "Mean score: Impact on residents (0-5)" in header
    alpha = next(line for line in lines if "Amélie" in line)
    assert "'=HYPERLINK(1) Amélie" in alpha and "70.0" in alpha
    assert ModelLogEntry.objects.filter(action="cio.review.export").count() == 3
    xlsx = client.get(f"/admin/review/{panel['challenge'].pk}/", {"export": "xlsx"})
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"


# --- decisions and their release ------------------------------------------------------------------


def test_the_chair_records_decisions_with_reasons_and_applicants_learn_them_at_the_release(
    client, panel, django_capture_on_commit_callbacks
):
    users, (first, second, third) = panel["users"], panel["apps"]
    challenge = panel["challenge"]
    client.force_login(users["ana"])
    decide = f"/admin/review/{challenge.pk}/decide/"
    missing = client.post(f"{decide}{first.pk}/", {"status": "selected", "reason": ""})
    assert missing.status_code == 400 and "Give the reason for this decision" in body(missing)
    assert client.post(f"{decide}{first.pk}/", {"reason": "x"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{decide}{first.pk}/", {"status": "selected", "reason": "Best plan."}).status_code == 302
        assert (
            client.post(f"{decide}{second.pk}/", {"status": "shortlisted", "reason": "Interview."}).status_code == 302
        )
    first.refresh_from_db()
    assert (first.status, first.decision_reason, first.decided_by) == ("selected", "Best plan.", users["ana"])
    entry = ModelLogEntry.objects.get(action="cio.review.decide", object_id=str(first.pk))
    assert entry.data == {"from": "received", "to": "selected", "reason": "Best plan."}
    assert mail.outbox == []
    assert decisions.public_status(first, released=False, deadline_passed=True)[0] == "under-review"

    release = f"/admin/review/{challenge.pk}/release/"
    blocked = client.post(release, {"confirm": "1"})
    assert blocked.status_code == 400 and "2 application(s) still need a decision" in body(blocked)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{decide}{second.pk}/", {"status": "declined", "reason": "Budget."})
        client.post(f"{decide}{third.pk}/", {"status": "declined", "reason": "Out of scope."})
    assert mail.outbox == []
    assert client.post(release, {}).status_code == 400  # not confirmed
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(release, {"confirm": "1"}).status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alpha@example.ca",
        "beta@example.ca",
        "gamma@example.ca",
    ]
    assert DecisionRelease.objects.get().released_by == users["ana"]
    assert PageLogEntry.objects.filter(action="cio.review.release", page=challenge).exists()
    assert decisions.public_status(Application.objects.get(pk=first.pk), True, True) == ("selected", "Selected")

    locked = client.post(f"{decide}{first.pk}/", {"status": "declined", "reason": "Changed our mind."})
    assert locked.status_code == 400 and "can no longer be changed" in body(locked)
    assert Application.objects.get(pk=first.pk).status == "selected" and len(mail.outbox) == 3


def test_the_applicants_page_shows_the_decision_only_once_released(panel, django_user_model):
    application = panel["apps"][0]
    chair = panel["users"]["ana"]
    decisions.record_decision(application, "declined", "Not this time.", chair, released=False)
    assert decisions.public_status(application, released=False, deadline_passed=False) == ("received", "Received")
    assert decisions.public_status(application, released=False, deadline_passed=True) == (
        "under-review",
        "Under review",
    )
    assert decisions.public_status(application, released=True, deadline_passed=True) == ("declined", "Not selected")
    fresh = stored_application(panel["challenge"], email="new@example.ca")
    assert decisions.public_status(fresh, released=False, deadline_passed=False)[0] == "received"
    assert decisions.public_status(fresh, released=False, deadline_passed=True)[0] == "under-review"


def test_selected_teams_that_agreed_are_named_on_a_draft_of_the_challenge_page(client, panel):
    users, (first, second, third) = panel["users"], panel["apps"]
    for application, status in ((first, "selected"), (second, "selected"), (third, "declined")):
        decisions.record_decision(application, status, "Reason.", users["ana"], released=False)
    client.force_login(users["ana"])
    teams_url = f"/admin/review/{panel['challenge'].pk}/teams/"
    client.post(teams_url)
    assert ChallengePage.objects.get(pk=panel["challenge"].pk).get_latest_revision_as_object().selected_teams == ""
    decisions.release(panel["challenge"], users["ana"])
    response = client.post(teams_url, follow=True)
    assert "names 1 selected team" in body(response) and "1 selected team did not agree" in body(response)
    page = ChallengePage.objects.get(pk=panel["challenge"].pk)
    assert page.get_latest_revision_as_object().selected_teams == "Alpha Ltd."  # only the one that agreed
    assert page.selected_teams == ""  # a draft: a Publisher publishes it
    assert page.has_unpublished_changes


def test_the_form_records_consent_to_be_named(client, challenge_index, settings):
    from tests.challenges.application_helpers import application_data

    challenge = make_challenge(challenge_index, title="Open call")
    url = f"{challenge.url}apply/"
    form = client.get(url).content.decode()
    assert 'name="name_consent"' in form and "may name our organisation" in form
    client.post(url, application_data(challenge, name_consent="on", email="yes@example.ca"))
    client.post(url, application_data(challenge, email="no@example.ca"))
    consents = dict(Application.objects.values_list("email", "publish_consent"))
    assert consents == {"yes@example.ca": True, "no@example.ca": False}


def test_the_review_home_lists_the_users_panels_and_the_next_step(client, panel):
    users, first = panel["users"], panel["apps"][0]
    client.force_login(users["bo"])
    page = body(client.get("/admin/review/"))
    assert "Track 311 requests" in page and "Safer school zones" not in page
    assert f"/admin/applications/{first.pk}/score/" in page
    assert f"/admin/review/{panel['challenge'].pk}/" not in page  # not the chair
    client.force_login(users["ana"])
    assert f"/admin/review/{panel['challenge'].pk}/" in body(client.get("/admin/review/"))
    client.force_login(users["publisher"])
    page = body(client.get("/admin/review/"))
    assert "Track 311 requests" in page and "Safer school zones" in page
    editor = type(users["bo"]).objects.create_user("editor", password="x-long-password-1")
    editor.groups.add(Group.objects.get(name="Communications editors"))
    client.force_login(editor)
    assert client.get("/admin/review/", follow=True).status_code == 404


def test_the_next_application_to_score_is_the_first_without_ones_own_submitted_sheet(client, panel):
    from challenges.review_views import next_to_score

    users, (first, second, third) = panel["users"], panel["apps"]
    submit_sheet(client, users["cy"], first, (3, 3, 3))  # someone else's sheet counts for nothing here
    client.force_login(users["bo"])
    client.post(f"/admin/applications/{first.pk}/score/", sheet_post(action="save", scores=(1, None, None)))
    assert next_to_score(users["bo"], panel["challenge"]) == first  # a draft is still to submit
    submit_sheet(client, users["bo"], first, (3, 3, 3))
    assert next_to_score(users["bo"], panel["challenge"]) == second
    assert next_to_score(users["bo"], panel["challenge"], after=second) == third
    client.force_login(users["bo"])
    page = body(client.get("/admin/review/"))
    row = page[page.index("Track 311 requests") :]
    cells = re.findall(r"<td>(\d+)</td>", row)
    assert cells[:2] == ["3", "1"]  # three applications (not one per sheet), one sheet of Bo's submitted


def test_the_migration_counts_decisions_emailed_before_the_panel_review_as_released(panel):
    """Before issue 20 a decision was emailed when recorded: such a challenge's applicants keep
    seeing their decisions (challenges/migrations/0009)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("challenges.migrations.0009_review_scores_and_decisions")
    first, second = panel["apps"][0], panel["apps"][1]
    decided_at = timezone.now() - datetime.timedelta(days=3)
    Application.objects.filter(pk=first.pk).update(status="selected", decided_at=decided_at)
    Application.objects.filter(pk=second.pk).update(
        status="declined", decided_at=decided_at - datetime.timedelta(days=1)
    )
    migration.decisions_already_told(apps, None)
    migration.decisions_already_told(apps, None)  # once only
    (release,) = DecisionRelease.objects.all()
    assert release.challenge_id == panel["challenge"].pk and release.released_at == decided_at
    assert not DecisionRelease.objects.filter(challenge=panel["other_call"]).exists()  # nothing decided there
