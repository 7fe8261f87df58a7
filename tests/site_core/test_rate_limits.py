"""The per-client limits on posts (site_core/security/rate_limits.py): counted per address and group,
posts only, and never refusing anyone while the cache they count in is unreachable."""

import pytest
from django.test import RequestFactory

from site_core.security.rate_limits import limit_reached, over_limit

GROUP = "test-posts"


def post_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_an_address_is_over_the_limit_only_past_its_rate_and_only_posts_count(clock_stands_still):
    results = [over_limit(post_from("192.0.2.1"), GROUP, "2/h") for _ in range(3)]
    assert results == [False, False, True]
    assert not over_limit(RequestFactory().get("/", REMOTE_ADDR="192.0.2.2"), GROUP, "0/h")  # a GET is never limited
    assert not over_limit(post_from("192.0.2.2"), GROUP, "2/h")  # another address has a count of its own
    assert not over_limit(post_from("192.0.2.2"), "other-posts", "1/h")  # and so has another group


def test_limit_reached_counts_nothing(clock_stands_still):
    request = post_from("192.0.2.3")
    assert not limit_reached(request, GROUP, "2/h")
    over_limit(request, GROUP, "2/h")
    assert not limit_reached(request, GROUP, "2/h") and not limit_reached(request, GROUP, "2/h")
    over_limit(request, GROUP, "2/h")
    assert limit_reached(request, GROUP, "2/h")  # the next post would be past it


@pytest.mark.parametrize("check", [over_limit, limit_reached])
def test_with_the_cache_unreachable_nobody_is_refused_and_the_skip_is_logged(check, settings, caplog):
    # Django's own Redis backend raises redis-py's errors (django-redis in production ignores them).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert check(post_from("192.0.2.4"), GROUP, "0/h") is False
    assert "Rate limit check skipped: cache unavailable" in caplog.text
