"""The French interface is complete: every entry of the French catalogue is translated and compiles,
and no French page of the demo (nor the views under it: forms, archives, city pages, search, the
404 page) shows an English interface string, in its text, its user-facing attributes, its sharing
metadata or its JSON-LD.

The English strings looked for are the msgids whose French differs (the catalogue's, the demo's
English segments, Django's and Wagtail's), and every string the templates and the code mark for
translation that the catalogue lacks (a new `{% translate %}` shows in English until it is
translated), cut at their placeholders and tags; a fragment French uses too ("Innovation", "Date",
a proper name) proves nothing and is not looked for. The sharing image's alt text has a test of its
own: an image's description is not a catalogue string."""

import ast
import gettext
import html
import json
import re
from functools import cache
from pathlib import Path

import django
import polib
import pytest
import wagtail
from bs4 import BeautifulSoup, Comment
from django.conf import settings
from django.template import Engine
from django.templatetags.i18n import BlockTranslateNode, TranslateNode

from challenges.models import ChallengeIndexPage, ChallengeKeyDate, ChallengePage
from news.models import NewsIndexPage, NewsReleasePage, PartnerCityIndexPage
from site_core.models import SiteSettings
from site_core.models.snippets import PartnerCity
from tests.home.test_demo_translations import Twins

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
DEMO_CATALOGUES = sorted((Path(settings.BASE_DIR) / "devtools" / "demo").glob("*_fr.po"))
# The catalogues of Django and Wagtail whose strings a public page can show (form errors, months,
# pagination, a page's password form).
LIBRARY_CATALOGUES = [
    Path(django.__file__).parent / "conf" / "locale" / "fr" / "LC_MESSAGES" / "django.po",
    Path(wagtail.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po",
]

# Placeholders (%(name)s, %s, {name}) and HTML tags split a msgid into the fragments a page shows.
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[^{}]*\}|<[^>]*>|\n")
_WORD = re.compile(r"[^\W\d_]+")
# Words shorter than this, alone, are too ambiguous to call English.
MIN_WORD_LENGTH = 4
# User-facing attributes (of any element) and the metadata whose content a person sees when the page
# is shared or listed by a search engine.
TEXT_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "aria-description")
SHOWN_META = re.compile(r"^(description|og:.*|twitter:.*)$")
NOT_TEXT_META = {"og:url", "og:image", "og:image:width", "og:image:height", "og:type", "og:locale"}
NOT_TEXT_META_PREFIXES = ("og:locale", "twitter:card", "twitter:site", "article:")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _fragments(msgid: str):
    for part in _PLACEHOLDER.split(html.unescape(msgid)):
        part = _collapse(part).strip(" ,;:()[]-–—")  # noqa: RUF001 - dashes trimmed from a fragment's ends
        if _WORD.search(part):
            yield part


def _entries(path: Path):
    return [entry for entry in polib.pofile(str(path)) if entry.msgstr or entry.msgstr_plural]


def _translations(entry) -> list[str]:
    return [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())


def catalogue_keys() -> set[tuple[str | None, str]]:
    """(context, msgid) of every entry of the French catalogue, its plural msgid too."""
    entries = polib.pofile(str(CATALOGUE))
    return {(entry.msgctxt, msgid) for entry in entries for msgid in (entry.msgid, entry.msgid_plural) if msgid}


@cache
def french_words() -> frozenset[str]:
    """Every word and phrase French uses on this site: the catalogues' translations, the demo's
    French, Django's and Wagtail's French."""
    text = []
    for path in [CATALOGUE, *DEMO_CATALOGUES, *LIBRARY_CATALOGUES]:
        for entry in _entries(path):
            text.extend(_collapse(html.unescape(_PLACEHOLDER.sub(" ", value))) for value in _translations(entry))
    return frozenset(text)


@cache
def french_text() -> str:
    return "\n".join(french_words())


