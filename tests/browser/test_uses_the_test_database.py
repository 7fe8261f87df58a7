"""The browser modules, run on their own, use the test database and never the developer's."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.browser


def test_the_demo_server_runs_on_the_test_database(demo_server):
    name = str(connection.settings_dict["NAME"])
    assert name != str(settings.BASE_DIR / "db.sqlite3")
    assert "memory" in name or name.startswith("test_"), name
