"""Issue 22, item 3: registering for an event (a challenge's information session, a release's event)
with its seats and waiting list, the emails with their calendar file, cancelling by link, the reminder
the day before; the online link goes to registrants only."""

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from challenges.models import ChallengeKeyDate, KeyDateKind
from devtools.demo.translation import translate_with_localize
from home.events.models import EventSeats, Registration
from news.models import ReleaseEvent
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services.outbox import send_due_emails
from tests.conftest import assert_constant_queries
from tests.factories import ChallengeIndexPageFactory, NewsReleasePageFactory, make_challenge

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.ca/311-session"
Status = Registration.Status


@pytest.fixture
def office(site_tree):
    for locale, name in ((site_tree.english, "Civic Innovation Office"), (site_tree.french, "Bureau de l'innovation")):
        OfficeDetails.objects.create(locale=locale, office_name=name, street_address="100 Queen Street West")


def add_session(challenge, *, days: float = 5, capacity: int = 3, **fields) -> ChallengeKeyDate:
    session = ChallengeKeyDate(
        page=challenge,
        locale=challenge.locale,
        kind=KeyDateKind.INFO_SESSION,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        location="Online: the link is emailed to everyone who registers",
        online=True,
        online_url=LINK,
        registration_required=True,
        capacity=capacity,
        **fields,
    )
    session.save()
    return session


@pytest.fixture
def session(site_tree, office):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    challenge = make_challenge(index, title="Track 311 requests")
    return add_session(challenge)


def form_url(session, language="en") -> str:
    return f"/{language}/events/{session.translation_key}/register/"


def register(client, session, email="ada@example.ca", language="en", **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": email,
        "organisation": "Analytical Engines",
        "accessibility_needs": "Captions, please.",
        "consent": "on",
        **overrides,
    }
    return client.post(form_url(session, language), data)


def sent() -> list:
    send_due_emails()
    return list(mail.outbox)


def cancel_link(message) -> str:
    (link,) = re.findall(r"https?://\S+/events/cancel/\S+/", message.body)
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_registrant_is_confirmed_and_emailed_the_link_in_a_calendar_file(client, session):
    page = client.get(form_url(session))
    html = page.content.decode()
    assert page.status_code == 200 and "Information session: Track 311 requests" in html
    assert "3 seats left" in html and LINK not in html

    response = register(client, session)
    assert response.status_code == 302 and "ada" not in response["Location"]  # no personal data in the address
    answer = client.get(response["Location"]).content.decode()
    assert "You are registered" in answer and LINK not in answer
    registration = Registration.objects.get()
    assert registration.status == Status.CONFIRMED and registration.translation_key == session.translation_key

    (message,) = sent()
    assert message.to == ["ada@example.ca"] and LINK in message.body
    assert "Civic Innovation Office" in message.body and "100 Queen Street West" in message.body
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(event["url"]) == LINK and LINK in str(event["description"])
    assert event["dtstart"].dt == session.starts_at.replace(microsecond=0)


def test_once_an_event_takes_registrations_its_link_is_nowhere_public(client, session):
    challenge = session.page
    html = client.get(challenge.url).content.decode()
    assert LINK not in html and "Register to get the link to join." in html
    assert f"/en/events/{session.translation_key}/register/" in html
    assert LINK not in client.get(f"{challenge.url}calendar.ics").content.decode()
    assert LINK not in client.get(f"/api/v2/pages/{challenge.pk}/").content.decode()
    ChallengeKeyDate.objects.filter(pk=session.pk).update(registration_required=False)
    assert LINK in client.get(f"{challenge.url}calendar.ics").content.decode()  # a public link stays public


def test_past_capacity_people_wait_and_a_cancellation_gives_the_first_one_the_seat(client, session):
    for number in range(5):
        register(client, session, email=f"person{number}@example.ca")
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert [statuses[f"person{n}@example.ca"] for n in range(5)] == [Status.CONFIRMED] * 3 + [Status.WAITING] * 2
    assert "This event is full" in client.get(form_url(session)).content.decode()
    waiting_answer = client.get(register(client, session, email="late@example.ca")["Location"]).content.decode()
    assert "You are number 3 on its waiting list" in waiting_answer
    first_email = {message.to[0]: message for message in sent()}["person0@example.ca"]
    mail.outbox.clear()

    link = cancel_link(first_email)
    assert "Cancel my registration" in client.get(link).content.decode()
    assert Registration.objects.get(email="person0@example.ca").status == Status.CONFIRMED  # a GET changes nothing
    assert client.post(link).status_code == 200
    assert client.post(link).status_code == 200  # again: nothing more happens
    assert Registration.objects.get(email="person0@example.ca").status == Status.CANCELLED
    promoted = Registration.objects.get(email="person3@example.ca")
    assert promoted.status == Status.CONFIRMED and promoted.notified_at is not None
    assert Registration.objects.get(email="person4@example.ca").status == Status.WAITING
    (told,) = sent()
    assert told.to == ["person3@example.ca"] and "A seat is yours" in told.subject and LINK in told.body
    assert told.attachments and told.attachments[0][0].endswith(".ics")


