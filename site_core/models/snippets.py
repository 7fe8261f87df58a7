"""Translatable snippets shared by every content app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from site_core.text.rich_text import LIMITED_FEATURES


class SlugSnippet(TranslatableMixin, index.Indexed, models.Model):
    """A named snippet with a URL-safe slug used in filters (`?division=<slug>`)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        help_text=_("Used in web addresses, e.g. ?topic=transit. Lowercase letters, numbers and hyphens."),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    # The slug stays the same in every language so filter links work across the language switcher.
    override_translatable_fields = [SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(SlugSnippet):
    """A City division or agency that brings a problem to the office."""

    description = models.TextField(
        _("description"), blank=True, help_text=_("One or two sentences about what the division does.")
    )
    website = models.URLField(_("website"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("website")]
    override_translatable_fields = [SynchronizedField("slug"), SynchronizedField("website")]

    class Meta(SlugSnippet.Meta):
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="unique_division_slug_per_locale"),
        ]


class Topic(SlugSnippet):
    """A subject residents browse by, such as transit, housing or open data."""

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(SlugSnippet.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="unique_topic_slug_per_locale"),
        ]

    @classmethod
    def for_locale(cls, locale_id: int) -> list["Topic"]:
        """The topics of one language (listing filters), from the shared cache until content changes."""
        from site_core.caching.content_cache import remember

        return remember("topics", (locale_id,), lambda: list(cls.objects.filter(locale_id=locale_id)))


class PartnerCity(SlugSnippet):
    """A city in the Innovation Teams network the office works with."""

    region = models.CharField(_("state, province or district"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=120)
    program = models.CharField(
        _("program"),
        max_length=160,
        blank=True,
        help_text=_("The programme the partnership comes from, e.g. 'Bloomberg Philanthropies Innovation Teams'."),
    )
    website = models.URLField(_("website"), blank=True, help_text=_("The partner team's own site."))
    description = models.TextField(
        _("description"), blank=True, help_text=_("Two or three sentences about the partner team.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel([FieldPanel("region"), FieldPanel("country")], heading=_("Where")),
        FieldPanel("program"),
        FieldPanel("website"),
        FieldPanel("description"),
    ]
    override_translatable_fields = [SynchronizedField("slug"), SynchronizedField("website")]

    class Meta(SlugSnippet.Meta):
        verbose_name = _("partner city")
        verbose_name_plural = _("partner cities")
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="unique_partnercity_slug_per_locale"),
        ]

    @classmethod
    def for_locale(cls, locale_id: int) -> list["PartnerCity"]:
        """The cities of one language, from the shared cache until content changes."""
        from site_core.caching.content_cache import remember

        return remember("partner-cities", (locale_id,), lambda: list(cls.objects.filter(locale_id=locale_id)))

    @property
    def place(self) -> str:
        return ", ".join(part for part in [self.region, self.country] if part)


class MediaContact(TranslatableMixin, index.Indexed, models.Model):
    """An office journalists can reach (an office, not a named person, so it never goes stale)."""

    office = models.CharField(_("office"), max_length=120, help_text=_("e.g. 'Strategic Communications'."))
    organisation = models.CharField(_("organisation"), max_length=120, default="City of Toronto")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    panels = [FieldPanel("office"), FieldPanel("organisation"), FieldPanel("phone"), FieldPanel("email")]
    override_translatable_fields = [SynchronizedField("phone"), SynchronizedField("email")]
    search_fields = [index.SearchField("office"), index.AutocompleteField("office"), index.SearchField("organisation")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["office"]
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")

    def __str__(self) -> str:
        return f"{self.office}, {self.organisation}" if self.organisation else self.office


class Boilerplate(TranslatableMixin, index.Indexed, models.Model):
    """A reusable 'About …' paragraph placed at the end of news releases."""

    title = models.CharField(_("title"), max_length=120, help_text=_("e.g. 'About the Innovation Team'."))
    body = RichTextField(_("text"), features=LIMITED_FEATURES)

    panels = [FieldPanel("title"), FieldPanel("body")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.SearchField("body")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        verbose_name = _("boilerplate")
        verbose_name_plural = _("boilerplates")

    def __str__(self) -> str:
        return self.title
