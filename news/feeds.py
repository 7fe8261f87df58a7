"""RSS 2.0 feeds of a newsroom: every release, or one release type."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_LENGTH = 30


class ReleaseFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index, release_type=None):
        super().__init__()
        self.index = index
        self.release_type = release_type

    def title(self):
        if self.release_type:
            return _("%(type)s from the Civic Innovation Office") % {"type": self.release_type.label}
        return _("News from the Civic Innovation Office")

    def link(self):
        return self.index.url

    def description(self):
        return self.index.intro or _("News releases from the City of Toronto's Civic Innovation Office.")

    def items(self):
        releases = self.index.releases()
        if self.release_type:
            releases = releases.filter(release_type=self.release_type)
        return releases[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"urn:uuid:{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.release_date

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.get_release_type_display()]
