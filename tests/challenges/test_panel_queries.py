"""Issue 20, the panel review at scale: the chair's table of a challenge, its CSV and XLSX exports and
the score sheet page cost the same number of SQL queries however many applications, sheets and
conflicts there are (challenges/panel_table.build reads them in a fixed number of queries), for a
Publisher and for a chair who sits on the panel; only the export's audit entries grow, a batch of
inserts at a time (challenges/admin_views.log_export).

The rows are inserted with bulk_create (no files, no emails): 10 applications, then 500, each with
submitted sheets from three panel members, one member's declared conflict, and drafts."""

import io
import itertools
import math
import re
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from challenges import scoring
from challenges.admin_views import EXPORT_CHUNK_SIZE
from challenges.models import (
    Application,
    ApplicationStatus,
    Conflict,
    ConflictDeclaration,
    PanelMember,
    ScoreSheet,
)
from challenges.review_views import SCORES_EXPORT_ACTION
from tests.challenges.application_helpers import PDF_BYTES
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db

CRITERIA = [("Impact", 40), ("Feasibility", 30), ("Team", 20), ("Cost", 10)]
AUDIT_INSERT = 'INSERT INTO "wagtailcore_modellogentry"'
STATUSES = [
    ApplicationStatus.RECEIVED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
]
_numbers = itertools.count(1)


def reviewer(django_user_model, username: str, group: str = "Challenge reviewers", **names):
    user = django_user_model.objects.create_user(username, password="x-long-password-1", **names)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def panel(challenge_index, django_user_model):
    """A challenge scored on four weighted criteria by a panel of five: the chair (who scores too),
    Ana and Ben, who submit a sheet for every application, and Cy and Dee, who take turns declaring
    a conflict and leaving a draft; and a Publisher who is not on the panel."""
    call_command("setup_groups", stdout=io.StringIO())
    challenge = make_challenge(
        challenge_index,
        title="Track 311 requests",
        evaluation_criteria=[
            ("criterion", {"name": name, "weight": weight, "description": f"How well it does on {name.lower()}."})
            for name, weight in CRITERIA
        ],
    )
    chair = reviewer(django_user_model, "chair", first_name="Chris", last_name="Chair")
    members = {"chair": chair}
    for username in ("ana", "ben", "cy", "dee"):
        members[username] = reviewer(django_user_model, username, first_name=username.title(), last_name="Reviewer")
    for name, user in members.items():
        PanelMember.objects.create(challenge=challenge, user=user, is_chair=name == "chair")
    # Declared once, covering every application the test adds afterwards.
    declarations = {
        name: ConflictDeclaration.objects.create(
            challenge=challenge, user=user, covers_until=timezone.now() + timedelta(days=1)
        )
        for name, user in members.items()
    }
    publisher = reviewer(django_user_model, "publisher", group="Publishers")
    criteria = scoring.criteria_of(challenge)
    assert [criterion.name for criterion in criteria] == [name for name, _weight in CRITERIA]
    return {
        "challenge": challenge,
        "members": members,
        "declarations": declarations,
        "publisher": publisher,
        "criteria": criteria,
    }


def sheet_scores(criteria, seed: int) -> dict:
    return {
        criterion.key: {"score": (seed + index) % 6, "comment": f"Comment {seed} on {criterion.name}."}
        for index, criterion in enumerate(criteria)
    }


def submitted_sheet(application, user, criteria, seed: int, now) -> ScoreSheet:
    scores = sheet_scores(criteria, seed)
    return ScoreSheet(
        application=application,
        reviewer=user,
        scores=scores,
        overall_note=f"Overall {seed}.",
        total=scoring.weighted_total(criteria, scores),
        submitted_at=now,
    )


