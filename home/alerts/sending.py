"""Sending alerts (issue 22): when a page of a list (home/alerts/lists.py) goes live for the first time,
its subscribers are told, each at most once, through the outbox (site_core/services/outbox.py).

- `on_page_published` (Wagtail's `page_published`) writes one `AlertBroadcast` in the publish's own
  transaction, only for a page's first publish (Wagtail sets `first_published_at` and
  `last_published_at` to the same moment then, and never again), only when it is live (a page
  scheduled for later fires the signal too, not live: the scheduler's go-live fires it again, live)
  and public (no view restriction on it or an ancestor). It hands the fan-out to the background
  "email" lane after the commit: the publish request does not wait for it.
- `fan_out(broadcast_id)` claims the broadcast (its row locked, `done_at` set, in one transaction:
  two workers never both do it; a worker that dies leaves it undone for `manage.py send_alerts`),
  reads the reachable subscribers of the page's list and language in one query, keeps those whose
  filters want the page, and writes their `AlertDelivery` and (for immediate subscribers) their
  `OutgoingEmail` 1,000 at a time: a few queries per thousand, whatever their number. Weekly
  subscribers get the delivery only (`email` empty), which the digest reads.
- The email itself is written at send time by `home/alerts/emails.py`.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from home.alerts.lists import facets_of, list_of, wants
from home.alerts.models import AlertBroadcast, AlertDelivery, Subscriber, Subscription
from site_core.models import OutgoingEmail
from site_core.services import background, outbox

logger = logging.getLogger(__name__)

ALERT = "alert"  # the outbox kind (registered in home/alerts/emails.py)
BATCH = 1000
# The first emails of a fan-out go from the background lane at once; the rest are left to the
# minutely `send_queued_emails` (200 a run), so a large list never holds the lane that sends the
# applicants' and staff's emails.
SEND_AT_ONCE = 200


def dedupe_key(broadcast_id: int, subscriber_id: int) -> str:
    return f"{ALERT}:{broadcast_id}:{subscriber_id}"


def is_first_publish(page) -> bool:
    """This publish made the page live for the first time (a re-publish, or a publish after an
    unpublish, keeps the first `first_published_at`)."""
    return bool(page.live and page.first_published_at and page.first_published_at == page.last_published_at)


def is_public(page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def on_page_published(sender, instance, revision=None, alias=False, **kwargs) -> None:
    """`page_published`: record the broadcast of a list's page going live for the first time."""
    alert_list = list_of(instance)
    if alert_list is None or alias or instance.alias_of_id is not None:
        return  # not a list's page, or an alias (its content is another page's, in another locale)
    if not is_first_publish(instance) or not is_public(instance):
        return
    broadcast, created = AlertBroadcast.objects.get_or_create(
        page_id=instance.pk, defaults={"list_key": alert_list.key}
    )
    if created:
        background.after_commit("email", fan_out_and_send, broadcast.pk)


def fan_out_and_send(broadcast_id: int) -> None:
    """The background lane's work: fan out, then send the first emails at once."""
    ids = fan_out(broadcast_id)
    if ids:
        outbox.send_soon(ids[:SEND_AT_ONCE])


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
        candidates = (
            Subscription.objects.filter(
                list_key=broadcast.list_key,
                subscriber__language=language,
                subscriber__confirmed_at__isnull=False,
                subscriber__suppressed_at__isnull=True,
            )
            .order_by("subscriber_id")
            .values_list("subscriber_id", "subscriber__email", "subscriber__frequency", "filters")
        )
        matching = [
            (subscriber_id, address, frequency)
            for subscriber_id, address, frequency, filters in candidates
            if subscriber_id not in already and wants(filters, facets)
        ]
        email_ids = []
        for start in range(0, len(matching), BATCH):
            email_ids += queue_batch(broadcast, language, matching[start : start + BATCH], now)
        broadcast.recipients = len(already) + len(matching)
        AlertBroadcast.objects.filter(pk=broadcast.pk).update(recipients=broadcast.recipients)
    logger.info("Alert %s: %s subscriber(s), %s email(s) queued", broadcast.pk, broadcast.recipients, len(email_ids))
    return email_ids


def queue_batch(broadcast, language: str, batch: list[tuple[int, str, str]], now) -> list[int]:
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
        for subscriber_id, address, frequency in batch
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
                subscriber_id=subscriber_id, broadcast=broadcast, created_at=now, email_id=email_of.get(subscriber_id)
            )
            for subscriber_id, _address, _frequency in batch
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
