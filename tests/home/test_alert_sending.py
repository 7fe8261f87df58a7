"""Sending email alerts (issue 22): a list's page going live for the first time queues one email per
matching confirmed subscriber, in their language, off the publish request; never for a draft, a
re-publish, a private section or an embargoed release before its go-live; each email to one person,
with the office's identity and address and links that only that person's key opens."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.alerts.models import AlertBroadcast, AlertDelivery, Subscriber, SubscriberKey, Subscription
from home.alerts.sending import fan_out
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services.outbox import send_due_emails
from tests.factories import NewsReleasePageFactory
from tests.factories.snippets import TopicFactory

pytestmark = pytest.mark.django_db

ADDRESS = "100 Queen Street West\nToronto ON  M5H 2N2"


def subscribe(address, *, language="en", list_key="news", filters=None, confirmed=True, suppressed=False, weekly=False):
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        email=address,
        language=language,
        frequency=Subscriber.Frequency.WEEKLY if weekly else Subscriber.Frequency.IMMEDIATE,
        confirmed_at=now if confirmed else None,
        suppressed_at=now if suppressed else None,
    )
    Subscription.objects.create(subscriber=subscriber, list_key=list_key, filters=filters or {})
    return subscriber


def draft_release(site_tree, **fields):
    return NewsReleasePageFactory(parent=site_tree.news_index, live=False, **fields)


def publish(page, capture):
    """Publish as the admin does, then run what waits for the commit (the fan-out, inline in tests)."""
    with capture(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def office(site_tree):
    return OfficeDetails.objects.create(
        locale=site_tree.english, office_name="Civic Innovation Office", street_address=ADDRESS
    )


def alert_emails():
    return OutgoingEmail.objects.filter(kind="alert")


def test_a_first_publish_queues_one_email_per_matching_subscriber_in_their_language(
    site_tree, office, django_capture_on_commit_callbacks
):
    topic = TopicFactory(slug="transit")
    wanted = [
        subscribe("all@example.ca"),
        subscribe("transit@example.ca", filters={"topics": ["transit"]}),
        subscribe("type@example.ca", filters={"types": ["news-release"], "topics": []}),
    ]
    subscribe("unconfirmed@example.ca", confirmed=False)
    subscribe("suppressed@example.ca", suppressed=True)
    subscribe("french@example.ca", language="fr")
    subscribe("housing@example.ca", filters={"topics": ["housing"]})
    subscribe("jobs@example.ca", list_key="jobs")
    weekly = subscribe("weekly@example.ca", weekly=True)
    release = draft_release(site_tree, title="Transit pilot starts")
    release.topics.set([topic])

    publish(release, django_capture_on_commit_callbacks)
    send_due_emails()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(s.email for s in wanted)
    assert {message.subject for message in mail.outbox} == {"News release: Transit pilot starts"}
    broadcast = AlertBroadcast.objects.get(page=release)
    assert broadcast.done_at is not None and broadcast.recipients == 4
    # The weekly subscriber's delivery is recorded for the digest, without an email of its own.
    assert AlertDelivery.objects.get(broadcast=broadcast, subscriber=weekly).email is None
    assert AlertDelivery.objects.filter(broadcast=broadcast, email__isnull=False).count() == 3


def test_a_french_page_is_emailed_in_french_to_french_subscribers(site_tree, django_capture_on_commit_callbacks):
    OfficeDetails.objects.create(
        locale=site_tree.french, office_name="Bureau de l'innovation civique", street_address="100, rue Queen Ouest"
    )
    subscribe("english@example.ca")
    subscribe("francais@example.ca", language="fr")
    english = publish(draft_release(site_tree, title="Transit pilot"), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    french = english.copy_for_translation(site_tree.french, copy_parents=True)
    french.title = "Projet pilote de transport"
    publish(french, django_capture_on_commit_callbacks)
    send_due_emails()

    [message] = mail.outbox
    assert message.to == ["francais@example.ca"]
    assert "Projet pilote de transport" in message.subject
    assert "/fr/alerts/unsubscribe/" in message.body and "Bureau de l'innovation civique" in message.body


def test_a_republish_and_a_publish_after_unpublishing_send_nothing(site_tree, django_capture_on_commit_callbacks):
    subscribe("all@example.ca")
    release = publish(draft_release(site_tree), django_capture_on_commit_callbacks)
    assert alert_emails().count() == 1

    release.title = "A corrected headline"
    publish(release, django_capture_on_commit_callbacks)
    release.unpublish()
    publish(release, django_capture_on_commit_callbacks)

    assert alert_emails().count() == 1
    assert AlertBroadcast.objects.count() == 1


def test_a_draft_sends_nothing(site_tree, django_capture_on_commit_callbacks):
    subscribe("all@example.ca")
    release = draft_release(site_tree)
    with django_capture_on_commit_callbacks(execute=True):
        release.save_revision()
    assert not AlertBroadcast.objects.exists() and not alert_emails().exists()


def test_a_page_in_a_view_restricted_section_sends_nothing(site_tree, django_capture_on_commit_callbacks):
    subscribe("all@example.ca")
    PageViewRestriction.objects.create(page=site_tree.news_index, restriction_type=PageViewRestriction.LOGIN)
    publish(draft_release(site_tree), django_capture_on_commit_callbacks)
    assert not AlertBroadcast.objects.exists() and not alert_emails().exists()


def test_an_embargoed_release_is_emailed_at_go_live_and_not_before(
    site_tree, django_capture_on_commit_callbacks, time_machine
):
    subscribe("all@example.ca")
    go_live_at = timezone.now() + datetime.timedelta(hours=1)
    release = draft_release(site_tree, release_date=go_live_at)
    release.go_live_at = go_live_at
    publish(release, django_capture_on_commit_callbacks)  # scheduled: not live yet
    assert not release.live
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=io.StringIO())  # a minute early: nothing
    assert not AlertBroadcast.objects.exists() and not alert_emails().exists()

    time_machine.move_to(go_live_at + datetime.timedelta(seconds=30))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=io.StringIO())
    send_due_emails()

    release.refresh_from_db()
    assert release.live
    assert [message.to for message in mail.outbox] == [["all@example.ca"]]


def test_the_publish_leaves_the_fan_out_until_after_its_commit(site_tree, django_capture_on_commit_callbacks):
    subscribe("all@example.ca")
    release = draft_release(site_tree)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        release.save_revision().publish()
    # In the publish's transaction: only the broadcast row; no delivery and no email yet.
    broadcast = AlertBroadcast.objects.get(page=release)
    assert broadcast.done_at is None
    assert not AlertDelivery.objects.exists() and not alert_emails().exists()

    for callback in callbacks:
        callback()
    assert alert_emails().count() == 1


def test_each_email_has_one_recipient_the_unsubscribe_headers_the_office_and_its_own_keys(
    site_tree, office, django_capture_on_commit_callbacks
):
    subscribers = {s.email: s for s in [subscribe("ada@example.ca"), subscribe("grace@example.ca")]}
    release = publish(
        draft_release(site_tree, title="Transit pilot", lead="Buses every five minutes."),
        django_capture_on_commit_callbacks,
    )
    send_due_emails()

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [address] = message.to
        assert message.cc == [] and message.bcc == [] and message.recipients() == [address]
        others = set(subscribers) - {address}
        assert not any(other in message.body or other in message.alternatives[0].content for other in others)
        assert message.subject == "News release: Transit pilot"
        html = message.alternatives[0].content
        assert message.alternatives[0].mimetype == "text/html"
        for text in (message.body, html):
            assert "Buses every five minutes." in text
            assert f"http://testserver{release.url}" in text or f"{release.url}" in text
            assert "Civic Innovation Office" in text and "100 Queen Street West" in text
        unsubscribe = re.search(r"https?://\S+/en/alerts/unsubscribe/([\w-]+)/", message.body)
        manage = re.search(r"https?://\S+/en/alerts/manage/([\w-]+)/", message.body)
        assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe.group(0)}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe.group(0) in html and manage.group(0) in html
        # Both links carry a key of this subscriber, and no one else's.
        assert SubscriberKey.subscriber_of(unsubscribe.group(1)) == subscribers[address]
        assert SubscriberKey.subscriber_of(manage.group(1)) == subscribers[address]


def test_nothing_is_sent_to_a_subscriber_who_left_or_for_a_page_withdrawn_before_the_send(
    site_tree, django_capture_on_commit_callbacks
):
    left = subscribe("left@example.ca")
    suppressed = subscribe("bounced@example.ca")
    subscribe("stays@example.ca")
    release = draft_release(site_tree)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        release.save_revision().publish()
    fan_out(AlertBroadcast.objects.get(page=release).pk)  # queued, not sent yet
    left.subscriptions.all().delete()
    Subscriber.objects.filter(pk=suppressed.pk).update(suppressed_at=timezone.now())
    send_due_emails()
    assert [message.to for message in mail.outbox] == [["stays@example.ca"]]

    mail.outbox.clear()
    other = draft_release(site_tree)
    with django_capture_on_commit_callbacks(execute=False):
        other.save_revision().publish()
    fan_out(AlertBroadcast.objects.get(page=other).pk)
    other.refresh_from_db()
    other.unpublish()
    counts = send_due_emails()
    assert mail.outbox == [] and counts["dropped"] == 1
    assert callbacks  # the first publish's fan-out was only ever handed over


def test_running_the_fan_out_twice_creates_nothing_new(site_tree, django_capture_on_commit_callbacks):
    subscribe("all@example.ca")
    subscribe("weekly@example.ca", weekly=True)
    release = publish(draft_release(site_tree), django_capture_on_commit_callbacks)
    broadcast = AlertBroadcast.objects.get(page=release)
    before = (AlertDelivery.objects.count(), alert_emails().count())

    assert fan_out(broadcast.pk) == []
    AlertBroadcast.objects.filter(pk=broadcast.pk).update(done_at=None)  # as if its worker had died
    assert fan_out(broadcast.pk) == []
    assert (AlertDelivery.objects.count(), alert_emails().count()) == before == (2, 1)


def test_the_backstop_command_fans_out_what_a_stopped_worker_left(site_tree, django_capture_on_commit_callbacks):
    subscribe("all@example.ca")
    release = draft_release(site_tree)
    with django_capture_on_commit_callbacks(execute=False):  # the process stopped before its fan-out
        release.save_revision().publish()
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    assert alert_emails().count() == 1
    assert AlertBroadcast.objects.get(page=release).done_at is not None
    call_command("send_alerts", stdout=io.StringIO())
    assert alert_emails().count() == 1


def test_the_fan_out_makes_as_many_queries_for_200_subscribers_as_for_10(site_tree, django_capture_on_commit_callbacks):
    """Every statement but the bulk inserts is the same; the inserts are a few multi-row statements
    (SQLite takes at most 999 parameters in one, so Django splits a bulk insert there), never one per
    subscriber."""

    def add_subscribers(start, stop):
        for number in range(start, stop):
            subscribe(f"reader{number}@example.ca", weekly=number % 5 == 0)

    def queries_of_a_fan_out():
        release = draft_release(site_tree)
        with django_capture_on_commit_callbacks(execute=False):
            release.save_revision().publish()
        broadcast = AlertBroadcast.objects.get(page=release)
        with CaptureQueriesContext(connection) as captured:
            fan_out(broadcast.pk)
        broadcast.refresh_from_db()
        statements = [query["sql"] for query in captured.captured_queries]
        inserts = [sql for sql in statements if sql.startswith("INSERT")]
        others = len(statements) - len(inserts)
        return others, inserts, broadcast.recipients

    add_subscribers(0, 10)
    small, small_inserts, small_recipients = queries_of_a_fan_out()
    add_subscribers(10, 200)
    large, large_inserts, large_recipients = queries_of_a_fan_out()
    assert (small_recipients, large_recipients) == (10, 200)
    assert small == large, (small, large)
    assert len(small_inserts) == 2  # the emails, the deliveries
    assert len(large_inserts) <= (2 if connection.vendor == "postgresql" else 5), len(large_inserts)
