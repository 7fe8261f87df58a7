"""The state of each service as /healthz reports it (site_core/views.py): each check within its
own budget, and without a call while the service's breaker is open."""

import time

import redis

from site_core.services.dependencies.breakers import cache_breaker, database_breaker
from site_core.services.dependencies.budgets import budget
from site_core.services.dependencies.cache import cache_slow_seconds


def database_health(timeout: float) -> str:
    """ "ok", "slow" (no answer within `timeout`, or an answer slower than half of it, or skipped
    after such a failure) or "down" (refused)."""
    from django.db import DatabaseError, connections

    if not database_breaker.allow():
        return database_breaker.kind or "slow"
    started = time.monotonic()
    try:
        with budget(database=timeout), connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return database_breaker.kind if database_breaker.is_open else "down"
    return "slow" if time.monotonic() - started > timeout / 2 else "ok"


def cache_health(timeout: float) -> str:
    """ "ok", "slow", "down", or "none" when there is no shared cache (per-process memory)."""
    from django.core.cache import cache

    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return "none"
    if not cache_breaker.allow():
        return cache_breaker.kind or "slow"
    started = time.monotonic()
    try:
        with budget(cache=timeout):
            client.get_client(write=False).ping()
    except redis.RedisError:
        return cache_breaker.kind or "down"
    return "slow" if time.monotonic() - started > cache_slow_seconds() else "ok"
