"""RSS 2.0 feed of a challenge index's calls, newest first."""

from django.utils.translation import gettext as _

from site_core.listings.feeds import FEED_LENGTH, PageFeed


class ChallengeFeed(PageFeed):
    def title(self):
        return _("Challenges from the Civic Innovation Office")

    def feed_summary(self):
        return self.index.intro or _("New calls for innovators to solve City service problems.")

    def items(self):
        return self.index.listing_queryset(self.index.locale_id).order_by("-first_published_at", "-pk")[:FEED_LENGTH]

    def item_summary(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [category for category in [item.status.label, item.division.name if item.division else ""] if category]
