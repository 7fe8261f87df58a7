"""Site search: it finds live, public pages of the visitor's language by any word they contain, never
drafts, embargoed, restricted or other-language pages; it filters by type, paginates, shows the
editors' promoted results and highlighted snippets, and answers every query without an error in a
fixed number of SQL queries."""

import datetime
import html
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from devtools.demo.home import index_pages_for_search
from home.search_text import (
    MAX_QUERY_LENGTH,
    clean_query,
    highlight,
    highlight_words,
    snippet,
    stream_text,
)
from site_core.settings import base as base_settings
from site_core.text.plain import MAX_SEARCH_TERMS, plain_text, search_terms
from tests.conftest import assert_constant_queries
from tests.factories import (
    ChallengeIndexPageFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    add_live_pages,
    build_challenge,
    make_challenge,
)

# --- pure rules -----------------------------------------------------------------------------


def test_clean_query_removes_control_and_invisible_characters_and_folds_compatibility_forms():
    assert clean_query("  potholes\x00and\tgraffiti\n ") == ("potholes and graffiti", False)
    assert clean_query("right\u202eto\u200bleft") == ("righttoleft", False)  # bidi override, zero width
    full_width_apply = "\uff21\uff30\uff30\uff2c\uff39"
    assert clean_query(f"{full_width_apply} \ufb01nance") == ("APPLY finance", False)  # a ligature too


def test_clean_query_caps_the_length_at_a_word_boundary_and_says_so():
    words = "transit " * 100
    cleaned, shortened = clean_query(words)
    assert shortened
    assert len(cleaned) <= MAX_QUERY_LENGTH
    assert cleaned.endswith("transit")
    assert clean_query("x" * 10_000) == ("x" * MAX_QUERY_LENGTH, True)


def test_backend_terms_drop_quotes_and_terms_without_letters_or_digits():
    assert search_terms('"apply" * ^ - & 😀 NEAR 311 apply') == ["apply", "NEAR", "311"]
    assert search_terms('"') == []
    assert search_terms(" ".join(f"w{n}" for n in range(100))) == [f"w{n}" for n in range(MAX_SEARCH_TERMS)]


def test_highlight_marks_words_that_start_with_a_search_word_ignoring_case_and_accents():
    words = highlight_words(["defi", "Apply"])
    marked = highlight("Les Défis: apply or Applying, not reapply.", words)
    assert marked == "Les <mark>Défis</mark>: <mark>apply</mark> or <mark>Applying</mark>, not reapply."


def test_highlight_escapes_the_text_and_cannot_break_an_entity():
    assert highlight("<script>alert(1)</script> & more", highlight_words(["script", "amp"])) == (
        "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; &amp; more"
    )


def test_highlight_words_add_the_singular_and_skip_single_letters():
    assert highlight_words(["challenges", "a", "l'innovation", "7"]) == ["challenges", "challenge", "innovation", "7"]


def test_snippet_shows_the_passage_around_the_first_match_with_ellipses():
    text = "Intro words. " * 30 + "The deadline for proposals is in May. " + "Closing words. " * 30
    passage = snippet(["", text], highlight_words(["deadline"]), length=100)
    assert "deadline for proposals" in passage
    assert passage.startswith("…") and passage.endswith("…")
    assert len(passage) <= 102


def test_snippet_prefers_the_first_text_with_a_match_and_falls_back_to_the_summary():
    assert snippet(["A short summary.", "Body with the permit."], ["permit"]) == "Body with the permit."
    assert snippet(["A short summary.", "Body."], ["permit"]) == "A short summary."
    assert snippet(["", "  "], ["permit"]) == ""


def test_stream_text_reads_the_prose_of_a_body_but_not_ids_links_or_choices():
    raw = [
        {"type": "heading", "value": {"text": "Results", "level": "h2"}, "id": "abc"},
        {"type": "paragraph", "value": "<p>Fewer <b>missed</b> pickups &amp; calls.</p>", "id": "def"},
        {"type": "call_to_action", "value": {"heading": "Apply", "page": 12, "url": "https://example.ca/x"}},
        {"type": "image", "value": {"image": 5, "alt_text": "A crew at work", "caption": ""}},
    ]
    assert stream_text(raw) == "Results Fewer missed pickups & calls. Apply A crew at work"


