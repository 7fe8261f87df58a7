"""The database filters agree with the pure status function for any dates and any moment."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from challenges.models import ChallengePage
from challenges.queries import status_q
from challenges.status import Milestones, Status, closing_soon_from, compute_status
from tests.factories import ChallengeIndexPageFactory, make_challenge

BASE = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
hours = st.one_of(st.none(), st.integers(min_value=-400 * 24, max_value=400 * 24))


def moment(offset):
    return None if offset is None else BASE + datetime.timedelta(hours=offset)


@pytest.fixture
def challenge(site_tree):
    return make_challenge(ChallengeIndexPageFactory(parent=site_tree.home))


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opens=hours, closes=hours, stint=hours, ends=hours, now_offset=st.integers(-500 * 24, 500 * 24))
def test_status_filters_select_exactly_the_computed_status(challenge, opens, closes, stint, ends, now_offset):
    milestones = Milestones(moment(opens), moment(closes), moment(stint), moment(ends))
    ChallengePage.objects.filter(pk=challenge.pk).update(
        opens_at=milestones.opens_at,
        closes_at=milestones.closes_at,
        closing_soon_at=closing_soon_from(milestones.closes_at) if milestones.closes_at else None,
        stint_starts_at=milestones.stint_starts_at,
        stint_ends_at=milestones.stint_ends_at,
    )
    now = moment(now_offset)
    matching = [
        status for status in Status if ChallengePage.objects.filter(status_q(status, now), pk=challenge.pk).exists()
    ]
    assert matching == [compute_status(milestones, now)]
