"""When the database is down or does not answer in time, answer with the static 503 page instead of
a 500 (site_core/services/dependencies/ bounds the wait)."""

import logging

from django.db import InterfaceError, OperationalError

from site_core.services import dependencies
from site_core.views import service_unavailable

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    return dependencies.database_health(timeout=0.5) != "down" and not dependencies.database_breaker.is_open


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError also covers bugs such as a missing column: only an unreachable or silent
        # database earns the "come back later" page; anything else stays a 500 that gets fixed.
        if isinstance(exception, OperationalError | InterfaceError) and not database_answers():
            logger.error("Database unavailable while serving %s: %s", request.path, exception)
            return service_unavailable(request)
        return None
