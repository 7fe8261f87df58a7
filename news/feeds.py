"""RSS 2.0 feeds of a newsroom (every release, or one release type) and of the partner cities' stories
(every city's, or one city's)."""

from django.utils.translation import gettext as _

from site_core.listings.feeds import FEED_LENGTH, PageFeed, dated


class ReleaseFeed(PageFeed):
    def __init__(self, index, release_type=None):
        super().__init__(index)
        self.release_type = release_type

    def title(self):
        if self.release_type:
            return _("%(type)s from the Civic Innovation Office") % {"type": self.release_type.label}
        return _("News from the Civic Innovation Office")

    def feed_summary(self):
        return self.index.intro or _("News releases from the City of Toronto's Civic Innovation Office.")

    def items(self):
        releases = self.index.listing_queryset(self.index.locale_id)
        if self.release_type:
            releases = releases.filter(release_type=self.release_type)
        return releases[:FEED_LENGTH]

    def item_summary(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.release_date

    def item_categories(self, item):
        return [item.get_release_type_display()]


class StoryFeed(PageFeed):
    """The partner cities' stories, newest first as the lists show them; with `city`, that city's."""

    def __init__(self, index, city=None):
        super().__init__(index)
        self.city = city

    def title(self):
        if self.city:
            return _("Stories from partner cities: %(city)s") % {"city": self.city.name}
        return _("Stories from partner cities")

    def feed_summary(self):
        if self.city:
            return self.city.description or f"{self.city.name}, {self.city.place}"
        return self.index.intro or _("What the innovation teams of our partner cities tried, learned or launched.")

    def link(self):
        index_url = super().link()
        return f"{index_url}{self.city.slug}/" if self.city else index_url

    def items(self):
        stories = self.index.listing_queryset(self.index.locale_id).prefetch_related(None)  # no images in a feed
        if self.city:
            stories = stories.filter(partner_city=self.city)
        return stories[:FEED_LENGTH]

    def item_summary(self, item):
        return item.summary

    def item_pubdate(self, item):
        return dated(item.story_date, item.first_published_at)

    def item_categories(self, item):
        return [item.partner_city.name]
