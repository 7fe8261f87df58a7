"""Error pages are rendered without touching the database (it may be what failed)."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from site_core import views
from site_core.middleware import DatabaseUnavailableMiddleware


@pytest.mark.parametrize(
    ("view", "status", "text"),
    [
        (views.page_not_found, 404, "Page not found"),
        (views.server_error, 500, "Something went wrong"),
        (views.service_unavailable, 503, "Service temporarily unavailable"),
    ],
)
def test_error_pages_render_without_database_queries(db, django_assert_num_queries, view, status, text):
    request = RequestFactory().get("/en/missing/")
    with django_assert_num_queries(0):
        response = view(request)
    assert response.status_code == status
    assert text in response.content.decode()


@pytest.mark.django_db
def test_unknown_address_gets_the_friendly_404_page(client, site_tree):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "We could not find the page you asked for" in response.content.decode()


@pytest.mark.django_db
def test_a_database_error_with_the_database_up_stays_a_server_error():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/en/")
    assert middleware.process_exception(request, OperationalError("no such column: x")) is None
