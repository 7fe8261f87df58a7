"""The rules behind every page's metadata (title, description, canonical address, robots directive,
language tags, sharing image), as small pure functions; `templatetags/seo_tags.py` applies them
to the page being rendered and `templates/includes/meta.html` writes them out."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext

# The office serves Canada: its languages are tagged en-CA and fr-CA for Open Graph and schema.org.
TERRITORY = "CA"
# Open Graph's recommended size; Wagtail crops to the image's focal point and never enlarges.
SHARE_IMAGE_FILTER = "fill-1200x630"
DESCRIPTION_MAX_LENGTH = 300
FILTERED_ROBOTS = "noindex, follow"

_X_HANDLE = re.compile(r"^https?://(?:www\.)?(?:x|twitter)\.com/@?([A-Za-z0-9_]{1,15})/?(?:[?#].*)?$")


def og_locale(language_code: str) -> str:
    """Open Graph's locale for a site language: "en" -> "en_CA"."""
    return f"{language_code.split('-')[0].lower()}_{TERRITORY}"


def language_tag(language_code: str) -> str:
    """The BCP 47 tag schema.org's inLanguage expects: "fr" -> "fr-CA"."""
    return f"{language_code.split('-')[0].lower()}-{TERRITORY}"


def x_handle(url: str) -> str | None:
    """The "@name" of an X (Twitter) profile address, for twitter:site; None for anything else."""
    match = _X_HANDLE.match((url or "").strip())
    return f"@{match.group(1)}" if match else None


def plain_description(text: str, limit: int = DESCRIPTION_MAX_LENGTH) -> str:
    """One line of text for a description: whitespace collapsed, cut at a word with an ellipsis past
    `limit` characters (editors' SEO descriptions and listing summaries are shorter than that)."""
    return Truncator(" ".join((text or "").split())).chars(limit)


def is_filtered(query, filter_names) -> bool:
    """True when the query string gives any listing filter a value (even one the listing ignores as
    unknown: that page only repeats the unfiltered list with a notice)."""
    return any(query.get(name, "").strip() for name in filter_names)


def canonical_path(path: str, *, filtered: bool, page_number: int | None = None) -> str:
    """The address search engines should index for this view: the path without its query string,
    except the page number of an unfiltered listing past its first page, which is a page of its own.
    A filtered view names the unfiltered listing."""
    if not filtered and page_number and page_number > 1:
        return f"{path}?{urlencode({'page': page_number})}"
    return path


def robots_directive(*, explicit: str | None, filtered: bool) -> str | None:
    """What `<meta name="robots">` says: the view's own directive (e.g. search results), else
    "noindex, follow" for a filtered listing (its results are reachable unfiltered), else nothing."""
    if explicit:
        return explicit
    return FILTERED_ROBOTS if filtered else None


def alternate_links(translations: dict[str, str], suffix: str, suffixes: dict[str, str] | None = None) -> list[dict]:
    """hreflang alternates of the view being rendered, as {"code", "url"} in the given order.

    `translations` maps each language with a live translation of the page to that translation's
    address. On the page itself (`suffix` "") those are the alternates. A routable sub-page (e.g.
    news/2017/) exists in every translation under the same route, so the suffix is appended, unless
    the view says where its equivalents are (`suffixes`, by language: a language missing from it has
    no equivalent). A single language has no alternates."""
    links = []
    for code, url in translations.items():
        if suffixes is not None:
            if code not in suffixes:
                continue
            links.append({"code": code, "url": url + suffixes[code]})
        else:
            links.append({"code": code, "url": url + suffix})
    return links if len(links) > 1 else []


@dataclass
class ShareImage:
    url: str
    width: int
    height: int
    alt: str


def share_image_alt(description: str, *, language: str, source_language: str, title: str) -> str:
    """The sharing image's alt text in the page's language.

    Wagtail's images are not translatable: an image's description is written once, in the site's
    source language, and is the alt text on pages in that language. A page in another language
    describes its image by what it illustrates, its own (translated) title, rather than read out a
    description in a language the page is not in."""
    if language == source_language:
        return description
    with translation.override(language):
        return gettext("Image illustrating “%(title)s”") % {"title": title}


@dataclass
class PageMeta:
    """Everything the head of a page says about it; every address is absolute."""

    title: str
    site_name: str
    language: str
    canonical: str
    description: str = ""
    robots: str | None = None
    og_type: str = "website"
    image: ShareImage | None = None
    alternates: list[dict] = field(default_factory=list)
    alternate_languages: list[str] = field(default_factory=list)
    twitter_site: str | None = None
    published_time: str | None = None
    modified_time: str | None = None
    home_url: str = ""
    search_url: str | None = None
    organization: dict = field(default_factory=dict)

    @property
    def og_locale(self) -> str:
        return og_locale(self.language)

    @property
    def og_locale_alternates(self) -> list[str]:
        return [og_locale(code) for code in self.alternate_languages]

    @property
    def language_tag(self) -> str:
        return language_tag(self.language)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"
