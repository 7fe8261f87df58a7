"""Guessing passwords (site_core/security/accounts.py): staff sign-in paused per account and per address,
with a page that says so and an email to the account's owner; page passwords limited per address;
password resets that take the same path for any address typed, through the outbox."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from site_core.models import OutgoingEmail
from tests.factories import NewsReleasePageFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
# What differs between two runs of the same statement: values, numbers, savepoint names.
VALUES = re.compile(r"'[^']*'|\b\d+\b|\"s\w+_x\w+\"")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.ca", PASSWORD)


def sign_in(client, username: str, password: str, address: str = "198.51.100.10"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_wrong_passwords_pause_signing_in_to_the_account_and_its_owner_is_told(
    client, editor, django_capture_on_commit_callbacks, clock_stands_still
):
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(4):
            assert sign_in(client, "editor", f"guess-{attempt}", address=f"198.51.100.{attempt}").status_code == 200
        assert sign_in(client, "editor", "guess-5", address="198.51.100.5").status_code == 429  # the fifth
        paused = sign_in(client, "editor", PASSWORD, address="203.0.113.9")  # the right one, from elsewhere
    assert paused.status_code == 429
    text = paused.content.decode()
    assert "Signing in is paused" in text and "You can try again after" in text
    assert paused["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    [notice] = [message for message in mail.outbox if message.to == ["editor@example.ca"]]
    assert "paused" in notice.subject and "Your password has not changed" in notice.body


def test_wrong_passwords_from_one_address_pause_it_whatever_the_names(client, editor, django_user_model):
    for attempt in range(5):
        sign_in(client, f"someone-{attempt}", "guess", address="198.51.100.77")
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.77").status_code == 429
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.78").status_code == 302  # others still can


def test_a_successful_sign_in_clears_the_count(client, editor):
    for attempt in range(4):
        sign_in(client, "editor", f"guess-{attempt}")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert sign_in(client, "editor", f"again-{attempt}").status_code == 200
    assert sign_in(client, "editor", PASSWORD).status_code == 302


@pytest.fixture
def private_release(site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Embargoed briefing", slug="briefing")
    restriction = PageViewRestriction.objects.create(
        page=release, restriction_type=PageViewRestriction.PASSWORD, password="press-2017"
    )
    return release, restriction


def page_password(client, release, restriction, password: str, address: str):
    form = client.get(release.url, REMOTE_ADDR=address)
    action = re.search(r'action="([^"]+authenticate_with_password[^"]+)"', form.content.decode()).group(1)
    return client.post(action, {"password": password, "return_url": release.url}, REMOTE_ADDR=address)


def test_page_passwords_cannot_be_guessed_quickly(client, settings, private_release, clock_stands_still):
    release, restriction = private_release
    for attempt in range(10):
        assert page_password(client, release, restriction, f"guess-{attempt}", "198.51.100.20").status_code == 200
    limited = page_password(client, release, restriction, "press-2017", "198.51.100.20")
    assert limited.status_code == 429
    assert "Too many wrong passwords" in limited.content.decode()
    # Someone else, with the password they were given, gets in.
    assert page_password(client, release, restriction, "press-2017", "198.51.100.21").status_code == 302


def reset(client, address: str, typed: str):
    client.get("/admin/password_reset/")
    return client.post("/admin/password_reset/", {"email": typed}, REMOTE_ADDR=address)


def test_a_password_reset_does_the_same_work_for_an_address_with_and_without_an_account(
    client, editor, django_capture_on_commit_callbacks
):
    statements, later = {}, []
    for typed in ("editor@example.ca", "nobody@example.ca"):
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks() as callbacks:
            answer = reset(client, f"198.51.100.{len(statements) + 30}", typed)
        assert answer.status_code == 302 and answer["Location"].endswith("/admin/password_reset/done/")
        # The same statements (ignoring the values), and the sending left to after the response.
        statements[typed] = [VALUES.sub("?", query["sql"]) for query in captured.captured_queries]
        assert len(callbacks) == 1
        later += callbacks
    assert statements["editor@example.ca"] == statements["nobody@example.ca"]
    assert mail.outbox == []
    for callback in later:
        callback()
    # Sent from the queue: a link for the account, nothing to the address without one.
    [message] = mail.outbox
    assert message.to == ["editor@example.ca"] and "/admin/password_reset/confirm/" in message.body
    states = dict(OutgoingEmail.objects.values_list("to", "state"))
    assert states == {"editor@example.ca": "sent", "nobody@example.ca": "dropped"}


def test_password_resets_are_limited_per_address_and_per_email(client, editor, clock_stands_still):
    for number in range(5):
        assert reset(client, "198.51.100.40", f"person{number}@example.ca").status_code == 302
    limited = reset(client, "198.51.100.40", "person9@example.ca")
    assert limited.status_code == 429 and "Too many password reset requests" in limited.content.decode()
    for number in range(5):
        reset(client, f"198.51.100.{50 + number}", "editor@example.ca")
    assert reset(client, "198.51.100.60", "editor@example.ca").status_code == 429


def test_staff_emails_are_kept_thirty_days(client, editor, django_capture_on_commit_callbacks):
    """A password reset's row holds the address typed: deleted 30 days after it was sent, by the
    scheduler's command; an application's emails stay with their application."""
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        reset(client, "198.51.100.70", "nobody@example.ca")
    OutgoingEmail.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    output = io.StringIO()
    call_command("send_queued_emails", stdout=output)
    assert "1 old staff email(s) deleted" in output.getvalue()
    assert not OutgoingEmail.objects.exists()
