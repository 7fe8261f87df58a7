"""Work that follows a request but must not hold it up: sending queued emails, purging the caching
proxy. Nothing here may be the only copy of anything: an email is a row in the outbox before it is
handed over (the scheduled `send_queued_emails` sends what a stopped process never did), and a purge
the proxy missed is bounded by the proxy's own expiry.

`after_commit(lane, func, *args)` runs `func` once the current transaction commits (at once outside
one):
- BACKGROUND_TASKS = "thread" (production, development): on this process's background thread for
  that lane ("email", "proxy": a hung SMTP server does not hold up purges), after the response;
  the request never waits on SMTP or on the proxy;
- BACKGROUND_TASKS = "inline" (the test settings): in the committing thread, so that a test sees
  the email in `mail.outbox` as soon as its request returns.

The background thread works within a budget (site_core/services/dependencies/), so a silent database
cannot hold it for ever either; its queue is bounded, and work that does not fit is left to the
scheduled commands (logged).
"""

import atexit
import logging
import queue
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.transaction import TransactionManagementError

from site_core.services import dependencies

logger = logging.getLogger(__name__)

QUEUE_SIZE = 1000
DATABASE_BUDGET = 10.0  # seconds of database waits per piece of work (a function's `database_budget` may say more)
CACHE_BUDGET = 1.0
EXIT_WAIT = 10.0

LANES = ("email", "proxy")
_queues: dict[str, queue.Queue] = {lane: queue.Queue(maxsize=QUEUE_SIZE) for lane in LANES}
_threads: dict[str, threading.Thread] = {}
_start_lock = threading.Lock()


def mode() -> str:
    return getattr(settings, "BACKGROUND_TASKS", "thread")


def after_commit(lane: str, func, *args) -> None:
    try:
        transaction.on_commit(lambda: submit(lane, func, *args))
    except TransactionManagementError:
        # Autocommit off outside any atomic block: never so in a request (Django runs them in
        # autocommit); seen when a test's live server shares one SQLite connection between threads.
        # What the caller stored is as committed as it will be: do the work now rather than drop it.
        logger.warning(
            "No transaction to wait for (autocommit is off): %s runs at once", getattr(func, "__name__", func)
        )
        submit(lane, func, *args)


def submit(lane: str, func, *args) -> None:
    if mode() == "inline":
        run(func, args)
        return
    _ensure_thread(lane)
    try:
        _queues[lane].put_nowait((func, args))
    except queue.Full:
        logger.warning("Background queue full: %s left to the scheduled jobs", getattr(func, "__name__", func))


def run(func, args) -> None:
    try:
        database = getattr(func, "database_budget", DATABASE_BUDGET)
        with dependencies.budget(database=database, cache=CACHE_BUDGET):
            func(*args)
    except Exception:
        logger.exception("Background work %s failed", getattr(func, "__name__", func))


def _ensure_thread(lane: str) -> None:
    thread = _threads.get(lane)
    if thread is not None and thread.is_alive():
        return
    with _start_lock:
        thread = _threads.get(lane)
        if thread is None or not thread.is_alive():
            if not _threads:
                # A command (publish_scheduled from cron) or a stopping gunicorn worker finishes its
                # emails and purges before the process ends, within EXIT_WAIT seconds.
                atexit.register(wait_until_idle, EXIT_WAIT)
            _threads[lane] = threading.Thread(target=_work, args=(lane,), name=f"cio-{lane}", daemon=True)
            _threads[lane].start()


def _work(lane: str) -> None:
    work = _queues[lane]
    while True:
        func, args = work.get()
        try:
            run(func, args)
        finally:
            close_old_connections()  # this thread's own connection, kept or closed as a request's is
            work.task_done()


def wait_until_idle(timeout: float = 30.0) -> bool:
    """For tests and commands: True once everything submitted so far has run."""
    done = threading.Event()

    def waiter():
        for work in _queues.values():
            work.join()
        done.set()

    threading.Thread(target=waiter, daemon=True).start()
    return done.wait(timeout)
