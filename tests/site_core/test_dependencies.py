"""Bounded waits on PostgreSQL and Redis (site_core/services/dependencies/), service by service, without the
whole stack: the breaker's states, a busy database told apart from a silent one, and a request's
Redis budget holding however many calls its page makes. (Through nginx and gunicorn, with every
fault: tests/stack/test_faults_stack.py.)"""

import threading
import time

import pytest
from django.db import OperationalError, connection

from devtools.faultproxy import FaultProxy
from site_core.services import dependencies
from site_core.settings.base import redis_caches


class MovableClock:
    """The `time` module as a breaker sees it, with a monotonic clock the test moves on."""

    def __init__(self):
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def __getattr__(self, name):
        return getattr(time, name)


def test_the_breaker_opens_lets_one_trial_through_and_closes(settings, monkeypatch):
    settings.DEPENDENCY_BREAKER_COOLDOWN_SECONDS = 0.2
    clock = MovableClock()
    monkeypatch.setattr(dependencies.Breaker.__module__ + ".time", clock)
    breaker = dependencies.Breaker("test")
    assert breaker.allow()
    breaker.failed("no answer", "slow")
    assert not breaker.allow() and breaker.kind == "slow"
    clock.advance(0.25)
    assert breaker.allow()  # this thread's trial
    others = []
    thread = threading.Thread(target=lambda: others.append(breaker.allow()))
    thread.start()
    thread.join()
    assert others == [False]  # one trial at a time
    breaker.succeeded()
    assert breaker.allow() and not breaker.is_open


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg2's wait callback")


@postgresql_only
@pytest.mark.django_db
def test_a_busy_database_fails_the_request_but_does_not_open_the_breaker():
    """A request out of budget while the database still answers a probe (busy, not gone)."""
    with dependencies.budget(database=0.2), pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    assert not dependencies.database_breaker.is_open
    connection.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_silent_database_opens_the_breaker_and_later_calls_fail_at_once(monkeypatch):
    proxy = FaultProxy("postgresql", connection.settings_dict["HOST"] or "127.0.0.1", 5432).start()
    try:
        monkeypatch.setitem(connection.settings_dict, "PORT", proxy.port)  # the app's and the probe's
        connection.close()
        proxy.set("blackhole")
        started = time.monotonic()
        with dependencies.budget(database=0.5), pytest.raises(OperationalError):
            connection.ensure_connection()
        assert time.monotonic() - started < 0.5 + dependencies.PROBE_SECONDS + 0.5
        assert dependencies.database_breaker.is_open
        started = time.monotonic()
        connection.close()
        with dependencies.budget(database=2), pytest.raises(OperationalError):  # the next request
            connection.ensure_connection()
        assert time.monotonic() - started < 0.1  # skipped, not waited for
    finally:
        monkeypatch.undo()
        connection.close()
        dependencies.database_breaker.reset()
        proxy.stop()


def test_a_slow_redis_costs_a_request_no_more_than_its_budget(settings):
    """Every Redis call of a page taking 0.2 s: the request stops asking once its 0.5 s are spent
    (misses from then on), however many calls the page makes."""
    from django.core.cache.backends.base import InvalidCacheBackendError
    from django.utils.module_loading import import_string

    proxy = FaultProxy("redis", "127.0.0.1", 6379).start()
    try:
        config = redis_caches(f"redis://127.0.0.1:{proxy.port}/13")["default"]
        settings.CACHE_SLOW_SECONDS = 10  # a slow answer alone does not open the breaker here
        try:
            backend = import_string(config["BACKEND"])(config["LOCATION"], config)
        except InvalidCacheBackendError:
            pytest.skip("django-redis is not installed")
        backend.set("greeting", "hello")
        proxy.set("delay", 0.1)
        started = time.monotonic()
        with dependencies.budget(cache=0.5):
            answers = [backend.get("greeting") for _ in range(20)]
        elapsed = time.monotonic() - started
        assert elapsed < 0.9, elapsed
        assert answers[0] == "hello" and answers[-1] is None  # asked at first, then skipped
    finally:
        proxy.stop()
