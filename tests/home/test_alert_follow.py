"""Issue 22, item 1: following one challenge (its announcements and amendments, newly answered
questions, a moved deadline, reminders 7 days and 1 day before the deadline), and the weekly summary
that groups a week's items into one email."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.blocks import StreamValue

from challenges.models import KeyDateKind
from home.alerts.digest import summary_moment
from home.alerts.lists import FOLLOW
from home.alerts.models import AlertBroadcast, AlertDelivery, Subscriber, Subscription
from site_core.local_time import city_zone
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services.outbox import send_due_emails
from tests.factories import NewsReleasePageFactory
from tests.factories.challenges import ChallengeIndexPageFactory, make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(site_tree):
    for locale, name in [(site_tree.english, "Civic Innovation Office"), (site_tree.french, "Bureau de l'innovation")]:
        OfficeDetails.objects.create(locale=locale, office_name=name, street_address="100 Queen Street West")


@pytest.fixture
def challenge(site_tree, office, django_capture_on_commit_callbacks):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_challenge(index, title="Track 311 requests", opens=-5, closes=20)
    return page


def follower(address, challenge, *, language="en", confirmed=True):
    subscriber = Subscriber.objects.create(
        email=address, language=language, confirmed_at=timezone.now() if confirmed else None
    )
    Subscription.objects.create(subscriber=subscriber, list_key=FOLLOW, target=str(challenge.translation_key))
    return subscriber


def subscriber_of(address, list_key, *, weekly=False):
    subscriber = Subscriber.objects.create(
        email=address,
        language="en",
        confirmed_at=timezone.now(),
        frequency=Subscriber.Frequency.WEEKLY if weekly else Subscriber.Frequency.IMMEDIATE,
    )
    Subscription.objects.create(subscriber=subscriber, list_key=list_key)
    return subscriber


def republish(page, capture, change=None):
    """Edit and publish as the admin does, then run what waits for the commit (inline in tests)."""
    page = type(page).objects.get(pk=page.pk)
    if change:
        change(page)
    with capture(execute=True):
        page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def announce(title, body="<p>Read the new terms.</p>"):
    def change(page):
        page.announcements.add(page.announcements.model(title=title, body=body))

    return change


def move_deadline(page, moment):
    """Change the deadline key date in the page's cluster (saved with its revision)."""
    key_dates = list(page.key_dates.all())
    for key_date in key_dates:
        if key_date.kind == KeyDateKind.CLOSES:
            key_date.starts_at = moment
    page.key_dates = key_dates


def sent_to(address):
    send_due_emails()
    return [message for message in mail.outbox if message.to == [address]]


def test_a_visitor_follows_a_challenge_from_its_page_with_double_opt_in(client, challenge):
    page = client.get(challenge.url)
    (link,) = re.findall(r'href="(/en/alerts/\?follow=[^"]+)"', page.content.decode())
    form = client.get(link)
    assert form.status_code == 200
    assert re.search(rf'value="{challenge.translation_key}"[^>]*checked', form.content.decode())

    response = client.post(
        "/en/alerts/",
        {"email": "founder@example.ca", "follow": [str(challenge.translation_key)], "language": "en", "consent": "on"},
    )
    assert response.status_code == 302
    assert not Subscription.objects.exists()  # nothing until the emailed link is used
    (message,) = sent_to("founder@example.ca")
    assert "Track 311 requests" in message.body  # the confirmation names what is followed
    (confirm,) = re.findall(r"https?://\S+/alerts/confirm/\S+/", message.body)
    client.post(re.sub(r"^https?://[^/]+", "", confirm))
    (subscription,) = Subscription.objects.all()
    assert (subscription.list_key, subscription.target) == (FOLLOW, str(challenge.translation_key))


