"""News releases: the page, its admin form (a future release date is an embargo) and its links to
boilerplates, media contacts and related challenges. The newsroom is news/models/newsroom.py."""

from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from news.choices import ReleaseType
from news.structured_data import news_article
from site_core.admin_forms import LocalisedPageForm
from site_core.api.fields import (
    LISTING_API_FIELDS,
    InlineListField,
    PageLinkListField,
    SnippetListField,
    StreamBlocksField,
)
from site_core.blocks import MEDIA_KIT_PREVIEW, BodyBlock, MediaKitBlock
from site_core.listings.queries import restricted_paths
from site_core.models import BasePage
from site_core.seo.structured_data import image_object


class NewsReleasePageForm(LocalisedPageForm):
    """A release dated in the future is an embargoed release: unless the editor chose another go-live
    time, it goes live at its release time (Wagtail's scheduled publishing)."""

    def clean(self):
        cleaned = super().clean()
        release_date = cleaned.get("release_date")
        if release_date and release_date > timezone.now() and not cleaned.get("go_live_at"):
            cleaned["go_live_at"] = release_date
        return cleaned


class NewsReleasePage(BasePage):
    """A release as a city newsroom publishes it: headline, lead, body, boilerplates, contacts."""

    release_type = models.CharField(
        _("release type"),
        max_length=20,
        choices=ReleaseType.choices,
        default=ReleaseType.NEWS_RELEASE,
    )
    release_date = models.DateTimeField(
        _("release date and time"),
        default=timezone.now,
        help_text=_(
            "Shown on the release, in Toronto time. A release dated in the future is embargoed: it "
            "stays invisible everywhere until this time, then goes live by itself."
        ),
    )
    lead = models.TextField(
        _("lead"),
        max_length=600,
        help_text=_("The first paragraph: who, what, when and where, in one or two sentences."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    media_kit = StreamField(
        MediaKitBlock(),
        blank=True,
        verbose_name=_("media kit"),
        help_text=_(
            "Photos journalists may download and publish: upload them at full size; the page shows a smaller "
            "copy and links the original, with its caption, credit and licence."
        ),
    )
    topics = ParentalManyToManyField("site_core.Topic", blank=True, related_name="+", verbose_name=_("topics"))

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("release_type"), FieldPanel("release_date")], heading=_("Release")),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("media_kit"),
        InlinePanel("boilerplate_links", heading=_("About (boilerplates)"), label=_("boilerplate")),
        InlinePanel("media_contact_links", heading=_("Media contacts"), label=_("media contact")),
        FieldPanel("topics"),
        InlinePanel(
            "related_challenge_links",
            heading=_("Related challenges"),
            label=_("challenge"),
            help_text=_("Challenges this release is about; the release is listed on their pages."),
        ),
        InlinePanel(
            "events",
            heading=_("Events"),
            label=_("event"),
            help_text=_("Sessions or demo days the release announces, in Toronto time; each may take registrations."),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]

    # The public API (docs/open-data.md): what the release shows.
    api_fields = [
        *LISTING_API_FIELDS,
        APIField("release_type"),
        APIField("release_date"),
        APIField("lead"),
        APIField("body", serializer=StreamBlocksField()),
        APIField("media_kit", serializer=StreamBlocksField(image_filter=MEDIA_KIT_PREVIEW)),
        APIField("topics", serializer=SnippetListField("name", "slug")),
        APIField(
            "boilerplates",
            serializer=InlineListField(
                "title", "body", source="boilerplate_links", through="boilerplate", rich_text_attributes=["body"]
            ),
        ),
        APIField(
            "media_contacts",
            serializer=InlineListField(
                "office", "organisation", "phone", "email", source="media_contact_links", through="media_contact"
            ),
        ),
        APIField(
            "related_challenges", serializer=PageLinkListField(source="related_challenge_links", through="challenge")
        ),
    ]

    # A translation's topics follow its source's, in its own language (BasePage.localise_snippet_links).
    override_translatable_fields = [SynchronizedField("topics", overridable=False)]
    base_form_class = NewsReleasePageForm
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news release")
        indexes = [
            # Listings and archives read releases newest first and stop at the page shown.
            models.Index(fields=["-release_date", "-page_ptr"], name="news_release_newest_first"),
        ]

    def get_related_cached_urls(self, roots) -> list[str]:
        """Addresses besides its ancestors' that list this release (site_core/caching/proxy_cache.py): its year
        and month archives and its type's feed."""
        index_url = self.get_parent().get_full_url(roots)
        if not index_url:
            return []
        local = timezone.localtime(self.release_date)
        return [
            f"{index_url}{local:%Y}/",
            f"{index_url}{local:%Y}/{local:%m}/",
            f"{index_url}feed/{self.release_type}/",
        ]

    @property
    def card_summary(self) -> str:
        return self.listing_summary or self.search_description or self.lead

    def article_dates(self):
        """Published on its release date; modified when last published, never before the release date."""
        modified = self.last_published_at or self.release_date
        return self.release_date, max(self.release_date, modified)

    def get_structured_data(self, request, meta, context) -> list[dict]:
        published, modified = self.article_dates()
        image = meta.image and image_object(meta.image.url, meta.image.width, meta.image.height, meta.image.alt)
        article = news_article(
            headline=self.title,
            url=meta.canonical,
            published=published,
            modified=modified,
            language=meta.language_tag,
            publisher=meta.organization,
            description=meta.description,
            image=image,
            section=self.get_release_type_display(),
        )
        return [article]

    def get_context(self, request, *args, **kwargs):
        """Read only when shown: the page keeps its article as a fragment of HTML
        (news/news_release_page.html, site_core/templatetags/fragments.py)."""
        context = super().get_context(request, *args, **kwargs)
        context["boilerplates"] = SimpleLazyObject(
            lambda: [link.boilerplate for link in self.boilerplate_links.select_related("boilerplate")]
        )
        context["media_contacts"] = SimpleLazyObject(
            lambda: [link.media_contact for link in self.media_contact_links.select_related("media_contact")]
        )
        context["events"] = SimpleLazyObject(lambda: sorted(self.events.all(), key=lambda event: event.starts_at))
        context["related_challenges"] = SimpleLazyObject(self.related_challenges)
        return context

    def related_challenges(self) -> list:
        """The challenges this release is about that are live and public, in the editor's order, as
        the API lists them: one query, whatever their number (the restricted sections are cached)."""
        links = self.related_challenge_links.filter(challenge__live=True).select_related("challenge")
        restricted = restricted_paths()
        return [
            link.challenge for link in links if not any(link.challenge.path.startswith(prefix) for prefix in restricted)
        ]