def new_applications(challenge, count: int) -> list[Application]:
    """`count` applications as the form stores them (rows only: no file is written): every status,
    decided ones with a reason, one in ten held for a check."""
    now = timezone.now()
    rows = []
    for _ in range(count):
        number = next(_numbers)
        status = STATUSES[number % len(STATUSES)]
        decided = status in {ApplicationStatus.SELECTED, ApplicationStatus.DECLINED}
        rows.append(
            Application(
                challenge=challenge,
                reference=f"CIO-TEST-{number:05d}",
                form_token=uuid.uuid4(),
                submitted_at=now - timedelta(minutes=number),
                organisation_name=f"Team {number} Ltd.",
                contact_name="Robin Roe",
                email=f"team-{number}@example.ca",
                phone="416-555-0199",
                team_size=3,
                proposal_summary="A proposal.",
                attachment="applications/2026/proposal.pdf",
                attachment_name="proposal.pdf",
                attachment_size=len(PDF_BYTES),
                consent_at=now,
                status=status,
                decided_at=now if decided else None,
                decision_reason=f"Reason {number}." if decided else "",
                publish_consent=number % 2 == 0,
                is_spam=number % 10 == 0,
            )
        )
    Application.objects.bulk_create(rows)
    return list(Application.objects.filter(challenge=challenge).order_by("-pk")[:count])


def add_scored_applications(panel, count: int) -> None:
    """`count` applications, each (unless held for a check) with submitted sheets from Ana and Ben, from
    the chair (a draft instead for one in five: the chair's view hides those rows' scores), a conflict
    declared by Cy or Dee in turn, and a draft by the other on one in three."""
    members, criteria, now = panel["members"], panel["criteria"], timezone.now()
    sheets, conflicts = [], []
    for application in new_applications(panel["challenge"], count):
        if application.is_spam:
            continue
        seed = application.pk
        for name in ("ana", "ben"):
            sheets.append(submitted_sheet(application, members[name], criteria, seed + len(name), now))
        if seed % 5 == 4:
            sheets.append(ScoreSheet(application=application, reviewer=members["chair"], scores={}))
        else:
            sheets.append(submitted_sheet(application, members["chair"], criteria, seed * 7, now))
        conflicted, other = ("cy", "dee") if seed % 2 else ("dee", "cy")
        conflicts.append(
            Conflict(declaration=panel["declarations"][conflicted], application=application, user=members[conflicted])
        )
        if seed % 3 == 0:
            sheets.append(
                ScoreSheet(application=application, reviewer=members[other], scores=sheet_scores(criteria, seed))
            )
    ScoreSheet.objects.bulk_create(sheets)
    Conflict.objects.bulk_create(conflicts)


def fetch(client, url: str) -> tuple[list[str], bytes]:
    """The SQL of a GET of `url` (its streamed body read inside the count) and the body."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return [query["sql"] for query in captured.captured_queries], body


def audit_batch_size() -> int:
    """How many audit entries one INSERT holds on this database (SQLite caps the parameters of a
    statement; log_export inserts EXPORT_CHUNK_SIZE at a time)."""
    fields = [field for field in ModelLogEntry._meta.concrete_fields if not field.primary_key]
    return min(EXPORT_CHUNK_SIZE, connection.ops.bulk_batch_size(fields, [None] * EXPORT_CHUNK_SIZE))


def split_audit(queries: list[str]) -> tuple[list[str], int]:
    others = [sql for sql in queries if not sql.startswith(AUDIT_INSERT)]
    return others, len(queries) - len(others)


def table_urls(challenge) -> list[str]:
    base = f"/admin/review/{challenge.pk}/"
    return [
        base,
        base + "?sort=-spread&disagreement=on&p=2",
        base + "?status=received&incomplete=on&sort=organisation",
        base + "?export=csv",
        base + "?export=xlsx&sort=-mean",
    ]


def measure(client, urls: list[str]) -> dict:
    """{url: (the queries other than the audit inserts, the number of audit inserts, the body)}, each
    of a second request (as on a running server: the first after a change refills the caches)."""
    counts = {}
    for url in urls:
        client.get(url)
        queries, body = fetch(client, url)
        others, audit_inserts = split_audit(queries)
        counts[url] = (others, audit_inserts, body)
    return counts


def shape(sql: str) -> str:
    """A query without its values, so that the same query for another row reads the same."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:300]


def assert_same_queries(small: dict, large: dict, sizes: str) -> None:
    """Equal counts; otherwise the query shapes that grew (the query run per item)."""
    differing = {}
    for url in small:
        if len(small[url][0]) != len(large[url][0]):
            grown = Counter(map(shape, large[url][0])) - Counter(map(shape, small[url][0]))
            differing[url] = (len(small[url][0]), len(large[url][0]), grown.most_common(3))
    assert not differing, f"queries with {sizes}: {differing}"