def test_paragraphs_stay_separate_words_in_snippets_and_highlights():
    """`<p>a</p><p>b</p>` once became "ab": the last word of a paragraph glued to the first of the
    next, so neither could be found in the snippet nor highlighted."""
    body = "<p>Report a pothole</p><p>Streets are repaired within a week.</p>"
    words = highlight_words(["streets"])
    for text in (plain_text(body), stream_text([{"type": "paragraph", "value": body, "id": "abc"}])):
        assert "potholeStreets" not in text
        passage = snippet([text], words)
        assert passage == "Report a pothole Streets are repaired within a week."
        assert "<mark>Streets</mark>" in highlight(passage, words)


@given(st.text(max_size=400))
def test_clean_query_is_bounded_free_of_control_characters_and_stable(raw):
    cleaned, _shortened = clean_query(raw)
    assert len(cleaned) <= MAX_QUERY_LENGTH
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", cleaned)
    assert clean_query(cleaned)[0] == cleaned
    assert all('"' not in term and any(char.isalnum() for char in term) for term in search_terms(cleaned))


@given(st.text(max_size=300), st.lists(st.text(min_size=1, max_size=12), max_size=5))
def test_highlight_only_adds_marks_around_escaped_text(text, terms):
    marked = str(highlight(text, highlight_words(terms)))
    assert re.sub(r"</?mark>", "", marked) == html.escape(text, quote=True)
    assert html.unescape(re.sub(r"</?mark>", "", marked)) == text
    assert "<" not in re.sub(r"</?mark>", "", marked)


# --- the page -------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(site_tree):
    """Every searchable section under the English home page."""
    return {
        "news": site_tree.news_index,
        "challenges": ChallengeIndexPageFactory(parent=site_tree.home),
        "stories": PartnerCityIndexPageFactory(parent=site_tree.home),
        "jobs": JobIndexPageFactory(parent=site_tree.home),
    }


def search(client, query: str = "", language: str = "en", **params) -> str:
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def result_titles(body: str) -> list[str]:
    return [html.unescape(title) for title in re.findall(r'class="search-result__title"><a [^>]*>([^<]*)</a>', body)]


def release_with_body(parent, title: str, word: str, **fields):
    return NewsReleasePageFactory(
        parent=parent, title=title, body=[("paragraph", f"<p>Crews will {word} the new approach.</p>")], **fields
    )


def test_finds_a_release_by_a_word_only_in_its_body(client, sections):
    release_with_body(sections["news"], "Council approves the pilot", "trial")
    NewsReleasePageFactory(parent=sections["news"], title="Another release")
    index_pages_for_search()
    body = search(client, "trial")
    assert result_titles(body) == ["Council approves the pilot"]
    assert "1 result for “trial”" in body
    assert "<mark>trial</mark>" in body


def test_each_type_is_found_by_the_text_its_readers_search_for(client, sections):
    make_challenge(sections["challenges"], title="Shorter waits", how_to_apply="<p>Send a proposal PDF.</p>")
    city = PartnerCityFactory(name="Anchorage", region="Alaska")
    PartnerStoryPageFactory(parent=sections["stories"], title="Plain letters", partner_city=city)
    JobPostingPageFactory(parent=sections["jobs"], title="Analyst", qualifications="<p>Fluent in Tagalog.</p>")
    index_pages_for_search()
    assert result_titles(search(client, "proposal")) == ["Shorter waits"]
    assert result_titles(search(client, "anchorage")) == ["Plain letters"]
    assert result_titles(search(client, "tagalog")) == ["Analyst"]


def test_drafts_embargoed_restricted_and_unpublished_pages_are_never_found(client, sections):
    news = sections["news"]
    release_with_body(news, "Published release", "zeppelin")
    draft = release_with_body(news, "Draft release", "zeppelin", live=False)
    draft.save_revision()
    embargoed = release_with_body(
        news, "Embargoed release", "zeppelin", live=False, release_date=timezone.now() + datetime.timedelta(hours=2)
    )
    embargoed.go_live_at = embargoed.release_date
    embargoed.save_revision().publish()
    embargoed.refresh_from_db()
    assert not embargoed.live and embargoed.has_unpublished_changes
    restricted = release_with_body(news, "Restricted release", "zeppelin")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x")
    withdrawn = release_with_body(news, "Withdrawn release", "zeppelin")
    withdrawn.unpublish()
    index_pages_for_search()  # every page is in the index, live or not: the search must filter
    call_command("publish_scheduled", stdout=io.StringIO())  # the embargo has not ended yet
    assert result_titles(search(client, "zeppelin")) == ["Published release"]


def test_pages_are_found_in_the_visitors_language_only(client, site_tree, sections):
    english = release_with_body(sections["news"], "Bike lanes", "cycle")
    french = english.copy_for_translation(site_tree.french, copy_parents=True)
    french.title = "Pistes cyclables"
    french.body = [("paragraph", "<p>Les équipes vont cycle la nouvelle approche.</p>")]
    french.save_revision().publish()
    index_pages_for_search()
    assert result_titles(search(client, "cycle")) == ["Bike lanes"]
    assert result_titles(search(client, "cycle", language="fr")) == ["Pistes cyclables"]


