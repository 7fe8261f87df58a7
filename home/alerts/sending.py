"""Sending alerts (issue 22): when a page of a list (home/alerts/lists.py) goes live for the first time,
its subscribers are told, each at most once, through the outbox (site_core/services/outbox.py); when a
followed challenge changes, or its deadline nears, its followers are told.

- `on_page_published` (Wagtail's `page_published`) writes one `AlertBroadcast` in the publish's own
  transaction, only for a page's first publish (Wagtail sets `first_published_at` and
  `last_published_at` to the same moment then, and never again), only when it is live (a page
  scheduled for later fires the signal too, not live: the scheduler's go-live fires it again, live)
  and public (no view restriction on it or an ancestor). It hands the fan-out to the background
  "email" lane after the commit: the publish request does not wait for it.
- A later publish of a challenge is compared with what its last broadcast saw (`snapshot`): new
  announcements (amendments are announcements), newly answered questions and a changed deadline make
  an `update:<revision>` broadcast for its followers. `queue_reminders` (run every minute by
  `manage.py send_alerts`) makes `closes-7:<deadline>` and `closes-1:<deadline>` broadcasts for the
  challenges accepting applications whose deadline is within 7 days or 1 day: a moved deadline gets
  its own reminders.
- `fan_out(broadcast_id)` claims the broadcast (its row locked, `done_at` set, in one transaction:
  two workers never both do it; a worker that dies leaves it undone for `manage.py send_alerts`),
  reads the reachable subscribers of the page's list and language in one query, keeps those whose
  filters want the page, and writes their `AlertDelivery` and (for immediate subscribers) their
  `OutgoingEmail` 1,000 at a time: a few queries per thousand, whatever their number. Weekly
  subscribers get the delivery only (marked `weekly`), which the Monday summary gathers
  (home/alerts/digest.py). A followed challenge's news goes out at once to every follower whose
  language is the page's, or who has no live version of it in their own.
- The email itself is written at send time by `home/alerts/emails.py`.
"""

import datetime
import logging
import math

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from challenges.models import ChallengePage
from challenges.queries import statuses_q
from challenges.status import Status
from home.alerts.lists import FOLLOW, facets_of, list_of, wants
from home.alerts.models import AlertBroadcast, AlertDelivery, Subscriber, Subscription
from site_core.models import OutgoingEmail
from site_core.services import background, outbox

logger = logging.getLogger(__name__)

ALERT = "alert"  # the outbox kind (registered in home/alerts/emails.py)
BATCH = 1000
# The first emails of a fan-out go from the background lane at once (about 1 s); the rest are left to
# the minutely `send_queued_emails` (200 a run), so a large list never holds the lane that sends the
# applicants' and staff's emails (`make bench`: 200 at once took 4 to 6 s under load, past the lane's
# 10 s budget at times).
SEND_AT_ONCE = 50


def dedupe_key(broadcast_id: int, subscriber_id: int) -> str:
    return f"{ALERT}:{broadcast_id}:{subscriber_id}"


def is_first_publish(page) -> bool:
    """This publish made the page live for the first time (a re-publish, or a publish after an
    unpublish, keeps the first `first_published_at`)."""
    return bool(page.live and page.first_published_at and page.first_published_at == page.last_published_at)


