"""Real headless Chromium (Debian's /usr/bin/chromium when present) driven by Playwright, with an
axe-core check that fails on any violation."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still synchronous, so Django's async-safety guard is lifted for these tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import axe_playwright_python
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests import demo_snapshot
from tests.conftest import load_demo_or_its_copy

AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WIDTHS = {"phone": 320, "desktop": 1280}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else None
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """A factory for fresh pages: new_page(width=320, javascript=True)."""
    contexts = []

    def make(width: int = 1280, javascript: bool = True, locale: str = "en-CA"):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript, locale=locale
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def finish_requests_in_flight(seconds: float = 15) -> None:
    """Wait for the live server's request threads to end. The server does not wait for them when it
    stops (they are daemon threads): one still answering (a download the browser has finished
    reading) would then use the database connection it shares with the tests, being flushed and
    closed, and fail in its thread."""
    deadline = time.monotonic() + seconds
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=max(deadline - time.monotonic(), 0))


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker):
    """A live server with the demo content, loaded once per module: its tests share it, so they
    must not depend on each other's writes. Afterwards the tables are emptied, as a transactional
    test would leave them. (pytest-django's own live_server fixture would empty them after every
    test, reloading the demo content each time.)"""
    with django_db_blocker.unblock():
        load_demo_or_its_copy("committed")
        server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        finish_requests_in_flight()
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            demo_snapshot.forget_ids()  # content types get new ids when the flush recreates them
            # What migrations put there and later tests on this worker may rely on (images and
            # documents need the root collection), as a fresh test database has it.
            from wagtail.models import Collection

            Collection.get_first_root_node() or Collection.add_root(name="Root")
        # The connection that flushed the tables is not one the session's teardown closes (Django
        # keeps connections per thread and async context, and Playwright's sync API runs an event
        # loop here): left open and idle, it made PostgreSQL refuse to drop the test database.
        connections.close_all()


@pytest.fixture(autouse=True)
def database_access(django_db_blocker):
    """Browser tests read what the server stored, outside any test transaction."""
    with django_db_blocker.unblock():
        yield


def axe_violations(page) -> list[dict]:
    """Run axe-core on the loaded page; return its violations (empty when the page passes)."""
    # Evaluated through the DevTools protocol rather than added as a <script>: the site's
    # Content-Security-Policy refuses inline scripts, and should stay on while axe checks the page.
    page.evaluate(f"() => {{ {AXE_SCRIPT.read_text()}\n}}")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, "axe-core violations:\n" + format_violations(violations)


def check_page(page, name: str, width: int) -> None:
    """What every public page owes its readers, on the page already loaded: one main heading, the
    language of its text declared, no axe-core violation, and no sideways scrolling at `width`."""
    assert page.locator("h1").count() == 1, f"{name} has one main heading"
    expected_lang = "fr" if "/fr/" in page.url else "en"
    assert page.locator("html").get_attribute("lang") == expected_lang, f"{name} declares its language"
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
