"""Applications are deleted once their retention period has passed; a challenge cannot be
published while its form would lack the notice of collection."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from challenges.models import Application, ChallengePage
from tests.challenges.application_helpers import stored_application
from tests.challenges.test_admin import add_url, challenge_form
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


def decided_application(challenge, status="received", decided_days_ago=None) -> Application:
    application = stored_application(challenge, status=status)
    if decided_days_ago is not None:
        Application.objects.filter(pk=application.pk).update(
            decided_at=timezone.now() - datetime.timedelta(days=decided_days_ago)
        )
    return application


def test_purge_deletes_only_applications_past_their_retention_with_their_files(challenge_index):
    challenge = make_challenge(challenge_index, opens=-900, closes=-800, stint_start=-700, retention_months=12)
    expired = decided_application(challenge, status="declined", decided_days_ago=400)
    recent = decided_application(challenge, status="selected", decided_days_ago=100)
    expired_file = expired.attachment.path
    call_command("purge_applications", stdout=io.StringIO())
    assert list(Application.objects.values_list("pk", flat=True)) == [recent.pk]
    with pytest.raises(FileNotFoundError):
        open(expired_file, "rb")  # noqa: SIM115
    assert ModelLogEntry.objects.filter(action="cio.application.purge", object_id=str(expired.pk)).exists()


def test_undecided_applications_count_from_the_deadline(challenge_index):
    challenge = make_challenge(challenge_index, opens=-900, closes=-800, stint_start=-700, retention_months=12)
    decided_application(challenge)
    call_command("purge_applications", stdout=io.StringIO())
    assert not Application.objects.exists()


def test_dry_run_deletes_nothing(challenge_index):
    challenge = make_challenge(challenge_index, opens=-900, closes=-800, stint_start=-700, retention_months=12)
    decided_application(challenge, status="declined", decided_days_ago=400)
    out = io.StringIO()
    call_command("purge_applications", "--dry-run", stdout=out)
    assert Application.objects.count() == 1
    assert "would delete 1" in out.getvalue()


def test_a_challenge_cannot_be_published_without_the_notice_of_collection(
    superuser_client, challenge_index, privacy_notice
):
    dates = [{"kind": "opens", "starts_at": "2030-01-05 09:00"}, {"kind": "closes", "starts_at": "2030-02-01 17:00"}]
    privacy_notice.privacy_officer_title = ""
    privacy_notice.save()
    response = superuser_client.post(add_url(challenge_index), challenge_form(dates))
    assert "no complete notice of collection" in response.content.decode()
    assert not ChallengePage.objects.filter(slug="shorter-waits").exists()


def test_a_draft_can_be_saved_without_the_notice_of_collection(superuser_client, challenge_index):
    dates = [{"kind": "closes", "starts_at": "2030-02-01 17:00"}]
    data = challenge_form(dates)
    del data["action-publish"]
    response = superuser_client.post(add_url(challenge_index), data)
    assert response.status_code == 302
    assert not ChallengePage.objects.get(slug="shorter-waits").live


def test_purge_deletes_unsent_drafts_of_closed_calls_expired_kept_files_and_earlier_versions(challenge_index):
    import os

    from django.core.files.base import ContentFile

    from challenges import uploads
    from challenges.models import ApplicationDraft, ApplicationVersion, PendingUpload
    from tests.challenges.application_helpers import PDF_BYTES

    def kept(expires_in_days):
        pending = PendingUpload(name="p.pdf", size=len(PDF_BYTES))
        pending.expires_at = timezone.now() + datetime.timedelta(days=expires_in_days)
        pending.file.save("p.pdf", ContentFile(PDF_BYTES), save=False)
        pending.save()
        return pending

    closed_long_ago = make_challenge(challenge_index, opens=-60, closes=-8)
    closed_yesterday = make_challenge(challenge_index, opens=-60, closes=-1)
    old_draft = ApplicationDraft.objects.create(challenge=closed_long_ago, email="a@example.ca", upload=kept(30))
    old_file = old_draft.upload.file.path
    recent_draft = ApplicationDraft.objects.create(challenge=closed_yesterday, email="b@example.ca")
    expired, fresh = kept(-1), kept(1)
    expired_file = expired.file.path

    challenge = make_challenge(challenge_index, opens=-900, closes=-800, stint_start=-700, retention_months=12)
    application = decided_application(challenge, status="declined", decided_days_ago=400)
    version = ApplicationVersion(application=application, number=1, saved_at=timezone.now(), changed=["x"])
    version.attachment.save("v.pdf", ContentFile(PDF_BYTES), save=False)
    version.save()
    version_file = version.attachment.path

    out = io.StringIO()
    call_command("purge_applications", stdout=out)
    assert "deleted 1 unsent draft(s) of closed calls and 1 expired kept file(s)" in out.getvalue()
    assert list(ApplicationDraft.objects.values_list("pk", flat=True)) == [recent_draft.pk]
    assert set(PendingUpload.objects.values_list("pk", flat=True)) == {fresh.pk}
    for path in (old_file, expired_file, version_file):
        assert not os.path.exists(path), path
    assert uploads.find(uploads.reference(fresh)) == fresh
