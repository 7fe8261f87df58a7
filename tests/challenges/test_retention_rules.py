"""Every application is deleted on a documented period (docs/operations.md, "Retention"): decided and
withdrawn ones their challenge's period after the decision or withdrawal, held ones nobody cleared
APPLICATION_HELD_RETENTION_DAYS after the deadline, undecided ones APPLICATION_UNDECIDED_RETENTION_MONTHS
after it. The rule (challenges/rules.application_retention) first, then the daily purge that applies it."""

import datetime
import io
import os

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone
from wagtail.models import ModelLogEntry

from challenges.management.commands import purge_applications
from challenges.models import ApplicantLink, Application, ApplicationStatus, ApplicationVersion
from challenges.models.applications import DECIDED
from challenges.rules import (
    DECIDED_STATUSES,
    RETENTION_DECIDED,
    RETENTION_HELD,
    RETENTION_UNDECIDED,
    RETENTION_WITHDRAWN,
    WITHDRAWN_STATUS,
    application_retention,
)
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import PDF_BYTES, stored_application
from tests.factories import make_challenge

UTC = datetime.UTC
DEADLINE = datetime.datetime(2026, 3, 31, 21, 0, tzinfo=UTC)  # 17:00 in Toronto
RECEIVED = datetime.datetime(2026, 3, 2, 15, 30, tzinfo=UTC)


def rule(status="received", held=False, decided_at=None, withdrawn_at=None, closes_at=DEADLINE, months=18):
    return application_retention(
        status=status,
        held=held,
        submitted_at=RECEIVED,
        decided_at=decided_at,
        withdrawn_at=withdrawn_at,
        closes_at=closes_at,
        retention_months=months,
        held_days=90,
        undecided_months=24,
    )


# The rule


@pytest.mark.parametrize("status", ["selected", "declined"])
def test_a_decision_is_kept_the_challenges_months_after_it(status):
    decided = datetime.datetime(2026, 5, 31, 14, 0, tzinfo=UTC)
    kept = rule(status, decided_at=decided)
    assert kept.rule == RETENTION_DECIDED
    assert kept.starts_at == decided
    assert kept.kept_until == datetime.datetime(2027, 11, 30, 14, 0, tzinfo=UTC)  # 18 calendar months, month-end
    assert not kept.expired(kept.kept_until - datetime.timedelta(seconds=1))
    assert kept.expired(kept.kept_until)


def test_a_decision_on_a_held_application_is_kept_as_a_decision():
    """A reviewer who decided on it looked at it: the short period of unchecked holds does not apply."""
    decided = datetime.datetime(2026, 5, 1, tzinfo=UTC)
    kept = rule("declined", held=True, decided_at=decided)
    assert (kept.rule, kept.kept_until) == (RETENTION_DECIDED, datetime.datetime(2027, 11, 1, tzinfo=UTC))


