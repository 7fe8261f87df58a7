"""Site-wide settings editors manage in the admin: the office's contact details, social links,
the privacy officer named in every notice of collection, and the main navigation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField


class NavigationLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        label=_("page"),
        help_text=_("Visitors see this page in their own language when a translation exists."),
    )
    label = blocks.CharBlock(
        required=False,
        max_length=40,
        label=_("label"),
        help_text=_("Leave blank to use the page's title (recommended: it is translated with the page)."),
    )

    class Meta:
        icon = "link"
        label = _("Menu link")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    office_name = models.CharField(
        _("office name"),
        max_length=120,
        default="Civic Innovation Office",
        help_text=_("Shown in the header, footer and page titles."),
    )
    parent_organisation = models.CharField(
        _("parent organisation"),
        max_length=120,
        default="City Manager's Office",
        help_text=_("The part of the City the office belongs to, shown in the footer."),
    )
    street_address = models.TextField(
        _("street address"),
        blank=True,
        help_text=_("The office's mailing address, one line per line."),
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("General enquiries. Shown in the footer and used as a fallback contact on pages."),
    )
    phone_311 = models.CharField(
        _("311 contact"),
        max_length=60,
        default="311",
        help_text=_("How residents reach City services, e.g. '311' or '311 (outside the city: 416-392-2489)'."),
    )
    phone_311_url = models.URLField(
        _("311 web page"),
        blank=True,
        help_text=_("Optional link to the City's 311 service page."),
    )
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    github_url = models.URLField(_("GitHub"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)

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
        help_text=_("Business telephone number for privacy questions, shown on every form."),
    )
    privacy_legal_authority = models.TextField(
        _("legal authority for collection"),
        blank=True,
        default="City of Toronto Act, 2006, S.O. 2006, c. 11, Schedule A, s. 136(c)",
        help_text=_("The law under which the City collects personal information through forms."),
    )

    primary_navigation = StreamField(
        [("link", NavigationLinkBlock())],
        blank=True,
        max_num=7,
        verbose_name=_("main navigation"),
        help_text=_("The links in the site header, in order (seven at most so they fit on a phone)."),
    )
    footer_links = StreamField(
        [("link", NavigationLinkBlock())],
        blank=True,
        max_num=10,
        verbose_name=_("footer links"),
        help_text=_("Links in the footer, e.g. accessibility, privacy, terms of use."),
    )

    contact_panels = [
        FieldPanel("office_name"),
        FieldPanel("parent_organisation"),
        FieldPanel("street_address"),
        FieldPanel("contact_email"),
        MultiFieldPanel([FieldPanel("phone_311"), FieldPanel("phone_311_url")], heading=_("311")),
        MultiFieldPanel(
            [
                FieldPanel("x_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("instagram_url"),
                FieldPanel("github_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Social media"),
        ),
    ]
    privacy_panels = [
        FieldPanel("privacy_legal_authority"),
        FieldPanel("privacy_officer_title"),
        FieldPanel("privacy_officer_address"),
        FieldPanel("privacy_officer_phone"),
    ]
    navigation_panels = [FieldPanel("primary_navigation"), FieldPanel("footer_links")]

    edit_handler = TabbedInterface(
        [
            ObjectList(contact_panels, heading=_("Contact")),
            ObjectList(privacy_panels, heading=_("Privacy notice")),
            ObjectList(navigation_panels, heading=_("Navigation")),
        ]
    )

    class Meta:
        verbose_name = _("site settings")

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(label, url) pairs for the social accounts that are filled in."""
        pairs = [
            ("X", self.x_url),
            ("LinkedIn", self.linkedin_url),
            ("Instagram", self.instagram_url),
            ("GitHub", self.github_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in pairs if url]

    @property
    def privacy_notice_complete(self) -> bool:
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
