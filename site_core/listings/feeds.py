"""The RSS 2.0 feed shape every listing shares: one item per page, a stable guid, local dates."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from site_core.local_time import city_zone

FEED_LENGTH = 30


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

    def item_title(self, item):
        # Readers show RSS titles and descriptions as HTML: plain text is escaped before the XML
        # escaping (as Django's own default title is), or "<script>" in a title would run there.
        return escape(item.title)

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        # Stable across edits and moves; each language version of a page has its own.
        return f"urn:uuid:{item.translation_key}:{item.locale_id}"

    def item_updateddate(self, item):
        return item.last_published_at
