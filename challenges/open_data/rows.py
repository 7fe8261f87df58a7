"""The rows of the challenges' open data: one pure function, `challenge_row`, turns a challenge's
facts into a row (column name -> value) that both files spell out; `rows_for` reads the facts of
every live, public challenge of a language in a fixed number of queries."""

import datetime
import decimal
from dataclasses import dataclass

from django.apps import apps

from challenges.open_data.dictionary import COLUMN_NAMES, DATE_COLUMNS, toronto_iso
from challenges.status import Status
from site_core.listings.queries import live_in_locale
from site_core.text.plain import plain_text


@dataclass(frozen=True)
class ChallengeFacts:
    """What a row is made of, read from a challenge page (see `facts_for`)."""

    id: int
    title: str
    url: str
    language: str
    status: Status
    division: str
    topics: tuple[str, ...]
    key_dates: tuple[tuple[str, datetime.datetime], ...]  # (kind, starts_at), any order
    stint_length_weeks: int
    award_value: str
    award_amount: decimal.Decimal | None
    procurement_path: str  # rich text (HTML)
    outcome: str  # rich text (HTML)
    selected_teams: str  # one team per line
    procurement_outcome: str
    last_updated: datetime.datetime | None


def challenge_row(facts: ChallengeFacts) -> dict:
    """One challenge as a row: column name -> value (text, whole number, list of texts or None)."""
    first = {}
    for kind, starts_at in sorted(facts.key_dates, key=lambda key_date: key_date[1]):
        first.setdefault(kind, starts_at)
    amount = facts.award_amount
    row = {
        "id": facts.id,
        "title": facts.title,
        "url": facts.url,
        "language": facts.language,
        "status": str(facts.status),
        "division": facts.division or None,
        "topics": list(facts.topics),
        **{column: toronto_iso(first.get(kind)) for column, kind in DATE_COLUMNS.items()},
        "stint_length_weeks": facts.stint_length_weeks,
        "award_value": facts.award_value or None,
        "award_amount_cad": None if amount is None else str(decimal.Decimal(amount).quantize(decimal.Decimal("0.01"))),
        "procurement_path": plain_text(facts.procurement_path) or None,
        "outcome": plain_text(facts.outcome) or None,
        "selected_teams": [team.strip() for team in facts.selected_teams.splitlines() if team.strip()],
        "procurement_outcome": facts.procurement_outcome or None,
        "last_updated": toronto_iso(facts.last_updated),
    }
    return {name: row[name] for name in COLUMN_NAMES}


# --- reading the pages --------------------------------------------------------------------------


def open_data_challenges(locale_id):
    """Every live, public challenge of one language, with what the rows need, oldest first. (The
    model from the app registry: the index page routes here, so this module does not import it.)"""
    return (
        live_in_locale(apps.get_model("challenges", "ChallengePage"), locale_id)
        .select_related("division")
        .prefetch_related("topics", "key_dates")
        .order_by("pk")
    )


def facts_for(challenge, url: str, language: str, now: datetime.datetime) -> ChallengeFacts:
    return ChallengeFacts(
        id=challenge.pk,
        title=challenge.title,
        url=url,
        language=language,
        status=challenge.status_at(now),
        division=challenge.division.name if challenge.division else "",
        topics=tuple(sorted(topic.name for topic in challenge.topics.all())),
        key_dates=tuple((key_date.kind, key_date.starts_at) for key_date in challenge.key_dates.all()),
        stint_length_weeks=challenge.stint_length_weeks,
        award_value=challenge.award_value,
        award_amount=challenge.award_amount,
        procurement_path=challenge.procurement_path,
        outcome=challenge.outcome_summary,
        selected_teams=challenge.selected_teams,
        procurement_outcome=challenge.procurement_outcome,
        last_updated=challenge.last_published_at,
    )


def rows_for(index, request, now: datetime.datetime) -> list[dict]:
    """The rows of every live, public challenge in the language of `index` (a ChallengeIndexPage)."""
    language = index.locale.language_code
    return [
        challenge_row(facts_for(challenge, challenge.get_full_url(request), language, now))
        for challenge in open_data_challenges(index.locale_id)
    ]
