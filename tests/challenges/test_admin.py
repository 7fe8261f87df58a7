"""Editors get clear errors for impossible key dates, and the status follows the saved dates."""

import datetime

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from challenges.models import ChallengePage
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


def challenge_form(key_dates: list[dict], initial_key_dates: int = 0, **overrides) -> dict:
    """The whole add/edit form of a challenge page, publishing; `initial_key_dates` of the key dates are
    existing ones (edited, with their ids)."""
    data = {
        "title": "Shorter waits at service counters",
        "slug": "shorter-waits",
        "summary": "Help counters serve residents faster.",
        "problem_statement": rich_text("<p>Residents wait an hour.</p>"),
        "who_is_affected": rich_text(""),
        "success_looks_like": rich_text(""),
        "eligibility": rich_text(""),
        "procurement_path": rich_text(""),
        "how_to_apply": rich_text(""),
        "outcome_summary": rich_text(""),
        "partners": streamfield([]),
        "evaluation_criteria": streamfield([]),
        "resources": streamfield([]),
        "faq": streamfield([]),
        "council_reports": streamfield([]),
        "stint_length_weeks": "16",
        "retention_months": "24",
        "questions": inline_formset([]),
        "key_dates": inline_formset(key_dates, initial=initial_key_dates, min=1),
        "announcements": inline_formset([]),
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(challenge_index) -> str:
    return f"/admin/pages/add/challenges/challengepage/{challenge_index.pk}/"


def test_a_challenge_without_a_deadline_is_refused_with_a_message(superuser_client, challenge_index):
    response = superuser_client.post(
        add_url(challenge_index), challenge_form([{"kind": "opens", "starts_at": "2030-01-05 09:00"}])
    )
    assert response.status_code == 200
    assert "Add the application deadline to the key dates." in response.content.decode()
    assert not ChallengePage.objects.exists()


def test_key_dates_out_of_order_are_refused(superuser_client, challenge_index):
    dates = [{"kind": "opens", "starts_at": "2030-03-01 09:00"}, {"kind": "closes", "starts_at": "2030-02-01 17:00"}]
    response = superuser_client.post(add_url(challenge_index), challenge_form(dates))
    assert "Key dates are out of order" in response.content.decode()
    assert not ChallengePage.objects.exists()


def test_a_milestone_cannot_appear_twice(superuser_client, challenge_index):
    dates = [{"kind": "closes", "starts_at": "2030-02-01 17:00"}, {"kind": "closes", "starts_at": "2030-03-01 17:00"}]
    response = superuser_client.post(add_url(challenge_index), challenge_form(dates))
    assert "appears twice" in response.content.decode()
    assert not ChallengePage.objects.exists()


def test_a_valid_challenge_is_published_with_its_milestones_in_toronto_time(superuser_client, challenge_index):
    dates = [
        {"kind": "opens", "starts_at": "2030-01-05 09:00"},
        {"kind": "info-session", "starts_at": "2030-01-10 12:00", "ends_at": "2030-01-10 13:00"},
        {"kind": "closes", "starts_at": "2030-02-01 17:00"},
        {"kind": "stint-start", "starts_at": "2030-03-04 09:00"},
    ]
    response = superuser_client.post(add_url(challenge_index), challenge_form(dates))
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = ChallengePage.objects.get(slug="shorter-waits")
    assert challenge.live
    assert challenge.closes_at.isoformat() == "2030-02-01T22:00:00+00:00"  # 5 p.m. EST
    assert challenge.stint_ends_at.isoformat() == "2030-06-24T13:00:00+00:00"  # 16 weeks later, 9 a.m. EDT


def test_stint_end_keeps_the_wall_clock_time_across_a_dst_change_whatever_the_stored_zone(challenge_index):
    start_utc = datetime.datetime(2030, 3, 4, 14, tzinfo=datetime.UTC)  # 9 a.m. EST
    challenge = make_challenge(
        challenge_index,
        opens=start_utc - datetime.timedelta(days=60),
        closes=start_utc - datetime.timedelta(days=30),
        stint_start=start_utc,
    )
    assert challenge.stint_ends_at.isoformat() == "2030-06-24T13:00:00+00:00"  # 9 a.m. EDT
