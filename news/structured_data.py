"""schema.org NewsArticle for a release, from plain values (the release's model method gathers them),
so search engines show its headline, date and image as a news result."""

import datetime

from django.utils.text import Truncator

from site_core.local_time import city_zone

# Google shows headlines up to 110 characters; longer ones are cut, so the data says so itself.
HEADLINE_MAX_LENGTH = 110


def toronto_iso(moment: datetime.datetime) -> str:
    """An instant as ISO 8601 with Toronto's offset of that day (-05:00 or -04:00)."""
    return moment.astimezone(city_zone()).isoformat()


def news_article(
    *,
    headline: str,
    url: str,
    published: datetime.datetime,
    modified: datetime.datetime | None,
    language: str,
    publisher: dict,
    description: str = "",
    image: dict | None = None,
    section: str = "",
) -> dict:
    """A release as a NewsArticle. `published` is the release date (what the release says, not when
    the page went live); `modified` is never earlier than it. `publisher` (the office, an
    Organization) is its author too: releases speak for the office, not for a person."""
    data = {
        "@type": "NewsArticle",
        "headline": Truncator(headline).chars(HEADLINE_MAX_LENGTH),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": toronto_iso(published),
        "dateModified": toronto_iso(max(published, modified) if modified else published),
        "inLanguage": language,
        "author": publisher,
        "publisher": publisher,
    }
    if description:
        data["description"] = description
    if image:
        data["image"] = [image]
    if section:
        data["articleSection"] = section
    return data
