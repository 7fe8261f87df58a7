"""Demo email alert subscriptions (issue 22): people who subscribed at /<lang>/alerts/, in English and in
French, to different lists narrowed by the demo's topics and divisions (devtools/demo/site.py); one who
has not used their confirmation link yet (their choice still pending), one whose address bounced
(suppressed) and one who unsubscribed; a founder in each language who follows the 311 challenge (its
updates and deadline reminders), one of whom also takes the weekly summary of news releases.

They go through the real flow (home/alerts/views.py: `ask`, then `apply_pending` for the confirmation
link, `unsubscribe`), so their consent is on record as the form records it: its wording in the
person's language, the form's address and the time. The confirmation emails `ask` queues are deleted
at once (none is ever sent to these made-up addresses), and the alerts the demo's own pages would
trigger are marked as done: the pages were published before these people subscribed. Each subscriber
is found again by their address, so running the demo twice creates nothing twice, and a subscriber
changed in the admin is left as they were saved. Addresses are at example.ca and example.org.
"""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from challenges.models import ChallengePage
from home.alerts import confirmation
from home.alerts.forms import CONSENT_TEXT
from home.alerts.models import AlertBroadcast, Subscriber
from home.alerts.views import apply_pending, ask, unsubscribe
from site_core.models import OutgoingEmail

SUPPRESSED_REASON = "bounced (demo)"

FOLLOWED_SLUG = "track-your-311-service-request"  # the 311 challenge (devtools/demo/challenges.py)

# "state": confirmed, pending (asked, link not used yet), suppressed (confirmed, then bounced),
# unsubscribed (confirmed, then unsubscribed). "days": how long ago they asked.
SUBSCRIBERS = [
    {
        "email": "lena.fischer@example.ca",
        "language": "en",
        "lists": {"challenges": {"topics": ["digital-services", "mobility"]}, "news": {}},
        "state": "confirmed",
        "days": 40,
    },
    {
        "email": "camille.roy@example.ca",
        "language": "fr",
        "lists": {"challenges": {"divisions": ["transportation-services"]}, "jobs": {}},
        "state": "confirmed",
        "days": 33,
    },
    {
        "email": "omar.siddiqui@example.org",
        "language": "en",
        "lists": {"news": {"types": ["news-release", "statement"], "topics": ["housing"]}, "stories": {}},
        "state": "confirmed",
        "days": 21,
    },
    {
        "email": "julien.bouchard@example.org",
        "language": "fr",
        "lists": {"challenges": {}, "news": {}, "jobs": {}, "stories": {}},
        "state": "confirmed",
        "days": 12,
    },
    {
        "email": "maya.thompson@example.ca",
        "language": "en",
        "lists": {"jobs": {}},
        "state": "pending",
        "days": 1,
    },
    {
        "email": "bounced.inbox@example.org",
        "language": "en",
        "lists": {"challenges": {"topics": ["open-data"]}},
        "state": "suppressed",
        "days": 60,
    },
    {
        "email": "sophie.gagne@example.ca",
        "language": "fr",
        "lists": {"news": {"topics": ["climate"]}},
        "state": "unsubscribed",
        "days": 90,
    },
    {
        "email": "priya.natarajan@example.ca",
        "language": "en",
        "lists": {"news": {}},
        "follow": True,
        "frequency": "weekly",
        "state": "confirmed",
        "days": 9,
    },
    {
        "email": "antoine.lavoie@example.org",
        "language": "fr",
        "lists": {},
        "follow": True,
        "state": "confirmed",
        "days": 5,
    },
]


def followed_challenge() -> list[str]:
    """The 311 challenge's translation key (the same in both languages), or nothing without it."""
    keys = ChallengePage.objects.filter(slug=FOLLOWED_SLUG).values_list("translation_key", flat=True)[:1]
    return [str(key) for key in keys]


def demo_emails() -> list[str]:
    return [spec["email"] for spec in SUBSCRIBERS]


def load_subscriber(spec: dict, now: datetime.datetime) -> Subscriber:
    """Subscribe as the form does (in the person's language), then confirm, bounce or unsubscribe."""
    asked = now - datetime.timedelta(days=spec["days"])
    with translation.override(spec["language"]):
        choices = {
            "language": spec["language"],
            "frequency": spec.get("frequency", Subscriber.Frequency.IMMEDIATE),
            "lists": spec["lists"],
            "follow": followed_challenge() if spec.get("follow") else [],
        }
        subscriber = ask(spec["email"], choices, str(CONSENT_TEXT), reverse("alerts:subscribe"), now=asked)
    if spec["state"] == "pending":
        return subscriber
    apply_pending(subscriber, now=asked + datetime.timedelta(minutes=25))  # the confirmation link, used
    if spec["state"] == "suppressed":
        subscriber.suppress(SUPPRESSED_REASON, now=asked + datetime.timedelta(days=20))
    elif spec["state"] == "unsubscribed":
        unsubscribe(subscriber, now=asked + datetime.timedelta(days=45))
    return subscriber


def load(now: datetime.datetime | None = None) -> list[Subscriber]:
    """The demo's subscribers (call after every page is published). Returns those created by this run."""
    now = now or timezone.now()
    known = set(Subscriber.objects.filter(email__in=demo_emails()).values_list("email", flat=True))
    created = [load_subscriber(spec, now) for spec in SUBSCRIBERS if spec["email"] not in known]
    # Never sent: the confirmation emails `ask` queued (they are sent after the demo's transaction
    # commits, and find nothing), and the alerts of the pages the demo just published.
    OutgoingEmail.objects.filter(kind=confirmation.KIND, to__in=demo_emails()).delete()
    AlertBroadcast.objects.filter(done_at__isnull=True).update(done_at=now)
    return created
