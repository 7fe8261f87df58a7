"""/healthz answers 200 when the database answers, 503 when it does not, naming each service's state
but never why (no host, no error text). Slow and silent services: tests/stack/test_faults_stack.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter with its DATABASE_URL pointing at a server that is not there: port 9 on
# loopback refuses connections at once, so the database really is unreachable.
UNREACHABLE = "postgres://postgres@127.0.0.1:9/nothing"
REQUEST_SCRIPT = """
import django, json, sys
django.setup()
from django.test import Client
method, path, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
response = getattr(Client(), method)(path, data, HTTP_ACCEPT_LANGUAGE="en")
print(json.dumps({"status": response.status_code, "retry_after": response.get("Retry-After"),
                  "body": response.content.decode()}))
"""


def request_with_database_down(path: str, method: str = "get", data: dict | None = None) -> dict:
    """The status, Retry-After and body of a request made by a fresh interpreter whose database is
    unreachable."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_core.settings.test", "DATABASE_URL": UNREACHABLE}
    result = subprocess.run(
        [sys.executable, "-c", REQUEST_SCRIPT, method, path, json.dumps(data or {})],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "none"}  # no shared cache in tests


def test_healthz_is_503_when_the_database_is_unreachable():
    result = request_with_database_down("/healthz")
    assert result["status"] == 503
    assert json.loads(result["body"]) == {"status": "unavailable", "database": "down", "cache": "none"}


def test_public_pages_show_the_static_503_page_when_the_database_is_unreachable():
    result = request_with_database_down("/en/")
    assert result["status"] == 503
    assert result["retry_after"] == "60"
    assert "Service temporarily unavailable" in result["body"]
    assert "it was NOT received" in result["body"]
