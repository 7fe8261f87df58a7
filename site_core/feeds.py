"""The RSS 2.0 feed shape every listing shares: one item per page, a stable guid, local dates."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

FEED_LENGTH = 30


class PageFeed(Feed):
    """A feed of pages from one index page. Subclasses give `items()`, titles and descriptions."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = False

    def __init__(self, index):
        super().__init__()
        self.index = index

    def link(self):
        return self.index.url

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        # Stable across edits and moves; each language version of a page has its own.
        return f"urn:uuid:{item.translation_key}:{item.locale_id}"

    def item_updateddate(self, item):
        return item.last_published_at
