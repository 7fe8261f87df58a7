"""Redis: connections are `GuardedConnection`s, whose socket waits are cut to the request's
remaining cache budget and whose failures and slow answers open the cache's breaker. With the cache
skipped the site renders every page (django-redis's IGNORE_EXCEPTIONS turns a refused call into a
miss). What this relies on in redis-py is site_core/compat/redis.py's."""

from __future__ import annotations

import time

import redis
from django.conf import settings

from site_core.compat import redis as redis_compat
from site_core.services.dependencies.breakers import cache_breaker
from site_core.services.dependencies.budgets import Budget, current_budget


class CacheSkipped(redis.ConnectionError):
    """Not sent: the breaker is open or this request's cache budget is spent (a cache miss)."""


def cache_slow_seconds() -> float:
    return float(getattr(settings, "CACHE_SLOW_SECONDS", 0.25))


def skipped() -> str | None:
    """Why a call to Redis would not be sent now (its breaker is open after a failure, or this
    request's cache budget is spent), or None. Every connection asks before each call; a caller that
    would make several calls (the page cache) asks once first and goes without the cache at once."""
    if not cache_breaker.allow():
        return f"cache skipped after a failure ({cache_breaker.last_failure})"
    current = current_budget()
    if current is not None and current.cache_left is not None and current.cache_left <= 0:
        return "this request's cache budget is spent"
    return None


class GuardedConnection(redis.connection.Connection):
    """A Redis connection that waits no longer than the request's remaining cache budget, counts
    what it waited against it, and reports timeouts, refusals and slow answers to the breaker."""

    def _guard(self) -> Budget | None:
        reason = skipped()
        if reason is not None:
            raise CacheSkipped(reason)
        return current_budget()

    @staticmethod
    def _limit(current: Budget | None, default: float | None) -> float | None:
        if current is None or current.cache_left is None:
            return default
        left = max(current.cache_left, 0.001)
        return left if default is None else min(default, left)

    @staticmethod
    def _charge(current: Budget | None, started: float, error: Exception | None) -> None:
        waited = time.monotonic() - started
        if current is not None and current.cache_left is not None:
            current.cache_left -= waited
        if error is not None:
            timed_out = isinstance(error, redis.TimeoutError | TimeoutError)
            cache_breaker.failed(f"{type(error).__name__}: {error}", "slow" if timed_out else "down")
        elif waited > cache_slow_seconds():
            cache_breaker.failed(f"an answer took {waited:.2f} s", "slow")
        else:
            cache_breaker.succeeded()

    def connect(self):
        if redis_compat.is_connected(self):
            return
        current = self._guard()
        started = time.monotonic()
        try:
            with redis_compat.connect_timeout(self, self._limit(current, self.socket_connect_timeout)):
                super().connect()
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            self._charge(current, started, error)
            raise
        self._charge(current, started, None)

    def send_packed_command(self, command, check_health=True):
        self._guard()
        return super().send_packed_command(command, check_health=check_health)

    def read_response(self, *args, **kwargs):
        current = self._guard()
        if redis_compat.read_timeout_is_default(kwargs):
            limit = self._limit(current, self.socket_timeout)
            if limit is not None:
                kwargs["timeout"] = limit
        started = time.monotonic()
        try:
            response = super().read_response(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            self._charge(current, started, error)
            raise
        self._charge(current, started, None)
        return response


class GuardedConnectionPool(redis.ConnectionPool):
    """django-redis's CONNECTION_POOL_CLASS: every connection is a GuardedConnection."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("connection_class", redis.connection.Connection) is redis.connection.Connection:
            kwargs["connection_class"] = GuardedConnection
        super().__init__(*args, **kwargs)
