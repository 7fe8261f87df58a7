"""Pure text rules of the site search: what a visitor's query becomes before its words
(site_core.text.plain.search_terms) reach the search backend, and the highlighted snippet under each
result, read from the pages' text as site_core.text.plain.plain_text gives it. No database, no
request: unit-tested with examples and with hypothesis (tests/home/test_search.py)."""

import re
import unicodedata
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from site_core.text.plain import french_elision, french_prefix, plain_text

# Wagtail's promoted-results Query.query_string holds 255 characters; nobody types more than this.
MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 220
SNIPPET_LEAD = 60  # characters of context kept before the first match
# Keys of StreamField raw data that hold identifiers, choices or addresses rather than prose.
NON_PROSE_KEYS = frozenset({"id", "type", "level", "url", "embed", "page", "image", "document"})

# A word, apostrophes inside it included ("Be'er", "l'innovation"), so that "Be'er" is one word
# and not "be" (which would mark "between") and "er".
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_ELLIPSIS = "…"


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as we search for it, and whether it had to be shortened.

    Compatibility forms are folded (full-width letters, ligatures), control characters (NUL, tabs,
    line breaks) become spaces, invisible format characters (bidirectional overrides, zero-width
    joiners) and lone surrogates are dropped, runs of spaces collapse, and the result is at most
    MAX_QUERY_LENGTH characters, cut at a word boundary when there is one."""
    text = unicodedata.normalize("NFKC", (raw or "")[: MAX_QUERY_LENGTH * 4])
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in {"Cc", "Zl", "Zp"}:
            kept.append(" ")
        elif category not in {"Cf", "Cs"}:
            kept.append(char)
    text = " ".join("".join(kept).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    cut = text[:MAX_QUERY_LENGTH]
    if text[MAX_QUERY_LENGTH] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(), True


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a word ("Défi" -> "defi"), as the search matches."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def highlight_words(terms: Iterable[str], language: str = "") -> list[str]:
    """The folded words to mark in snippets: the words of the terms, two characters or longer (a
    lone letter would mark half the text), plus the singular of a plural, since the search finds
    "challenge" for "challenges" where PostgreSQL stems, and in French (`language` "fr") the start
    french_prefix() gives ("nationa" for "nationaux" marks "national")."""
    words: list[str] = []
    for term in terms:
        for word in _WORD.findall(fold(term)):
            word = word[french_elision(word) :]  # "l'innovation" is found and marked as "innovation"
            candidates = [word]
            if len(word) > 3 and word.endswith("s"):
                candidates.append(word[:-1])
            if language == "fr" and french_prefix(word):
                candidates.append(fold(french_prefix(word)))
            for candidate in candidates:
                if (len(candidate) >= 2 or candidate.isdigit()) and candidate not in words:
                    words.append(candidate)
    return words


def _matches(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` that begins with one of `words` (folded comparison)."""
    if not words:
        return []
    spans = []
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if any(folded.startswith(word) for word in words):
            spans.append(match.span())
            continue
        cut = french_elision(folded)
        if cut and any(folded[cut:].startswith(word) for word in words):
            spans.append((match.start() + cut, match.end()))  # "l'<mark>innovation</mark>"
    return spans


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped for HTML, with every word that starts with one of `words` in <mark>.

    Matching happens on the raw text and every piece is escaped on its own, so a query can never
    mark part of an entity (searching "amp" cannot break "&amp;") or inject markup."""
    pieces = []
    position = 0
    for start, end in _matches(text, words):
        pieces.append(escape(text[position:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above


def _window(text: str, start: int, length: int) -> str:
    """About `length` characters of `text` from `start`, cut at word boundaries, with ellipses."""
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + SNIPPET_LEAD else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end].strip()
    return f"{_ELLIPSIS if start > 0 else ''}{piece}{_ELLIPSIS if end < len(text) else ''}"


def snippet(texts: Iterable[str], words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A passage of at most about `length` characters for a result: around the first match in the
    first text that has one (texts come best first: summary, then body), else the start of the
    first non-empty text. Plain text; pass it through highlight() to show it."""
    fallback = ""
    for text in texts:
        text = " ".join(text.split())
        if not text:
            continue
        fallback = fallback or text
        spans = _matches(text, words)
        if spans:
            if len(text) <= length:
                return text
            return _window(text, max(0, spans[0][0] - SNIPPET_LEAD), length)
    return _window(fallback, 0, length) if len(fallback) > length else fallback


def stream_text(raw_data) -> str:
    """The prose of a StreamField from its raw JSON (paragraphs, headings, quotes, captions, FAQ
    answers, table cells …), without loading the images, documents or pages it points to."""
    parts: list[str] = []

    def walk(value):
        if isinstance(value, str):
            text = plain_text(value)
            if text:
                parts.append(text)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in NON_PROSE_KEYS:
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(list(raw_data or []))
    return " ".join(parts)
