"""What `make bench` asks the app itself, run in a subprocess with the bench's environment:

    python bench/probe.py urls                 -> the pages to measure (JSON)
    python bench/probe.py queries PATH...      -> SQL queries per page, anonymous and signed-out-with-session (JSON)
    python bench/probe.py publish PAGE_ID TEXT -> publish TEXT as the page's title (JSON: timestamps)

Every answer is one JSON object on the last line of stdout.
"""

import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.production")

UNCACHED_COOKIE = os.environ.get("BENCH_UNCACHED_COOKIE", "messages=cio-bench-uncached")


def page_path(page) -> str:
    return page.get_url_parts()[2]


def urls() -> dict:
    from news.models import NewsReleasePage

    release = NewsReleasePage.objects.live().filter(locale__language_code="en").order_by("-release_date", "-pk").first()
    words = re.findall(r"[A-Za-z]{5,}", release.title) or ["data"]
    return {
        "home": "/en/",
        "challenges": "/en/challenges/",
        "news": "/en/news/",
        "month archive": f"/en/news/{release.release_date:%Y/%m}/",
        "release": page_path(release),
        "search": f"/en/search/?q={words[0].lower()}",
        "release_id": release.pk,
        "release_title": release.title,
        "releases": NewsReleasePage.objects.live().count(),
    }


def queries(paths: list[str]) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    name, value = UNCACHED_COOKIE.split("=", 1)
    counts = {}
    for label, cookies in (("cached", {}), ("uncached", {name: value})):
        client = Client()
        client.cookies.load(cookies)
        for path in paths:
            client.get(path)  # warm the process (templates, site root paths, ...)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            counts.setdefault(path, {})[label] = {"status": response.status_code, "queries": len(captured)}
    return counts


def publish(page_id: int, title: str) -> dict:
    from wagtail.models import Page

    page = Page.objects.get(pk=page_id).specific
    started = time.time()
    page.title = title
    page.save_revision().publish()
    return {"started": started, "published": time.time()}


def main(argv: list[str]) -> dict:
    import django

    django.setup()
    command, *args = argv
    if command == "urls":
        return urls()
    if command == "queries":
        return queries(args)
    if command == "publish":
        return publish(int(args[0]), args[1])
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