def test_a_withdrawal_is_kept_the_challenges_months_after_it_not_after_the_deadline():
    withdrawn = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    kept = rule(WITHDRAWN_STATUS, withdrawn_at=withdrawn, held=True)
    assert (kept.rule, kept.starts_at) == (RETENTION_WITHDRAWN, withdrawn)
    assert kept.kept_until == datetime.datetime(2027, 9, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", ["selected", "declined", "withdrawn"])
def test_a_status_without_its_date_counts_from_the_deadline(status):
    kept = rule(status)
    assert kept.starts_at == DEADLINE
    assert kept.kept_until == datetime.datetime(2027, 9, 30, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", ["received", "under-review", "shortlisted"])
def test_a_hold_nobody_cleared_is_kept_ninety_days_after_the_deadline(status):
    kept = rule(status, held=True)
    assert (kept.rule, kept.starts_at) == (RETENTION_HELD, DEADLINE)
    assert kept.kept_until == datetime.datetime(2026, 6, 29, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", ["received", "under-review", "shortlisted"])
def test_an_undecided_application_is_kept_its_own_months_after_the_deadline_whatever_the_challenges(status):
    for months in (12, 18, 60):
        kept = rule(status, months=months)
        assert (kept.rule, kept.starts_at) == (RETENTION_UNDECIDED, DEADLINE)
        assert kept.kept_until == datetime.datetime(2028, 3, 31, 21, 0, tzinfo=UTC)


def test_without_a_deadline_the_clock_starts_when_it_was_received():
    assert rule(closes_at=None).kept_until == datetime.datetime(2028, 3, 2, 15, 30, tzinfo=UTC)
    assert rule(held=True, closes_at=None).kept_until == RECEIVED + datetime.timedelta(days=90)
    assert rule("selected", closes_at=None).kept_until == datetime.datetime(2027, 9, 2, 15, 30, tzinfo=UTC)


def test_the_rule_knows_every_status():
    """The rule names statuses as text; they must be the model's, and every status has one rule."""
    assert {str(status) for status in DECIDED} == DECIDED_STATUSES
    assert ApplicationStatus.WITHDRAWN == WITHDRAWN_STATUS
    undecided = set(ApplicationStatus.values) - DECIDED_STATUSES - {WITHDRAWN_STATUS}
    assert undecided == {"received", "under-review", "shortlisted"}


def test_the_documented_defaults(settings):
    from site_core.settings import base

    assert (base.APPLICATION_HELD_RETENTION_DAYS, base.APPLICATION_UNDECIDED_RETENTION_MONTHS) == (90, 24)
    assert settings.APPLICATION_HELD_RETENTION_DAYS == 90
    assert settings.APPLICATION_UNDECIDED_RETENTION_MONTHS == 24


# The daily purge


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_applications", *args, stdout=out)
    return out.getvalue()


def purge_entry(application) -> dict:
    entry = ModelLogEntry.objects.get(action="cio.application.purge", object_id=str(application.pk))
    assert entry.label == application.reference  # not the organisation's name: the entry outlives the data
    return entry.data


@pytest.fixture
def now(clock_stands_still):
    return timezone.now()


def challenge_closed_at(challenge_index, closes_at, **fields):
    return make_challenge(challenge_index, opens=closes_at - datetime.timedelta(days=60), closes=closes_at, **fields)


@pytest.mark.django_db
def test_a_hold_nobody_cleared_goes_ninety_days_after_the_deadline_with_its_file(challenge_index, now):
    gone = stored_application(
        challenge_closed_at(challenge_index, now - datetime.timedelta(days=90)), is_spam=True, spam_reason="honeypot"
    )
    not_yet = stored_application(
        challenge_closed_at(challenge_index, now - datetime.timedelta(days=90) + datetime.timedelta(minutes=1)),
        is_spam=True,
    )
    cleared = stored_application(challenge_closed_at(challenge_index, now - datetime.timedelta(days=400)))
    gone_file = gone.attachment.path

    assert "deleted 1 application(s): 1 held" in purge()
    assert set(Application.objects.values_list("pk", flat=True)) == {not_yet.pk, cleared.pk}
    assert not os.path.exists(gone_file)
    entry = purge_entry(gone)
    assert entry["rule"] == RETENTION_HELD
    assert entry["reference"] == gone.reference
    assert entry["kept_until"] == now.isoformat()


@pytest.mark.django_db
def test_undecided_applications_go_their_own_months_after_the_deadline(challenge_index, now):
    deadline = now - relativedelta(months=24)
    # A long challenge period and a stint long after the deadline change nothing for an undecided one.
    long_kept = challenge_closed_at(
        challenge_index, deadline, stint_start=now - datetime.timedelta(days=30), retention_months=60
    )
    gone = [stored_application(long_kept, status=status) for status in ("received", "under-review", "shortlisted")]
    later = challenge_closed_at(challenge_index, deadline + datetime.timedelta(minutes=1))
    not_yet = stored_application(later, status="shortlisted")

    assert "deleted 3 application(s): 3 undecided" in purge()
    assert list(Application.objects.values_list("pk", flat=True)) == [not_yet.pk]
    assert {purge_entry(application)["rule"] for application in gone} == {RETENTION_UNDECIDED}


@pytest.mark.django_db
def test_withdrawn_applications_go_the_challenges_months_after_the_withdrawal(challenge_index, now):
    """Counted from the deadline (the rule before), neither would go yet."""
    challenge = challenge_closed_at(challenge_index, now - datetime.timedelta(days=200), retention_months=12)
    gone = stored_application(challenge, status="withdrawn", withdrawn_at=now - relativedelta(months=12))
    not_yet = stored_application(
        challenge, status="withdrawn", withdrawn_at=now - relativedelta(months=12) + datetime.timedelta(minutes=1)
    )

    assert "deleted 1 application(s): 1 withdrawn" in purge()
    assert list(Application.objects.values_list("pk", flat=True)) == [not_yet.pk]
    assert purge_entry(gone)["rule"] == RETENTION_WITHDRAWN


@pytest.mark.django_db
def test_everything_attached_to_an_application_goes_with_it(challenge_index, now):
    challenge = challenge_closed_at(challenge_index, now - datetime.timedelta(days=91))
    application = stored_application(challenge, is_spam=True)
    ApplicantLink.create_for(application=application)
    version = ApplicationVersion(application=application, number=1, saved_at=now, changed=["x"])
    version.attachment.save("v.pdf", ContentFile(PDF_BYTES), save=False)
    version.save()
    application.emails.create(kind="applicant-confirmation", to=application.email)
    files = [application.attachment.path, version.attachment.path]

    purge()
    assert not Application.objects.exists()
    assert not ApplicantLink.objects.exists()
    assert not ApplicationVersion.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not any(os.path.exists(path) for path in files)


def test_every_row_that_points_to_an_application_is_deleted_with_it():
    """Score sheets, conflict declarations and whatever else records something about one application
    must go with it, or the purge would leave personal data behind (or, with PROTECT, stop)."""
    relations = [
        relation
        for relation in Application._meta.related_objects
        if not relation.many_to_many and relation.field.model is not Application
    ]
    assert relations
    for relation in relations:
        assert relation.on_delete is models.CASCADE, f"{relation.related_model.__name__}.{relation.field.name}"


@pytest.mark.django_db
def test_dry_run_names_each_application_and_its_rule_and_deletes_nothing(challenge_index, now):
    held = stored_application(challenge_closed_at(challenge_index, now - datetime.timedelta(days=100)), is_spam=True)
    out = purge("--dry-run")
    assert f"would delete {held.reference} (held, kept until " in out
    assert "would delete 1 application(s): 1 held" in out
    assert Application.objects.filter(pk=held.pk).exists()
    assert not ModelLogEntry.objects.filter(action="cio.application.purge").exists()


@pytest.mark.django_db
def test_the_purge_reads_in_chunks_and_misses_none_while_deleting(challenge_index, now, monkeypatch):
    monkeypatch.setattr(purge_applications, "CHUNK_SIZE", 2)
    old = challenge_closed_at(challenge_index, now - datetime.timedelta(days=100))
    recent = challenge_closed_at(challenge_index, now - datetime.timedelta(days=10))
    kept = []
    for number in range(7):
        stored_application(old, is_spam=True)
        if number % 2:
            kept.append(stored_application(recent, is_spam=True).pk)
    assert "deleted 7 application(s): 7 held" in purge()
    assert sorted(Application.objects.values_list("pk", flat=True)) == kept


@pytest.mark.django_db
def test_an_application_decided_or_cleared_since_it_was_read_stays(challenge_index, now):
    challenge = challenge_closed_at(challenge_index, now - datetime.timedelta(days=100))
    cleared = stored_application(challenge, is_spam=True)
    decided = stored_application(challenge, is_spam=True)
    command = purge_applications.Command()
    command.prepare()
    found = [pk for pk, _reference, _kept in command.expired()]
    assert found == [cleared.pk, decided.pk]
    Application.objects.filter(pk=cleared.pk).update(is_spam=False)
    Application.objects.filter(pk=decided.pk).update(status="declined", decided_at=now)
    assert [command.delete(pk) for pk in found] == [None, None]
    assert Application.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("held_days", "undecided_months"), [(29, 24), (90, 11), (0, 0)], ids=["held", "undecided", "both"]
)
def test_periods_too_short_to_allow_a_review_stop_the_purge(
    challenge_index, now, settings, held_days, undecided_months
):
    settings.APPLICATION_HELD_RETENTION_DAYS = held_days
    settings.APPLICATION_UNDECIDED_RETENTION_MONTHS = undecided_months
    stored_application(challenge_closed_at(challenge_index, now - datetime.timedelta(days=1)))
    with pytest.raises(CommandError, match="nothing deleted"):
        purge()
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_periods_follow_the_settings(challenge_index, now, settings):
    settings.APPLICATION_HELD_RETENTION_DAYS = 30
    settings.APPLICATION_UNDECIDED_RETENTION_MONTHS = 12
    challenge = challenge_closed_at(challenge_index, now - relativedelta(months=12))
    stored_application(challenge, is_spam=True)
    stored_application(challenge)
    assert "deleted 2 application(s): 1 held, 1 undecided" in purge()
