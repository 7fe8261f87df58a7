"""Messages from visitors: the contact form (a topic that routes to an inbox) and the accessibility
feedback form (AODA, Integrated Accessibility Standards, s. 11: with the format the reply should take).
Stored before any email is queued (home/messages/submission.py), kept `RETENTION_MONTHS` after they
arrive (`manage.py purge_visitor_messages`), read by the Communications role only."""

import calendar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_LENGTH = 200
ABOUT_LENGTH = 300
MESSAGE_LENGTH = 5000
RETENTION_MONTHS = 24  # MFIPPA: at least a year after the last use; the answer may be asked about later


class VisitorMessage(models.Model):
    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact form")
        ACCESSIBILITY = "accessibility", _("Accessibility feedback")

    class Topic(models.TextChoices):
        GENERAL = "general", _("A general question")
        CHALLENGE = "challenge", _("A challenge or an application")
        MEDIA = "media", _("Media and interviews")
        PARTNERSHIPS = "partnerships", _("Partnerships")

    class ReplyFormat(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        LARGE_PRINT = "large_print", _("Large print")
        BRAILLE = "braille", _("Braille")
        OTHER = "other", _("Another format (say which in your message)")

    class Status(models.TextChoices):
        NEW = "new", _("To answer")
        ANSWERED = "answered", _("Answered")
        HELD = "held", _("Held for a check")

    kind = models.CharField(_("form"), max_length=20, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    name = models.CharField(_("name"), max_length=NAME_LENGTH, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    about = models.CharField(_("about"), max_length=ABOUT_LENGTH, blank=True)
    page_url = models.URLField(_("page address"), max_length=ABOUT_LENGTH, blank=True)
    message = models.TextField(_("message"), max_length=MESSAGE_LENGTH)
    reply_format = models.CharField(_("reply format"), max_length=20, choices=ReplyFormat.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10)
    routed_to = models.EmailField(_("sent to"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    held_reason = models.CharField(_("why held"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("message from a visitor")
        verbose_name_plural = _("messages from visitors")
        ordering = ["-created_at", "-pk"]
        permissions = [("export_visitormessage", _("Can export the messages from visitors"))]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """What the sender quotes when they write again: MSG-<year>-<id> (A11Y- for accessibility feedback)."""
        prefix = "A11Y" if self.kind == self.Kind.ACCESSIBILITY else "MSG"
        return f"{prefix}-{self.created_at:%Y}-{self.pk:05d}"


def retention_cutoff(now, months: int = RETENTION_MONTHS):
    """The moment before which a message is past its retention: `months` calendar months before `now`
    (the 31st of a month without one falls on its last day)."""
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)
