"""The outbox: every email the site sends is a row first, queued in the same transaction as what it
is about, then sent (and retried) off the request by site_core/services/outbox.py."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One email to send. `kind` names the registered builder that writes it at send time
    (site_core.services.outbox.register), from `params` and the object it is `about`; `dedupe_key`, when
    set, makes queuing the same email twice impossible."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")
        DROPPED = "dropped", _("Nothing to send")

    kind = models.CharField(_("kind"), max_length=40)
    to = models.EmailField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=10, default="en")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # When it may next be tried; while "sending", the end of its sender's lease (a sender that died
    # leaves it to be tried again then).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["content_type", "object_id"], name="outbox_about"),
            models.Index(fields=["to", "created_at"], name="outbox_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"
