"""The vocabularies of a challenge that more than the models use (the open data names them too)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyDateKind(models.TextChoices):
    OPENS = "opens", _("Applications open")
    INFO_SESSION = "info-session", _("Information session")
    CLOSES = "closes", _("Application deadline")
    SELECTION = "selection", _("Teams selected")
    STINT_START = "stint-start", _("Stint starts")
    DEMO_DAY = "demo-day", _("Demo day")
    STINT_END = "stint-end", _("Stint ends")
