"""The demo's email alert subscribers (issue 22): confirmed people in English and in French following
different lists, narrowed by the demo's topics and divisions, with their consent on record as the form
records it; one whose confirmation is pending, one suppressed after a bounce, one unsubscribed. Created
once however often the demo is loaded, and without queuing an email to anyone."""

import pytest
from django.core import mail

from challenges.models import ChallengePage
from home.alerts.lists import FOLLOW
from home.alerts.models import AlertBroadcast, Subscriber, Subscription
from home.alerts.sending import fan_out_pending
from site_core.models import Division, OutgoingEmail, Topic
from tests.conftest import load_demo

pytestmark = pytest.mark.django_db

CONFIRMED = {
    "lena.fischer@example.ca": "en",
    "camille.roy@example.ca": "fr",
    "omar.siddiqui@example.org": "en",
    "julien.bouchard@example.org": "fr",
}
FOLLOWERS = {"priya.natarajan@example.ca": "en", "antoine.lavoie@example.org": "fr"}  # the 311 challenge
PENDING = "maya.thompson@example.ca"
SUPPRESSED = "bounced.inbox@example.org"
UNSUBSCRIBED = "sophie.gagne@example.ca"


def subscriptions_of(email: str) -> dict:
    return {s.list_key: s.filters for s in Subscription.objects.filter(subscriber__email=email)}


def test_confirmed_subscribers_in_both_languages_with_their_consent_on_record(demo):
    subscribers = Subscriber.objects.filter(email__in=CONFIRMED)
    assert {s.email: s.language for s in subscribers} == CONFIRMED
    for subscriber in subscribers:
        assert subscriber.email.endswith(("@example.ca", "@example.org"))
        assert subscriber.reachable and subscriber.unsubscribed_at is None and not subscriber.pending
        assert subscriber.frequency == Subscriber.Frequency.IMMEDIATE
        assert subscriber.created_at < subscriber.confirmed_at == subscriber.consented_at
        assert subscriber.consent_form == f"/{subscriber.language}/alerts/"  # the form in their language
        assert "Civic Innovation Office" in subscriber.consent_text or "innovation civique" in subscriber.consent_text
        assert subscriptions_of(subscriber.email)  # following something


def test_they_follow_different_lists_narrowed_by_the_demos_topics_and_divisions(demo):
    followed = {email: subscriptions_of(email) for email in CONFIRMED}
    assert len({tuple(sorted(lists)) for lists in followed.values()}) == len(CONFIRMED)  # all different
    assert {key for lists in followed.values() for key in lists} == {"challenges", "news", "jobs", "stories"}
    topics = set(Topic.objects.values_list("slug", flat=True))
    divisions = set(Division.objects.values_list("slug", flat=True))
    narrowed = {facet: set() for facet in ("topics", "divisions", "types")}
    for lists in followed.values():
        for filters in lists.values():
            for facet, slugs in filters.items():
                narrowed[facet] |= set(slugs)
    assert narrowed["topics"] and narrowed["topics"] <= topics  # slugs the demo's topics have
    assert narrowed["divisions"] and narrowed["divisions"] <= divisions
    assert narrowed["types"]


def test_one_has_not_confirmed_one_bounced_and_one_unsubscribed(demo):
    pending = Subscriber.objects.get(email=PENDING)
    assert pending.confirmed_at is None and not pending.subscriptions.exists()
    assert pending.pending["lists"] and pending.pending["consent_text"] and pending.pending["consent_form"]

    suppressed = Subscriber.objects.get(email=SUPPRESSED)
    assert suppressed.confirmed_at is not None and suppressed.consented_at is not None
    assert suppressed.suppressed_at > suppressed.confirmed_at and suppressed.suppressed_reason == "bounced (demo)"
    assert not suppressed.reachable

    unsubscribed = Subscriber.objects.get(email=UNSUBSCRIBED)
    assert unsubscribed.unsubscribed_at > unsubscribed.confirmed_at
    assert not unsubscribed.subscriptions.exists()
    assert unsubscribed.consent_text and unsubscribed.consented_at  # the record of consent stays

    assert Subscriber.objects.count() == len(CONFIRMED) + len(FOLLOWERS) + 3


def test_a_founder_in_each_language_follows_the_311_challenge_one_with_a_weekly_summary(demo):
    challenge = ChallengePage.objects.get(slug="track-your-311-service-request", locale__language_code="en")
    followers = Subscriber.objects.filter(email__in=FOLLOWERS)
    assert {s.email: s.language for s in followers} == FOLLOWERS
    for subscriber in followers:
        assert subscriber.reachable and subscriber.consent_text
        assert subscriber.subscriptions.filter(list_key=FOLLOW, target=str(challenge.translation_key)).exists()
    weekly = followers.get(email="priya.natarajan@example.ca")
    assert weekly.frequency == Subscriber.Frequency.WEEKLY
    assert list(weekly.subscriptions.exclude(list_key=FOLLOW).values_list("list_key", flat=True)) == ["news"]


def test_loading_the_demo_queued_and_sent_no_email(demo):
    assert demo.emails == []
    assert not OutgoingEmail.objects.filter(kind="alert-confirm").exists()
    assert not OutgoingEmail.objects.exists()
    # The demo's own pages, published before these people subscribed, are announced to nobody.
    assert not AlertBroadcast.objects.filter(done_at__isnull=True).exists()
    assert fan_out_pending() == (0, 0)


def test_loading_it_again_changes_nothing(demo):
    def state():
        return (
            sorted(
                Subscriber.objects.values_list(
                    "email", "language", "confirmed_at", "consented_at", "suppressed_at", "unsubscribed_at", "pending"
                )
            ),
            sorted(Subscription.objects.values_list("subscriber__email", "list_key", "filters")),
        )

    before = state()
    load_demo()
    assert state() == before
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []
