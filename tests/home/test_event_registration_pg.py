"""Issue 22, item 3, under load: 20 people register for the last seats at the same moment, each
request in its own thread with its own database connection, on PostgreSQL (where rows are locked one
by one, unlike SQLite's whole-database write lock). Exactly the seats are given, never one more."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from home.events.models import Registration
from tests.factories import ChallengeIndexPageFactory, make_challenge
from tests.home.test_event_registration import add_session, form_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under concurrency: PostgreSQL only"),
]

PEOPLE = 20
CAPACITY = 7


def test_twenty_concurrent_registrations_never_overbook(site_tree):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    session = add_session(make_challenge(index, title="Track 311 requests"), capacity=CAPACITY)
    url = form_url(session)
    start = threading.Barrier(PEOPLE)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def person(number: int) -> None:
        try:
            client = Client()
            data = {"name": f"Person {number}", "email": f"p{number}@example.ca", "consent": "on"}
            start.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        except BaseException as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=person, args=(number,)) for number in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors and statuses == [302] * PEOPLE
    counts = {status: Registration.objects.filter(status=status).count() for status in Registration.Status.values}
    assert counts[Registration.Status.CONFIRMED] == CAPACITY
    assert counts[Registration.Status.WAITING] == PEOPLE - CAPACITY
    positions = sorted(r.waiting_position() for r in Registration.objects.filter(status=Registration.Status.WAITING))
    assert positions == list(range(1, PEOPLE - CAPACITY + 1))
