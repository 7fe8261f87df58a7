"""Rich text posted straight to the admin's page edit view, as a forged request could (Draftail
sends each rich-text field as contentstate JSON): javascript:, data: and vbscript: links, script
text, images and embeds the field does not allow, event-handler attributes smuggled into entity
data. What is stored (the live field, the revision, a StreamField's rich-text block) holds none of
them as markup, and neither does the published page."""

import json
import re
from html.parser import HTMLParser

import pytest
from wagtail.test.utils.form_data import rich_text, streamfield

from challenges.models import ChallengePage
from tests.challenges.test_admin import challenge_form
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db

SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background"}
FORBIDDEN_IN_RICH_TEXT = {"script", "img", "svg", "iframe", "object", "embed", "style", "form", "input", "math"}
EXECUTABLE_SCRIPT_TYPES = {None, "", "text/javascript", "module", "application/javascript"}
HOSTILE_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(2)",
    "java\tscript:alert(3)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==",
    "vbscript:msgbox(5)",
    '"><script>alert(6)</script>',
]


class MarkupAudit(HTMLParser):
    """Everything in a piece of HTML a browser would run: event-handler attributes, script-scheme
    URLs, executable scripts mentioning alert(), and (in rich text) tags the field never allows."""

    def __init__(self, forbidden_tags=frozenset()):
        super().__init__(convert_charrefs=True)  # entity-encoded URLs are decoded, as browsers do
        self.forbidden_tags = forbidden_tags
        self.problems: list[str] = []
        self.in_executable_script = False

    def handle_starttag(self, tag, attrs):
        if tag in self.forbidden_tags:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and SCRIPT_SCHEMES.match((value or "").replace("\t", "").replace("\n", "")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self.in_executable_script = dict(attrs).get("type") in EXECUTABLE_SCRIPT_TYPES

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_executable_script = False

    def handle_data(self, data):
        if self.in_executable_script and "alert(" in data:
            self.problems.append(f"script: {data[:80]!r}")


def problems(html: str, forbidden_tags=FORBIDDEN_IN_RICH_TEXT) -> list[str]:
    audit = MarkupAudit(forbidden_tags)
    audit.feed(html)
    audit.close()
    return audit.problems


def block(key: str, text: str, entity_ranges=(), block_type="unstyled", data=None) -> dict:
    return {
        "key": key,
        "type": block_type,
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": list(entity_ranges),
        "data": data or {},
    }


def hostile_contentstate() -> str:
    """Every trick at once: script-scheme links (with extra attributes in their data), an image and
    an embed the field does not allow, markup as text, unknown and atomic block types with data."""
    entities = {}
    blocks = []
    for number, url in enumerate(HOSTILE_URLS):
        entities[str(number)] = {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": url, "onclick": "alert(7)", "id": None},
        }
        blocks.append(block(f"l{number}", "click me", [{"offset": 0, "length": 8, "key": number}]))
    image, embed, document, page = (len(HOSTILE_URLS) + offset for offset in range(4))
    entities[str(image)] = {
        "type": "IMAGE",
        "mutability": "IMMUTABLE",
        "data": {"src": "data:image/svg+xml,<svg onload=alert(8)>", "alt": '" onerror="alert(9)', "id": 1},
    }
    entities[str(embed)] = {
        "type": "EMBED",
        "mutability": "IMMUTABLE",
        "data": {"url": "javascript:alert(10)", "html": "<iframe src=javascript:alert(11)></iframe>"},
    }
    entities[str(document)] = {
        "type": "DOCUMENT",
        "mutability": "MUTABLE",
        "data": {"id": '1" onmouseover="alert(12)', "url": "javascript:alert(13)"},
    }
    entities[str(page)] = {"type": "LINK", "mutability": "MUTABLE", "data": {"id": "abc", "url": "/"}}
    blocks += [
        block("pag", "a page", [{"offset": 0, "length": 6, "key": page}]),
        block("img", " ", [{"offset": 0, "length": 1, "key": image}], block_type="atomic"),
        block("emb", " ", [{"offset": 0, "length": 1, "key": embed}], block_type="atomic"),
        block("doc", "a document", [{"offset": 0, "length": 10, "key": document}]),
        block("txt", '<script>alert(14)</script><img src=x onerror=alert(15)><a href="javascript:alert(16)">x</a>'),
        block("cod", "<svg/onload=alert(17)>", block_type="code-block", data={"onload": "alert(18)"}),
        block("unk", "unknown block type", block_type="script"),
    ]
    return json.dumps({"blocks": blocks, "entityMap": entities})


@pytest.fixture
def challenge(public_site):
    return make_challenge(public_site.challenge_index, title="Rich text", slug="rich-text", opens=-5, closes=20)


def edit_form(challenge, problem_statement: str, faq_answer: str) -> dict:
    """The page's whole edit form, as the admin would post it, publishing (the challenge admin tests'
    form, with this page's own title, slug, summary and key dates)."""
    key_dates = [
        {"id": key_date.pk, "kind": key_date.kind, "starts_at": f"{key_date.starts_at:%Y-%m-%d %H:%M}"}
        for key_date in challenge.key_dates.all()
    ]
    return challenge_form(
        key_dates,
        initial_key_dates=len(key_dates),
        title=challenge.title,
        slug=challenge.slug,
        summary=challenge.summary,
        problem_statement=problem_statement,
        faq=streamfield([("faq_item", {"question": "Is it safe?", "answer": faq_answer})]),
    )


def test_the_audit_catches_what_it_looks_for():
    """The checks below mean something only if the audit sees live markup where it is."""
    assert problems('<p><a href=" JaVa&#x53;cript:alert(1)">x</a></p>')
    assert problems('<p><img src="x" onerror="alert(1)"></p>')
    assert problems("<script>alert(1)</script>", forbidden_tags=frozenset())
    assert problems('<a href="data:text/html,x">x</a>')
    assert not problems('<p>&lt;script&gt;alert(1)&lt;/script&gt; <a href="https://example.ca/">ok</a></p>')


def test_hostile_contentstate_posted_to_the_admin_is_stored_and_published_without_live_markup(
    superuser_client, challenge
):
    hostile = hostile_contentstate()
    response = superuser_client.post(f"/admin/pages/{challenge.pk}/edit/", edit_form(challenge, hostile, hostile))
    assert response.status_code == 302, response.content.decode()[:3000]

    challenge = ChallengePage.objects.get(pk=challenge.pk)
    revision = challenge.latest_revision
    revision_faq = revision.content["faq"]
    if isinstance(revision_faq, str):  # StreamField content is kept in the revision as its JSON text
        revision_faq = json.loads(revision_faq)
    stored = {
        "live field": challenge.problem_statement,
        "revision": revision.content["problem_statement"],
        "stream block": challenge.faq[0].value["answer"].source,
        "stream block in the revision": revision_faq[0]["value"]["answer"],
    }
    assert "click me" in challenge.problem_statement  # the text survives; only the markup goes
    assert "&lt;script&gt;alert(14)" in challenge.problem_statement
    for where, html in stored.items():
        assert problems(html) == [], where
        assert "onclick" not in html and "alert(7)" not in html, where
        # Links to pages and documents keep a whole-number id, or lose the link (keeping the text).
        assert all(link_id.isdigit() for link_id in re.findall(r'\bid="([^"]*)"', html)), where
        assert "a page" in html and "a document" in html, where

    page = superuser_client.get(challenge.url)
    assert page.status_code == 200  # a link to an id that is no number finds nothing; no 500
    assert problems(page.content.decode(), forbidden_tags=frozenset()) == []
    api = superuser_client.get(f"/api/v2/pages/{challenge.pk}/?fields=problem_statement,faq")
    assert api.status_code == 200
    assert problems(api.json()["problem_statement"]) == []
    assert superuser_client.get(f"/admin/pages/{challenge.pk}/edit/").status_code == 200  # editors can fix it


def test_each_script_url_link_is_dropped_from_the_stored_html(superuser_client, challenge):
    for url in HOSTILE_URLS:
        contentstate = json.dumps(
            {
                "blocks": [block("a", "read this", [{"offset": 0, "length": 9, "key": 0}])],
                "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
            }
        )
        response = superuser_client.post(
            f"/admin/pages/{challenge.pk}/edit/", edit_form(challenge, contentstate, rich_text("<p>Fine.</p>"))
        )
        assert response.status_code == 302, url
        stored = ChallengePage.objects.get(pk=challenge.pk).problem_statement
        assert "read this" in stored
        assert problems(stored) == [], stored


RAW_HTML = '<p><script>alert(1)</script><a href="javascript:alert(2)">x</a><img src=x onerror=alert(3)></p>'


@pytest.mark.parametrize("where", ["rich-text field", "StreamField block", "both", "JSON that is not contentstate"])
def test_raw_html_in_place_of_contentstate_is_a_400_and_stores_nothing(superuser_client, challenge, where):
    """Draftail fields take contentstate JSON only; anything else (only a forged post sends it) is
    refused with a 400 (site_core/text/editor.py), not Wagtail's JSONDecodeError (a 500), and
    none of it is stored."""
    superuser_client.raise_request_exception = False
    fine = rich_text("<p>Fine.</p>")
    field, block = {
        "rich-text field": (RAW_HTML, fine),
        "StreamField block": (fine, RAW_HTML),
        "both": (RAW_HTML, RAW_HTML),
        "JSON that is not contentstate": ("[1, 2, 3]", '{"blocks": 5}'),
    }[where]
    response = superuser_client.post(f"/admin/pages/{challenge.pk}/edit/", edit_form(challenge, field, block))
    assert response.status_code == 400
    stored = ChallengePage.objects.get(pk=challenge.pk)
    assert stored.problem_statement == "<p>Residents wait too long.</p>"
    assert stored.latest_revision.content["problem_statement"] == "<p>Residents wait too long.</p>"
