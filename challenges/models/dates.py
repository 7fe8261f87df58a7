"""A challenge's timeline: its key dates and its dated announcements."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin

from challenges.choices import KeyDateKind
from site_core.events import RegistrationFieldsMixin
from site_core.text.rich_text import LIMITED_FEATURES

# Kinds that drive the status; each may appear once per challenge.
MILESTONE_KINDS = {KeyDateKind.OPENS, KeyDateKind.CLOSES, KeyDateKind.STINT_START, KeyDateKind.STINT_END}
# Kinds people attend, which may take registrations (site_core/events.py, home/events/).
EVENT_KINDS = {KeyDateKind.INFO_SESSION, KeyDateKind.DEMO_DAY}


class ChallengeKeyDate(TranslatableMixin, RegistrationFieldsMixin, Orderable):
    page = ParentalKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="key_dates")
    kind = models.CharField(_("what happens"), max_length=20, choices=KeyDateKind.choices)
    starts_at = models.DateTimeField(_("date and time"), help_text=_("Toronto time."))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Optional, e.g. for a session."))
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("Street address or room, if in person."),
    )
    online_url = models.URLField(_("online link"), blank=True, help_text=_("Link to join online, if any."))
    online = models.BooleanField(
        _("held online only"),
        default=False,
        help_text=_(
            "Tick for a session held only online: the location then says how to join (e.g. 'the link is emailed "
            "to everyone who registers') and is not an address."
        ),
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, help_text="Stable identifier for calendar files.")

    panels = [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("location"), FieldPanel("online_url")]),
        FieldPanel("online"),
        *RegistrationFieldsMixin.registration_panels,
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("key date")
        verbose_name_plural = _("key dates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.registration_required and self.kind not in EVENT_KINDS:
            raise ValidationError(
                {"registration_required": _("Only an information session or a demo day takes registrations.")}
            )


class ChallengeAnnouncement(TranslatableMixin, Orderable):
    page = ParentalKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="announcements")
    published_at = models.DateTimeField(_("date"), default=timezone.now)
    title = models.CharField(_("title"), max_length=150, help_text=_("e.g. 'Deadline extended to 15 May'."))
    body = RichTextField(_("text"), features=LIMITED_FEATURES)

    panels = [FieldPanel("published_at"), FieldPanel("title"), FieldPanel("body")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
