"""The panel's table of one challenge (issue 20): each application with each panel member's submitted
total, the mean, the spread (a disagreement above settings.SCORE_SPREAD_THRESHOLD), the rank and the
status; and the rows of its CSV/XLSX export. A fixed number of queries whatever the number of
applications (challenges/scoring.py computes; this module reads).

What a chair sees: every application of the challenge that is not held for a check; a chair on the
panel, less those they declared a conflict with. A chair who scores too sees the panel's scores of
an application only once their own sheet for it is submitted (no anchoring). A sheet counts once
submitted, and only from a current panel member without a conflict with the application."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from challenges import scoring
from challenges.models import Application, ApplicationStatus, Conflict, PanelMember, ScoreSheet
from challenges.panels import readable_applications

SORTS = {
    "rank": lambda row: (row.shown_rank is None, row.shown_rank or 0, row.application.pk),
    "-mean": lambda row: (row.shown_mean is None, -(row.shown_mean or 0), row.application.pk),
    "-spread": lambda row: (row.shown_spread is None, -(row.shown_spread or 0), row.application.pk),
    "reference": lambda row: row.application.pk,
    "organisation": lambda row: (row.application.organisation_name.casefold(), row.application.pk),
    "status": lambda row: (row.application.status, row.application.pk),
}


@dataclass
class Row:
    application: Application
    totals: dict = field(default_factory=dict)  # {member user id: Decimal (submitted) | "draft" | None}
    sheet_scores: list = field(default_factory=list)  # the submitted sheets' scores, for criterion means
    conflicted: set = field(default_factory=set)  # member user ids with a declared conflict
    hidden: bool = False  # the viewer scores it and has not submitted their sheet
    mean: Decimal | None = None
    spread: Decimal | None = None
    disagreement: bool = False
    rank: int | None = None
    criterion_means: dict = field(default_factory=dict)

    # What the viewer may see (nothing of the panel's scores while the row is hidden from them).
    @property
    def shown_rank(self) -> int | None:
        return None if self.hidden else self.rank

    @property
    def shown_mean(self) -> Decimal | None:
        return None if self.hidden else self.mean

    @property
    def shown_spread(self) -> Decimal | None:
        return None if self.hidden else self.spread

    @property
    def submitted(self) -> int:
        return sum(1 for total in self.totals.values() if isinstance(total, Decimal))


@dataclass
class Table:
    members: list  # PanelMember with user, in the panel's order
    criteria: list
    rows: list
    held: int  # applications held for a check, not in the table
    threshold: Decimal


def applications_for(user, challenge, publisher: bool):
    base = Application.objects.filter(challenge__translation_key=challenge.translation_key)
    if not publisher:
        base = readable_applications(user, base)
    return base


SHEET_CHUNK_SIZE = 2000


def build(user, challenge, publisher: bool, only: int | None = None) -> Table:
    """Every row of the challenge's table (unsorted, unfiltered), or only the row of the application
    `only` (its rank then means nothing: it is ranked alone). Five queries."""
    members = list(
        PanelMember.objects.filter(challenge__translation_key=challenge.translation_key)
        .select_related("user")
        .order_by("-is_chair", "user__last_name", "user__first_name", "user__username")
    )
    member_ids = {member.user_id for member in members}
    base = applications_for(user, challenge, publisher)
    if only is not None:
        base = base.filter(pk=only)
    applications = list(
        base.filter(is_spam=False)
        .only(
            "pk",
            "reference",
            "organisation_name",
            "status",
            "decided_at",
            "decision_reason",
            "submitted_at",
            "challenge_id",
            "is_spam",
            "publish_consent",
        )
        .order_by("pk")
    )
    held = base.filter(is_spam=True).count()
    rows = {application.pk: Row(application) for application in applications}
    conflicts = Conflict.objects.filter(
        application__challenge__translation_key=challenge.translation_key, user_id__in=member_ids
    ).values_list("application_id", "user_id")
    for application_id, user_id in conflicts:
        if application_id in rows:
            rows[application_id].conflicted.add(user_id)
    sheets = ScoreSheet.objects.filter(
        application__challenge__translation_key=challenge.translation_key, reviewer_id__in=member_ids
    ).values_list("application_id", "reviewer_id", "total", "submitted_at", "scores")
    if only is not None:
        sheets = sheets.filter(application_id=only)
    # A chunk at a time (a server-side cursor on PostgreSQL), keeping only the scores of each sheet,
    # not its comments: the memory of a 5,000-application export stays small.
    for application_id, reviewer_id, total, submitted_at, scores in sheets.iterator(chunk_size=SHEET_CHUNK_SIZE):
        row = rows.get(application_id)
        if row is None or reviewer_id in row.conflicted:
            continue
        if submitted_at is not None and total is not None:
            row.totals[reviewer_id] = total
            row.sheet_scores.append(
                {key: {"score": entry.get("score")} for key, entry in scores.items() if isinstance(entry, dict)}
            )
        else:
            row.totals[reviewer_id] = "draft"
    criteria = scoring.criteria_of(challenge)
    threshold = Decimal(str(settings.SCORE_SPREAD_THRESHOLD))
    scores_by_row = {}
    for row in rows.values():
        totals = [total for total in row.totals.values() if isinstance(total, Decimal)]
        row.mean = scoring.mean(totals)
        row.spread = scoring.spread(totals)
        row.disagreement = scoring.disagrees(totals, threshold)
        row.criterion_means = scoring.criterion_means(criteria, row.sheet_scores)
        if row.application.status != ApplicationStatus.WITHDRAWN:
            scores_by_row[row.application.pk] = row.mean
        if user.pk in member_ids and user.pk not in row.conflicted and not isinstance(row.totals.get(user.pk), Decimal):
            row.hidden = True
    for pk, rank in scoring.ranks(scores_by_row).items():
        rows[pk].rank = rank
    return Table(members, criteria, list(rows.values()), held, threshold)


def select(rows: list, status: str = "", disagreement: bool = False, incomplete_of: int | None = None) -> list:
    """The rows a filter keeps (a hidden row never counts as a disagreement)."""
    kept = rows
    if status:
        kept = [row for row in kept if row.application.status == status]
    if disagreement:
        kept = [row for row in kept if row.disagreement and not row.hidden]
    if incomplete_of is not None:
        kept = [row for row in kept if row.submitted < incomplete_of - len(row.conflicted)]
    return kept


def order(rows: list, sort: str) -> list:
    key = SORTS.get(sort, SORTS["rank"])
    return sorted(rows, key=key)
