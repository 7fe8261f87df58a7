"""Wagtail internals the site relies on (Wagtail 8.0): the rich-text link conversion rules
(site_core/text/links.py), the read-only API (site_core/api/endpoints.py, fields.py) and the database
search backend, django-modelsearch's, which Wagtail 8 uses (site_core/search_backend.py)."""

import copy
from functools import reduce

from wagtail.api.rich_text import APIRichText

__all__ = [
    "api_filter_backends",
    "api_rich_text_format",
    "contentstate_document_link_rule",
    "contentstate_link_rule",
    "document_link_entity",
    "link_entity",
    "remember_route_for_request",
    "remember_site_for_request",
    "sqlite_prefix_query",
    "tsquery_in_any_config",
    "with_search_config",
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


# --- Search backend --------------------------------------------------------------------------------


def with_search_config(backend, config):
    """A copy of a database search backend that indexes and queries with the text-search
    configuration `config` ("english", "french"). Relies on `backend.config`, the attribute the
    PostgreSQL backend sets from `SEARCH_CONFIG` and that django-modelsearch reads at both ends:
    `PostgresIndex.add_items` builds each entry's tsvectors with the config of the backend its
    `ObjectIndexer` is given, and the query compilers' `get_config(backend)` returns it."""
    clone = copy.copy(backend)
    clone.config = config
    return clone


def tsquery_in_any_config(build_tsquery, query, configs):
    """The tsquery of `query` in each of `configs`, joined with OR (`||`), from the PostgreSQL
    query compiler's `build_tsquery(query, config=...)` (undocumented; it returns a Django
    `SearchQuery`, which combines with `|`): a page indexed in French matches the French stems of
    the words, an English page the English ones, when a search does not say its language."""
    built = [build_tsquery(query, config=config) for config in configs]
    return reduce(lambda left, right: left | right, built)


def sqlite_prefix_query(query, stem):
    """An FTS5 MATCH expression for a modelsearch `PlainText` query in which each word, passed
    through `stem` (a word, or "" to search for it as it is), is a prefix: `"transport"*` finds
    "transport" and "transports". Built from the SQLite backend's own `Lexeme(prefix=True)` (what its
    autocomplete uses for the last word) and `SearchQueryExpression`, both undocumented."""
    from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression

    lexemes = []
    for term in query.query_string.split():
        stemmed = stem(term)
        lexemes.append(Lexeme(stemmed or term, prefix=bool(stemmed)))
    if not lexemes:
        return None
    if query.operator.upper() == "AND":
        combined = reduce(lambda left, right: left & right, lexemes)
    else:
        combined = reduce(lambda left, right: left | right, lexemes)
    return SearchQueryExpression(combined)


# --- Routing ---------------------------------------------------------------------------------------


def remember_site_for_request(request, site) -> None:
    """Make `Site.find_for_request(request)` return `site` without a query: Wagtail keeps the Site it
    found on the request as `request._wagtail_site` and reads it back (site_core/routing.py)."""
    request._wagtail_site = site


def remember_route_for_request(request, route) -> None:
    """Make `Page.route_for_request(request, path)`, and so Wagtail's `serve` view, use `route` (a
    `RouteResult`, or None for a 404) instead of routing again: Wagtail keeps the route it found on
    the request as `request._wagtail_route_for_request` and reads it back (site_core/routing.py)."""
    request._wagtail_route_for_request = route
