"""When the database is down, answer with the static 503 page instead of a 500."""

import logging

from django.db import InterfaceError, OperationalError

from site_core.views import service_unavailable

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable while serving %s: %s", request.path, exception)
            return service_unavailable(request)
        return None
