"""The RSS 2.0 feed shape every listing shares: one item per page, a stable guid, local dates, and the
one rule for text (RSS Best Practices Profile): a title is plain text, a description is HTML.

Django's feed writer XML-escapes every element once. A title goes to it as it is, so a reader decodes
"Toronto's R&D" back exactly. A description is HTML made from plain text by `feed_html`: `&`, `<` and
`>` escaped once (so "<b>" typed in a summary is shown, never run), quotes left alone (text needs no
escaped quotes, and readers that show descriptions as text then show "d'emploi", not "d&#x27;emploi").
Subclasses give plain text only: `feed_summary()` for the channel, `item_summary(item)` for an item."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from site_core.local_time import city_zone

FEED_LENGTH = 30


def feed_html(text: str) -> str:
    """Plain text as the HTML of an RSS description: `&`, `<` and `>` escaped, exactly once."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dated(day: datetime.date, first_published_at: datetime.datetime | None) -> datetime.datetime:
    """An item's publication time when its page shows only a date (a posting date, a story's date):
    the moment it was first published if that was on the same day in Toronto, else that day's start."""
    if first_published_at and timezone.localtime(first_published_at).date() == day:
        return first_published_at
    return datetime.datetime.combine(day, datetime.time(), tzinfo=city_zone())


class PageFeed(Feed):
    """A feed of pages from one index page. Subclasses give `items()`, titles and descriptions."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = False

    def __init__(self, index):
        super().__init__()
        self.index = index
        self.request = None

    def get_object(self, request, *args, **kwargs):
        # Kept so that links are built with the request, on which Wagtail keeps the site root paths
        # for the whole feed (without it, each item's URL reads them from the shared cache).
        self.request = request
        return super().get_object(request, *args, **kwargs)

    def link(self):
        return self.index.get_url(self.request)

    def feed_summary(self) -> str:
        """The channel's description, as plain text."""
        raise NotImplementedError

    def item_summary(self, item) -> str:
        """An item's description, as plain text."""
        raise NotImplementedError

    def description(self):
        return feed_html(self.feed_summary())

    def item_description(self, item):
        return feed_html(self.item_summary(item))

    def item_title(self, item):
        return item.title  # plain text: the XML writer escapes it, once (Django's default would escape it twice)

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        # Stable across edits and moves; each language version of a page has its own.
        return f"urn:uuid:{item.translation_key}:{item.locale_id}"

    def item_updateddate(self, item):
        return item.last_published_at
