"""Email alerts (issue 22): who asked for what, with the consent Canada's anti-spam law (CASL) expects
on record, and what each person was sent.

- A `Subscriber` is one email address, in one language. Nothing is sent to it until it confirms
  (double opt-in: `confirmed_at`); an address can be suppressed (a bounce, a complaint, by hand) and
  then gets nothing, whatever it subscribed to.
- Its `Subscription`s say which lists it follows (home/alerts/lists.py) and, for some, which topics,
  divisions or release types.
- The links in the emails carry a `SubscriberKey`: a random token, only its hash at rest; each
  email writes a new one (as an applicant's links do), which works until it is `KEY_DAYS` old.
- When a page goes live for the first time, one `AlertBroadcast` row is written in the publish's own
  transaction; the fan-out (off the request) gives each matching subscriber one `AlertDelivery`
  (unique: an item reaches a person at most once) and queues its email in the outbox."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from site_core.security.tokens import MAX_TOKEN_LENGTH, new_token, token_hash

KEY_DAYS = 400  # a link in an alert keeps working for more than a year (CASL asks for 60 days at least)
# A subscribe request nobody confirmed (or a held form nobody released) is forgotten after this many
# days: an address nobody confirmed is not kept (`forget_unconfirmed`, run by manage.py send_alerts).
UNCONFIRMED_DAYS = 30


def forget_unconfirmed(now=None) -> tuple[int, int]:
    """Delete the subscribers who never confirmed, and clear the unused pending choice of those who
    did, once UNCONFIRMED_DAYS old; delete the link keys past KEY_DAYS. Returns (people deleted,
    choices cleared)."""
    now = now or timezone.now()
    older = now - datetime.timedelta(days=UNCONFIRMED_DAYS)
    never = Subscriber.objects.filter(confirmed_at__isnull=True, suppressed_at__isnull=True, created_at__lt=older)
    deleted = never.delete()[1].get("home.Subscriber", 0)
    stale = [
        subscriber.pk
        for subscriber in Subscriber.objects.exclude(pending={}).only("pk", "pending")
        if (subscriber.pending.get("asked_at") or "") < older.isoformat()
    ]
    cleared = Subscriber.objects.filter(pk__in=stale).update(pending={})
    SubscriberKey.objects.filter(created_at__lt=now - datetime.timedelta(days=KEY_DAYS)).delete()
    return deleted, cleared


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As soon as it is published")
        WEEKLY = "weekly", _("A weekly summary")

    email = models.EmailField(_("email"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=10)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # CASL: what the person consented to, when, and through which form (in their language).
    consent_text = models.TextField(_("consent wording"), blank=True)
    consent_form = models.CharField(_("consent given on"), max_length=200, blank=True)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # What the last subscribe form asked for, applied only when its confirmation link is used (so
    # nobody can change another person's alerts by typing their address): {"language", "lists",
    # "consent_text", "consent_form", "asked_at"}.
    pending = models.JSONField(default=dict, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    suppressed_at = models.DateTimeField(_("suppressed"), null=True, blank=True)
    suppressed_reason = models.CharField(_("why suppressed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["confirmed_at", "suppressed_at"], name="alerts_reachable")]
        permissions = [("export_subscriber", _("Can export the subscribers"))]

    def __str__(self) -> str:
        return f"subscriber {self.pk}"

    def suppress(self, reason: str, now=None) -> None:
        """Nothing more is sent to this address, whatever it follows (a bounce, a complaint, by hand)."""
        self.suppressed_at = now or timezone.now()
        self.suppressed_reason = reason[:200]
        self.save(update_fields=["suppressed_at", "suppressed_reason"])

    @property
    def reachable(self) -> bool:
        return self.confirmed_at is not None and self.suppressed_at is None

    def new_key(self) -> str:
        """A new link key for an email to this subscriber (only its hash is kept)."""
        token = new_token()
        SubscriberKey.objects.create(subscriber=self, key_hash=token_hash(token))
        return token


class SubscriberKey(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="keys")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscriber link")
        verbose_name_plural = _("subscriber links")

    def __str__(self) -> str:
        return f"key {self.pk}"

    @classmethod
    def subscriber_of(cls, token: str, now=None) -> Subscriber | None:
        """The subscriber a link's token belongs to, while the link is valid (one query)."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        oldest = (now or timezone.now()) - datetime.timedelta(days=KEY_DAYS)
        key = (
            cls.objects.filter(key_hash=token_hash(token), created_at__gte=oldest).select_related("subscriber").first()
        )
        return key.subscriber if key else None


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    list_key = models.CharField(_("list"), max_length=20)  # home/alerts/lists.py: LISTS, or FOLLOW
    # For FOLLOW (one challenge): the challenge's translation key, the same in every language.
    target = models.CharField(_("followed challenge"), max_length=36, blank=True, default="")
    # Narrowing, by slug (the same in every language): {"topics": [...], "divisions": [...], "types": [...]}
    filters = models.JSONField(_("only"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "list_key", "target"], name="one_subscription_per_list")
        ]
        indexes = [models.Index(fields=["list_key", "target"], name="alerts_followers")]

    def __str__(self) -> str:
        return f"{self.list_key} for subscriber {self.subscriber_id}"


class AlertBroadcast(models.Model):
    """Something to tell a page's subscribers (written in the publish's transaction, or by
    `manage.py send_alerts` for a deadline reminder; fanned out off the request, then `done_at` is
    set). `key` says what, once per page: NEW (the page went live), `update:<revision>` (a followed
    challenge's new announcements, answers or deadline, in `params`), `closes-7:<deadline>` and
    `closes-1:<deadline>` (reminders to its followers)."""

    NEW = "new"

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    list_key = models.CharField(max_length=20)
    key = models.CharField(max_length=60, default=NEW)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [models.UniqueConstraint(fields=["page", "key"], name="one_broadcast_per_page_and_key")]
        indexes = [models.Index(fields=["done_at", "created_at"], name="alerts_pending")]

    def __str__(self) -> str:
        return f"alert for page {self.page_id}"

    @property
    def kind_label(self) -> str:
        """What was sent, for the staff report."""
        if self.key.startswith("update:"):
            return str(_("Update, to the challenge's followers"))
        if self.key.startswith("closes-"):
            return str(_("Deadline reminder, to the challenge's followers"))
        return str(_("New page"))


class AlertDelivery(models.Model):
    """One item for one subscriber: at most once (the unique constraint), whether emailed alone or
    in a digest."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    broadcast = models.ForeignKey(AlertBroadcast, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey("site_core.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL)
    # For a weekly subscriber: kept for the Monday summary (home/alerts/digest.py), which sets
    # `summarised_at` and `email` when it gathers it.
    weekly = models.BooleanField(default=False)
    summarised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "broadcast"], name="one_delivery_per_subscriber_and_item")
        ]
        indexes = [models.Index(fields=["weekly", "summarised_at", "created_at"], name="alerts_for_summary")]

    def __str__(self) -> str:
        return f"delivery {self.pk}"
