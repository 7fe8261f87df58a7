"""Take the editors' guide screenshots from the real admin, in headless Chromium.

Run `make screenshots` (after `make run` has built the demo database once). The script starts the
development server on a spare port against the local database, logs in as a temporary superuser
(and, for the translator's screens, a temporary member of Translators; both deleted afterwards), and
writes one PNG per task into docs/screenshots/.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from challenges.models import ChallengePage  # noqa: E402
from devtools.demo.panels import PANEL_CALL  # noqa: E402
from news.models import NewsReleasePage  # noqa: E402

LAUNCH = "launch-of-the-civic-innovation-office"
OPEN_CHALLENGE = "track-your-311-service-request"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback only)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"The development server did not answer at {url}")


def shots() -> dict[str, str]:
    """File name -> admin path (with " tab:<name>" to open a tab first, " as:translator" to see it as a
    Translator), one per task of docs/editors.md."""
    release = NewsReleasePage.objects.get(slug=LAUNCH, locale=Locale.get_default())
    french = release.get_translation(Locale.objects.get(language_code="fr"))
    challenge = ChallengePage.objects.get(slug=OPEN_CHALLENGE, locale=Locale.get_default())
    reviewed = ChallengePage.objects.get(slug=PANEL_CALL, locale=Locale.get_default())
    scored = reviewed.applications.filter(score_sheets__submitted_at__isnull=False).order_by("pk").first()
    return {
        "dashboard.png": "/admin/",
        "release-edit.png": f"/admin/pages/{release.pk}/edit/",
        "embargo-preview-links.png": f"/admin/embargo-previews/{release.pk}/",
        "challenge-edit.png": f"/admin/pages/{challenge.pk}/edit/",
        "challenge-application-form.png": f"/admin/pages/{challenge.pk}/edit/ tab:Application form",
        "applications.png": "/admin/applications/",
        "panel-scores.png": f"/admin/review/{reviewed.pk}/",
        "score-sheet.png": f"/admin/applications/{scored.pk}/score/",
        "translate-page.png": f"/admin/pages/{french.pk}/edit/ as:translator",
        "submit-for-review.png": f"/admin/translations/{french.pk}/submit-for-review/ as:translator",
        "translation-status.png": "/admin/reports/translation-status/",
        "roles.png": "/admin/groups/",
    }


def log_in(browser, base: str, username: str, password: str):
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="en-CA")
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")
    return page


def main() -> None:
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    username, password = f"screenshots-{secrets.token_hex(4)}", secrets.token_urlsafe(24)
    user_model.objects.create_superuser(username, f"{username}@example.invalid", password)
    translator = user_model.objects.create_user(f"{username}-translator", f"t-{username}@example.invalid", password)
    translator.groups.add(Group.objects.get(name="Translators"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pages = shots()  # the database is read before Playwright's event loop starts
    try:
        wait_for(base + "/healthz")
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            tabs = {
                "admin": log_in(browser, base, username, password),
                "translator": log_in(browser, base, translator.username, password),
            }
            for name, target in pages.items():
                target, _sep, who = target.partition(" as:")
                path, _sep, tab = target.partition(" tab:")
                page = tabs[who or "admin"]
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                if tab:
                    page.get_by_role("tab", name=tab).click()
                page.screenshot(path=str(OUT / name))
                print(f"wrote docs/screenshots/{name}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        user_model.objects.filter(username__startswith=username).delete()


if __name__ == "__main__":
    main()
