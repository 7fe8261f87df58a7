"""The abstract page every public page type builds on: SEO, social sharing and listing fields."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.models import Page
from wagtail.search import index

from site_core.admin_forms import LocalisedPageForm, is_translatable_snippet


class SocialFieldsMixin(models.Model):
    """The image shown when a page is shared on social media."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("social image"),
        help_text=_("Shown when the page is shared (1200 by 630 pixels works best). Falls back to the listing image."),
    )

    promote_panels = [
        MultiFieldPanel([FieldPanel("social_image")], heading=_("Social sharing")),
    ]

    class Meta:
        abstract = True


class ListingFieldsMixin(models.Model):
    """How a page appears in listings and cards elsewhere on the site."""

    listing_title = models.CharField(
        _("listing title"),
        max_length=120,
        blank=True,
        help_text=_("A shorter title for cards and listings. Leave blank to use the page title."),
    )
    listing_summary = models.CharField(
        _("listing summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two plain sentences shown under the title in listings (300 characters at most)."),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("listing image"),
        help_text=_("Shown on cards that link to this page. Choose an image with meaningful alt text."),
    )

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("listing_title"), FieldPanel("listing_summary"), FieldPanel("listing_image")],
            heading=_("Listings"),
        ),
    ]

    class Meta:
        abstract = True


class BasePage(SocialFieldsMixin, ListingFieldsMixin, Page):
    """Abstract parent of every public page type; brings the SEO, social and listing fields."""

    search_fields = [*Page.search_fields, index.SearchField("listing_summary")]
    # Topics, divisions, contacts, … of the page's own language only (site_core/admin_forms.py).
    base_form_class = LocalisedPageForm

    content_panels = [
        TitleFieldPanel(
            "title",
            help_text=_(
                "The page's main heading. Keep it under 70 characters so search results, browser tabs and "
                "shared links show it whole; put the detail in the summary."
            ),
        )
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel(
                    "seo_title",
                    help_text=_(
                        "Optional title for search results and browser tabs (the office's name is added after "
                        "it). Search engines show about 60 characters."
                    ),
                ),
                FieldPanel(
                    "search_description",
                    help_text=_("One or two sentences for search results and shared links: about 150 characters."),
                ),
            ],
            heading=_("For search engines"),
        ),
        *ListingFieldsMixin.promote_panels,
        *SocialFieldsMixin.promote_panels,
        MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("Navigation")),
    ]

    # Foreign keys the page's own template shows, loaded with the page when site_core/routing.py
    # serves it (one query instead of one each).
    served_with_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.localise_snippet_links(kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def get_view_restrictions(self):
        """Wagtail's rule (the restrictions of the page and its ancestors, an alias's from its source)
        without its two queries when the page was routed by site_core/routing.py, which found the
        ancestors, and none of them is an alias: the restricted pages' paths are in the shared cache
        (what the listings exclude), so a public page costs no query and a private one the one for
        its restrictions."""
        from wagtail.models import PageViewRestriction

        from site_core.listings.queries import restricted_paths
        from site_core.routing import routed_ancestors

        ancestors = routed_ancestors(self)
        if ancestors is None or any(page.alias_of_id for page in [*ancestors, self]):
            return super().get_view_restrictions()
        restricted = set(restricted_paths())
        ids = [page.pk for page in [*ancestors, self] if page.path in restricted]
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(page_id__in=ids)

    def localise_snippet_links(self, update_fields=None) -> bool:
        """Point the page's many-to-many links to translatable snippets (its topics) at their versions
        in the page's language, dropping those not translated into it; True if any changed.

        wagtail-localize copies a page with its topics as they are, in the source's language, and
        translates only foreign keys; the page types declare their topics a `SynchronizedField`, so
        each sync copies the source's topics again, and this (on every save: the copy, the sync, the
        publish) turns them into the translation's own."""
        if not self.locale_id:
            return False
        changed = False
        for field in self._meta.get_fields():
            if not isinstance(field, ParentalManyToManyField) or not is_translatable_snippet(field.related_model):
                continue
            if update_fields is not None and field.name not in update_fields:
                continue
            current = list(getattr(self, field.name).all())
            foreign = {item.translation_key for item in current if item.locale_id != self.locale_id}
            if not foreign:
                continue
            twins = {
                twin.translation_key: twin
                for twin in field.related_model.objects.filter(translation_key__in=foreign, locale_id=self.locale_id)
            }
            own = [item if item.locale_id == self.locale_id else twins.get(item.translation_key) for item in current]
            setattr(self, field.name, list(dict.fromkeys(item for item in own if item is not None)))
            changed = True
        return changed

    @property
    def card_title(self) -> str:
        return self.listing_title or self.title

    @property
    def card_summary(self) -> str:
        return self.listing_summary or self.search_description

    @property
    def card_image(self):
        return self.listing_image

    @property
    def share_image(self):
        return self.social_image or self.listing_image

    @property
    def share_image_id(self) -> int | None:
        """The id of `share_image`, read without loading it (the metadata caches its rendition)."""
        return self.social_image_id or self.listing_image_id

    # --- search engines and sharing (site_core/templatetags/seo_tags.py) ------------------

    # The field that describes the page when it has no SEO description or listing summary (e.g. an
    # index page's introduction); page types whose cards have no summary of their own name one.
    summary_field: str | None = None

    @property
    def meta_description(self) -> str:
        """For search results and shared links: the SEO description, else the listing summary, else
        the type's own summary (a challenge's summary, a release's lead, an index's introduction)."""
        fallback = getattr(self, self.summary_field, "") if self.summary_field else ""
        return self.search_description or self.card_summary or fallback or ""

    def article_dates(self):
        """(published, modified) for pages that are articles (og:type article), else None."""
        return None

    def get_structured_data(self, request, meta, context) -> list[dict]:
        """schema.org objects (without @context) the page type adds to its JSON-LD; `meta` is the
        page's site_core.seo.metadata.PageMeta, `context` its template context. The BreadcrumbList is
        added for every page."""
        return []
