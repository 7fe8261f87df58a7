"""RSS 2.0 feeds of a newsroom: every release, or one release type."""

from django.utils.html import escape
from django.utils.translation import gettext as _

from site_core.listings.feeds import FEED_LENGTH, PageFeed


class ReleaseFeed(PageFeed):
    def __init__(self, index, release_type=None):
        super().__init__(index)
        self.release_type = release_type

    def title(self):
        if self.release_type:
            return _("%(type)s from the Civic Innovation Office") % {"type": self.release_type.label}
        return _("News from the Civic Innovation Office")

    def description(self):
        return escape(self.index.intro or _("News releases from the City of Toronto's Civic Innovation Office."))

    def items(self):
        releases = self.index.listing_queryset(self.index.locale_id)
        if self.release_type:
            releases = releases.filter(release_type=self.release_type)
        return releases[:FEED_LENGTH]

    def item_description(self, item):
        return escape(item.lead)  # plain text, in an element readers show as HTML (site_core/listings/feeds.py)

    def item_pubdate(self, item):
        return item.release_date

    def item_categories(self, item):
        return [item.get_release_type_display()]
