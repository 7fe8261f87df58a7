"""Wagtail internals the site relies on (Wagtail 8.0): the rich-text link conversion rules
(site_core/text/links.py) and the read-only API (site_core/api/endpoints.py, fields.py)."""

from wagtail.api.rich_text import APIRichText

__all__ = [
    "api_filter_backends",
    "api_rich_text_format",
    "contentstate_document_link_rule",
    "contentstate_link_rule",
    "document_link_entity",
    "link_entity",
]

# --- Rich-text links -----------------------------------------------------------------------------
# Wagtail's admin converters need the app registry ready, and the API fields below are imported by
# model modules: they are imported when first used.


def link_entity(props):
    """Wagtail's own LINK entity decorator (contentstate to database HTML, for the "link" feature),
    which the site's decorator calls for every link it keeps: it takes the entity's data and its
    text as `props` ("id", "url", "children"...)."""
    from wagtail.admin.rich_text.converters.contentstate import link_entity

    return link_entity(props)


def document_link_entity(props):
    """Wagtail's own DOCUMENT entity decorator (the "document-link" feature), as `link_entity`."""
    from wagtail.documents.rich_text.contentstate import document_link_entity

    return document_link_entity(props)


def contentstate_link_rule(decorator) -> dict:
    """Wagtail's contentstate conversion rule for the "link" feature with `decorator` as the LINK
    entity decorator. Wagtail writes this rule inline in `register_core_features`
    (wagtail/admin/wagtail_hooks.py), so it is copied here: its element handlers (external and page
    links) and the shape of a rule, which Wagtail does not document."""
    from wagtail.admin.rich_text.converters.html_to_contentstate import (
        ExternalLinkElementHandler,
        PageLinkElementHandler,
    )

    return {
        "from_database_format": {
            "a[href]": ExternalLinkElementHandler("LINK"),
            'a[linktype="page"]': PageLinkElementHandler("LINK"),
        },
        "to_database_format": {"entity_decorators": {"LINK": decorator}},
    }


def contentstate_document_link_rule(decorator) -> dict:
    """Wagtail's contentstate rule for the "document-link" feature
    (`ContentstateDocumentLinkConversionRule`) with `decorator` as the DOCUMENT entity decorator."""
    from wagtail.documents.rich_text.contentstate import ContentstateDocumentLinkConversionRule

    return {
        **ContentstateDocumentLinkConversionRule,
        "to_database_format": {"entity_decorators": {"DOCUMENT": decorator}},
    }


# --- API -------------------------------------------------------------------------------------------


def api_rich_text_format(context) -> str:
    """The `?rich_text_format=` Wagtail's API view settled on for this request, from the serializer
    context, where `BaseAPIViewSet.get_serializer_context` puts it under the private key
    `_wagtail_rich_text_format`; Wagtail's default format outside a view."""
    return context.get("_wagtail_rich_text_format") or APIRichText.resolve_format(None)


def api_filter_backends(backends, replacements: dict) -> list:
    """Wagtail's API filter backends (e.g. `PagesAPIViewSet.filter_backends`, an undocumented list
    whose order matters: its SearchFilter must stay last) with each key of `replacements` replaced
    in place by its value. A backend that is no longer there is an error, not a silent no-op."""
    missing = [backend for backend in replacements if backend not in backends]
    if missing:
        raise LookupError(f"Wagtail's API no longer uses {missing}")
    return [replacements.get(backend, backend) for backend in backends]
