"""The weekly summary (issue 22): a subscriber who chose "a weekly summary" gets one email a week
with everything their lists published since the last one, instead of one email per item.

The fan-out (home/alerts/sending.py) gives each weekly subscriber an `AlertDelivery` marked `weekly`
and no email. Every Monday from 9 a.m. Toronto time (`summary_moment`), `queue_summaries` (run every
minute by `manage.py send_alerts`) gathers, per subscriber, the deliveries made before that moment
and not yet summarised into one outbox email (kind "alert-digest", one per subscriber and week: its
dedupe key), and marks them summarised. The email itself is written at send time
(home/alerts/emails.py `build_digest`), from the deliveries it gathered.

A subscriber who moves to immediate alerts still gets what was kept for them, in the next summary."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from home.alerts.models import AlertDelivery, Subscriber
from site_core.local_time import city_zone
from site_core.models import OutgoingEmail

DIGEST = "alert-digest"  # the outbox kind (registered in home/alerts/emails.py)
WEEKDAY = 0  # Monday
HOUR = 9  # 9 a.m., Toronto time
BATCH = 1000


def summary_moment(now: datetime.datetime) -> datetime.datetime:
    """The latest Monday 9 a.m. in Toronto at or before `now` (a wall-clock time, whatever daylight
    saving does)."""
    local = now.astimezone(city_zone())
    monday = local.date() - datetime.timedelta(days=(local.weekday() - WEEKDAY) % 7)
    moment = datetime.datetime.combine(monday, datetime.time(HOUR), tzinfo=city_zone())
    if moment > local:
        moment = datetime.datetime.combine(monday - datetime.timedelta(days=7), datetime.time(HOUR), tzinfo=city_zone())
    return moment


def dedupe_key(subscriber_id: int, moment: datetime.datetime) -> str:
    return f"{DIGEST}:{subscriber_id}:{moment.date().isoformat()}"


def queue_summaries(now: datetime.datetime | None = None) -> int:
    """Queue this week's summary for every reachable subscriber with items kept for it; returns how
    many were queued. Safe to run every minute: a week's summary is queued once per subscriber. A few
    queries per thousand subscribers."""
    now = now or timezone.now()
    moment = summary_moment(now)
    suffix = f":{moment.date().isoformat()}"
    kept = AlertDelivery.objects.filter(weekly=True, summarised_at__isnull=True, created_at__lt=moment)
    people = list(
        kept.filter(subscriber__confirmed_at__isnull=False, subscriber__suppressed_at__isnull=True)
        .order_by("subscriber_id")
        .values_list("subscriber_id", "subscriber__email", "subscriber__language")
        .distinct()
    )
    subscriber_type = ContentType.objects.get_for_model(Subscriber)
    queued = 0
    for start in range(0, len(people), BATCH):
        batch = people[start : start + BATCH]
        with transaction.atomic():
            OutgoingEmail.objects.bulk_create(
                [
                    OutgoingEmail(
                        kind=DIGEST,
                        to=address,
                        language=language,
                        params={"week": moment.date().isoformat()},
                        content_type=subscriber_type,
                        object_id=subscriber_id,
                        dedupe_key=dedupe_key(subscriber_id, moment),
                        next_attempt_at=now,
                        created_at=now,
                    )
                    for subscriber_id, address, language in batch
                ],
                ignore_conflicts=True,
            )
            queued += len(batch)
            this_week = OutgoingEmail.objects.filter(
                dedupe_key=Concat(Value(f"{DIGEST}:"), Cast(OuterRef("subscriber_id"), CharField()), Value(suffix))
            ).values("pk")[:1]
            kept.filter(subscriber_id__in=[row[0] for row in batch]).update(
                summarised_at=now, email_id=Subquery(this_week)
            )
    return queued
