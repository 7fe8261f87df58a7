from django.db import models
from django.utils.translation import gettext_lazy as _


class ReleaseType(models.TextChoices):
    NEWS_RELEASE = "news-release", _("News release")
    MEDIA_ADVISORY = "media-advisory", _("Media advisory")
    BACKGROUNDER = "backgrounder", _("Backgrounder")
    STATEMENT = "statement", _("Statement")
