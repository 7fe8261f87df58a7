"""Rich-text links as the admin stores them: Wagtail's conversion from the editor's contentstate,
except that a page or document link whose id is not a whole number (only a forged post can send
one) keeps its text but loses its link. Stored, such an id raised a ValueError, a 500, on every page,
API answer and admin edit view that showed the text. Registered in wagtail_hooks.py."""

from wagtail.admin.rich_text.converters.contentstate import link_entity
from wagtail.admin.rich_text.converters.html_to_contentstate import ExternalLinkElementHandler, PageLinkElementHandler
from wagtail.documents.rich_text.contentstate import ContentstateDocumentLinkConversionRule, document_link_entity


def _whole_number(value) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit())


def checked_link_entity(props):
    """A link to a page (with an id) or an address (without one; Wagtail checks its scheme)."""
    if props.get("id") is not None and not _whole_number(props["id"]):
        return props["children"]
    return link_entity(props)


def checked_document_link_entity(props):
    if not _whole_number(props.get("id")):
        return props["children"]
    return document_link_entity(props)


# Wagtail's own rules for the "link" and "document-link" features, with the checked decorators.
LINK_RULE = {
    "from_database_format": {
        "a[href]": ExternalLinkElementHandler("LINK"),
        'a[linktype="page"]': PageLinkElementHandler("LINK"),
    },
    "to_database_format": {"entity_decorators": {"LINK": checked_link_entity}},
}
DOCUMENT_LINK_RULE = {
    **ContentstateDocumentLinkConversionRule,
    "to_database_format": {"entity_decorators": {"DOCUMENT": checked_document_link_entity}},
}
