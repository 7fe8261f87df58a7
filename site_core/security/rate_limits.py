"""The per-client limits on posts (applications, alert subscriptions): django-ratelimit's counters in
the shared cache, one per client address (client_address.py) and group, in fixed windows of `rate`
("10/m"). Only POSTs count. With the cache unreachable nothing can be counted, and the limits fail open
(RATELIMIT_FAIL_OPEN, docs/security.md, "Faults"): the check is skipped with a warning and the post
goes through, since refusing or holding everyone during an outage is worse than a burst."""

import logging

from django_ratelimit.core import get_usage, is_ratelimited
from redis.exceptions import RedisError

from site_core.security.client_address import ratelimit_key

logger = logging.getLogger(__name__)

# What an unreachable cache raises: redis-py's errors, or a socket error from a backend without
# django-redis's IGNORE_EXCEPTIONS.
STORE_DOWN = (RedisError, OSError)


def over_limit(request, group: str, rate: str, increment: bool = True) -> bool:
    """Count this post toward its client address's `rate` in `group` (unless `increment` is False);
    True once the address is past it. The limiter's store being down never refuses anyone: False."""
    try:
        return is_ratelimited(request, group=group, key=ratelimit_key, rate=rate, method="POST", increment=increment)
    except STORE_DOWN:
        logger.warning("Rate limit check skipped: cache unavailable", exc_info=True)
        return False


def limit_reached(request, group: str, rate: str) -> bool:
    """True when the client address has used up `rate` in `group` already (counting nothing), so its
    next post would be past it. The limiter's store being down: False, as for `over_limit`."""
    try:
        usage = get_usage(request, group=group, key=ratelimit_key, rate=rate, method="POST", increment=False)
    except STORE_DOWN:
        logger.warning("Rate limit check skipped: cache unavailable", exc_info=True)
        return False
    return usage is not None and usage["count"] >= usage["limit"]
