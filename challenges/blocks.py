"""Blocks specific to challenge calls."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from site_core.blocks import DocumentLinkBlock, FAQItemBlock
from site_core.text.rich_text import LIMITED_FEATURES


class PartnerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("organisation"), max_length=150)
    website = blocks.URLBlock(label=_("website"), required=False)

    class Meta:
        icon = "group"
        label = _("Partner")


class CriterionBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("criterion"), max_length=150, help_text=_("e.g. 'Impact on residents'."))
    weight = blocks.IntegerBlock(
        label=_("weight (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Share of the total score, in percent. Leave blank if criteria are not weighted."),
    )
    description = blocks.TextBlock(label=_("what evaluators look for"), required=False, max_length=600)

    class Meta:
        icon = "tick"
        label = _("Criterion")


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("link text"), max_length=150)
    url = blocks.URLBlock(label=_("web address"))

    class Meta:
        icon = "link"
        label = _("Link")


class ReportLinkBlock(blocks.StructBlock):
    """A City Council or committee report about a challenge's outcome, with the reference the City's
    meeting system gives it (e.g. "EX12.3"), so readers can find the decision."""

    title = blocks.CharBlock(label=_("report title"), max_length=200)
    url = blocks.URLBlock(label=_("web address"), help_text=_("The report's page in the City's meeting system."))
    reference = blocks.CharBlock(
        label=_("reference"),
        max_length=30,
        required=False,
        help_text=_("The agenda item's reference, e.g. 'EX12.3' (Executive Committee, meeting 12, item 3)."),
    )
    date = blocks.DateBlock(label=_("meeting date"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Council or committee report")
        template = "challenges/blocks/report_link.html"


class CouncilReportsBlock(blocks.StreamBlock):
    report = ReportLinkBlock()


class ResourceBlock(blocks.StreamBlock):
    document = DocumentLinkBlock()
    link = LinkBlock()


class FAQBlock(blocks.StreamBlock):
    faq_item = FAQItemBlock()


class PartnersBlock(blocks.StreamBlock):
    partner = PartnerBlock()


class CriteriaBlock(blocks.StreamBlock):
    criterion = CriterionBlock()


SECTION_FEATURES = [*LIMITED_FEATURES]
