"""Site search in French (issue 21): on PostgreSQL French pages are indexed and searched with the
French text-search configuration ("transport" and "national" find "transports nationaux") while
English keeps English stemming; on SQLite a French word finds the words it starts once its plural
ending is dropped. Promoted results belong to the language of their page, with English picks shown
translated in a language that has none of its own."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from devtools.demo.home import index_pages_for_search
from home.search_text import highlight, highlight_words
from site_core.search_backend import search_backend
from tests.factories import NewsReleasePageFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text-search configurations")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")

FRENCH_BODY = "<p>Les transports publics nationaux et les logements sociaux de la ville.</p>"


def search(client, query: str, language: str = "en") -> str:
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def result_titles(body: str) -> list[str]:
    return [html.unescape(title) for title in re.findall(r'class="search-result__title"><a [^>]*>([^<]*)</a>', body)]


def recommended_titles(body: str) -> list[str]:
    if 'id="recommended-heading"' not in body:
        return []
    box = body.split('id="recommended-heading"', 1)[1].split("</section>", 1)[0]
    return [html.unescape(title) for title in re.findall(r"<a [^>]*>([^<]*)</a>", box)]


def release(parent, title: str, text: str):
    return NewsReleasePageFactory(parent=parent, title=title, body=[("paragraph", f"<p>{text}</p>")])


def translate(page, locale, title: str, body: str = ""):
    french = page.copy_for_translation(locale, copy_parents=True)
    french.title = title
    if body:
        french.body = [("paragraph", body)]
    french.save_revision().publish()
    return Page.objects.get(pk=french.pk).specific


@pytest.fixture
def french_release(site_tree):
    """An English release and its French translation, which says "transports publics nationaux"."""
    english = release(site_tree.news_index, "Transit and housing", "Buses run daily and crews build homes.")
    french = translate(english, site_tree.french, "Transports et logement", FRENCH_BODY)
    return english, french


def index_body(page) -> str:
    """The lexemes the search index stores for a page's body (PostgreSQL's tsvector as text)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body::text FROM wagtailsearch_indexentry WHERE content_type_id = %s AND object_id = %s",
            [page.content_type_id, str(page.pk)],
        )
        return cursor.fetchone()[0]


# --- the French rule on SQLite and in highlights ----------------------------------------------------


def test_french_highlights_mark_the_words_a_french_search_finds():
    words = highlight_words(["nationaux", "transport"], "fr")
    text = "Transports nationaux, réseau national"
    assert str(highlight(text, words)) == (
        "<mark>Transports</mark> <mark>nationaux</mark>, réseau <mark>national</mark>"
    )
    assert "nationa" not in highlight_words(["nationaux"], "en")  # English highlights keep English rules


# --- PostgreSQL: a configuration per language ---------------------------------------------------------


@on_postgresql
def test_on_postgresql_a_french_search_finds_french_inflections(client, french_release):
    _english, french = french_release
    index_pages_for_search()
    assert "'national'" in index_body(french)  # "nationaux" stored by its French stem
    for query in ["transport", "national", "social", "logements", "nationaux"]:
        assert result_titles(search(client, query, "fr")) == ["Transports et logement"], query
    body = search(client, "national", "fr")
    assert "<mark>nationaux</mark>" in body
    # English stemming knows neither plural: only the French configuration finds these.
    assert result_titles(search(client, "national")) == []


@on_postgresql
def test_on_postgresql_english_pages_keep_english_stemming_and_ranking(client, site_tree, french_release):
    news = site_tree.news_index
    release(news, "Nations meet downtown", "A summit.")
    mentioned = release(news, "Summit recap", "Delegates rode ponies to many national parks.")
    index_pages_for_search()
    english_body = index_body(mentioned)
    assert "'poni'" in english_body and "'nation'" in english_body  # English stems, not French ("pon", "national")
    assert result_titles(search(client, "pony")) == ["Summit recap"]
    # English stems "national" to "nation": the page with it in its title ranks first. With French
    # stemming the English search would find neither ("national" is its own French stem).
    assert result_titles(search(client, "national")) == ["Nations meet downtown", "Summit recap"]
    # The French search of the same word finds the French page only.
    assert result_titles(search(client, "national", "fr")) == ["Transports et logement"]


@on_postgresql
def test_on_postgresql_a_search_in_no_language_matches_each_pages_own_stems(client, french_release):
    english, french = french_release
    index_pages_for_search()
    found = client.get("/api/v2/pages/", {"search": "nationaux", "locale": "fr"}).json()["items"]
    assert [item["id"] for item in found] == [french.pk]
    found = client.get("/api/v2/pages/", {"search": "buses"}).json()["items"]
    assert [item["id"] for item in found] == [english.pk]
    pages = Page.objects.live()
    assert set(search_backend("").search("national", pages)) == {french.page_ptr}
    assert list(search_backend("en").search("national", pages)) == []


