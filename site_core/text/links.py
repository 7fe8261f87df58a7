"""Rich-text links as the admin stores them: Wagtail's conversion from the editor's contentstate,
except that a page or document link whose id is not a whole number (only a forged post can send
one) keeps its text but loses its link. Stored, such an id raised a ValueError, a 500, on every page,
API answer and admin edit view that showed the text. Registered in wagtail_hooks.py; Wagtail's rules
and decorators come from site_core/compat/wagtail.py."""

from site_core.compat import wagtail as wagtail_compat


def _whole_number(value) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit())


def checked_link_entity(props):
    """A link to a page (with an id) or an address (without one; Wagtail checks its scheme)."""
    if props.get("id") is not None and not _whole_number(props["id"]):
        return props["children"]
    return wagtail_compat.link_entity(props)


def checked_document_link_entity(props):
    if not _whole_number(props.get("id")):
        return props["children"]
    return wagtail_compat.document_link_entity(props)


# Wagtail's own rules for the "link" and "document-link" features, with the checked decorators.
LINK_RULE = wagtail_compat.contentstate_link_rule(checked_link_entity)
DOCUMENT_LINK_RULE = wagtail_compat.contentstate_document_link_rule(checked_document_link_entity)
