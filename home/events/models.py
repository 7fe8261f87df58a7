"""Registrations for events (a challenge's information session or demo day, an event of a news
release: the fields that make one take registrations are site_core/events.py).

- An event is known by its `translation_key`, the same in English and French: both pages share the
  seats, and one address registers once per event (`Registration`, unique per event and email).
- `EventSeats`, one row per event, is locked (SELECT … FOR UPDATE) while its registrations are counted
  and one is added, cancelled or promoted (home/events/seats.py), so concurrent registrations never
  take more seats than the event has.
- The cancel link in every email carries a `RegistrationKey`: a random token, only its hash at rest,
  a new one per email (as the alerts' links do)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from site_core.security.tokens import MAX_TOKEN_LENGTH, new_token, token_hash

NAME_LENGTH = 200
ACCESSIBILITY_LENGTH = 1000


class EventSeats(models.Model):
    """The row locked while an event's seats are counted and given."""

    translation_key = models.UUIDField(unique=True)

    class Meta:
        verbose_name = _("event seats")
        verbose_name_plural = _("event seats")

    def __str__(self) -> str:
        return f"seats of {self.translation_key}"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        HELD = "held", _("Held for a check")
        CANCELLED = "cancelled", _("Cancelled")

    translation_key = models.UUIDField(_("event"))
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("registered on")
    )
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    email = models.EmailField(_("email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=NAME_LENGTH, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=ACCESSIBILITY_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    held_reason = models.CharField(_("why held"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    notified_at = models.DateTimeField(_("moved off the waiting list"), null=True, blank=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(fields=["translation_key", "email"], name="one_registration_per_event_and_email")
        ]
        indexes = [models.Index(fields=["translation_key", "status", "created_at"], name="event_registrations")]
        permissions = [("export_registration", _("Can export the event registrations"))]

    def __str__(self) -> str:
        return f"registration {self.pk}"

    def waiting_position(self) -> int:
        """1 for the first on the waiting list."""
        ahead = Registration.objects.filter(translation_key=self.translation_key, status=self.Status.WAITING).filter(
            models.Q(created_at__lt=self.created_at) | models.Q(created_at=self.created_at, pk__lt=self.pk)
        )
        return ahead.count() + 1

    def new_key(self) -> str:
        """A new cancel-link key for an email to this registrant (only its hash is kept)."""
        token = new_token()
        RegistrationKey.objects.create(registration=self, key_hash=token_hash(token))
        return token


class RegistrationKey(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="keys")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("registration link")
        verbose_name_plural = _("registration links")

    def __str__(self) -> str:
        return f"key {self.pk}"

    @classmethod
    def registration_of(cls, token: str) -> Registration | None:
        """The registration a link's token belongs to (one query); the link lives as long as it."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        key = cls.objects.filter(key_hash=token_hash(token)).select_related("registration").first()
        return key.registration if key else None
