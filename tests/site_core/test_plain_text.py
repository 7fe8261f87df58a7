"""site_core.text.plain: rich text as plain text (Wagtail's extraction, one block per line), the
words of a search as the backends take them, and the start of a French word a search looks for where
the database cannot stem French. Pure functions: no database."""

import re

from hypothesis import given
from hypothesis import strategies as st
from wagtail.rich_text import RichText

from site_core.text.plain import MAX_SEARCH_TERMS, french_elision, french_prefix, plain_text, search_terms

# --- plain_text ----------------------------------------------------------------------------------


def test_blocks_are_never_glued_together():
    assert plain_text("<p>a</p><p>b</p>") == "a\nb"
    assert plain_text("<h2>Title</h2><ul><li>one</li><li>two</li></ul><blockquote>q</blockquote>") == (
        "Title\none\ntwo\nq"
    )
    assert plain_text("<div>a</div><div>b</div>") == "a\nb"


def test_line_breaks_in_every_spelling_end_a_line():
    assert plain_text("<p>One<br>two<br/>three<BR />four</p>") == "One\ntwo\nthree\nfour"


def test_inline_tags_are_dropped_keeping_their_text_and_entities_are_decoded():
    html = '<p>Fewer <b>missed</b> pickups &amp; <a href="/x" linktype="page" id="3">calls</a>.</p>'
    assert plain_text(html) == "Fewer missed pickups & calls."
    assert plain_text("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == "<script>alert(1)</script>"


def test_spaces_collapse_and_empty_lines_go():
    assert plain_text("<p>  spaced \t  out  </p>\n\n<p></p><p>\n next </p>") == "spaced out\nnext"


def test_empty_values_and_rich_text_objects():
    assert plain_text("") == ""
    assert plain_text(None) == ""
    assert plain_text(RichText("<p>a</p><p>b</p>")) == "a\nb"
    assert plain_text(RichText(None)) == ""


def test_plain_text_without_markup_is_kept():
    assert plain_text("Just words, 3 < 4") == "Just words, 3 < 4"


@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8), max_size=6))
def test_each_paragraph_is_a_line_of_its_own(words):
    assert plain_text("".join(f"<p>{word}</p>" for word in words)) == "\n".join(words)


# --- search_terms --------------------------------------------------------------------------------


def test_search_terms_keep_words_with_a_letter_or_digit_once():
    assert search_terms('"apply" * ^ - & 😀 NEAR 311 apply') == ["apply", "NEAR", "311"]
    assert search_terms("") == [] and search_terms("   ") == [] and search_terms('"') == []


def test_search_terms_drop_control_format_and_surrogate_characters():
    assert search_terms("pot\x00holes right\u202eto\u200bleft \ud800x") == ["potholes", "righttoleft", "x"]


def test_search_terms_are_bounded():
    assert search_terms(" ".join(f"w{n}" for n in range(100))) == [f"w{n}" for n in range(MAX_SEARCH_TERMS)]


@given(st.text(max_size=300))
def test_search_terms_are_safe_for_the_backends(raw):
    terms = search_terms(raw)
    assert len(terms) <= MAX_SEARCH_TERMS and len(set(terms)) == len(terms)
    for term in terms:
        assert '"' not in term and any(char.isalnum() for char in term)
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\s]", term)


# --- French words ------------------------------------------------------------------------------


def test_french_prefix_drops_plural_endings_and_elided_articles():
    assert french_prefix("transports") == french_prefix("transport") == "transport"
    assert french_prefix("Nationaux") == french_prefix("nationales") == french_prefix("national") == "nationa"
    assert french_prefix("bureaux") == "bureau"
    assert french_prefix("l'innovation") == french_prefix("l\u2019innovation") == "innovation"
    assert french_prefix("des") == french_prefix("bus") == ""  # too short to start words: looked for as they are
    assert french_prefix("prix") == "prix"
    assert french_prefix("aujourd'hui") == ""  # not one word: looked for as it is


def test_french_elision_is_the_elided_article_or_pronoun_before_the_rest_of_a_word():
    assert french_elision("l'innovation") == french_elision("d\u2019abord") == 2
    assert french_elision("qu'il") == 3 and french_elision("jusqu'au") == 6
    assert french_elision("l'") == 0  # nothing after it: not an elision
    assert french_elision("aujourd'hui") == french_elision("transport") == 0
