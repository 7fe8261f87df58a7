"""The production-shaped stack (devtools/stack.py) for the tests of this folder: nginx over TLS with
the shipped configuration, gunicorn with the production settings, and fault proxies in front of
PostgreSQL, Redis and an SMTP sink. One stack per test process, on the test database.

PostgreSQL only (gunicorn must open the test database, which SQLite keeps in the test process's
memory). Needs nginx with the cache purge module: `.ci/run` installs it; elsewhere the tests skip
with the command to install it, unless CIO_REQUIRE_STACK=1 (CI), where they fail."""

import os
import time

import pytest
from django.db import connection

from devtools import nginx
from devtools.stack import Database, Stack
from tests.challenges.conftest import privacy_notice  # noqa: F401 -- fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("the production-shaped stack runs on PostgreSQL (DATABASE_URL)")
    problem = nginx.missing()
    if problem:
        if os.environ.get("CIO_REQUIRE_STACK"):
            pytest.fail(problem)
        pytest.skip(problem)
    settings = connection.settings_dict
    database = Database(
        name=settings["NAME"],
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or "",
    )
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    redis_db = 10 + int("".join(ch for ch in worker if ch.isdigit()) or 0) % 6
    started = Stack(tmp_path_factory.mktemp("stack"), database, redis_db=redis_db)
    try:
        started.start()
    except Exception:
        started.stop()
        raise
    yield started
    started.stop()


@pytest.fixture
def live_stack(stack, site_tree):
    """The stack, healthy, with empty caches and mailbox, serving this test's site tree from new app
    servers (the test database was flushed since the last ones started)."""
    stack.heal()
    stack.flush_redis()
    stack.restart_app()
    stack.clear_proxy_cache()
    stack.sink.clear()
    yield stack
    stack.heal()


def wait_for(condition, seconds: float = 10.0, interval: float = 0.05):
    """Poll `condition` until it returns a true value (returned) or `seconds` pass (None)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None
