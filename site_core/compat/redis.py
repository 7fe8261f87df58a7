"""redis-py internals the site's Redis connection relies on (redis-py 8.1): `GuardedConnection`
(site_core/services/dependencies/cache.py) cuts its socket waits to the request's cache budget,
which redis-py offers no setting for.

`GuardedConnection` overrides `Connection.connect`, which is what `ConnectionPool.get_connection`
calls on every connection it hands out; `send_packed_command` and `read_response` keep the
signatures it overrides (both checked in tests/site_core/test_compat.py)."""

from contextlib import contextmanager

from redis.connection import SENTINEL

__all__ = ["connect_timeout", "is_connected", "read_timeout_is_default"]


def is_connected(connection) -> bool:
    """Whether the connection has a socket: redis-py keeps it in the private `Connection._sock`
    (None until connected and after `disconnect()`), and its own `connect_check_health` returns at
    once when it is set, so connecting again costs no wait."""
    return bool(connection._sock)


@contextmanager
def connect_timeout(connection, seconds: float | None):
    """Open the connection's socket with `seconds` as its connect timeout, then put the configured
    one back. redis-py has no per-call connect timeout: `Connection._connect` reads
    `self.socket_connect_timeout` when it creates the socket (`sock.settimeout(...)` before
    `sock.connect`), so the attribute is changed for the call."""
    configured = connection.socket_connect_timeout
    connection.socket_connect_timeout = seconds
    try:
        yield
    finally:
        connection.socket_connect_timeout = configured


def read_timeout_is_default(read_response_kwargs: dict) -> bool:
    """Whether a `read_response(...)` call leaves its wait to the connection's `socket_timeout`:
    redis-py's keyword-only `timeout` defaults to its undocumented `redis.connection.SENTINEL`
    ("the socket's own timeout"); any other value, None (no limit) included, is the caller's."""
    return read_response_kwargs.get("timeout", SENTINEL) is SENTINEL