def exported_rows(panel) -> int:
    return Application.objects.filter(challenge=panel["challenge"], is_spam=False).count()


@pytest.mark.parametrize("viewer", ["publisher", "chair"])
def test_the_table_and_its_exports_cost_the_same_queries_with_10_or_500_applications(client, panel, viewer):
    user = panel["publisher"] if viewer == "publisher" else panel["members"]["chair"]
    client.force_login(user)
    urls = table_urls(panel["challenge"])

    add_scored_applications(panel, 10)
    client.get(urls[0])  # the first visit of the admin (the user's profile, the site's settings)
    small = measure(client, urls)
    small_rows = exported_rows(panel)
    add_scored_applications(panel, 490)
    large = measure(client, urls)
    large_rows = exported_rows(panel)
    assert (small_rows, large_rows) == (9, 450)  # one in ten is held for a check, out of the table

    assert_same_queries(small, large, "10 applications vs 500")
    batch = audit_batch_size()
    for url, (_others, audit_inserts, _body) in small.items():
        if "export=" in url:
            assert audit_inserts == 1, (url, audit_inserts)
        else:
            assert audit_inserts == 0, url
    for url, (_others, audit_inserts, _body) in large.items():
        if "export=" in url:
            # A batch of entries per insert, never one per application.
            assert 1 <= audit_inserts <= math.ceil(large_rows / batch), (url, audit_inserts, batch)
        else:
            assert audit_inserts == 0, url

    # The measured pages are the real ones: every row is in the exports, the first page holds 50.
    csv_lines = large[urls[3]][2].decode("utf-8-sig").splitlines()
    assert len(csv_lines) == 1 + large_rows
    assert "Total by Ana Reviewer" in csv_lines[0] and "Mean score: Impact (0-5)" in csv_lines[0]
    assert "Conflict" in large[urls[3]][2].decode("utf-8-sig")
    assert large[urls[0]][2].decode().count("Sheets<span") == 50
    logged = ModelLogEntry.objects.filter(action=SCORES_EXPORT_ACTION, user=user)
    assert logged.count() == 2 * (small_rows + large_rows) * 2  # csv and xlsx, warm-up and measured


def add_other_sheets(application, criteria, users: list, now) -> None:
    PanelMember.objects.bulk_create(PanelMember(challenge=application.challenge, user=user) for user in users)
    ScoreSheet.objects.bulk_create(
        submitted_sheet(application, user, criteria, index, now) for index, user in enumerate(users)
    )


@pytest.mark.parametrize("viewer", ["chair", "publisher"])
def test_the_score_sheet_costs_the_same_queries_with_1_or_20_other_sheets(client, panel, django_user_model, viewer):
    """The chair who submitted their own sheet (reading the others, each with its "return" button),
    and a Publisher not on the panel (reading them all)."""
    add_scored_applications(panel, 3)
    application = Application.objects.filter(challenge=panel["challenge"], is_spam=False).order_by("pk").first()
    ScoreSheet.objects.filter(application=application).delete()
    Conflict.objects.filter(application=application).delete()
    chair = panel["members"]["chair"]
    now = timezone.now()
    submitted_sheet(application, chair, panel["criteria"], 1, now).save()
    others = django_user_model.objects.bulk_create(
        django_user_model(username=f"other-{number}", first_name="Other", last_name=f"Member {number}")
        for number in range(20)
    )
    client.force_login(chair if viewer == "chair" else panel["publisher"])
    url = f"/admin/applications/{application.pk}/score/"

    add_other_sheets(application, panel["criteria"], others[:1], now)
    small = measure(client, [url])
    add_other_sheets(application, panel["criteria"], others[1:], now)
    large = measure(client, [url])

    assert_same_queries(small, large, "1 other sheet vs 20")
    html = large[url][2].decode()
    assert html.count("Other Member") >= 20
    if viewer == "chair":
        assert html.count("as a draft</button>") == 20  # the chair may return each of the others' sheets
