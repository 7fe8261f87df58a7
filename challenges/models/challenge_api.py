"""What a challenge gives the public API (docs/open-data.md) and the site search: what the page
shows, never the staff contact, the retention period or the application form's configuration."""

from wagtail.api import APIField
from wagtail.search import index

from site_core.api.fields import (
    LISTING_API_FIELDS,
    ComputedField,
    InlineListField,
    SnippetField,
    SnippetListField,
    StreamBlocksField,
)
from site_core.models import BasePage


class KeyDateListField(InlineListField):
    """The key dates, each with its online link only when the event takes no registrations (its
    registrants alone get it: site_core/events.py)."""

    def represent(self, obj) -> dict:
        data = super().represent(obj)
        data["online_url"] = obj.public_online_url
        return data


API_FIELDS = [
    *LISTING_API_FIELDS,
    APIField("status", serializer=ComputedField()),
    APIField("summary"),
    APIField("problem_statement"),
    APIField("who_is_affected"),
    APIField("success_looks_like"),
    APIField("division", serializer=SnippetField("name", "slug", "website")),
    APIField("topics", serializer=SnippetListField("name", "slug")),
    APIField(
        "key_dates",
        serializer=KeyDateListField("kind", "starts_at", "ends_at", "location", "online_url", order_by="starts_at"),
    ),
    APIField(
        "announcements",
        serializer=InlineListField(
            "published_at", "title", "body", rich_text_attributes=["body"], order_by="published_at"
        ),
    ),
    APIField("partners", serializer=StreamBlocksField()),
    APIField("eligibility"),
    APIField("evaluation_criteria", serializer=StreamBlocksField()),
    APIField("award_value"),
    APIField("award_amount"),
    APIField("stint_length_weeks"),
    APIField("procurement_path"),
    APIField("how_to_apply"),
    APIField("resources", serializer=StreamBlocksField()),
    APIField("faq", serializer=StreamBlocksField()),
    APIField("outcome_summary"),
    APIField("selected_teams"),
    APIField("procurement_outcome"),
    APIField("council_reports", serializer=StreamBlocksField()),
]

SEARCH_FIELDS = [
    *BasePage.search_fields,
    index.SearchField("summary"),
    index.SearchField("problem_statement"),
    index.SearchField("who_is_affected"),
    index.SearchField("success_looks_like"),
    index.SearchField("eligibility"),
    index.SearchField("award_value"),
    index.SearchField("how_to_apply"),
    index.SearchField("procurement_path"),
    index.SearchField("faq"),
    index.SearchField("partners"),
    index.SearchField("outcome_summary"),
    index.SearchField("selected_teams"),
    index.RelatedFields("division", [index.SearchField("name")]),
    index.RelatedFields("topics", [index.SearchField("name")]),
    index.FilterField("closes_at"),
]