def test_publishing_indexes_a_page_when_the_index_updates_on_save(client, sections, settings):
    settings.WAGTAILSEARCH_BACKENDS = base_settings.WAGTAILSEARCH_BACKENDS  # production's: indexing on save
    release_with_body(sections["news"], "Snow clearing update", "plough")
    assert result_titles(search(client, "plough")) == ["Snow clearing update"]


def test_the_type_filter_narrows_the_results_and_counts_each_type(client, sections):
    for number in range(3):
        release_with_body(sections["news"], f"Harbour release {number}", "harbour")
    JobPostingPageFactory(parent=sections["jobs"], title="Harbour master", summary="Run the harbour.")
    index_pages_for_search()
    body = search(client, "harbour", type="jobs")
    assert result_titles(body) == ["Harbour master"]
    assert "1 result for “harbour” in Job postings" in body
    assert re.search(r'value="news">\s*News releases <span class="search-form__count">\(3\)</span>', body)
    assert re.search(r'value="jobs" checked>', body)
    unknown = search(client, "harbour", type="everything<script>")
    assert len(result_titles(unknown)) == 4
    assert "is not one of the choices for this filter, so it was ignored" in unknown
    assert "<script>" not in unknown.split("</header>", 1)[1]


def test_results_are_paginated_keeping_the_query_and_type(client, sections):
    for number in range(23):
        release_with_body(sections["news"], f"Ferry release {number:02d}", "ferry")
    index_pages_for_search()
    first = result_titles(search(client, "ferry", type="news"))
    second_body = search(client, "ferry", type="news", page="2")
    second = result_titles(second_body)
    assert len(first) == 10 and len(second) == 10 and not set(first) & set(second)
    assert 'href="?q=ferry&amp;type=news&amp;page=3"' in second_body
    assert '<ol class="search-results" start="11">' in second_body
    assert result_titles(search(client, "ferry", type="news", page="abc")) == first
    assert len(result_titles(search(client, "ferry", type="news", page="999"))) == 3


def test_when_no_page_has_every_word_pages_with_some_of_them_are_shown(client, sections):
    release_with_body(sections["news"], "Ferry timetable", "ferry")
    index_pages_for_search()
    body = search(client, "ferry zeppelin")
    assert result_titles(body) == ["Ferry timetable"]
    assert "No page contains all of your words" in body


@pytest.fixture
def promoted(site_tree, sections):
    """A challenge promoted for "permit", translated into French, and an untranslated release
    promoted for the same search."""
    challenge = make_challenge(sections["challenges"], title="Simpler permits", summary="Renew a permit online.")
    french = challenge.copy_for_translation(site_tree.french, copy_parents=True)
    french.title = "Des permis plus simples"
    french.summary = "Renouveler un permis en ligne."
    french.save_revision().publish()
    release = NewsReleasePageFactory(parent=sections["news"], title="Permit fees frozen")
    query = Query.get("Permit")
    SearchPromotion.objects.create(query=query, page=challenge, description="Apply before May.", sort_order=0)
    SearchPromotion.objects.create(query=query, page=release, sort_order=1)
    index_pages_for_search()
    return challenge


def recommended_titles(body: str) -> list[str]:
    if 'id="recommended-heading"' not in body:
        return []
    box = body.split('id="recommended-heading"', 1)[1].split("</section>", 1)[0]
    return [html.unescape(title) for title in re.findall(r"<a [^>]*>([^<]*)</a>", box)]


def test_promoted_results_come_first_under_recommended_in_the_visitors_language(client, promoted):
    english = search(client, "  PERMIT ")
    assert recommended_titles(english) == ["Simpler permits", "Permit fees frozen"]
    assert "Apply before May." in english
    french = search(client, "permit", language="fr")
    assert recommended_titles(french) == ["Des permis plus simples"]  # the release has no French version
    assert "Renouveler un permis en ligne." in french and "Apply before May." not in french
    assert recommended_titles(search(client, "permit", type="jobs")) == []
    assert recommended_titles(search(client, "permits")) == []


def test_promoted_results_show_on_the_first_page_only(client, sections, promoted):
    for number in range(11):
        release_with_body(sections["news"], f"Permit notice {number}", "permit")
    index_pages_for_search()
    assert recommended_titles(search(client, "permit")) == ["Simpler permits", "Permit fees frozen"]
    assert recommended_titles(search(client, "permit", page="2")) == []


