"""The copy of the demo content that later test modules get instead of a 15 to 30 second load
(tests/demo_snapshot.py) gives back every row of every table, on SQLite and on PostgreSQL, whatever
was changed or emptied since, and what it gives back works: pages render and search finds them."""

import pytest
from django.db import connection, transaction
from wagtail.models import Page

from home.alerts.models import Subscriber
from news.models import NewsReleasePage
from tests import demo_snapshot

pytestmark = pytest.mark.django_db


def every_row() -> dict[str, list]:
    """Each table's rows, sorted (a table's order on disk may change when it is refilled)."""
    with demo_snapshot._copying(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables, _sequences = demo_snapshot._take_postgres(cursor)
            return {table.name: sorted(table.copy.splitlines()) for table in tables}
        return {table.name: sorted(map(repr, table.rows)) for table in demo_snapshot._take_sqlite(cursor)}


def test_the_copy_exists_after_the_first_load(demo):
    assert "rolled back" in demo_snapshot._snapshots
    copy = demo_snapshot._snapshots["rolled back"]
    assert copy.database == str(connection.settings_dict["NAME"])
    assert any(table.name == "wagtailcore_page" for table in copy.tables)
    assert demo.emails == copy.emails


def test_the_copy_puts_back_every_row_whatever_changed_since(demo, client):
    before = every_row()
    assert len(before["wagtailcore_page"]) > 30
    with transaction.atomic():
        NewsReleasePage.objects.all().delete()
        Subscriber.objects.all().delete()
        Page.objects.filter(depth__gt=2).update(title="Changed")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_content_type WHERE app_label = 'news'")
        assert every_row() != before
        assert demo_snapshot.restore("rolled back") is not None
        after = every_row()
        changed = [name for name in before if before[name] != after.get(name)]
        assert changed == []
        html = client.get("/en/news/launch-of-the-civic-innovation-office/").content.decode()
        assert "City of Toronto launches Civic Innovation Office" in html
        transaction.set_rollback(True)


def test_search_finds_the_demo_after_a_copy_is_put_back(demo, client):
    demo_snapshot.restore("rolled back")
    html = client.get("/en/search/?q=innovation").content.decode()
    assert "City of Toronto launches Civic Innovation Office" in html


def test_no_copy_is_used_when_switched_off(demo, monkeypatch):
    monkeypatch.setenv("CIO_DEMO_SNAPSHOT", "0")
    assert demo_snapshot.restore("rolled back") is None