@on_postgresql
def test_on_postgresql_publishing_a_french_page_indexes_it_in_french(client, site_tree, settings):
    from site_core.settings import base as base_settings

    settings.WAGTAILSEARCH_BACKENDS = base_settings.WAGTAILSEARCH_BACKENDS  # production's: indexing on save
    english = release(site_tree.news_index, "Transit", "Buses.")
    translate(english, site_tree.french, "Transports", FRENCH_BODY)
    assert result_titles(search(client, "national", "fr")) == ["Transports"]


# --- SQLite: word starts for French -------------------------------------------------------------------


@on_sqlite
def test_on_sqlite_a_french_word_finds_the_words_it_starts_without_its_plural(client, site_tree, french_release):
    index_pages_for_search()
    for query in ["transport", "Transports", "nationaux", "nationale", "national", "logements", "social"]:
        assert result_titles(search(client, query, "fr")) == ["Transports et logement"], query
    innovation = release(site_tree.news_index, "Innovation", "Innovation.")
    translate(innovation, site_tree.french, "Innovation", "<p>Un bureau d\u2019innovation ouvre.</p>")
    index_pages_for_search()
    assert result_titles(search(client, "l'innovation", "fr")) == ["Innovation"]
    assert result_titles(search(client, "bureaux", "fr")) == ["Innovation"]
    # English on SQLite matches whole words, as FTS5 does: the French rule stays French.
    assert result_titles(search(client, "bus")) == []
    assert result_titles(search(client, "buses")) == ["Transit and housing"]


# --- promoted results per language ---------------------------------------------------------------------


@pytest.fixture
def housing(site_tree):
    """An English housing page with its French translation, and an English page without one."""
    english = release(site_tree.news_index, "Affordable housing", "Homes for everyone.")
    french = translate(english, site_tree.french, "Logement abordable", "<p>Des logements pour tous.</p>")
    untranslated = release(site_tree.news_index, "Housing fair", "Meet builders.")
    index_pages_for_search()
    return english, french, untranslated


def test_a_french_promotion_shows_on_french_searches_only(client, housing):
    _english, french, _untranslated = housing
    SearchPromotion.objects.create(query=Query.get("logement"), page=french, sort_order=0)
    assert recommended_titles(search(client, "logement", "fr")) == ["Logement abordable"]
    assert recommended_titles(search(client, "logement")) == []


def test_a_language_with_its_own_picks_shows_them_instead_of_the_english_ones(client, housing):
    english, french, untranslated = housing
    query = Query.get("housing")
    SearchPromotion.objects.create(query=query, page=untranslated, sort_order=0)
    SearchPromotion.objects.create(query=query, page=english, sort_order=1)
    # No French pick: the translations of the English ones (the untranslated page shows nothing).
    assert recommended_titles(search(client, "housing", "fr")) == ["Logement abordable"]
    french_pick = SearchPromotion.objects.create(
        query=query, page=french, description="Pour les locataires.", sort_order=2
    )
    other = release(english.get_parent(), "Rent help", "Rent.")
    french_other = translate(other, french.locale, "Aide au loyer")
    SearchPromotion.objects.create(query=query, page=french_other, sort_order=3)
    french_body = search(client, "housing", "fr")
    assert recommended_titles(french_body) == ["Logement abordable", "Aide au loyer"]
    assert "Pour les locataires." in french_body  # the French editor's own description
    assert recommended_titles(search(client, "housing")) == ["Housing fair", "Affordable housing"]
    # A French pick whose page is not live leaves French with none of its own: the fallback again.
    french_pick.delete()
    french_other.unpublish()
    assert recommended_titles(search(client, "housing", "fr")) == ["Logement abordable"]


def test_external_links_and_per_language_picks_cost_the_same_queries(client, housing):
    english, french, _untranslated = housing
    query = Query.get("rent")
    SearchPromotion.objects.create(query=query, page=english, sort_order=0)
    SearchPromotion.objects.create(
        query=query, external_link_url="https://www.toronto.ca/", external_link_text="City", sort_order=1
    )

    def queries(language: str) -> int:
        search(client, "rent", language)  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            body = search(client, "rent", language)
        assert "City" in recommended_titles(body)
        return len(captured.captured_queries)

    english_fallback, french_fallback = queries("en"), queries("fr")
    SearchPromotion.objects.create(query=query, page=french, sort_order=2)
    assert queries("fr") == french_fallback
    assert queries("en") == english_fallback
    assert recommended_titles(search(client, "rent", "fr")) == ["City", "Logement abordable"]
