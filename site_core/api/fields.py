"""How the public API (site_core/api/endpoints.py) shows what a page links to. Page models name these in their
`api_fields`: snippets become small dicts of their public attributes, images renditions with their
text alternative, inline objects and linked pages plain values, StreamFields blocks whose images,
documents and pages are spelled out instead of bare ids. Nothing here needs the app registry ready
(model modules import it) and nothing imports a content app.

Each field says what a listing should load in bulk (`related_lookups`), so a page of results costs the
same number of queries whatever its length."""

import datetime
import decimal

from rest_framework.fields import Field
from wagtail import blocks
from wagtail.api import APIField
from wagtail.api.rich_text import APIRichText
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.blocks import ImageChooserBlock

from site_core.compat import wagtail as wagtail_compat
from site_core.local_time import city_zone

# The renditions the site itself shows, so the API creates no extra image files.
CARD_IMAGE = "fill-640x360"
LARGE_IMAGE = "max-1200x800"
BODY_IMAGE = "max-1200x900"
HERO_IMAGE = "fill-640x480"


def plain_value(value):
    """A model attribute as JSON: datetimes in the office's time zone with their offset (ISO 8601),
    dates as ISO dates, decimals as strings (exact, as DRF shows decimal fields)."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(city_zone()).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def rich_text(value: str, context) -> str:
    """Rich text in the format the request asked for (`?rich_text_format=`), HTML by default."""
    return APIRichText.serialize(value or "", format=wagtail_compat.api_rich_text_format(context))


def _request(context):
    return context.get("request")


def page_is_public(page, context) -> bool:
    """Live and outside every view-restricted section (the view lists those once per request)."""
    if page is None or not page.live:
        return False
    restricted = context["view"].restricted_paths()
    return not any(page.path.startswith(prefix) for prefix in restricted)


def page_link(page, context) -> dict | None:
    """{"id", "title", "url"} of a live, public page; None otherwise (a draft or private page is not
    named at all)."""
    if not page_is_public(page, context):
        return None
    return {"id": page.pk, "title": page.title, "url": page.get_full_url(_request(context))}


class BulkLoadedField(Field):
    """A field that names the relations a listing loads in one query each."""

    def related_lookups(self, name: str) -> list[str]:
        return [self.source if self.source and self.source != "*" else name]


class SnippetField(BulkLoadedField):
    """A foreign key to a snippet as a dict of chosen attributes, e.g. {"name", "slug"}."""

    def __init__(self, *attributes, rich_text_attributes=(), **kwargs):
        self.attributes = attributes
        self.rich_text_attributes = set(rich_text_attributes)
        super().__init__(**kwargs)

    def represent(self, obj) -> dict:
        return {
            attribute: rich_text(getattr(obj, attribute), self.context)
            if attribute in self.rich_text_attributes
            else plain_value(getattr(obj, attribute))
            for attribute in self.attributes
        }

    def to_representation(self, value):
        return self.represent(value)


class SnippetListField(SnippetField):
    """A many-to-many relation to snippets (e.g. topics) as a list of dicts."""

    def to_representation(self, value):
        return [self.represent(obj) for obj in value.all()]


class InlineListField(SnippetField):
    """A page's inline objects (ParentalKey children) as a list of dicts. With `through`, each inline
    object is a link and the dict describes the object it links to (e.g. a release's media contacts).
    `order_by`: an attribute to sort by (in Python: the objects are prefetched)."""

    def __init__(self, *attributes, through: str | None = None, order_by: str | None = None, **kwargs):
        self.through = through
        self.order_by = order_by
        super().__init__(*attributes, **kwargs)

    def related_lookups(self, name: str) -> list[str]:
        (lookup,) = super().related_lookups(name)
        return [f"{lookup}__{self.through}" if self.through else lookup]

    def to_representation(self, value):
        objects = list(value.all())
        if self.order_by:
            objects.sort(key=lambda obj: getattr(obj, self.order_by))
        if self.through:
            objects = [getattr(obj, self.through) for obj in objects]
        return [self.represent(obj) for obj in objects]


class PageLinkField(BulkLoadedField):
    """A foreign key to a page as {"id", "title", "url"}; null when that page is not live and public."""

    def to_representation(self, value):
        return page_link(value, self.context)


class PageLinkListField(InlineListField):
    """Inline links to pages (e.g. a release's related challenges) as a list of {"id", "title", "url"},
    leaving out the pages that are not live and public."""

    def __init__(self, through: str, **kwargs):
        super().__init__(through=through, **kwargs)

    def to_representation(self, value):
        links = [page_link(getattr(link, self.through), self.context) for link in value.all()]
        return [link for link in links if link]


class RenditionField(ImageRenditionField):
    """An image as a rendition: {"url", "full_url", "width", "height", "alt"}. The alternative text is
    the image's own description unless the page holds it (`alt_attribute`) or the image is decorative."""

    def __init__(self, filter_spec, *, alt_attribute: str | None = None, decorative: bool = False, **kwargs):
        self.alt_attribute = alt_attribute
        self.decorative = decorative
        self.image_attribute = None
        super().__init__(filter_spec, **kwargs)

    def bind(self, field_name, parent):
        self.image_attribute = self.source or field_name
        if self.alt_attribute:
            self.source = "*"  # the page itself: the image and its text alternative are both on it
        super().bind(field_name, parent)

    def related_lookups(self, name: str) -> list[str]:
        attribute = self.source if self.source and self.source != "*" else name
        return [attribute, f"{attribute}__renditions"]

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        if self.alt_attribute and getattr(value, self.image_attribute) is None:
            return None
        return value

    def to_representation(self, value):
        image = getattr(value, self.image_attribute) if self.alt_attribute else value
        data = super().to_representation(image)
        if "alt" in data:
            if self.decorative:
                data["alt"] = ""
            elif self.alt_attribute:
                data["alt"] = getattr(value, self.alt_attribute)
        return data


class StreamBlocksField(Field):
    """A StreamField as [{"type", "id", "value"}], like Wagtail's own representation, except that
    images are renditions, documents and pages are {"id", "title", "url"} (pages only when live and
    public) and rich text follows `?rich_text_format=`."""

    def __init__(self, image_filter: str = BODY_IMAGE, **kwargs):
        self.image_filter = image_filter
        super().__init__(**kwargs)

    def related_lookups(self, name: str) -> list[str]:
        return []  # a stream's chooser values are loaded per stream: bodies are in detail responses only

    def to_representation(self, value):
        return self.block_value(value.stream_block, value)

    def block_value(self, block, value):
        if value is None:
            return None
        if isinstance(block, ImageChooserBlock):
            return ImageRenditionField(self.image_filter).to_representation(value)
        if isinstance(block, DocumentChooserBlock):
            url = value.url
            request = _request(self.context)
            return {
                "id": value.pk,
                "title": value.title,
                "url": request.build_absolute_uri(url) if request else url,
                "file_extension": value.file_extension,
            }
        if isinstance(block, blocks.PageChooserBlock):
            return page_link(value, self.context)
        if isinstance(block, blocks.RichTextBlock):
            return rich_text(value.source, self.context)
        if isinstance(block, blocks.StreamBlock):
            return [
                {"type": child.block_type, "id": child.id, "value": self.block_value(child.block, child.value)}
                for child in value
            ]
        if isinstance(block, blocks.StructBlock):
            return {name: self.block_value(child, value.get(name)) for name, child in block.child_blocks.items()}
        if isinstance(block, blocks.ListBlock):
            return [self.block_value(block.child_block, item) for item in value]
        return block.get_api_representation(value, context=self.context)


class ComputedField(Field):
    """A value a page computes (a property), e.g. a challenge's status."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return plain_value(str(value) if isinstance(value, str) else value)


# How every page appears in listings elsewhere on the site (cards): the first fields of each page type.
LISTING_API_FIELDS = [
    APIField("listing_title"),
    APIField("listing_summary"),
    APIField("listing_image", serializer=RenditionField(CARD_IMAGE)),
]
