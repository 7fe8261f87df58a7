"""Per-request budgets: the time one request may spend waiting on each service, in total. A
visitor's page gets a small one (DEPENDENCY_BUDGETS); a form sent and the admin get more. Outside
requests (commands, the scheduler, tests) there is no budget unless the code asks for one with
`budget()`."""

from __future__ import annotations

import contextlib
import contextvars
import time
from dataclasses import dataclass, field

from django.conf import settings


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
