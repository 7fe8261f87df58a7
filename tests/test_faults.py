"""The site's parts fail: PostgreSQL, Redis, the disk. Each fault gives a clear answer and loses or
half-stores nothing. (An SMTP outage: tests/challenges/test_apply.py; the static 503 page for GETs:
tests/site_core/test_healthz.py; many applications at once: tests/test_load_applications.py.)"""

import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

from challenges.models import Application
from site_core.models import OutgoingEmail
from site_core.services.storage import PrivateFileSystemStorage
from site_core.settings.base import redis_caches
from tests.challenges.application_helpers import PDF_BYTES, application_data, pdf
from tests.challenges.conftest import challenge_index, privacy_notice  # noqa: F401 -- fixtures
from tests.factories import NewsReleasePageFactory, make_challenge
from tests.site_core.test_healthz import request_with_database_down

UNREACHABLE_REDIS = redis_caches("redis://127.0.0.1:1/0")  # the production cache settings, no server


@pytest.fixture
def open_challenge(challenge_index):  # noqa: F811 -- the fixture imported above
    cache.clear()  # rate limits of earlier tests
    return make_challenge(challenge_index, title="Track 311 requests", opens=-5, closes=20)


def apply(client, challenge, **overrides):
    return client.post(challenge.url + "apply/", application_data(challenge, **overrides))


def test_an_application_posted_while_postgresql_is_down_is_told_it_was_not_received():
    form = {"organisation_name": "Civic Widgets Inc.", "contact_name": "Alex"}
    answer = request_with_database_down("/en/challenges/track-311-requests/apply/", "post", form)
    assert answer["status"] == 503
    assert answer["retry_after"] == "60"
    assert "If you were sending an application, it was NOT received" in answer["body"]
    assert "Traceback" not in answer["body"] and "OperationalError" not in answer["body"]


@pytest.mark.django_db
def test_with_redis_down_public_pages_and_applications_keep_working(
    client, settings, site_tree, open_challenge, caplog
):
    settings.CACHES = UNREACHABLE_REDIS
    settings.PAGE_CACHE_ENABLED = True  # as in production: the page cache is tried first
    # Limits that one post, or one stored application, would reach if they could count.
    settings.APPLICATION_POST_RATE_LIMIT = "1/h"
    settings.APPLICATION_RATE_LIMIT = "1/h"
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Cache outage notice", slug="outage")
    for path in ("/en/", "/en/challenges/", "/en/news/", release.url, open_challenge.url, "/en/search/?q=outage"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.get("X-Page-Cache") != "hit"
    # The failure is logged once, and Redis is skipped for the cool-down instead of being asked again
    # (site_core/services/dependencies/).
    assert caplog.text.count("Redis: ConnectionError") == 1 and "circuit open" in caplog.text

    # The limits cannot count without their cache: they let posts through (fail open, logged) rather
    # than refuse every applicant during the outage, or hold every application for a check
    # (docs/security.md, "Faults").
    for number, organisation in enumerate(("First Inc.", "Second Inc."), start=1):
        response = apply(client, open_challenge, organisation_name=organisation, email=f"applicant{number}@example.ca")
        assert response.status_code == 302, response.content.decode()[:2000]
    stored = Application.objects.order_by("pk")
    assert [application.organisation_name for application in stored] == ["First Inc.", "Second Inc."]
    assert [application.is_spam for application in stored] == [False, False]
    assert sorted(OutgoingEmail.objects.values_list("kind", flat=True)) == [
        "applicant-confirmation",
        "applicant-confirmation",
        "staff-notification",
        "staff-notification",
    ]


def storage_at(monkeypatch, location: Path) -> None:
    """Applicants' files stored at `location` (the field took its storage when the model loaded)."""
    field = Application._meta.get_field("attachment")
    monkeypatch.setattr(field, "storage", PrivateFileSystemStorage(location=str(location)))


def assert_refused_and_nothing_stored(response) -> None:
    html = response.content.decode()
    assert response.status_code == 503
    assert "It was NOT received" in html
    assert 'class="error-summary' in html  # the form's error summary, with the answers kept
    assert 'value="Civic Widgets Inc."' in html
    assert Application.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_a_storage_error_on_upload_gives_a_clear_error_and_stores_nothing(
    client, monkeypatch, open_challenge, tmp_path
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the storage expects a folder")
    storage_at(monkeypatch, blocker)
    assert_refused_and_nothing_stored(apply(client, open_challenge))


@pytest.fixture
def small_disk(tmp_path):
    """A real 64 KB file system (tmpfs), as full as a disk can get. Needs root, as CI has."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


@pytest.mark.django_db
def test_a_full_disk_gives_a_clear_error_and_leaves_no_partial_file(client, monkeypatch, open_challenge, small_disk):
    (small_disk / "applications").mkdir()
    (small_disk / "filler").write_bytes(b"x" * 40 * 1024)  # 24 KB left
    storage_at(monkeypatch, small_disk)
    big_pdf = PDF_BYTES + b"%" + b"p" * (48 * 1024) + b"\n%%EOF\n"
    assert_refused_and_nothing_stored(apply(client, open_challenge, attachment=pdf(content=big_pdf)))
    left = sorted(str(path.relative_to(small_disk)) for path in small_disk.rglob("*") if path.is_file())
    assert left == ["filler"]  # the partly written PDF was removed

    (small_disk / "filler").unlink()  # space again: the same application goes through
    response = apply(client, open_challenge, attachment=pdf(content=big_pdf))
    assert response.status_code == 302
    with Application.objects.get().attachment.open("rb") as stored:
        assert stored.read() == big_pdf
