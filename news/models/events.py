"""An event a news release announces (a demo day, a public meeting), shown on the release and, when
it takes registrations, registered for at /<lang>/events/<translation_key>/register/ (home/events/)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, TranslatableMixin

from site_core.events import RegistrationFieldsMixin


class ReleaseEvent(TranslatableMixin, RegistrationFieldsMixin, Orderable):
    page = ParentalKey("news.NewsReleasePage", on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=150, help_text=_("e.g. 'Demo day of the 311 pilot'."))
    starts_at = models.DateTimeField(_("date and time"), help_text=_("Toronto time."))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Optional."))
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Street address or room, if in person.")
    )
    online_url = models.URLField(_("online link"), blank=True, help_text=_("Link to join online, if any."))
    online = models.BooleanField(
        _("held online only"),
        default=False,
        help_text=_("Tick for an event held only online: the location then says how to join, not an address."),
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, help_text="Stable identifier for calendar files.")

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("location"), FieldPanel("online_url")]),
        FieldPanel("online"),
        *RegistrationFieldsMixin.registration_panels,
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.title}: {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event ends before it starts: check its end time.")})
