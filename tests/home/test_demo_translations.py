"""Every demo page has a French twin, linked both ways by the language switcher and hreflang, with
every segment translated and every snippet or page it links to in French too."""

from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from wagtail.models import Locale, Page, Site

from news.models import NewsReleasePage

pytestmark = pytest.mark.django_db

LAUNCH_RELEASE = "launch-of-the-civic-innovation-office"


class Twins:
    """The demo's English pages with their French twins, and each page's HTML, fetched once for the module."""

    def __init__(self):
        self.english = Locale.objects.get(language_code="en")
        self.french = Locale.objects.get(language_code="fr")
        home = Site.objects.get(is_default_site=True).root_page
        english_pages = Page.objects.live().descendant_of(home, inclusive=True).filter(locale=self.english)
        self.pairs = [(page, page.get_translation_or_none(self.french)) for page in english_pages.order_by("path")]
        self._html: dict[str, str] = {}

    def html(self, client, url: str) -> str:
        """The page at `url` (a path), fetched once for the whole module."""
        if url not in self._html:
            response = client.get(url)
            assert response.status_code == 200, url
            self._html[url] = response.content.decode()
        return self._html[url]


@pytest.fixture(scope="module")
def twins(demo) -> Twins:
    return Twins()


def language_links(html: str) -> dict[str, str]:
    """The language switcher's links: language code -> path (only links to the page's own twin,
    not the home page fallback)."""
    switcher = BeautifulSoup(html, "html.parser").select_one("nav.language-switcher")
    assert switcher is not None
    links = {}
    for link in switcher.select("a[hreflang]"):
        assert not link.get("title"), f"fallback to the home page: {link}"
        links[link["hreflang"]] = link["href"]
    return links


def alternates(html: str) -> dict[str, str]:
    """The page's <link rel="alternate" hreflang> URLs, as paths."""
    head = BeautifulSoup(html, "html.parser").head
    return {link["hreflang"]: urlsplit(link["href"]).path for link in head.select('link[rel="alternate"][hreflang]')}


def test_loading_from_scratch_leaves_no_segment_untranslated(demo):
    missing = [message for message in demo.warnings if "No fr translation" in message]
    assert missing == []


def test_every_english_page_has_a_live_french_twin(twins):
    assert len(twins.pairs) >= 25  # home, 4 indexes, 5 challenges, 6 releases, 6 stories, 3 postings
    untranslated = [english.url_path for english, french in twins.pairs if french is None or not french.live]
    assert untranslated == []
    french_pages = Page.objects.live().filter(locale=twins.french, depth__gt=1)
    assert french_pages.count() == len(twins.pairs)  # and no French page without an English source


def test_french_slugs_are_french_ascii_lowercase_and_hyphenated(twins):
    for english, french in twins.pairs[1:]:  # the home page's slug is not part of its URL
        assert french.slug != english.slug, english.url_path
        assert french.slug.isascii() and french.slug == french.slug.lower(), french.slug
        assert " " not in french.slug and "_" not in french.slug, french.slug


def test_the_language_switcher_links_each_page_to_its_twin(twins, client):
    for english, french in twins.pairs:
        assert english.url.startswith("/en/") and french.url.startswith("/fr/")
        assert language_links(twins.html(client, english.url)) == {"fr": french.url}, english.url
        assert language_links(twins.html(client, french.url)) == {"en": english.url}, french.url


def test_hreflang_alternates_are_reciprocal(twins, client):
    for pair in twins.pairs:
        for page in pair:
            links = alternates(twins.html(client, page.url))
            assert set(links) == {"en", "fr"}, page.url
            assert links[page.locale.language_code] == page.url
            for url in links.values():
                assert page.url in alternates(twins.html(client, url)).values(), (page.url, url)


def test_french_pages_are_in_french(twins, client):
    for english, french in twins.pairs:
        html = twins.html(client, french.url)
        assert '<html lang="fr"' in html, french.url
        assert french.title != english.title, french.url
        assert BeautifulSoup(html, "html.parser").h1.get_text(" ", strip=True) != english.title, french.url


def test_the_french_launch_release_shows_a_french_date(twins, client):
    release = NewsReleasePage.objects.get(locale=twins.english, slug=LAUNCH_RELEASE)
    html = twins.html(client, release.get_translation(twins.french).url)
    assert "10 mars 2017" in html
    assert "March" not in html


def test_french_pages_link_only_to_french_snippets_and_pages(twins):
    for _english, french in twins.pairs:
        page = french.specific
        linked = []
        if hasattr(page, "topics"):
            linked += list(page.topics.all())
        linked += [getattr(page, name) for name in ("division", "partner_city") if getattr(page, name, None)]
        for relation, name in [
            ("boilerplate_links", "boilerplate"),
            ("media_contact_links", "media_contact"),
            ("related_challenge_links", "challenge"),
        ]:
            if hasattr(page, relation):
                linked += [getattr(link, name) for link in getattr(page, relation).all()]
        english = [f"{type(item).__name__} {item}" for item in linked if item.locale_id != twins.french.pk]
        assert english == [], page.url


def test_a_french_challenge_is_fully_french(twins, client):
    release = NewsReleasePage.objects.get(locale=twins.french, related_challenge_links__isnull=False)
    challenge = release.related_challenge_links.get().challenge
    html = twins.html(client, challenge.url)
    assert "En ligne\u00a0: le lien est envoyé par courriel" in html  # the information session's location
    assert "Ajout d&#x27;une séance d&#x27;information" in html  # the announcement
    assert release.title.replace("'", "&#x27;") in html  # the French release, under related news
    form = twins.html(client, f"{challenge.url}apply/")  # the call is open: its form has the French questions
    assert "Quels types de demandes de service au 311" in form
    assert "Utilisé par des clients" in form


def test_feeds_and_calendars_are_per_language(twins, client):
    for english_url, french_url in [
        ("/en/news/feed/", "/fr/nouvelles/feed/"),
        ("/en/challenges/feed/", "/fr/defis/feed/"),
    ]:
        english = feedparser.parse(client.get(english_url).content)
        french = feedparser.parse(client.get(french_url).content)
        assert french.feed.language.startswith("fr")
        assert len(french.entries) == len(english.entries) > 0
        assert all(urlsplit(entry.link).path.startswith("/fr/") for entry in french.entries)
        assert not {entry.title for entry in french.entries} & {entry.title for entry in english.entries}

    challenge = next(french for english, french in twins.pairs if english.specific_class.__name__ == "ChallengePage")
    response = client.get(f"{challenge.url}calendar.ics")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries
    assert all(summary.endswith(f": {challenge.title}") for summary in summaries), summaries
    assert not any("Applications" in summary for summary in summaries), summaries  # French key-date names
