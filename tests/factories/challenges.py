import datetime
import itertools

import wagtail_factories
from django.utils import timezone

from challenges.models import ChallengeIndexPage, ChallengePage, KeyDateKind


class ChallengeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ChallengeIndexPage

    title = "Challenges"
    slug = "challenges"


_counter = itertools.count(1)


def build_challenge(*, opens=-10, closes=20, stint_start=None, stint_end=None, info_session=None, **fields):
    """An unsaved challenge whose key dates are `days` from now (or datetimes), its milestone dates
    filled in from them as saving would (tests/factories/bulk.py inserts pages without save())."""

    def moment(value):
        if value is None or isinstance(value, datetime.datetime):
            return value
        return timezone.now() + datetime.timedelta(days=value)

    sequence = next(_counter)
    defaults = {
        "title": f"Challenge number {sequence}",
        "slug": f"challenge-{sequence}",
        "summary": "Help the City solve a service problem.",
        "problem_statement": "<p>Residents wait too long.</p>",
    }
    challenge = ChallengePage(**{**defaults, **fields})
    for kind, value in [
        (KeyDateKind.OPENS, opens),
        (KeyDateKind.INFO_SESSION, info_session),
        (KeyDateKind.CLOSES, closes),
        (KeyDateKind.STINT_START, stint_start),
        (KeyDateKind.STINT_END, stint_end),
    ]:
        if moment(value) is not None:
            challenge.key_dates.add(challenge.key_dates.model(kind=kind, starts_at=moment(value)))
    challenge.refresh_milestones()
    return challenge


def make_challenge(parent, *, publish=True, **options) -> ChallengePage:
    """A challenge under `parent` (see `build_challenge` for the options), published."""
    challenge = build_challenge(**options)
    parent.add_child(instance=challenge)
    if publish:
        challenge.save_revision().publish()
        challenge.refresh_from_db()
    return challenge
