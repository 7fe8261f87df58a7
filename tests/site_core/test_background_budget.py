"""Background work runs within a database budget: 10 s by default, or what the work itself says
(the alerts' fan-out: 60 s), so a silent database holds a lane for a bounded time either way."""

import time

from home.alerts.sending import fan_out_and_send
from site_core.services import background
from site_core.services.dependencies import budgets


def seen_deadline():
    seen = {}

    def work():
        seen["left"] = budgets.current_budget().database_deadline - time.monotonic()

    return seen, work


def test_work_gets_the_default_budget_unless_it_carries_its_own():
    seen, work = seen_deadline()
    background.run(work, ())
    assert background.DATABASE_BUDGET - 1 < seen["left"] <= background.DATABASE_BUDGET

    work.database_budget = 60.0
    background.run(work, ())
    assert 59 < seen["left"] <= 60


def test_the_alerts_fan_out_runs_with_its_own_budget():
    seen, work = seen_deadline()
    work.database_budget = fan_out_and_send.database_budget
    background.run(work, ())
    assert background.DATABASE_BUDGET + 1 < seen["left"] <= 60
