"""The StreamField blocks every body on the site is built from. Each block renders through its
own template in templates/blocks/ so pages never repeat presentation."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from site_core.text.rich_text import LIMITED_FEATURES


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
