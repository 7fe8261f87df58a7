"""Bounded waits on the services the site depends on: PostgreSQL and Redis.

A service that refuses connections fails fast by itself. One that accepts them and then answers
slowly, or never, would hold a request (and its server thread) for as long as it likes: socket
timeouts are per call, and a page makes dozens of calls. Three controls bound that
(docs/security.md, "Faults"):

- **A per-request budget** for each service: the time one request may spend waiting on it, in
  total. A visitor's page gets a small one (DEPENDENCY_BUDGETS), so it answers within seconds
  (rendered, from the cache, or the 503 page); a form sent and the admin get more. Outside requests
  (commands, the scheduler, tests) there is no budget unless the code asks for one with `budget()`.
- **A circuit breaker** per service and process: after a timeout (or a call slower than the
  service should ever be), calls fail at once for a cool-down, so the other threads do not queue
  behind a dead service. Then one call is let through as a trial; its success closes the breaker.
- **Client-side waits with deadlines**: psycopg2 waits through `wait_for_database` (its "wait
  callback", the hook psycopg2 offers for exactly this), which gives up at the deadline whatever
  the server does; Redis connections are `GuardedConnection`s whose socket waits are cut to the
  request's remaining budget.

With the cache skipped the site renders every page (django-redis's IGNORE_EXCEPTIONS turns a
refused call into a miss); with the database out of budget a request fails with OperationalError,
which site_core.middleware answers with the static 503 page.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

import redis
from django.conf import settings

logger = logging.getLogger(__name__)


# --- Circuit breakers ------------------------------------------------------------------------


class Breaker:
    """closed (calls go through) -> open after a failure (calls refused for `cooldown` seconds)
    -> half-open (one thread's trial at a time) -> closed again after a success. Thread-safe; one
    per service per process. `kind` says how the service last failed: "slow" (no answer in time,
    or an answer far slower than it should be) or "down" (refused, reset)."""

    def __init__(self, name: str, cooldown_setting: str = "DEPENDENCY_BREAKER_COOLDOWN_SECONDS"):
        self.name = name
        self.cooldown_setting = cooldown_setting
        self._lock = threading.Lock()
        self._opened_at: float | None = None
        self._trial: tuple[int, float] | None = None  # (thread, started)
        self.last_failure = ""
        self.kind = ""

    def cooldown(self) -> float:
        return float(getattr(settings, self.cooldown_setting, 5.0))

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def opened_since(self, moment: float) -> bool:
        """Opened (by any thread) after `moment` (a time.monotonic() value)."""
        opened = self._opened_at
        return opened is not None and opened > moment

    def allow(self) -> bool:
        if self._opened_at is None:
            return True
        now, me = time.monotonic(), threading.get_ident()
        with self._lock:
            if self._opened_at is None:
                return True
            if now - self._opened_at < self.cooldown():
                return False
            # Half-open: one thread tries; a trial that never reported back frees its place.
            if self._trial is not None and self._trial[0] != me and now - self._trial[1] < self.cooldown():
                return False
            if self._trial is None or self._trial[0] != me:
                self._trial = (me, now)
            return True

    def succeeded(self) -> None:
        if self._opened_at is None:
            return
        with self._lock:
            if self._opened_at is not None:
                logger.warning("%s answers again: circuit closed", self.name)
            self._opened_at = self._trial = None

    def failed(self, reason: str, kind: str = "slow") -> None:
        with self._lock:
            was_open = self._opened_at is not None
            self._opened_at = time.monotonic()
            self._trial = None
            self.last_failure, self.kind = reason, kind
        if not was_open:
            logger.error("%s: %s; calls skipped for %.0f s (circuit open)", self.name, reason, self.cooldown())

    def reset(self) -> None:
        with self._lock:
            self._opened_at = self._trial = None
            self.last_failure = self.kind = ""


database_breaker = Breaker("PostgreSQL")
cache_breaker = Breaker("Redis")
# The outbox's immediate sends skip SMTP this long after a server that refused or did not answer; the
# emails wait in the queue for `send_queued_emails` (site_core/services/outbox.py).
smtp_breaker = Breaker("SMTP", cooldown_setting="SMTP_BREAKER_COOLDOWN_SECONDS")


# --- Per-request budgets ---------------------------------------------------------------------


@dataclass
class Budget:
    """What one request (or one `budget()` block) may still spend waiting, per service."""

    database_deadline: float | None = None  # time.monotonic() value; None: no limit
    cache_left: float | None = None  # seconds; None: no limit
    notes: list[str] = field(default_factory=list)

    def database_wait(self) -> float | None:
        if self.database_deadline is None:
            return None
        return self.database_deadline - time.monotonic()


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("dependency_budget", default=None)


def current_budget() -> Budget | None:
    return _budget.get()


@contextlib.contextmanager
def budget(database: float | None = None, cache: float | None = None):
    """Limit the waits on each service within the block (seconds in total; None: unlimited)."""
    token = _budget.set(
        Budget(
            database_deadline=None if database is None else time.monotonic() + database,
            cache_left=cache,
        )
    )
    try:
        yield _budget.get()
    finally:
        _budget.reset(token)


def budgets_for(path: str, method: str = "GET") -> tuple[float | None, float | None]:
    """(database, cache) seconds for a request: a visitor's page must answer within seconds; a form
    sent (an application, which must not be refused for a busy moment) and the admin (exports,
    reports) may wait longer; nobody waits without limit."""
    configured = getattr(settings, "DEPENDENCY_BUDGETS", {})
    if path.startswith(("/admin/", "/django-admin/")):
        kind = "admin"
    else:
        kind = "public" if method in ("GET", "HEAD") else "public-form"
    database, cache = configured.get(kind, (None, None))
    return database, cache


class RequestBudgetMiddleware:
    """First in the chain: every request runs within its budgets (the page cache included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        database, cache = budgets_for(request.path, request.method)
        with budget(database=database, cache=cache):
            return self.get_response(request)


# --- PostgreSQL ------------------------------------------------------------------------------


class DatabaseWaitTimeout(Exception):
    def __init__(self, tripped: bool = False):
        super().__init__()
        self.tripped = tripped  # the breaker is already open: no probe needed


PROBE_AFTER = 1.0  # seconds a wait lasts before the database is probed
PROBE_SECONDS = 0.5  # a server answers an SSLRequest in milliseconds, however busy
_probe_lock = threading.Lock()
_last_good_probe = 0.0


def wait_for_database(conn) -> None:
    """psycopg2's wait callback (psycopg2.extensions.set_wait_callback): psycopg2 then drives
    libpq without blocking and calls this to wait for the socket, which gives up (raising
    psycopg2.OperationalError) when the request's database budget is spent or the breaker is
    open. psycopg2 then closes the connection; Django opens a new one for the next request.

    A slow answer is not proof that the database is gone: a busy one (a search surge on a small
    machine, a lock) answers slowly too. So once a wait within a budget has lasted PROBE_AFTER, the
    server is probed (`database_answers_a_probe`): no answer opens the breaker and ends every wait
    of the process at once; an answer lets the wait go on, to the end of the budget at most (a busy
    database only fails the requests that run out of time)."""
    import psycopg2

    current = _budget.get()
    budgeted = current is not None and current.database_deadline is not None
    if budgeted and not database_breaker.allow():
        raise psycopg2.OperationalError(f"database skipped after a timeout ({database_breaker.last_failure})")
    started = time.monotonic()
    try:
        _wait(conn, current if budgeted else None, started)
    except DatabaseWaitTimeout as timeout:
        waited = time.monotonic() - started
        if not timeout.tripped and not database_answers_a_probe():
            database_breaker.failed(f"no answer within the request's budget, nor to a probe (waited {waited:.2f} s)")
        raise psycopg2.OperationalError(f"the database did not answer within {waited:.2f} s") from None
    if budgeted:
        database_breaker.succeeded()


def _wait(conn, current: Budget | None, started: float) -> None:
    """Wait for psycopg2's connection to be ready; `current`: the budget to keep to (None: no limit,
    no probe: a command or a migration waits as long as its statements take, and is not the one to
    decide for the process that the database is gone)."""
    import psycopg2
    from psycopg2.extensions import POLL_OK, POLL_READ, POLL_WRITE

    probe_at = started + PROBE_AFTER if current is not None else None
    while True:
        state = conn.poll()
        if state == POLL_OK:
            return
        if state not in (POLL_READ, POLL_WRITE):
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
        if current is None:
            timeout = None
        else:
            now, left = time.monotonic(), current.database_wait()
            if left <= 0:
                raise DatabaseWaitTimeout
            if database_breaker.opened_since(started):
                raise DatabaseWaitTimeout(tripped=True)  # another thread found the database gone
            if probe_at is not None and now >= probe_at:
                probe_at = None
                if not database_answers_a_probe():
                    database_breaker.failed(f"no answer to a query for {now - started:.2f} s, nor to a probe")
                    raise DatabaseWaitTimeout(tripped=True)
            # In slices, so that the budget, the probe and the breaker are looked at in time.
            timeout = max(min(0.25, left, probe_at - now if probe_at is not None else left), 0)
        if state == POLL_READ:
            select.select([conn.fileno()], [], [], timeout)
        else:
            select.select([], [conn.fileno()], [], timeout)


# PostgreSQL's SSLRequest: length 8, code 80877103. Any server process answers it with one byte
# ("S" or "N") before anything else, without a query, a login or a lock.
SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def database_answers_a_probe() -> bool:
    """True when the database server answers a new connection's first message within
    PROBE_SECONDS, or did in the last second. A plain socket, so that a process busy with other
    threads does not make the probe late (its waits are the operating system's, not Python's). One
    probe at a time per process: while one runs, the others take the database for alive."""
    global _last_good_probe
    from django.db import connections

    if time.monotonic() - _last_good_probe < 1.0 or not _probe_lock.acquire(blocking=False):
        return True
    try:
        config = connections["default"].settings_dict
        host, port = config.get("HOST") or "localhost", int(config.get("PORT") or 5432)
        if host.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            address = f"{host}/.s.PGSQL.{port}"
        else:
            sock = socket.create_connection((host, port), timeout=PROBE_SECONDS)
            address = None
        with sock:
            sock.settimeout(PROBE_SECONDS)
            if address is not None:
                sock.connect(address)
            sock.sendall(SSL_REQUEST)
            answered = bool(sock.recv(1))
    except OSError:
        answered = False
    finally:
        _probe_lock.release()
    if answered:
        _last_good_probe = time.monotonic()
    return answered


def reset() -> None:
    """Every breaker closed and no probe remembered (a new process's state; for tests)."""
    global _last_good_probe
    for breaker in (database_breaker, cache_breaker, smtp_breaker):
        breaker.reset()
    _last_good_probe = 0.0


def install_database_waits() -> None:
    """Called when the apps are ready: on PostgreSQL, every wait goes through wait_for_database."""
    from django.db import connections

    if any(connections[alias].vendor == "postgresql" for alias in connections):
        from psycopg2.extensions import set_wait_callback

        set_wait_callback(wait_for_database)


# --- Redis -----------------------------------------------------------------------------------


class CacheSkipped(redis.ConnectionError):
    """Not sent: the breaker is open or this request's cache budget is spent (a cache miss)."""


def cache_slow_seconds() -> float:
    return float(getattr(settings, "CACHE_SLOW_SECONDS", 0.25))


class GuardedConnection(redis.connection.Connection):
    """A Redis connection that waits no longer than the request's remaining cache budget, counts
    what it waited against it, and reports timeouts, refusals and slow answers to the breaker."""

    def _guard(self) -> Budget | None:
        if not cache_breaker.allow():
            raise CacheSkipped(f"cache skipped after a failure ({cache_breaker.last_failure})")
        current = _budget.get()
        if current is not None and current.cache_left is not None and current.cache_left <= 0:
            raise CacheSkipped("this request's cache budget is spent")
        return current

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
        if self._sock:
            return
        current = self._guard()
        started = time.monotonic()
        configured = self.socket_connect_timeout
        self.socket_connect_timeout = self._limit(current, configured)
        try:
            super().connect()
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            self._charge(current, started, error)
            raise
        finally:
            self.socket_connect_timeout = configured
        self._charge(current, started, None)

    def send_packed_command(self, command, check_health=True):
        self._guard()
        return super().send_packed_command(command, check_health=check_health)

    def read_response(self, *args, **kwargs):
        current = self._guard()
        if kwargs.get("timeout", redis.connection.SENTINEL) is redis.connection.SENTINEL:
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


# --- Health ----------------------------------------------------------------------------------


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
