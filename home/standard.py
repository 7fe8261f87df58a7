"""Standard pages (About the office, Privacy, Accessibility, Terms of use, Contact): a title, an
introduction and a body, linked from the header menu or the footer as the editor chooses."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from site_core.api.fields import LISTING_API_FIELDS, StreamBlocksField
from site_core.blocks import StandardBodyBlock
from site_core.caching.content_cache import remember
from site_core.listings.queries import exclude_restricted
from site_core.models import BasePage

MENU = "menu"
FOOTER = "footer"


class StandardPage(BasePage):
    intro = models.TextField(
        _("introduction"),
        max_length=400,
        blank=True,
        help_text=_("One or two plain sentences under the title: what the page is about."),
    )
    body = StreamField(
        StandardBodyBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("Headings, paragraphs, tables, documents and other blocks, in reading order."),
    )
    show_in_footer = models.BooleanField(
        _("show in footer"),
        default=False,
        help_text=_(
            "Link this page from the footer of every page, in the visitor's language (for example "
            "Privacy, Accessibility, Terms of use). The French page follows its English source."
        ),
    )

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [
        *BasePage.promote_panels[:-1],  # all but Wagtail's bare "Navigation" panel, replaced here
        MultiFieldPanel(
            [
                FieldPanel(
                    "show_in_menus",
                    help_text=_("Link this page from the main menu in the header, after the menu's own links."),
                ),
                FieldPanel("show_in_footer"),
            ],
            heading=_("Navigation"),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [*LISTING_API_FIELDS, APIField("intro"), APIField("body", serializer=StreamBlocksField())]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    summary_field = "intro"  # describes the page to search engines when it has no SEO description

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


def linked_pages(request, site, language: str) -> dict[str, list[dict]]:
    """The live, public standard pages of `language` linked from the header menu and from the
    footer, in tree order: {"menu": [...], "footer": [...]}, each link a {"url", "label"}. Kept in the
    shared cache until content changes, so a page adds no query; one query when it is computed."""

    def compute() -> dict[str, list[dict]]:
        pages = StandardPage.objects.live().filter(
            Q(show_in_menus=True) | Q(show_in_footer=True), locale__language_code=language
        )
        links = {MENU: [], FOOTER: []}
        for page in exclude_restricted(pages).order_by("path"):
            url = page.get_url(request)  # relative on this site: the key names the site
            if not url:
                continue
            link = {"url": url, "label": page.card_title}
            if page.show_in_menus:
                links[MENU].append(link)
            if page.show_in_footer:
                links[FOOTER].append(link)
        return links

    return remember("standard-page-links", (site.pk if site else None, language), compute)
