"""The shared cache as production configures it (site_core/settings/base.py `redis_caches`): one
Redis client per server, kept; an outage turns reads into misses and writes into logged no-ops. And
the page cache's generation token read once per request (site_core/caching/generation.py), whatever the
number of derived values a page shows."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string

from site_core.caching import content_cache, generation
from site_core.services import dependencies
from site_core.settings.base import redis_caches
from tests.conftest import worker_redis_url
from tests.factories import ChallengeIndexPageFactory

# A database of the local Redis no other test or the bench uses; emptied before and after.
REDIS_LOCATION = worker_redis_url()
generation_reads = []


class CountingLocMemCache(LocMemCache):
    """Django's in-process cache, noting each read of the generation token."""

    def get(self, key, default=None, version=None):
        if key == generation.GENERATION_KEY:
            generation_reads.append(key)
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        generation_reads.extend(key for key in keys if key == generation.GENERATION_KEY)
        return super().get_many(keys, version)


def production_cache(location: str):
    config = redis_caches(location)["default"]
    return import_string(config["BACKEND"])(config["LOCATION"], config)


@pytest.fixture
def redis_cache():
    backend = production_cache(REDIS_LOCATION)
    try:
        backend.client.get_client().ping()
    except Exception as error:  # the machine's Redis is part of the test environment
        pytest.fail(f"Redis is not reachable at {REDIS_LOCATION}: {error}")
    backend.clear()
    yield backend
    backend.clear()


def test_the_production_cache_keeps_one_redis_client(redis_cache):
    client = redis_cache.client.get_client()
    redis_cache.set("greeting", {"en": "Hello", "fr": "Bonjour"}, 30)
    assert redis_cache.get("greeting") == {"en": "Hello", "fr": "Bonjour"}
    assert redis_cache.get_many(["greeting", "missing"]) == {"greeting": {"en": "Hello", "fr": "Bonjour"}}
    assert redis_cache.add("greeting", "other") is False
    redis_cache.set("count", 1)
    assert redis_cache.incr("count") == 2
    redis_cache.delete("greeting")
    assert redis_cache.get("greeting") is None
    assert redis_cache.client.get_client() is client  # not a new one per operation


def test_with_redis_unreachable_reads_miss_and_writes_are_logged_no_ops(caplog):
    backend = production_cache("redis://127.0.0.1:1/0")
    assert backend.get("greeting", "default") == "default"
    assert backend.get_many(["a", "b"]) == {}
    assert backend.set("greeting", "Hello") is None
    assert backend.add("greeting", "Hello") is None
    assert backend.incr("count") is None  # django-ratelimit reads None as "cannot count" (fails open)
    # Logged once, when the circuit breaker opened; the other four calls were not even tried
    # (site_core/services/dependencies/).
    assert caplog.text.count("Redis: ConnectionError") == 1
    assert dependencies.cache_breaker.is_open


@pytest.fixture
def counting_cache(settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.CountingLocMemCache", "LOCATION": "counting"}}
    cache.clear()
    generation_reads.clear()
    yield generation_reads
    cache.clear()


@pytest.mark.django_db(transaction=True)  # committed: no change of this thread's own is pending
@pytest.mark.parametrize("path", ["/en/", "/en/challenges/", "/en/news/"])
def test_a_rendered_page_reads_the_generation_token_once(client, site_tree, counting_cache, path):
    ChallengeIndexPageFactory(parent=site_tree.home, slug="challenges")
    client.get(path)  # fills the derived values
    counting_cache.clear()
    response = client.get(path)
    assert response.status_code == 200
    assert len(counting_cache) == 1


@pytest.mark.django_db
def test_a_request_that_changes_content_reads_the_new_token(counting_cache):
    generation.renew_generation()  # a token exists, as on a running site
    scope = generation.start_request()
    try:
        first = generation.current_generation()
        assert generation.current_generation() == first
        assert len(counting_cache) == 1
        calls = []
        content_cache.remember("answer", (), lambda: calls.append(1) or len(calls))
        generation.renew_generation()  # this request published something
        second = generation.current_generation()
        assert second != first
        assert content_cache.remember("answer", (), lambda: calls.append(1) or len(calls)) == 2  # recomputed
    finally:
        generation.end_request(scope)
    # Outside a request nothing is remembered: each call reads the shared cache.
    counting_cache.clear()
    generation.current_generation()
    generation.current_generation()
    assert len(counting_cache) == 2
