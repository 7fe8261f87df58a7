"""Values derived from published content (the newsroom's year and month menu, a listing's number
of items, which sections are private), kept in the shared cache until the content changes.

They are stored under the generation token (site_core/caching/generation.py), which is
replaced whenever a page, snippet, setting or view restriction changes: a publish makes every
value stale at once, on every app server, with no list of keys to purge. They also expire after
`PAGE_CACHE_TIMEOUT` seconds. Unlike whole pages they are kept for every visitor (signed in or
not: they hold nothing personal) and in development and tests as well, where the page cache is off.

With the cache unreachable the value is computed from the database each time: slower, never wrong.
"""

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from site_core.caching import generation, page_cache

logger = logging.getLogger(__name__)
PREFIX = "derived:"


def remember(name: str, parts: tuple, compute: Callable[[], Any], timeout: int | None = None) -> Any:
    """The value `compute()` returns, from the cache when the content has not changed since it was
    stored (and, with `timeout`, for at most that many seconds). `name` and `parts` identify it;
    `compute` must not return None."""
    value = recall(name, parts)
    if value is None:
        value = compute()
        keep(name, parts, value, timeout)
    return value


def recall(name: str, parts: tuple) -> Any:
    """What `keep(name, parts, value)` stored under the current token, or None. For a value worth
    keeping only sometimes (a route that found a page, not every address a visitor makes up);
    otherwise `remember`."""
    key = _key(name, parts)
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Shared cache unavailable: %s computed without it", name, exc_info=True)
        return None


def keep(name: str, parts: tuple, value: Any, timeout: int | None = None) -> None:
    """Store `value` (not None) for `recall(name, parts)` until the content changes (and, with
    `timeout`, for at most that many seconds)."""
    key = _key(name, parts)
    if key is None:
        return
    try:
        cache.set(key, value, min(timeout or page_cache.timeout(), page_cache.timeout()))
    except Exception:
        logger.warning("Shared cache unavailable: %s not stored", name, exc_info=True)


def _key(name: str, parts: tuple) -> str | None:
    """The key of a value under the current generation token; None when the token cannot be read."""
    try:
        token = generation.current_generation()
    except Exception:
        logger.warning("Shared cache unavailable: %s computed without it", name, exc_info=True)
        return None
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{PREFIX}{name}:{token}:{digest}"
