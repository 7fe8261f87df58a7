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


def remember(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """The value `compute()` returns, from the cache when the content has not changed since it was
    stored. `name` and `parts` identify it; `compute` must not return None."""
    try:
        token = generation.current_generation()
    except Exception:
        logger.warning("Shared cache unavailable: %s computed without it", name, exc_info=True)
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{PREFIX}{name}:{token}:{digest}"
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Shared cache unavailable: %s computed without it", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, page_cache.timeout())
        except Exception:
            logger.warning("Shared cache unavailable: %s not stored", name, exc_info=True)
    return value
