"""The StreamField blocks every body on the site is built from. Each block renders through its
own template in templates/blocks/ so pages never repeat presentation."""

import copy
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.shortcuts import get_rendition_or_not_found

from site_core.text.rich_text import LIMITED_FEATURES

# The rendition a media kit shows of each photo (the original is the download).
MEDIA_KIT_PREVIEW = "max-640x480"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section (level 2)")), ("h3", _("Subsection (level 3)"))],
        default="h2",
        label=_("level"),
        help_text=_("Use level 2 for sections and level 3 inside them; screen-reader users navigate by these."),
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        label = _("Heading")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Image")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"), help_text=_("Without quotation marks; the design adds them."))
    attribution = blocks.CharBlock(label=_("who said it"), max_length=120)
    role = blocks.CharBlock(label=_("their role"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = _("Quote")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=400)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or web address"), required=False)
    button_label = blocks.CharBlock(
        label=_("button label"),
        max_length=60,
        help_text=_("Say where the button goes, e.g. 'Apply to the challenge', not 'Click here'."),
    )

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action.html"
        label = _("Call to action")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter a web address (one of the two)."))}
            )
        return value


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("answer"), features=LIMITED_FEATURES)

    class Meta:
        icon = "help"
        template = "blocks/faq_item.html"
        label = _("Question and answer")


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        label=_("caption"),
        max_length=200,
        help_text=_("Says what the table shows; read out by screen readers before the table."),
    )
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock()),
            ("number", blocks.DecimalBlock()),
            ("rich_text", blocks.RichTextBlock(features=["bold", "italic", "link"])),
        ],
        label=_("table"),
    )

    class Meta:
        icon = "table"
        template = "blocks/table.html"
        label = _("Table")


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("link text"),
        required=False,
        max_length=150,
        help_text=_("Leave blank to use the document's title. File type and size are added for you."),
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link.html"
        label = _("Document")


class EmbedWithTranscriptBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("video or media address"), help_text=_("e.g. a YouTube or Vimeo address."))
    title = blocks.CharBlock(label=_("title"), max_length=150, help_text=_("Describes the media for screen readers."))
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        required=False,
        features=LIMITED_FEATURES,
        help_text=_("Required by WCAG for audio and video without captions."),
    )

    class Meta:
        icon = "media"
        template = "blocks/embed.html"
        label = _("Embedded media")


class RenditionsImageChooserBlock(ImageChooserBlock):
    """An image chooser whose images come with their renditions of `specs`: a stream of any number of
    such images costs two queries (the images, the renditions) instead of one per image."""

    def __init__(self, *args, specs: tuple[str, ...] = (), **kwargs):
        self.specs = specs
        super().__init__(*args, **kwargs)

    def bulk_to_python(self, values):
        found = self.model_class.objects.prefetch_renditions(*self.specs).in_bulk([v for v in values if v])
        images, seen = [], set()
        for pk in values:
            image = found.get(pk)
            if image is not None and pk in seen:
                image = copy.copy(image)  # the same photo twice: each block gets its own instance
            seen.add(pk)
            images.append(image)
        return images

    def deconstruct(self):
        # Migrations see a plain image chooser: the renditions fetched are not part of the schema.
        _path, args, kwargs = super().deconstruct()
        kwargs.pop("specs", None)
        return "wagtail.images.blocks.ImageChooserBlock", args, kwargs


class MediaLicence(models.TextChoices):
    """How a journalist may reuse a media kit photo. The Creative Commons ones link to their deed."""

    NEWS_USE = "news-use", _("Free to use in news coverage, with the credit shown")
    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC0 = "cc0-1.0", _("Public domain (CC0 1.0)")


LICENCE_DEEDS = {
    MediaLicence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.{language}",
    MediaLicence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.{language}",
}


class MediaKitPhotoBlock(blocks.StructBlock):
    """A photo journalists may download: the original file, with its credit, caption and licence."""

    image = RenditionsImageChooserBlock(label=_("photo"), specs=(MEDIA_KIT_PREVIEW,))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe what the photo shows for people who cannot see it. Required."),
    )
    caption = blocks.CharBlock(
        label=_("caption"), max_length=300, help_text=_("Who and what is shown, where and when: a caption to publish.")
    )
    credit = blocks.CharBlock(
        label=_("credit"), max_length=120, help_text=_("As it must appear when published, e.g. 'City of Toronto'.")
    )
    licence = blocks.ChoiceBlock(
        choices=MediaLicence.choices,
        default=MediaLicence.NEWS_USE,
        label=_("licence"),
        help_text=_("What journalists may do with the photo; shown next to its download link."),
    )

    class Meta:
        icon = "image"
        template = "blocks/media_kit_photo.html"
        label = _("Photo")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        image = value["image"]
        if image is not None:
            # Prefetched with the image (RenditionsImageChooserBlock); made once, on the first view.
            context["preview"] = get_rendition_or_not_found(image, MEDIA_KIT_PREVIEW)
            context["original_format"] = Path(image.file.name).suffix.lstrip(".").upper()
        deed = LICENCE_DEEDS.get(value["licence"])
        context["licence_label"] = dict(MediaLicence.choices).get(value["licence"], "")
        context["licence_url"] = deed.format(language=(get_language() or "en").split("-")[0]) if deed else ""
        return context


class MediaKitBlock(blocks.StreamBlock):
    """A release's media kit: the photos journalists may download and publish."""

    photo = MediaKitPhotoBlock()

    class Meta:
        template = "blocks/media_kit.html"


class OfficeContactBlock(blocks.StaticBlock):
    """The office's name, mailing address and email, read from Settings when the page is shown, so a
    page never repeats them as text that goes stale."""

    class Meta:
        icon = "mail"
        template = "blocks/office_contact.html"
        label = _("Office contact details")
        admin_text = _(
            "Shows the office's name, mailing address and email from Settings (Office details, Site settings), "
            "in the page's language."
        )


class PrivacyContactBlock(blocks.StaticBlock):
    """Whom to ask about the collection of personal information: the privacy officer's title,
    business address and phone, from the Office details in Settings, as every form's notice shows them."""

    class Meta:
        icon = "lock"
        template = "blocks/privacy_contact.html"
        label = _("Privacy contact")
        admin_text = _(
            "Shows whom to ask about the collection of personal information (Office details, in Settings), "
            "as every form's notice of collection does."
        )


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=LIMITED_FEATURES, label=_("Paragraph"), icon="pilcrow", template="blocks/paragraph.html"
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    faq_item = FAQItemBlock()
    table = TableBlock()
    document = DocumentLinkBlock()
    embed = EmbedWithTranscriptBlock()

    class Meta:
        template = "blocks/body.html"


class StandardBodyBlock(BodyBlock):
    """A standard page's body (About, Privacy, Contact…): the shared blocks, and the office's contact
    details and privacy contact as Settings hold them."""

    office_contact = OfficeContactBlock()
    privacy_contact = PrivacyContactBlock()
