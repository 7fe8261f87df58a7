"""The applicant's journey as a browser and a mailbox see it (issue 19): an open challenge (and its
French translation), a client whose requests run their after-commit work as a server would (the
emails go out inline), the fields a served form would post back, and the links the emails carry."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client

from challenges.models import QuestionType
from devtools.demo.translation import translate_with_localize
from tests.challenges.application_helpers import application_data
from tests.factories import make_challenge

STAFF = "311-challenge@example.ca"
URL = re.compile(r"https?://[^\s<>\"']+")


# --- fixtures (import them into a test module to use them) --------------------------------------


@pytest.fixture
def challenge(challenge_index, privacy_notice):
    """An open call (closes in 20 days) with two required questions and an optional one."""
    page = make_challenge(
        challenge_index,
        title="Track 311 requests",
        slug="track-311",
        opens=-5,
        closes=20,
        publish=False,
        contact_email=STAFF,
    )
    page.questions.add(page.questions.model(label="Which request types first?", field_type=QuestionType.LONG_TEXT))
    page.questions.add(page.questions.model(label="Worked with government?", field_type=QuestionType.YES_NO))
    page.questions.add(page.questions.model(label="Demo link", field_type=QuestionType.URL, required=False))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


FRENCH_NOTICE = {
    "Director, Civic Innovation Office": "Directrice, Bureau de l'innovation civique",
    "100 Queen Street West, Toronto, ON  M5H 2N2": "100, rue Queen Ouest, Toronto (Ontario)  M5H 2N2",
}
FRENCH_CHALLENGE = {
    "Track 311 requests": "Suivre les demandes au 311",
    "track-311": "suivi-311",
    "Which request types first?": "Quels types de demandes d'abord?",
    "Worked with government?": "Avez-vous déjà travaillé avec une administration publique?",
    "Demo link": "Lien vers la démo",
}


@pytest.fixture
def french_challenge(challenge, challenge_index, privacy_notice, site_tree):
    """The French translation of `challenge` (through wagtail-localize, as an editor would)."""
    translate_with_localize(privacy_notice, site_tree.french, FRENCH_NOTICE)
    translate_with_localize(challenge_index, site_tree.french, {challenge_index.title: "Défis"})
    return translate_with_localize(challenge, site_tree.french, FRENCH_CHALLENGE)


@pytest.fixture
def browser(client, django_capture_on_commit_callbacks):
    """The test client, its requests' after-commit work (the emails) run as they return."""
    return Browser(client, django_capture_on_commit_callbacks)


@pytest.fixture
def new_browser(django_capture_on_commit_callbacks):
    """A factory of other browsers (no cookies shared): another device, another person."""
    return lambda: Browser(Client(), django_capture_on_commit_callbacks)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): application.save()`: the save's after-commit work (emails) runs at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def reviewer(db, django_user_model):
    call_command("setup_groups", stdout=io.StringIO())
    user = django_user_model.objects.create_user("reviewer", password="x-long-password-1")
    user.groups.add(Group.objects.get(name="Challenge reviewers"))
    return user


# --- the browser ----------------------------------------------------------------------------------


class Browser:
    def __init__(self, client, capture):
        self.client = client
        self.capture = capture

    def get(self, url, *args, **kwargs):
        with self.capture(execute=True):
            return self.client.get(url, *args, **kwargs)

    def post(self, url, *args, **kwargs):
        with self.capture(execute=True):
            return self.client.post(url, *args, **kwargs)

    def apply(self, challenge, **overrides):
        """Post a complete application (each answer replaceable; None leaves it out)."""
        return self.post(apply_url(challenge), application_data(challenge, **overrides))


def apply_url(challenge) -> str:
    return challenge.url + "apply/"


def local(url: str) -> str:
    """An absolute link of an email as the test client requests it (its path and query)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- reading a served form ------------------------------------------------------------------------


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._textarea = None
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "").lower() == "post"
            return
        if not self._in_post_form:
            return  # the site's search box, say
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                self.fields.setdefault(name, [])
                return
            if kind in {"file", "submit", "button"}:
                return
            self.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        if tag == "textarea" and self._textarea:
            # Django renders a textarea's value after a newline, which browsers drop.
            value = self.fields[self._textarea][-1]
            self.fields[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None


def form_values(html: str) -> dict[str, list[str]]:
    """What the page's POST form would post back untouched: field name -> its values (an unchecked box: [])."""
    reader = _FormReader()
    reader.feed(html)
    return reader.fields


def form_data(html: str, **changes) -> dict:
    """The served form's values as post data, with `changes` (None removes a field)."""
    data = {name: values if len(values) != 1 else values[0] for name, values in form_values(html).items()}
    data.pop("csrfmiddlewaretoken", None)
    data = {name: value for name, value in data.items() if value != []}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def error_summary(html: str) -> str:
    """The error summary at the top of a page ('' when there is none)."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""


# --- the mailbox ----------------------------------------------------------------------------------


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def links_in(text: str) -> list[str]:
    return URL.findall(text)


def link_in(message, kind: str) -> str:
    """The one link of `message` to an applicant page ("application" or "draft"), as a local path."""
    found = [url for url in links_in(message.body) if f"/apply/{kind}/" in url]
    assert len(found) == 1, (kind, message.body)
    assert found[0].startswith(settings.BASE_URL + "/"), found[0]
    return local(found[0])


def token_of(path: str) -> str:
    """The token of an applicant link (…/apply/application/<token>/ or …/apply/draft/<token>/)."""
    return path.rstrip("/").rsplit("/", 1)[1]