def test_external_links_are_promoted_in_every_language_and_restricted_pages_never(client, sections):
    private = release_with_body(sections["news"], "Internal memo", "memo")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    query = Query.get("garbage")
    SearchPromotion.objects.create(query=query, page=private, sort_order=0)
    SearchPromotion.objects.create(
        query=query, external_link_url="https://www.toronto.ca/services/", external_link_text="Waste calendar"
    )
    for language in ["en", "fr"]:
        assert recommended_titles(search(client, "garbage", language=language)) == ["Waste calendar"]
    assert recommended_titles(search(client, "garbage", type="news")) == []


def test_a_communications_editor_promotes_a_page_from_the_admin(client, sections, django_user_model):
    release = release_with_body(sections["news"], "Transit fares", "fares")
    call_command("setup_groups", stdout=io.StringIO())
    editor = django_user_model.objects.create_user("comms", password="x-long-password-1")
    editor.groups.add(Group.objects.get(name="Communications editors"))
    client.force_login(editor)
    response = client.post(
        "/admin/searchpicks/add/",
        {
            "query_string": "TTC",
            "editors_picks-TOTAL_FORMS": "1",
            "editors_picks-INITIAL_FORMS": "0",
            "editors_picks-MAX_NUM_FORMS": "1000",
            "editors_picks-0-ORDER": "0",
            "editors_picks-0-page": str(release.pk),
            "editors_picks-0-description": "Fares from 1 January.",
        },
    )
    assert response.status_code == 302
    client.logout()
    body = search(client, "ttc")
    assert recommended_titles(body) == ["Transit fares"]
    assert "Fares from 1 January." in body


def test_searching_records_nothing(client, promoted):
    search(client, "permit")
    search(client, "a new query")
    assert list(Query.objects.values_list("query_string", flat=True)) == ["permit"]
    assert not Query.objects.get().daily_hits.exists()


def test_the_empty_form_gives_a_hint_and_the_sections_to_browse(client, sections):
    body = search(client)
    assert "<title>Search |" in body
    assert "Type a word or a few words" in body
    assert 'role="status"' not in body
    assert re.search(r'<a href="/en/jobs/">', body)
    assert 'id="site-search-query"' not in body  # the header's form gives way to the page's


def test_no_results_suggest_spelling_fewer_words_sections_and_the_other_language(client, sections):
    body = search(client, "xylophone", type="jobs")
    assert "0 results for “xylophone” in Job postings" in body
    assert "No pages match “xylophone”" in body
    assert "checking the spelling" in body
    assert 'href="?q=xylophone"' in body  # everything, not one type
    assert 'href="/fr/search/?q=xylophone&amp;type=jobs" hreflang="fr" lang="fr">Français</a>' in body
    assert '<a href="/en/challenges/">' in body and '<a href="/en/partner-cities/">' in body


def test_search_results_are_not_indexed_by_search_engines(client, sections):
    response = client.get("/en/search/", {"q": "anything"})
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex, follow">' in response.content.decode()
    assert "<title>Search results for “anything” |" in response.content.decode()


def test_the_query_is_escaped_everywhere_it_is_shown(client, sections):
    release_with_body(sections["news"], "Tag <b>soup</b>", "<script>")
    index_pages_for_search()
    body = search(client, '<script>alert("x")</script>')
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(" in body
    assert "Tag &lt;b&gt;soup&lt;/b&gt;" in search(client, "soup")


def test_every_page_has_a_search_form_in_its_header(client, sections):
    body = client.get("/fr/").content.decode()
    assert re.search(r'<form class="site-search" role="search" method="get" action="/fr/search/"', body)
    assert 'for="site-search-query"' in body
    not_found = client.get("/en/no-such-page/")
    assert not_found.status_code == 404
    assert 'action="/en/search/"' in not_found.content.decode()


NASTY_QUERIES = [
    '"',
    '""',
    '"unbalanced',
    "*",
    "^start",
    "NEAR(a b)",
    "a AND b OR NOT c",
    "- + ! & | : ( ) { } [ ]",
    "it's l'innovation",
    "\\",
    "\\'",
    "back\\slash'quote",
    "x\x00y",
    "tab\there",
    "😀 🇨🇦 👩‍👩‍👧",
    "%00 %s %(x)s {0}",
    "title:foo body:bar",
    "'a':* & !b <-> c",
    "AND",
    "NOT",
    "a" * 10_000,
    "word " * 2_000,
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_queries_the_full_text_parsers_treat_specially_never_fail(client, sections, query):
    release_with_body(sections["news"], "Quotes and stars", "quote")
    index_pages_for_search()
    for language in ["en", "fr"]:
        response = client.get(f"/{language}/search/", {"q": query, "type": "news", "page": "2"})
        assert response.status_code == 200


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300))
def test_any_text_gets_a_page(client, sections, query):
    assert client.get("/en/search/", {"q": query}).status_code == 200


