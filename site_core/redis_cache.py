"""Django's Redis cache backend, with one Redis client per server instead of one per operation.

Django's `RedisCacheClient.get_client()` wraps the shared connection pool in a new `redis.Redis`
object for every get or set, and redis-py builds its table of response callbacks in each one: about
0.2 ms of Python per cache operation, which is most of the cost of a page served from the page
cache (site_core/page_cache.py) and ~20 times per rendered page (site_core/content_cache.py, Wagtail's
site root paths). A client is thread-safe (each command takes a connection from the pool), so one
per pool is kept and reused. Everything else (serialisation, key format, timeouts) is Django's.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