def test_the_form_needs_a_list_or_a_challenge(client, challenge):
    response = client.post("/en/alerts/", {"email": "founder@example.ca", "language": "en", "consent": "on"})
    assert response.status_code == 400
    assert "Choose at least one kind of news to follow, or a challenge." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_new_announcement_reaches_the_followers_once_and_nobody_else(challenge, django_capture_on_commit_callbacks):
    follower("founder@example.ca", challenge)
    subscriber_of("lists@example.ca", "challenges")  # new challenges only: not this one's news
    follower("unconfirmed@example.ca", challenge, confirmed=False)

    republish(challenge, django_capture_on_commit_callbacks, announce("Deadline extended to 15 May"))
    (message,) = sent_to("founder@example.ca")
    assert message.subject == "Update on the challenge: Track 311 requests"
    assert "Deadline extended to 15 May" in message.body and "Read the new terms." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(mail.outbox) == 1  # one follower, one email; the others get nothing

    republish(challenge, django_capture_on_commit_callbacks)  # the same content again: nothing new
    republish(challenge, django_capture_on_commit_callbacks, lambda page: setattr(page, "summary", "Reworded."))
    assert len(sent_to("founder@example.ca")) == 1


def test_newly_answered_questions_and_a_moved_deadline_are_news(challenge, django_capture_on_commit_callbacks):
    follower("founder@example.ca", challenge)
    later = timezone.now() + datetime.timedelta(days=30)

    def change(page):
        page.faq = StreamValue(
            page.faq.stream_block,
            [("faq_item", {"question": "Can a non-profit apply?", "answer": "<p>Yes, any organisation.</p>"})],
        )
        move_deadline(page, later)

    republish(challenge, django_capture_on_commit_callbacks, change)
    (message,) = sent_to("founder@example.ca")
    assert "Can a non-profit apply?" in message.body and "Yes, any organisation." in message.body
    assert "The deadline is now" in message.body and str(later.astimezone(city_zone()).year) in message.body


def test_deadline_reminders_7_days_and_1_day_before_once_each(challenge, time_machine):
    follower("founder@example.ca", challenge)
    closes_at = challenge.closes_at

    def run_at(moment):
        time_machine.move_to(moment)
        call_command("send_alerts", stdout=io.StringIO())
        return sent_to("founder@example.ca")

    assert run_at(closes_at - datetime.timedelta(days=8)) == []
    (week,) = run_at(closes_at - datetime.timedelta(days=6, hours=23))
    assert week.subject == "7 days left to apply: Track 311 requests"
    assert "Applications close in 7 days" in week.body
    assert len(run_at(closes_at - datetime.timedelta(days=5))) == 1  # every minute, nothing more
    _week, day = run_at(closes_at - datetime.timedelta(hours=20))
    assert day.subject == "1 day left to apply: Track 311 requests"
    assert len(run_at(closes_at - datetime.timedelta(hours=2))) == 2
    assert len(run_at(closes_at + datetime.timedelta(hours=1))) == 2  # closed: nothing


def test_a_reminder_is_not_sent_once_its_deadline_has_moved(
    challenge, time_machine, django_capture_on_commit_callbacks
):
    follower("founder@example.ca", challenge)
    time_machine.move_to(challenge.closes_at - datetime.timedelta(days=6))
    call_command("send_alerts", stdout=io.StringIO())  # the 7-day reminder is queued, not yet sent

    def extend(page):
        move_deadline(page, page.closes_at + datetime.timedelta(days=30))

    republish(challenge, django_capture_on_commit_callbacks, extend)
    messages = sent_to("founder@example.ca")
    assert [message.subject for message in messages] == ["Update on the challenge: Track 311 requests"]


def test_a_french_follower_reads_the_english_page_s_news_in_french_when_it_has_no_french_version(
    challenge, django_capture_on_commit_callbacks
):
    follower("fondatrice@example.ca", challenge, language="fr")
    republish(challenge, django_capture_on_commit_callbacks, announce("Deadline extended"))
    (message,) = sent_to("fondatrice@example.ca")
    assert message.subject.startswith("Mise à jour du défi")
    assert "/fr/alerts/" in message.body or "/fr/alertes/" in message.body


