"""Query helpers shared by every listing."""

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def exclude_restricted(pages):
    """`pages` without those inside a view-restricted section, in the same query.

    Wagtail's `.public()` first loads every restriction (one more query per listing); this does the
    same filtering with a correlated subquery: a page is restricted when a restricted page's tree
    path is a prefix of its own.
    """
    restricted = PageViewRestriction.objects.annotate(prefix=Substr(OuterRef("path"), 1, Length("page__path"))).filter(
        page__path=F("prefix")
    )
    return pages.filter(~Exists(restricted))


def live_in_locale(model, locale_id):
    """Live pages of `model` in one language, outside view-restricted sections: where every listing starts."""
    return exclude_restricted(model.objects.live().filter(locale_id=locale_id))
