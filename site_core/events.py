"""What makes an event (a challenge's information session or demo day, an event of a news release)
take registrations (issue 22): the fields editors fill in, their rules, and the one rule about its
online link. The registrations themselves live in home/events/."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

MAX_CAPACITY = 10_000


class RegistrationFieldsMixin(models.Model):
    """Registration on or off, the number of seats and a note for registrants. The model it is mixed
    into has `starts_at`, `online_url` and a `translation_key` (the event's identity in every
    language, so the English and French pages share the seats)."""

    registration_required = models.BooleanField(
        _("takes registrations"),
        default=False,
        help_text=_(
            "Tick to show a registration form. The online link is then sent only to registrants, never shown "
            "on the site."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("How many people can register; others join the waiting list. Required to take registrations."),
    )
    registration_note = models.CharField(
        _("note for registrants"),
        max_length=300,
        blank=True,
        help_text=_("Optional: what registrants should know, e.g. 'Bring photo ID for the building'."),
    )

    registration_panels = [
        FieldRowPanel([FieldPanel("registration_required"), FieldPanel("capacity")]),
        FieldPanel("registration_note"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.registration_required:
            return
        errors = {}
        if not self.capacity:
            errors["capacity"] = _("Give the number of seats of an event that takes registrations.")
        elif self.capacity > MAX_CAPACITY:
            errors["capacity"] = _("At most %(max)s seats.") % {"max": MAX_CAPACITY}
        if not getattr(self, "starts_at", None):
            errors["starts_at"] = _("An event that takes registrations needs its start time.")
        if errors:
            raise ValidationError(errors)

    @property
    def public_online_url(self) -> str:
        """The online link as the public sees it (page, calendar file, structured data, API): none once
        the event takes registrations, whose registrants alone get it."""
        return "" if self.registration_required else (self.online_url or "")
