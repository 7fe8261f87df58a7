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

The package, by concern: `breakers.py` (the circuit breakers), `budgets.py` (the per-request
budgets and their middleware), `database.py` (PostgreSQL's waits and probe), `cache.py` (Redis's
guarded connections) and `health.py` (the checks behind /healthz). Import from the package.
"""

from site_core.services.dependencies.breakers import Breaker, cache_breaker, database_breaker, smtp_breaker
from site_core.services.dependencies.budgets import (
    Budget,
    RequestBudgetMiddleware,
    budget,
    budgets_for,
    current_budget,
)
from site_core.services.dependencies.cache import (
    CacheSkipped,
    GuardedConnection,
    GuardedConnectionPool,
    cache_slow_seconds,
)
from site_core.services.dependencies.database import (
    PROBE_AFTER,
    PROBE_SECONDS,
    DatabaseWaitTimeout,
    database_answers_a_probe,
    forget_probes,
    install_database_waits,
    wait_for_database,
)
from site_core.services.dependencies.health import cache_health, database_health

__all__ = [
    "PROBE_AFTER",
    "PROBE_SECONDS",
    "Breaker",
    "Budget",
    "CacheSkipped",
    "DatabaseWaitTimeout",
    "GuardedConnection",
    "GuardedConnectionPool",
    "RequestBudgetMiddleware",
    "budget",
    "budgets_for",
    "cache_breaker",
    "cache_health",
    "cache_slow_seconds",
    "current_budget",
    "database_answers_a_probe",
    "database_breaker",
    "database_health",
    "install_database_waits",
    "reset",
    "smtp_breaker",
    "wait_for_database",
]


def reset() -> None:
    """Every breaker closed and no probe remembered (a new process's state; for tests)."""
    for breaker in (database_breaker, cache_breaker, smtp_breaker):
        breaker.reset()
    forget_probes()