class NewsReleaseBoilerplate(TranslatableMixin, Orderable):
    page = ParentalKey(NewsReleasePage, on_delete=models.CASCADE, related_name="boilerplate_links")
    boilerplate = models.ForeignKey(
        "site_core.Boilerplate", on_delete=models.CASCADE, related_name="+", verbose_name=_("boilerplate")
    )

    panels = [FieldPanel("boilerplate")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass


class NewsReleaseMediaContact(TranslatableMixin, Orderable):
    page = ParentalKey(NewsReleasePage, on_delete=models.CASCADE, related_name="media_contact_links")
    media_contact = models.ForeignKey(
        "site_core.MediaContact", on_delete=models.CASCADE, related_name="+", verbose_name=_("media contact")
    )

    panels = [FieldPanel("media_contact")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass


class NewsReleaseRelatedChallenge(TranslatableMixin, Orderable):
    page = ParentalKey(NewsReleasePage, on_delete=models.CASCADE, related_name="related_challenge_links")
    # A link to the base page model, limited to challenges by the chooser: wagtail-localize resolves
    # translated links as base pages, which a foreign key to ChallengePage would refuse.
    challenge = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="release_links",
        verbose_name=_("challenge"),
    )

    panels = [PageChooserPanel("challenge", "challenges.ChallengePage")]
    # wagtail-localize copies links to pages as they are; translating the link points the French
    # release at the French challenge (once it exists: until then, at the original).
    override_translatable_fields = [TranslatableField("challenge")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass
