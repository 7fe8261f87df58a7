"""RSS 2.0 feed of a job list's postings, newest posting first, each with its closing date."""

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from site_core.listings.feeds import FEED_LENGTH, PageFeed, dated
from site_core.text.locale_formats import datetime_text


class JobFeed(PageFeed):
    def title(self):
        return _("Jobs at the Civic Innovation Office")

    def feed_summary(self):
        return self.index.intro or _("Job postings of the City of Toronto's Civic Innovation Office.")

    def items(self):
        # In the order they were posted, not the list's open-first order: a subscriber wants what is
        # new. Closed postings stay, and each description says when it closes or closed.
        postings = self.index.listing_queryset(self.index.locale_id)
        newest_first = [F("posting_date").desc(), F("first_published_at").desc(nulls_last=True), F("pk").desc()]
        return postings.order_by(*newest_first)[:FEED_LENGTH]

    def item_summary(self, item):
        closes_at = timezone.localtime(item.closes_at)
        if item.is_open:  # the same words as the job list's cards
            closing = _("Closes %(date)s (Toronto time)") % {"date": datetime_text(closes_at)}
        else:
            closing = _("Closed on %(date)s") % {"date": date_format(closes_at, "DATE_FORMAT")}
        return f"{item.summary} {closing}"

    def item_pubdate(self, item):
        return dated(item.posting_date, item.first_published_at)

    def item_categories(self, item):
        return [item.get_employment_type_display(), *([item.division.name] if item.division else [])]