def test_registration_closes_at_the_events_start(client, session, time_machine):
    time_machine.move_to(session.starts_at + datetime.timedelta(seconds=1), tick=False)
    page = client.get(form_url(session))
    html = page.content.decode()
    assert page.status_code == 410 and "Registration is closed" in html and "<form" not in html.split("<main")[-1]
    assert register(client, session).status_code == 410
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "a@example.ca\r\nBcc: victim@example.ca"}, "email"),
        ({"name": "a\r\nBcc: x@y.ca"}, "name"),
        ({"organisation": "Acme\nBcc: x@y.ca"}, "organisation"),
        ({"name": "x" * 10_000}, "name"),
        ({"organisation": "x" * 10_000}, "organisation"),
        ({"accessibility_needs": "x" * 10_000}, "accessibility_needs"),
        ({"email": "x" * 10_000 + "@example.ca"}, "email"),
        ({"name": ""}, "name"),
        ({"consent": ""}, "consent"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(client, session, overrides, field):
    response = register(client, session, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html and f'href="#id_{field}"' in html
    assert 'aria-invalid="true"' in html
    assert not Registration.objects.exists() and not OutgoingEmail.objects.exists()


def test_an_address_registers_once_and_is_never_told_it_was_known(client, session, clock_stands_still):
    first = register(client, session)
    again = register(client, session, name="Someone Else")
    assert client.get(again["Location"]).content.decode() == client.get(first["Location"]).content.decode()
    registration = Registration.objects.get()
    assert registration.name == "Ada Lovelace"  # typing an address changes nobody's registration
    assert len(sent()) == 1  # the repeat within the hour sends nothing more
    clock_stands_still.shift(datetime.timedelta(minutes=61))
    register(client, session)
    assert len(sent()) == 2 and Registration.objects.count() == 1


def test_english_and_french_share_the_seats_and_each_registrant_hears_in_their_language(client, site_tree, session):
    translate_with_localize(session.page.get_parent(), site_tree.french, {})
    challenge_fr = translate_with_localize(session.page, site_tree.french, {})
    session_fr = challenge_fr.key_dates.get(kind=KeyDateKind.INFO_SESSION)
    assert session_fr.translation_key == session.translation_key and session_fr.registration_required
    assert LINK not in client.get(challenge_fr.url).content.decode()
    register(client, session, email="one@example.ca")
    register(client, session, email="deux@example.ca", language="fr")
    assert "1 place restante" in client.get(form_url(session, "fr")).content.decode() or (
        "1 seat left" in client.get(form_url(session, "fr")).content.decode()
    )
    french = {message.to[0]: message for message in sent()}["deux@example.ca"]
    assert "Bureau de l'innovation" in french.body
    assert Registration.objects.get(email="deux@example.ca").page_id == challenge_fr.pk


def test_every_email_has_one_recipient_and_names_no_other_registrant(client, session):
    emails = [f"person{n}@example.ca" for n in range(5)]
    for email in emails:
        register(client, session, email=email)
    cancel_link_of_first = cancel_link(next(m for m in sent() if m.to == [emails[0]]))
    client.post(cancel_link_of_first)
    messages = sent()
    assert len(messages) == 6
    for message in messages:
        assert len(message.recipients()) == 1 and not message.cc and not message.bcc
        others = [email for email in emails if email not in message.to]
        assert not any(email in message.message().as_string() for email in others)


def test_the_reminder_goes_the_day_before_exactly_once(client, session, time_machine):
    register(client, session, email="early@example.ca")
    mail.outbox.clear()
    send_due_emails()
    mail.outbox.clear()
    call_command("send_event_reminders", stdout=None)
    assert mail.outbox == []  # five days before: not yet
    time_machine.move_to(session.starts_at - datetime.timedelta(hours=23), tick=False)
    call_command("send_event_reminders")
    call_command("send_event_reminders")
    (reminder,) = mail.outbox
    assert reminder.to == ["early@example.ca"] and "Tomorrow" in reminder.subject and LINK in reminder.body
    assert Registration.objects.get().reminded_at is not None
    assert OutgoingEmail.objects.filter(kind="event-reminder").count() == 1


def test_a_filled_honeypot_is_held_and_takes_no_seat(client, session):
    response = register(client, session, fax_number="buy now")
    assert response.status_code == 302 and "You are registered" in client.get(response["Location"]).content.decode()
    assert Registration.objects.get().status == Status.HELD
    assert sent() == []
    assert "3 seats left" in client.get(form_url(session)).content.decode()


def test_an_event_taking_registrations_needs_its_seats(session):
    session.capacity = None
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "capacity" in error.value.message_dict
    session.capacity, session.kind = 10, KeyDateKind.CLOSES
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "registration_required" in error.value.message_dict


def test_a_release_event_takes_registrations_from_the_release_page(client, site_tree, office):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Demo day announced", slug="demo-day")
    event = ReleaseEvent(
        page=release,
        locale=release.locale,
        title="Demo day",
        starts_at=timezone.now() + datetime.timedelta(days=9),
        location="Toronto City Hall, Committee Room 2",
        online_url=LINK,
        registration_required=True,
        capacity=40,
    )
    event.save()
    html = client.get(release.url).content.decode()
    assert "Demo day" in html and "Committee Room 2" in html and LINK not in html
    assert f"/en/events/{event.translation_key}/register/" in html
    register(client, event)
    (message,) = sent()
    assert "Demo day" in message.subject and LINK in message.body


def test_the_registration_pages_queries_do_not_grow_with_the_registrations(client, session):
    session.capacity = 1000
    session.save()
    made = []

    def add_registrations(count):
        start = len(made)
        batch = [
            Registration(
                translation_key=session.translation_key,
                page_id=session.page_id,
                name=f"Person {n}",
                email=f"p{n}@example.ca",
                language="en",
                status=Status.CONFIRMED if n % 2 else Status.WAITING,
            )
            for n in range(start, start + count)
        ]
        made.extend(Registration.objects.bulk_create(batch))

    assert_constant_queries(client, form_url(session), add_registrations)
    assert EventSeats.objects.count() == 0  # a page view locks nothing
