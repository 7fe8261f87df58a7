"""RSS 2.0 feed of a challenge index's calls, newest first."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_LENGTH = 30


class ChallengeFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def title(self):
        return _("Challenges from the Civic Innovation Office")

    def link(self):
        return self.index.url

    def description(self):
        return self.index.intro or _("New calls for innovators to solve City service problems.")

    def items(self):
        return self.index.challenges().order_by("-first_published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"urn:uuid:{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [category for category in [item.status.label, item.division.name if item.division else ""] if category]
