"""The rules of a completed challenge's outcome that the results hub counts (pure functions, with
unit tests in tests/challenges/test_results_hub.py).

Teams engaged: every non-blank line of a challenge's "selected teams" is one team, so two challenges
with the same team count it twice (a team engaged twice). `ChallengePage.save` stores the field
normalised (`normalised_teams`: each line trimmed, blank lines dropped), so the database can count
the lines in the same aggregate query as the other figures (`team_count_expression`)."""

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Length, Replace

PROCURED = "procured"


def team_names(text: str) -> list[str]:
    """The teams of a "selected teams" field: one per non-blank line, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def normalised_teams(text: str) -> str:
    """The field as stored: one team per line, no blank line, no spaces around a name."""
    return "\n".join(team_names(text))


def team_count_expression():
    """The number of teams of a row whose field is normalised: its line breaks plus one, none when
    empty (the same as len(team_names(...)) for a normalised field)."""
    lines = Length(F("selected_teams")) - Length(Replace(F("selected_teams"), Value("\n"), Value(""))) + Value(1)
    return Case(When(selected_teams="", then=Value(0)), default=lines, output_field=IntegerField())