def _found_in(fragment: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


@cache
def english_strings() -> tuple[str, ...]:
    """The English fragments a French page must not show: from every msgid (catalogue, demo, Django,
    Wagtail) whose translation differs, the fragments of at least two words or one word of
    `MIN_WORD_LENGTH` letters that French never uses."""
    fragments = set()
    for path in [CATALOGUE, *DEMO_CATALOGUES, *LIBRARY_CATALOGUES]:
        for entry in _entries(path):
            english = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
            if set(english) == set(_translations(entry)):
                continue
            for msgid in english:
                fragments.update(_fragments(msgid))
    # A string marked in a template or the code but missing from the catalogue shows in English.
    known = catalogue_keys()
    for _where, context, msgid in marked_strings():
        if (context, msgid) not in known:
            fragments.update(_fragments(msgid))
    french = french_text()
    kept = []
    for fragment in fragments:
        words = _WORD.findall(fragment)
        if len(words) == 1 and (len(words[0]) < MIN_WORD_LENGTH or not fragment[0].isalpha()):
            continue
        if _found_in(fragment, french):
            continue
        kept.append(fragment)
    return tuple(sorted(kept, key=len, reverse=True))


def english_in(text: str) -> list[str]:
    """The English fragments `text` contains (the longest ones, not their own parts)."""
    text = _collapse(text)
    found = []
    for fragment in english_strings():
        if fragment in text and _found_in(fragment, text) and not any(fragment in longer for longer in found):
            found.append(fragment)
    return found


# --- what the sources mark for translation ----------------------------------------------------

SOURCE_APPS = ("challenges", "home", "jobs", "news", "site_core")
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# gettext's functions and which of their arguments are the context, the msgid and the plural.
_GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_NAMED_PLACEHOLDER = re.compile(r"%\(([^)]+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _placeholders(text: str) -> list[str]:
    return sorted(_NAMED_PLACEHOLDER.findall(text))


def _python_strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in _GETTEXT_CALLS:
            continue
        context, singular, plural = _GETTEXT_CALLS[name]
        values = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args
        ]
        if len(values) <= singular or values[singular] is None:
            continue  # a variable: its strings are marked where they are written
        where = f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
        yield where, values[context] if context is not None else None, values[singular]
        if plural is not None and len(values) > plural and values[plural]:
            yield where, values[context] if context is not None else None, values[plural]


def _template_strings(path: Path):
    engine = Engine.get_default()
    source = path.read_text(encoding="utf-8")
    nodelist = engine.from_string(source).nodelist
    where = str(path.relative_to(settings.BASE_DIR))

    def context_of(node):
        expression = node.message_context
        return expression.var if expression is not None and isinstance(expression.var, str) else None

    for node in nodelist.get_nodes_by_type(TranslateNode):
        literal = getattr(node.filter_expression.var, "literal", None)
        if isinstance(literal, str):
            yield where, context_of(node), str(literal)
    for node in nodelist.get_nodes_by_type(BlockTranslateNode):
        yield where, context_of(node), node.render_token_list(node.singular)[0]
        if node.plural:
            yield where, context_of(node), node.render_token_list(node.plural)[0]


@cache
def marked_strings() -> tuple[tuple[str, str | None, str], ...]:
    """(where, context, msgid) of every string the templates and the apps' code mark for
    translation, read as `makemessages` would (without needing gettext's tools)."""
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt"):
            found.extend(_template_strings(path))
    for app in SOURCE_APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found.extend(_python_strings(path))
    return tuple(found)


# --- what a page shows ---------------------------------------------------------------------------


def _in_another_language(element) -> bool:
    """Marked by its author as in another language (the language switcher's "English")."""
    marked = element if element.get("lang") else element.find_parent(lang=True)
    return marked is not None and not marked["lang"].lower().startswith("fr")


def shown_texts(page_html: str) -> list[tuple[str, str]]:
    """(where, text) for everything a person reads on the page: its text, the user-facing attributes,
    the values of its buttons, the description and sharing metadata."""
    soup = BeautifulSoup(page_html, "html.parser")
    texts = []
    # Code (the open data's column names) is the same in every language.
    for element in soup.find_all(["script", "style", "template", "code", "kbd", "samp"]):
        element.decompose()
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for element in soup.find_all(True):
        if _in_another_language(element):
            continue
        for attribute in TEXT_ATTRIBUTES:
            if element.get(attribute):
                texts.append((f"<{element.name} {attribute}>", element[attribute]))
        is_button = element.name in ("button", "input") and element.get("type") in ("submit", "button", "reset")
        if is_button and element.get("value"):
            texts.append((f"<{element.name} value>", element["value"]))
        if element.name == "meta":
            name = element.get("name") or element.get("property") or ""
            if SHOWN_META.match(name) and name not in NOT_TEXT_META and not name.startswith(NOT_TEXT_META_PREFIXES):
                texts.append((f'<meta "{name}">', element.get("content", "")))
    for element in soup.find_all(lang=True):
        if not element["lang"].lower().startswith("fr"):
            element.decompose()
    texts.append(("text", soup.get_text(" ")))
    return texts


def json_ld(page_html: str) -> list:
    soup = BeautifulSoup(page_html, "html.parser")
    return [json.loads(script.string) for script in soup.select('script[type="application/ld+json"]')]


_NOT_TEXT_VALUE = re.compile(r"^(https?://|/|mailto:|tel:|\d{4}-\d\d-\d\d)|@")
# Values that are code, the same in every language: the search action's template, media types, the
# open data's column names.
_CODE_KEYS = {"query-input", "encodingFormat", "variableMeasured", "fileFormat"}


def json_ld_leaks(data, path="") -> list[str]:
    """What the JSON-LD says in English: an `inLanguage` other than French, or English text."""
    leaks = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "inLanguage":
                if not str(value).startswith("fr"):
                    leaks.append(f"{path}.inLanguage = {value!r}")
            elif not key.startswith("@") and key not in _CODE_KEYS:
                leaks.extend(json_ld_leaks(value, f"{path}.{key}"))
    elif isinstance(data, list):
        for position, value in enumerate(data):
            leaks.extend(json_ld_leaks(value, f"{path}[{position}]"))
    elif isinstance(data, str) and not _NOT_TEXT_VALUE.search(data):
        leaks.extend(f"{path}: {fragment!r}" for fragment in english_in(data))
    return leaks


def english_on(page_html: str) -> list[str]:
    leaks = [f"{where}: {fragment!r}" for where, text in shown_texts(page_html) for fragment in english_in(text)]
    for data in json_ld(page_html):
        leaks.extend(f"JSON-LD {leak}" for leak in json_ld_leaks(data))
    return leaks


# --- the French pages of the demo ----------------------------------------------------------------


def french_urls(demo: Twins) -> list[tuple[str, set[int]]]:
    """Every live French page of the demo and the views under it, with the statuses they answer."""
    ok = {200}
    urls = [(french.url, ok) for _english, french in demo.pairs]
    for challenge in ChallengePage.objects.live().filter(locale=demo.french).order_by("path"):
        urls.append((f"{challenge.url}apply/", {200, 403, 404, 410}))
        urls.append((f"{challenge.url}apply/thanks/", {400}))
        urls.append((f"{challenge.url}apply/link/", {200}))
        urls.append((f"{challenge.url}apply/link/?sent=1", {200}))
    challenge_index = ChallengeIndexPage.objects.live().get(locale=demo.french)
    urls.append((f"{challenge_index.url}open-data/", ok))
    urls.append((f"{challenge_index.url}?status=nonsense", ok))
    newsroom = NewsIndexPage.objects.live().get(locale=demo.french)
    launch = NewsReleasePage.objects.live().filter(locale=demo.french).order_by("release_date").first()
    urls += [
        (f"{newsroom.url}recent/", ok),
        (f"{newsroom.url}{launch.release_date:%Y}/", ok),
        (f"{newsroom.url}{launch.release_date:%Y/%m}/", ok),
    ]
    cities = PartnerCityIndexPage.objects.live().get(locale=demo.french)
    urls += [(cities.city_url(city), ok) for city in PartnerCity.objects.filter(locale=demo.french).order_by("slug")]
    urls += [
        (f"/fr/events/{key_date.translation_key}/register/", ok)
        for key_date in ChallengeKeyDate.objects.filter(registration_required=True, locale=demo.french)
    ]
    urls += [
        ("/fr/alerts/", ok),
        ("/fr/search/?q=innovation", ok),
        ("/fr/search/?q=zzzzqqqq", ok),
        ("/fr/search/", ok),
        ("/fr/cette-page-nexiste-pas/", {404}),
    ]
    return urls


def french_posts(demo: Twins) -> list[tuple[str, dict, set[int]]]:
    """Forms sent wrong on French pages, which answer with their errors: every challenge's application
    form sent empty (the open call's errors, the others' closed notice) and the lost-link form."""
    posts = []
    for challenge in ChallengePage.objects.live().filter(locale=demo.french).order_by("path"):
        posts.append((f"{challenge.url}apply/", {"consent": "", "email": "not an address"}, {400, 403}))
        posts.append((f"{challenge.url}apply/link/", {"email": "not an address"}, {400}))
    posts.append(("/fr/alerts/", {"email": "not an address"}, {400}))
    for key_date in ChallengeKeyDate.objects.filter(registration_required=True, locale=demo.french):
        posts.append((f"/fr/events/{key_date.translation_key}/register/", {"email": "not an address"}, {400}))
    return posts


def test_every_entry_of_the_french_catalogue_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    incomplete_plurals = [
        entry.msgid for entry in catalogue if entry.msgid_plural and not all(entry.msgstr_plural.get(n) for n in (0, 1))
    ]
    assert (untranslated, fuzzy, incomplete_plurals) == ([], [], [])
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=2;")


def test_the_french_catalogue_compiles_and_keeps_every_placeholder(tmp_path):
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.save_as_mofile(str(tmp_path / "django.mo"))  # as `manage.py compile_translations` does
    with (tmp_path / "django.mo").open("rb") as compiled:
        french = gettext.GNUTranslations(compiled)
    assert french.gettext("Search") == "Rechercher"
    mismatched = [
        entry.msgid
        for entry in catalogue
        if "python-format" in entry.flags
        and any(_placeholders(value) != _placeholders(entry.msgid) for value in _translations(entry))
    ]
    assert mismatched == []


def test_every_string_marked_for_translation_is_in_the_catalogue():
    catalogue = catalogue_keys()
    missing = [f"{where}: {msgid!r}" for where, context, msgid in marked_strings() if (context, msgid) not in catalogue]
    assert missing == [], "Not in the French catalogue:\n" + "\n".join(missing)


def test_no_french_page_shows_english(demo, client):
    leaks = []
    twins = Twins()
    for url, statuses in french_urls(twins):
        response = client.get(url)
        assert response.status_code in statuses, url
        leaks.extend(f"{url} {leak}" for leak in english_on(response.content.decode()))
    for url, data, statuses in french_posts(twins):
        response = client.post(url, data)
        assert response.status_code in statuses, url
        leaks.extend(f"POST {url} {leak}" for leak in english_on(response.content.decode()))
    assert leaks == [], "English on French pages:\n" + "\n".join(leaks)


def test_the_sharing_images_alt_text_is_in_the_pages_language(demo, client):
    """Images are not translatable: their description (English, the source language) is the alt text
    on English pages; a French page describes its image by its own French title."""
    description = SiteSettings.objects.get().default_share_image.default_alt_text
    for english, french in Twins().pairs:
        for page, expected in [(english, description), (french, None)]:
            head = BeautifulSoup(client.get(page.url).content.decode(), "html.parser").head
            alt = head.select_one('meta[property="og:image:alt"]')["content"]
            title = head.select_one('meta[property="og:title"]')["content"]
            assert alt == (expected or f"Image illustrant «\u00a0{title}\u00a0»"), page.url
