"""PostgreSQL: psycopg2 waits through `wait_for_database` (its "wait callback", the hook psycopg2
offers for exactly this), which gives up at the deadline of the request's budget whatever the server
does, and probes the server before deciding that it is gone."""

from __future__ import annotations

import select
import socket
import struct
import threading
import time

from site_core.services.dependencies.breakers import database_breaker
from site_core.services.dependencies.budgets import Budget, current_budget


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

    current = current_budget()
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


def forget_probes() -> None:
    """No probe remembered (a new process's state)."""
    global _last_good_probe
    _last_good_probe = 0.0


def install_database_waits() -> None:
    """Called when the apps are ready: on PostgreSQL, every wait goes through wait_for_database."""
    from django.db import connections

    if any(connections[alias].vendor == "postgresql" for alias in connections):
        from psycopg2.extensions import set_wait_callback

        set_wait_callback(wait_for_database)
