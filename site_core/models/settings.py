"""Site-wide settings editors manage in the admin: contact details that are the same in every
language, social links and the menus. Text that is translated lives in `OfficeDetails`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Site

from site_core.caching.content_cache import remember


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

    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default sharing image"),
        help_text=_(
            "Shown when a page without its own social or listing image is shared on social media "
            "(1200 by 630 pixels works best; its alt text is used too)."
        ),
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
        HelpPanel(
            content=_(
                "The office's name, address and the wording of the privacy notice are translated, so they "
                "are kept in Shared content > Office details, once per language."
            )
        ),
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
    navigation_panels = [FieldPanel("primary_navigation"), FieldPanel("footer_links")]
    sharing_panels = [FieldPanel("default_share_image")]

    edit_handler = TabbedInterface(
        [
            ObjectList(contact_panels, heading=_("Contact")),
            ObjectList(navigation_panels, heading=_("Navigation")),
            ObjectList(sharing_panels, heading=_("Sharing")),
        ]
    )

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_request(cls, request):
        """Wagtail's `for_request` (kept on the request), the row read from the shared cache until
        content changes (saving the settings replaces the token): the header, the footer and the
        page metadata read it on every page, a query each time before (docs/performance.md,
        "Rendering time"). The admin edits the row `for_site` reads from the database."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        site_settings = remember("site-settings", (site.pk,), lambda: cls.for_site(site))
        site_settings._request = request  # as Wagtail does, for page URLs
        setattr(request, attr_name, site_settings)
        return site_settings

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