def publish_release(site_tree, title, capture):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title=title, live=False)
    with capture(execute=True):
        release.save_revision().publish()


def test_the_weekly_summary_groups_a_week_s_items_in_one_email(
    site_tree, office, time_machine, django_capture_on_commit_callbacks
):
    monday = summary_moment(timezone.now() + datetime.timedelta(days=7))  # next Monday, 9 a.m. Toronto
    time_machine.move_to(monday - datetime.timedelta(days=6))
    weekly = subscriber_of("weekly@example.ca", "news", weekly=True)
    subscriber_of("daily@example.ca", "news")
    titles = ["Office opens its doors", "Pilot results are in", "New partner city"]
    for day, title in enumerate(titles):
        time_machine.move_to(monday - datetime.timedelta(days=5 - day))
        publish_release(site_tree, title, django_capture_on_commit_callbacks)
    assert len(sent_to("daily@example.ca")) == 3  # one by one, as published
    assert sent_to("weekly@example.ca") == []  # kept for the summary
    assert AlertDelivery.objects.filter(subscriber=weekly, weekly=True).count() == 3

    time_machine.move_to(monday - datetime.timedelta(minutes=1))
    call_command("send_alerts", stdout=io.StringIO())
    assert sent_to("weekly@example.ca") == []  # not before Monday 9 a.m.

    time_machine.move_to(monday + datetime.timedelta(minutes=1))
    call_command("send_alerts", stdout=io.StringIO())
    call_command("send_alerts", stdout=io.StringIO())  # every minute: still one summary
    (summary,) = sent_to("weekly@example.ca")
    assert summary.subject == "Your weekly summary: 3 new items"
    assert all(title in summary.body for title in titles)
    assert "News releases" in summary.body and "/alerts/unsubscribe/" in summary.extra_headers["List-Unsubscribe"]
    assert OutgoingEmail.objects.filter(kind="alert-digest").count() == 1

    time_machine.move_to(monday + datetime.timedelta(days=2))
    publish_release(site_tree, "Next week's release", django_capture_on_commit_callbacks)
    time_machine.move_to(monday + datetime.timedelta(days=7, minutes=1))
    call_command("send_alerts", stdout=io.StringIO())
    _first, second = sent_to("weekly@example.ca")
    assert second.subject == "Your weekly summary: 1 new item" and "Next week's release" in second.body
    assert "Office opens its doors" not in second.body  # each item once


def test_the_summary_moment_is_monday_9_am_in_toronto_whatever_daylight_saving_does():
    zone = city_zone()
    for moment in [datetime.datetime(2026, 3, 9, 9, 0, tzinfo=zone), datetime.datetime(2026, 11, 2, 9, 0, tzinfo=zone)]:
        assert summary_moment(moment) == moment
        assert summary_moment(moment - datetime.timedelta(seconds=1)) == moment - datetime.timedelta(days=7)
        assert summary_moment(moment + datetime.timedelta(days=6, hours=23)) == moment


def test_the_manage_page_shows_and_changes_what_is_followed_and_how_often(client, challenge):
    from home.alerts.models import SubscriberKey

    subscriber = follower("founder@example.ca", challenge)
    key = subscriber.new_key()
    page = client.get(f"/en/alerts/manage/{key}/")
    html = page.content.decode()
    assert re.search(rf'value="{challenge.translation_key}"[^>]*checked', html)
    response = client.post(f"/en/alerts/manage/{key}/", {"lists": ["jobs"], "frequency": "weekly", "language": "en"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert list(subscriber.subscriptions.values_list("list_key", "target")) == [("jobs", "")]
    assert SubscriberKey.subscriber_of(key) == subscriber
    assert AlertBroadcast.objects.filter(page_id=challenge.pk, key="new").exists()
