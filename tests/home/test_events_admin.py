"""Issue 22, item 3, for staff: Reports > Event registrations lists each event's seats, its registrants
and their accessibility needs, exports them (formula-safe) and releases a held registration; for the
Communications role only."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from home.events.models import Registration
from site_core.security.roles import ROLES
from site_core.services.outbox import send_due_emails
from tests.factories import ChallengeIndexPageFactory, make_challenge
from tests.home.test_event_registration import add_session, register

pytestmark = pytest.mark.django_db

COMMUNICATIONS = "Communications editors"


@pytest.fixture
def session(site_tree):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    session = add_session(make_challenge(index, title="Track 311 requests"), capacity=2)
    call_command("setup_groups", stdout=io.StringIO())  # once the site exists, as in production
    return session


def log_in(client, django_user_model, role: str):
    user = django_user_model.objects.create_user(f"user-{len(role)}", password="x-long-password-1")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def test_communications_sees_the_seats_and_the_registrants(client, session, django_user_model):
    register(client, session, email="ada@example.ca", accessibility_needs="Step-free access")
    register(client, session, email="grace@example.ca", name="Grace Hopper")
    register(client, session, email="waiting@example.ca", name="Late Comer")
    log_in(client, django_user_model, COMMUNICATIONS)
    report = client.get("/admin/events/").content.decode()
    assert "Information session: Track 311 requests" in report and "2 / 2" in report
    assert "Event registrations" in client.get("/admin/").content.decode()  # in the Reports menu
    page = client.get(f"/admin/events/{session.translation_key}/").content.decode()
    for shown in ("Ada Lovelace", "grace@example.ca", "Step-free access", "Analytical Engines", "Waiting list"):
        assert shown in page


def test_the_export_holds_every_registrant_with_formula_safe_cells(client, session, django_user_model):
    register(client, session, email="ada@example.ca", name='=HYPERLINK("http://evil")', organisation="+1 Corp")
    log_in(client, django_user_model, COMMUNICATIONS)
    for url in (f"/admin/events/{session.translation_key}/?export=csv", "/admin/events/?export=csv"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert rows[0][:4] == ["event", "name", "organisation", "email"]
        assert (
            rows[1][1] == '\'=HYPERLINK("http://evil")' and rows[1][2] == "'+1 Corp" and rows[1][3] == "ada@example.ca"
        )


@pytest.mark.parametrize("role", [role for role in ROLES if role != COMMUNICATIONS])
def test_no_other_role_sees_or_exports_the_registrants(client, session, django_user_model, role):
    register(client, session)
    log_in(client, django_user_model, role)
    for url in (
        "/admin/events/",
        "/admin/events/?export=csv",
        f"/admin/events/{session.translation_key}/",
        f"/admin/events/{session.translation_key}/?export=csv",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        assert b"ada@example.ca" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_held_registration_gets_its_seat_and_email_once_released(client, session, django_user_model):
    register(client, session, fax_number="filled by a bot")
    held = Registration.objects.get()
    assert held.status == Registration.Status.HELD
    log_in(client, django_user_model, COMMUNICATIONS)
    url = f"/admin/events/{session.translation_key}/"
    assert "Held for a check" in client.get(url).content.decode()
    done = client.post(url, {"release": held.pk, "decision": "release"}, follow=True)
    assert "is registered and is being emailed" in done.content.decode()
    held.refresh_from_db()
    assert held.status == Registration.Status.CONFIRMED
    send_due_emails()
    (message,) = mail.outbox
    assert message.to == ["ada@example.ca"] and message.attachments
