"""Plain text, the one way the site turns text into words: rich text as plain text (search snippets,
open-data files), what someone types into a search box as the words the search backends take
(the site search and the API's ?search=), and the start of a French word the search looks for where
the database cannot stem French. Pure functions: no database, no request."""

import re
import unicodedata

from wagtail.rich_text import get_text_for_indexing

# Every term becomes one clause of the full-text query; more than this adds nothing but cost (and,
# by the thousand, recursion in the backends' query builders).
MAX_SEARCH_TERMS = 32

# Where a line ends in rich text: a line break, or the end of a paragraph, list item, heading, quote
# or division. Wagtail's extraction separates blocks with a space; we also keep them on lines of their own.
_LINE_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|div)\s*>", re.IGNORECASE)
# A French elided article or pronoun at the start of a word ("l'", "qu'", "jusqu'"), either apostrophe.
_FRENCH_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['\u2019]")


def plain_text(html_or_richtext) -> str:
    """Rich text (HTML as Wagtail stores it, or a RichText value) as plain text, the way Wagtail's
    search index reads it (`wagtail.rich_text.get_text_for_indexing`: tags dropped, link text kept,
    entities decoded), with one paragraph, list item, heading or line break per line and runs of
    spaces collapsed: "<p>a</p><p>b</p>" is "a\\nb", never "ab"."""
    html = getattr(html_or_richtext, "source", html_or_richtext) or ""
    if "<" in html or "&" in html:  # no tag and no entity: nothing for the parser to do
        text = get_text_for_indexing(_LINE_END.sub(lambda end: end.group() + "\n", html))
    else:
        text = html
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def search_terms(text: str) -> list[str]:
    """The words of a search as the full-text backends receive them: each one is searched for
    literally. Control, format and surrogate characters are dropped (SQLite ends a string at NUL),
    and so are double quotes (SQLite's FTS5 wraps each word in them; an unbalanced one is a syntax
    error); words without a letter or digit ("*", "-", "&", an emoji) are left out, since they index
    nothing and would only empty the results; a repeated word counts once; at most MAX_SEARCH_TERMS."""
    terms: list[str] = []
    for word in (text or "").split():
        word = "".join(char for char in word if char != '"' and unicodedata.category(char)[0] != "C")
        if any(char.isalnum() for char in word) and word not in terms:
            terms.append(word)
    return terms[:MAX_SEARCH_TERMS]


def french_elision(word: str) -> int:
    """The length of the French elided article or pronoun that starts a lower-case `word` and is
    followed by more of it ("l'innovation": 2, "qu\u2019il": 3), or 0."""
    found = _FRENCH_ELISION.match(word)
    return found.end() if found and len(word) > found.end() else 0


def french_prefix(word: str) -> str:
    """What a French search word is looked for as the start of, where the backend cannot stem French
    (SQLite's FTS5): the word without an elided article, a plural ending, or the -al/-ale/-aux of
    adjectives and nouns ("transports" and "transport" -> "transport"; "national", "nationale",
    "nationaux" -> "nationa"; "bureaux" -> "bureau"; "l'innovation" -> "innovation"); "" for a word
    to look for as it is (under four letters, where "de*" or "bus*" would find too much, or not a
    single word). Each cut keeps four letters or more. Lower case, accents kept (FTS5 ignores them)."""
    word = word.casefold()
    word = word[french_elision(word) :]
    if not re.fullmatch(r"\w{4,}", word):
        return ""
    for ending, cut in (("eaux", 1), ("aux", 2), ("s", 1), ("x", 1)):
        if word.endswith(ending) and len(word) - cut >= 4:
            word = word[:-cut]  # bureaux -> bureau, nationaux -> nationa, transports -> transport
            break
    for ending, cut in (("ale", 2), ("al", 1)):
        if word.endswith(ending) and len(word) - cut >= 4:
            word = word[:-cut]  # nationale, national -> nationa
            break
    return word
