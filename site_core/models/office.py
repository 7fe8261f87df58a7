"""The office's name, address and notice-of-collection wording, once per language.

These texts used to live in the site settings, which Wagtail keeps once per site, so the French
site showed them in English. As a translatable snippet they are translated in wagtail-localize's
editor like everything else and appear in the translation status report."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.fields import SynchronizedField


class OfficeDetails(TranslatableMixin, models.Model):
    office_name = models.CharField(
        _("office name"),
        max_length=120,
        default="Civic Innovation Office",
        help_text=_("Shown in the header, footer and page titles."),
    )
    parent_organisation = models.CharField(
        _("parent organisation"),
        max_length=120,
        blank=True,
        help_text=_("The part of the City the office belongs to, shown in the footer."),
    )
    employer_name = models.CharField(
        _("employer"),
        max_length=120,
        blank=True,
        help_text=_(
            "Who hires the office's staff, in this language: the hiring organisation job postings name to "
            "search engines (for example City of Toronto, Ville de Toronto)."
        ),
    )
    street_address = models.TextField(
        _("street address"), blank=True, help_text=_("The office's mailing address, one line per line.")
    )
    phone = models.CharField(
        _("office phone"),
        max_length=60,
        blank=True,
        help_text=_(
            "The office's general phone number, shown where a page shows the office's contact details "
            "(same in every language)."
        ),
    )
    privacy_legal_authority = models.TextField(
        _("legal authority for collection"),
        blank=True,
        default="City of Toronto Act, 2006, S.O. 2006, c. 11, Schedule A, s. 136(c)",
        help_text=_("The law under which the City collects personal information through forms."),
    )
    privacy_officer_title = models.CharField(
        _("privacy officer's title"),
        max_length=150,
        blank=True,
        help_text=_(
            "Title of the official who answers questions about the collection of personal "
            "information, e.g. 'Director, Civic Innovation Office'. Shown on every form."
        ),
    )
    privacy_officer_address = models.TextField(
        _("privacy officer's business address"),
        blank=True,
        help_text=_("Business address for privacy questions, shown on every form."),
    )
    privacy_officer_phone = models.CharField(
        _("privacy officer's business phone"),
        max_length=60,
        blank=True,
        help_text=_("Business telephone number for privacy questions, shown on every form (same in every language)."),
    )
    open_data_licence_name = models.CharField(
        _("open data licence"),
        max_length=120,
        default="Open Government Licence – Toronto",  # noqa: RUF001 - the licence's own name
        help_text=_("The licence under which the open data downloads (e.g. all challenges) may be reused."),
    )
    open_data_licence_url = models.URLField(
        _("open data licence web page"),
        default="https://open.toronto.ca/open-data-licence/",
        help_text=_("The full text of the licence, in this language when it exists."),
    )

    panels = [
        FieldPanel("office_name"),
        FieldPanel("parent_organisation"),
        FieldPanel("employer_name"),
        FieldPanel("street_address"),
        FieldPanel("phone"),
        MultiFieldPanel(
            [
                FieldPanel("privacy_legal_authority"),
                FieldPanel("privacy_officer_title"),
                FieldPanel("privacy_officer_address"),
                FieldPanel("privacy_officer_phone"),
            ],
            heading=_("Notice of collection"),
        ),
        MultiFieldPanel(
            [FieldPanel("open_data_licence_name"), FieldPanel("open_data_licence_url")],
            heading=_("Open data"),
        ),
    ]
    override_translatable_fields = [SynchronizedField("privacy_officer_phone"), SynchronizedField("phone")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("office details")
        verbose_name_plural = _("office details")
        constraints = [models.UniqueConstraint(fields=["locale"], name="one_office_details_per_locale")]

    def __str__(self) -> str:
        return self.office_name

    def clean(self):
        super().clean()
        # The admin form has no locale field, so Django cannot check the constraint itself.
        if self.locale_id and OfficeDetails.objects.filter(locale_id=self.locale_id).exclude(pk=self.pk).exists():
            raise ValidationError(
                _("Office details already exist in this language: edit them instead of adding another set.")
            )

    @property
    def notice_complete(self) -> bool:
        """True when the notice of collection can name its legal authority and the official who
        answers questions (title, business address and phone), as MFIPPA s. 29(2) requires."""
        return all(
            value.strip()
            for value in [
                self.privacy_legal_authority,
                self.privacy_officer_title,
                self.privacy_officer_address,
                self.privacy_officer_phone,
            ]
        )

    @classmethod
    def for_language(cls, language_code: str) -> "OfficeDetails":
        """The details in `language_code`, else in the default language, else the built-in defaults
        (unsaved). Served from the shared cache until content changes (site_core/caching/content_cache.py)."""
        from site_core.caching.content_cache import remember

        def pick() -> "OfficeDetails":
            candidates = {
                details.locale.language_code: details
                for details in cls.objects.filter(
                    locale__language_code__in=[language_code, settings.LANGUAGE_CODE]
                ).select_related("locale")
            }
            return candidates.get(language_code) or candidates.get(settings.LANGUAGE_CODE) or cls()

        return remember("office-details", (language_code,), pick)

    @classmethod
    def employer_in(cls, language_code: str) -> str:
        """The employer's name in `language_code`, else in the default language."""
        return (
            cls.for_language(language_code).employer_name
            or cls.for_language(settings.LANGUAGE_CODE).employer_name
            or "City of Toronto"
        )

    @classmethod
    def for_locale(cls, locale: Locale) -> "OfficeDetails":
        return cls.for_language(locale.language_code)
