"""Every public page type, in both languages, as the demo serves it (forms also with their errors),
is valid HTML by the Nu HTML Checker (vnu.jar, pinned in devtools/html_checker/package.json and
installed by `make test`; run once over all the pages): no error and no warning. Java runs it:
.ci/run installs Debian's JRE and npm when they are missing; elsewhere the tests skip with the
command to install them, unless CIO_REQUIRE_STACK=1 (CI), where they fail."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from challenges.models import ChallengeKeyDate, KeyDateKind
from tests.browser.test_public_pages_a11y import PAGES as A11Y_PAGES

VNU = Path(settings.BASE_DIR) / "devtools/html_checker/node_modules/vnu-jar/build/dist/vnu.jar"
JAVA = shutil.which("java")

CHALLENGE = "/en/challenges/track-your-311-service-request/"
CHALLENGE_FR = "/fr/defis/suivre-vos-demandes-de-service-au-311/"
# Every page type the axe test loads, and those with tests of their own.
PAGES = {
    **A11Y_PAGES,
    "results": "/en/results/",
    "results-fr": "/fr/resultats/",
    "results-filtered": "/en/results/?outcome=procured",
    "open-data": "/en/challenges/open-data/",
    "open-data-fr": "/fr/defis/open-data/",
    "search": "/en/search/?q=apply",
    "search-fr": "/fr/search/?q=innovation",
    "search-empty": "/en/search/?q=xylophone",
    "about": "/en/about/",
    "privacy": "/en/privacy/",
    "accessibility": "/en/accessibility/",
    "terms": "/en/terms-of-use/",
    "contact": "/en/contact/",
    "about-fr": "/fr/a-propos/",
    "privacy-fr": "/fr/protection-de-la-vie-privee/",
    "accessibility-fr": "/fr/accessibilite/",
    "terms-fr": "/fr/conditions-d-utilisation/",
    "contact-fr": "/fr/nous-joindre/",
    "contact-form": "/en/contact/form/",
    "contact-form-fr": "/fr/contact/form/",
    "feedback-form": "/en/accessibility/feedback/",
    "feedback-form-fr": "/fr/accessibility/feedback/",
    "alerts": "/en/alerts/",
    "alerts-fr": "/fr/alerts/",
    "apply": f"{CHALLENGE}apply/",
}
# The forms, sent empty: the answer (a 400) shows the error summary and the inline errors.
FORMS_WITH_ERRORS = {
    "contact-form-errors": "/en/contact/form/",
    "feedback-form-errors-fr": "/fr/accessibility/feedback/",
    "alerts-errors": "/en/alerts/",
    "apply-errors": f"{CHALLENGE}apply/",
    "apply-errors-fr": f"{CHALLENGE_FR}apply/",
}


def registration_address(language: str) -> str:
    session = ChallengeKeyDate.objects.filter(kind=KeyDateKind.INFO_SESSION, registration_required=True).first()
    assert session is not None, "the demo's 311 information session takes registrations"
    return f"/{language}/events/{session.translation_key}/register/"


def need_java() -> None:
    if JAVA and VNU.exists():
        return
    message = (
        "the Nu HTML Checker needs Java and its jar:"
        " apt-get install -y default-jre-headless npm, then make html-checker"
    )
    if os.environ.get("CIO_REQUIRE_STACK"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def checked(demo, django_db_blocker, tmp_path_factory) -> dict[str, list[dict]]:
    """Each page's HTML, written to a file and checked in one run of vnu.jar: name -> its messages."""
    need_java()
    folder = tmp_path_factory.mktemp("html")
    client = Client()
    files = {}
    with django_db_blocker.unblock():
        pages = {
            **PAGES,
            "register": registration_address("en"),
            "register-fr": registration_address("fr"),
        }
        answers = {name: client.get(path) for name, path in pages.items()}
        posts = {**FORMS_WITH_ERRORS, "register-errors": pages["register"]}
        answers |= {name: client.post(path, {}) for name, path in posts.items()}
    for name, response in answers.items():
        expected = 404 if name.startswith("not-found") else 400 if name.endswith(("errors", "errors-fr")) else 200
        assert response.status_code == expected, (name, response.status_code)
        files[name] = folder / f"{name}.html"
        files[name].write_bytes(response.content)
    run = subprocess.run(
        [JAVA, "-Xss2m", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(run.stderr or run.stdout)
    by_file = {path.resolve().as_uri(): name for name, path in files.items()}
    messages = {name: [] for name in files}
    for message in report["messages"]:
        name = by_file.get(message.get("url", "").replace("file:/", "file:///", 1)) or by_file.get(message.get("url"))
        assert name, f"a message about no page: {message}"
        messages[name].append(message)
    return messages


NAMES = [*PAGES, "register", "register-fr", *FORMS_WITH_ERRORS, "register-errors"]


@pytest.mark.parametrize("name", NAMES)
def test_the_page_is_valid_html(checked, name):
    problems = [
        f"line {message.get('lastLine')}: {message['type']}/{message.get('subType', '')}: {message['message']}"
        f" [{message.get('extract', '').strip()}]"
        for message in checked[name]
        if message["type"] == "error" or message.get("subType") == "warning"
    ]
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_the_checker_finds_an_error_when_there_is_one(tmp_path):
    """The check can fail: a paragraph closed twice is reported."""
    need_java()
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p>a</p></p></body></html>')
    run = subprocess.run(
        [JAVA, "-jar", str(VNU), "--format", "json", "--exit-zero-always", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    errors = [message for message in json.loads(run.stderr)["messages"] if message["type"] == "error"]
    assert errors and "“p”" in errors[0]["message"]
