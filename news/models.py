"""News releases and the newsroom index."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from site_core.blocks import BodyBlock
from site_core.models import BasePage
from site_core.pagination import paginate
from site_core.queries import exclude_restricted


class ReleaseType(models.TextChoices):
    NEWS_RELEASE = "news-release", _("News release")
    MEDIA_ADVISORY = "media-advisory", _("Media advisory")
    BACKGROUNDER = "backgrounder", _("Backgrounder")
    STATEMENT = "statement", _("Statement")


def live_releases(locale_id):
    """Live, public releases of one locale, newest first, with what their cards show."""
    return (
        exclude_restricted(NewsReleasePage.objects.live().filter(locale_id=locale_id))
        .order_by("-release_date", "-pk")
        .select_related("listing_image")
        .prefetch_related("listing_image__renditions")
    )


class NewsIndexPage(BasePage):
    """The newsroom: every release in its locale, newest first."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("One or two sentences above the list of releases.")
    )

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsReleasePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("newsroom")

    def releases(self):
        return live_releases(self.locale_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["releases"] = paginate(request, self.releases(), per_page=10)
        return context


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
            "Shown on the release, in Toronto time. To embargo a release, also set "
            "'Go-live date' under Publishing schedule."
        ),
    )
    lead = models.TextField(
        _("lead"),
        max_length=600,
        help_text=_("The first paragraph: who, what, when and where, in one or two sentences."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    topics = ParentalManyToManyField("site_core.Topic", blank=True, related_name="+", verbose_name=_("topics"))

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("release_type"), FieldPanel("release_date")], heading=_("Release")),
        FieldPanel("lead"),
        FieldPanel("body"),
        InlinePanel("boilerplate_links", heading=_("About (boilerplates)"), label=_("boilerplate")),
        InlinePanel("media_contact_links", heading=_("Media contacts"), label=_("media contact")),
        FieldPanel("topics"),
        InlinePanel(
            "related_challenge_links",
            heading=_("Related challenges"),
            label=_("challenge"),
            help_text=_("Challenges this release is about; the release is listed on their pages."),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news release")

    @property
    def card_summary(self) -> str:
        return self.listing_summary or self.search_description or self.lead

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["boilerplates"] = [link.boilerplate for link in self.boilerplate_links.select_related("boilerplate")]
        context["media_contacts"] = [
            link.media_contact for link in self.media_contact_links.select_related("media_contact")
        ]
        return context


class NewsReleaseBoilerplate(Orderable):
    page = ParentalKey(NewsReleasePage, on_delete=models.CASCADE, related_name="boilerplate_links")
    boilerplate = models.ForeignKey(
        "site_core.Boilerplate", on_delete=models.CASCADE, related_name="+", verbose_name=_("boilerplate")
    )

    panels = [FieldPanel("boilerplate")]


class NewsReleaseMediaContact(Orderable):
    page = ParentalKey(NewsReleasePage, on_delete=models.CASCADE, related_name="media_contact_links")
    media_contact = models.ForeignKey(
        "site_core.MediaContact", on_delete=models.CASCADE, related_name="+", verbose_name=_("media contact")
    )

    panels = [FieldPanel("media_contact")]


class NewsReleaseRelatedChallenge(Orderable):
    page = ParentalKey(NewsReleasePage, on_delete=models.CASCADE, related_name="related_challenge_links")
    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        on_delete=models.CASCADE,
        related_name="release_links",
        verbose_name=_("challenge"),
    )

    panels = [FieldPanel("challenge")]