def test_a_page_of_results_costs_the_same_queries_with_10_or_500_matches(client, site_tree, sections):
    city = PartnerCityFactory()
    created = []

    def add_items(count):
        makers = [
            (sections["news"], lambda n: NewsReleasePageFactory.build(title=f"Initiative release {n}")),
            (
                sections["stories"],
                lambda n: PartnerStoryPageFactory.build(title=f"Initiative story {n}", partner_city=city),
            ),
            (sections["jobs"], lambda n: JobPostingPageFactory.build(title=f"Initiative analyst {n}")),
            (sections["challenges"], lambda n: build_challenge(title=f"Initiative challenge {n}")),
        ]
        batches = [[] for _ in makers]
        for _ in range(count):
            kind = len(created) % len(makers)
            created.append(makers[kind][1](len(created)))
            batches[kind].append(created[-1])
        for (parent, _build), pages in zip(makers, batches, strict=True):
            add_live_pages(parent, pages)
        if not SearchPromotion.objects.exists():
            SearchPromotion.objects.create(query=Query.get("initiative"), page=created[0], sort_order=0)
        index_pages_for_search()

    counts = assert_constant_queries(
        client,
        [
            "/en/search/?q=initiative",
            "/en/search/?q=initiative&type=news",
            "/en/search/?q=initiative+zzz",  # no page has both words: pages with either
            "/fr/search/?q=initiative",  # no French pages: the no-results suggestions
        ],
        add_items,
    )
    print(counts)
    assert counts["/en/search/?q=initiative"] <= 12, counts


def test_the_language_switcher_keeps_the_search_in_the_other_language(client, sections):
    body = client.get("/en/search/", {"q": "transit", "type": "news"}).content.decode()
    switcher = body.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/fr/search/?q=transit&amp;type=news"' in switcher
    assert "(home page)" not in switcher
    french = client.get("/fr/search/", {"q": "transit"}).content.decode()
    assert 'href="/en/search/?q=transit"' in french.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]


def test_the_counts_follow_a_publish_at_once(client, sections, settings):
    settings.WAGTAILSEARCH_BACKENDS = base_settings.WAGTAILSEARCH_BACKENDS  # production's: indexing on save
    release_with_body(sections["news"], "Ferry schedule", "sail")
    assert "1 result for “sail”" in search(client, "sail")
    assert "1 result for “sail”" in search(client, "sail")  # the counts now come from the shared cache
    release_with_body(sections["news"], "Ferry fares", "sail")
    body = search(client, "sail")
    assert "2 results for “sail”" in body
    assert sorted(result_titles(body)) == ["Ferry fares", "Ferry schedule"]


def test_on_postgresql_the_backends_match_expression_is_indexed():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches with FTS5, which has its own index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry' AND indexname = %s",
            ["cio_search_title_body_gin"],
        )
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition and "(title || body)" in definition


def test_the_everything_tab_counts_every_type_whichever_tab_is_chosen(client, sections):
    """Issue 21: `?q=innovation&type=jobs` headed its tabs with "Everything (3)", the jobs' count."""
    for number in range(3):
        JobPostingPageFactory(parent=sections["jobs"], title=f"Innovation analyst {number}")
    for number in range(2):
        release_with_body(sections["news"], f"Innovation news {number}", "innovate")
    index_pages_for_search()
    jobs_tab = search(client, "innovation", type="jobs")
    assert re.search(r"Everything\s*<span class=\"search-form__count\">\(5\)</span>", jobs_tab), jobs_tab[:3000]
    assert len(result_titles(jobs_tab)) == 3


def test_a_word_with_an_apostrophe_marks_only_itself():
    """Issue 21: searching "Be'er" marked "between" (the search word was cut into "be" and "er")."""
    words = highlight_words(["Be'er"])
    assert words == ["be'er"]
    assert str(highlight("Between Be'er Sheva and Be\u2019er", words)) == (
        "Between <mark>Be&#x27;er</mark> Sheva and <mark>Be\u2019er</mark>"
    )
    french = highlight_words(["l'innovation"])
    assert str(highlight("L\u2019innovation et l'innovation", french)) == (
        "L\u2019<mark>innovation</mark> et l&#x27;<mark>innovation</mark>"
    )