def is_public(page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def on_page_published(sender, instance, revision=None, alias=False, **kwargs) -> None:
    """`page_published`: record the broadcast of a list's page going live for the first time, or of a
    followed challenge's news."""
    alert_list = list_of(instance)
    if alert_list is None or alias or instance.alias_of_id is not None:
        return  # not a list's page, or an alias (its content is another page's, in another locale)
    first = is_first_publish(instance)
    challenge = isinstance(instance, ChallengePage)
    if not (first or challenge) or not is_public(instance):
        return
    if first:
        record(instance, alert_list.key, AlertBroadcast.NEW, {"seen": snapshot(instance)} if challenge else {})
        return
    news = changes(instance)
    if news is not None:
        record(instance, FOLLOW, f"update:{instance.live_revision_id or instance.last_published_at.isoformat()}", news)


def record(page, list_key: str, key: str, params: dict, fan_out_later: bool = True) -> AlertBroadcast | None:
    """Write a broadcast (once per page and key) and hand its fan-out to the background "email" lane
    after the commit; None when it was written before."""
    broadcast, created = AlertBroadcast.objects.get_or_create(
        page_id=page.pk, key=key, defaults={"list_key": list_key, "params": params}
    )
    if not created:
        return None
    if fan_out_later:
        background.after_commit("email", fan_out_and_send, broadcast.pk)
    return broadcast


def snapshot(page: ChallengePage) -> dict:
    """What a challenge's followers have been told about: its announcements (by translation key),
    its answered questions (by block id; both the same in every language) and its deadline."""
    return {
        "announcements": sorted(str(item.translation_key) for item in page.announcements.all()),
        "questions": sorted(block.id for block in page.faq if block.id),
        "closes_at": page.closes_at.isoformat() if page.closes_at else "",
    }


def changes(page: ChallengePage) -> dict | None:
    """A re-published challenge's news for its followers, against what its last broadcast saw: None
    when there is none. A page published before alerts existed is only noted (nothing was seen)."""
    now_seen = snapshot(page)
    last = AlertBroadcast.objects.filter(page_id=page.pk, params__has_key="seen").order_by("-created_at", "-pk").first()
    if last is None:
        AlertBroadcast.objects.get_or_create(
            page_id=page.pk,
            key=f"seen:{page.last_published_at.isoformat()}",
            defaults={"list_key": FOLLOW, "params": {"seen": now_seen}, "done_at": timezone.now()},
        )
        return None
    seen = last.params["seen"]
    news = {
        "announcements": [key for key in now_seen["announcements"] if key not in seen.get("announcements", [])],
        "questions": [key for key in now_seen["questions"] if key not in seen.get("questions", [])],
        "closes_at": now_seen["closes_at"] if now_seen["closes_at"] != seen.get("closes_at", "") else "",
    }
    if not any(news.values()):
        return None
    return {**news, "seen": now_seen}


REMINDER_DAYS = (7, 1)


def queue_reminders(now: datetime.datetime | None = None) -> int:
    """Record the deadline reminders due (`manage.py send_alerts`, every minute): for each live
    challenge accepting applications whose deadline is within 7 days, `closes-7:<deadline>`, and
    within 1 day, `closes-1:<deadline>` (only the nearer one is due). Returns how many were written;
    their fan-out is left to `fan_out_pending`. Two queries, plus one insert per new reminder."""
    now = now or timezone.now()
    soon = (
        ChallengePage.objects.live()
        .public()
        .filter(statuses_q((Status.OPEN, Status.CLOSING_SOON), now))
        .filter(closes_at__gt=now, closes_at__lte=now + datetime.timedelta(days=max(REMINDER_DAYS)))
        .values_list("pk", "closes_at")
    )
    due = {}
    for page_id, closes_at in soon:
        which = min(days for days in REMINDER_DAYS if closes_at - now <= datetime.timedelta(days=days))
        left = max(1, math.ceil((closes_at - now) / datetime.timedelta(days=1)))  # what the email says
        due[(page_id, f"closes-{which}:{closes_at.isoformat()}")] = {"closes_at": closes_at.isoformat(), "days": left}
    if not due:
        return 0
    known = set(
        AlertBroadcast.objects.filter(
            page_id__in={page_id for page_id, _key in due}, key__startswith="closes-"
        ).values_list("page_id", "key")
    )
    written = 0
    for (page_id, key), params in due.items():
        if (page_id, key) not in known:
            _broadcast, created = AlertBroadcast.objects.get_or_create(
                page_id=page_id, key=key, defaults={"list_key": FOLLOW, "params": params, "created_at": now}
            )
            written += created
    return written


def fan_out_and_send(broadcast_id: int) -> None:
    """The background lane's work: fan out, then send the first emails at once (a job of its own)."""
    ids = fan_out(broadcast_id)
    if ids:
        outbox.send_soon(ids[:SEND_AT_ONCE])


# 20,000 subscribers take about 4 s of database work (docs/performance.md), near the lane's 10 s for
# one piece of work on a busy machine; a fan-out cut short is rolled back and done again by
# `send_alerts` within a minute, so it gets more, still bounded (a silent database cannot hold the
# email lane for ever).
fan_out_and_send.database_budget = 60.0


def fan_out(broadcast_id: int) -> list[int]:
    """Give each subscriber who wants the broadcast's page one delivery and, if immediate, one queued
    email; returns the new emails' ids. Does nothing for a broadcast done or being done elsewhere."""
    now = timezone.now()
    with transaction.atomic():
        # On PostgreSQL a broadcast another worker holds is skipped at once; everywhere, the UPDATE
        # below takes it only while it is not done.
        broadcast = (
            AlertBroadcast.objects.select_for_update(skip_locked=True)
            .filter(pk=broadcast_id, done_at__isnull=True)
            .first()
        )
        if broadcast is None or not AlertBroadcast.objects.filter(pk=broadcast_id, done_at__isnull=True).update(
            done_at=now
        ):
            return []
        page = Page.objects.filter(pk=broadcast.page_id).select_related("locale").first()
        page = page.specific if page is not None else None
        if page is None or not is_public(page):
            logger.info("Alert %s: page %s is no longer public, nobody told", broadcast.pk, broadcast.page_id)
            return []
        language = page.locale.language_code
        facets = facets_of(page)
        already = set(AlertDelivery.objects.filter(broadcast=broadcast).values_list("subscriber_id", flat=True))
        reachable = Subscription.objects.filter(
            list_key=broadcast.list_key, subscriber__confirmed_at__isnull=False, subscriber__suppressed_at__isnull=True
        )
        if broadcast.list_key == FOLLOW:
            candidates = reachable.filter(
                target=str(page.translation_key), subscriber__language__in=follower_languages(page)
            )
        else:
            candidates = reachable.filter(target="", subscriber__language=language)
        candidates = candidates.order_by("subscriber_id").values_list(
            "subscriber_id", "subscriber__email", "subscriber__language", "subscriber__frequency", "filters"
        )
        follow = broadcast.list_key == FOLLOW
        matching = [
            (subscriber_id, address, their_language, Subscriber.Frequency.IMMEDIATE if follow else frequency)
            for subscriber_id, address, their_language, frequency, filters in candidates
            if subscriber_id not in already and wants(filters, facets)
        ]
        email_ids = []
        for start in range(0, len(matching), BATCH):
            email_ids += queue_batch(broadcast, matching[start : start + BATCH], now)
        broadcast.recipients = len(already) + len(matching)
        AlertBroadcast.objects.filter(pk=broadcast.pk).update(recipients=broadcast.recipients)
    logger.info("Alert %s: %s subscriber(s), %s email(s) queued", broadcast.pk, broadcast.recipients, len(email_ids))
    return email_ids


def follower_languages(page) -> list[str]:
    """The languages whose followers hear of this page's news: its own, and those in which the
    challenge has no live page (they read it in this one)."""
    live = set(
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .exclude(pk=page.pk)
        .values_list("locale__language_code", flat=True)
    )
    return [code for code, _name in settings.LANGUAGES if code == page.locale.language_code or code not in live]


def queue_batch(broadcast, batch: list[tuple[int, str, str, str]], now) -> list[int]:
    """Three queries for up to BATCH subscribers: their emails (the immediate ones), the emails' ids,
    their deliveries."""
    subscriber_type = ContentType.objects.get_for_model(Subscriber)
    emails = [
        OutgoingEmail(
            kind=ALERT,
            to=address,
            language=language,
            params={"broadcast": broadcast.pk},
            content_type=subscriber_type,
            object_id=subscriber_id,
            dedupe_key=dedupe_key(broadcast.pk, subscriber_id),
            next_attempt_at=now,
            created_at=now,
        )
        for subscriber_id, address, language, frequency in batch
        if frequency == Subscriber.Frequency.IMMEDIATE
    ]
    email_of = {}
    if emails:
        OutgoingEmail.objects.bulk_create(emails, ignore_conflicts=True)
        email_of = dict(
            OutgoingEmail.objects.filter(dedupe_key__in=[email.dedupe_key for email in emails]).values_list(
                "object_id", "pk"
            )
        )
    AlertDelivery.objects.bulk_create(
        [
            AlertDelivery(
                subscriber_id=subscriber_id,
                broadcast=broadcast,
                created_at=now,
                email_id=email_of.get(subscriber_id),
                weekly=frequency == Subscriber.Frequency.WEEKLY,
            )
            for subscriber_id, _address, _language, frequency in batch
        ],
        ignore_conflicts=True,
    )
    return sorted(email_of.values())


def fan_out_pending() -> tuple[int, int]:
    """Fan out every broadcast not done (`manage.py send_alerts`): (broadcasts found, emails queued)."""
    pending = list(
        AlertBroadcast.objects.filter(done_at__isnull=True).order_by("created_at", "pk").values_list("pk", flat=True)
    )
    done = queued = 0
    for broadcast_id in pending:
        ids = fan_out(broadcast_id)
        queued += len(ids)
        done += 1
    return done, queued
