"""The demo content, loaded for real once per test process and put back from a copy afterwards.

Loading the demo (`manage.py load_demo_content`) takes 15 to 30 seconds; about twenty-five test
modules need it (the `demo` fixture, the browser modules' `demo_server`). The first module of each
process loads it and this module copies every table's rows as the load left them; later modules get
the same rows back in about a second, through the same connection (so inside the `demo` fixture's
transaction, which still rolls everything back). What the load did besides the database is kept
with the copy: the emails it sent and the warnings it logged. Media files need no copy: the
process's MEDIA_ROOT keeps them.

Two copies are kept, as the two fixtures load differently: the `demo` fixture inside a transaction
(its on-commit work never runs) and `demo_server` in autocommit (it does). A copy is only reused in
the process that made it and for the same database. Set CIO_DEMO_SNAPSHOT=0 to load for real every
time (tests/test_demo_snapshot.py compares the two)."""

import io
import os
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

# Rows that describe the schema, not the content: never copied.
KEPT = {"django_migrations"}
# SQLite's full-text tables keep their index in shadow tables, rebuilt by inserting into the table.
FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)  # SQLite
    copy: str = ""  # PostgreSQL: the table in COPY's text format


@dataclass
class Snapshot:
    database: str
    tables: list[Table]
    sequences: dict[str, int]  # PostgreSQL: sequence -> its value
    emails: list
    warnings: list[str]


_snapshots: dict[str, Snapshot] = {}


def enabled() -> bool:
    return os.environ.get("CIO_DEMO_SNAPSHOT", "1") != "0"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _sqlite_tables(cursor) -> list[tuple[str, bool]]:
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    found = cursor.fetchall()
    virtual = {name for name, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")}
    shadows = {f"{name}{suffix}" for name in virtual for suffix in FTS_SHADOWS}
    return [(name, name in virtual) for name, _sql in found if name not in KEPT and name not in shadows]


def _take_sqlite(cursor) -> list[Table]:
    tables = []
    for name, virtual in _sqlite_tables(cursor):
        cursor.execute(f"SELECT {'rowid, ' if virtual else ''}* FROM {_quote(name)}")  # noqa: S608 (table names)
        columns = [column[0] for column in cursor.description]
        tables.append(Table(name, columns, rows=cursor.fetchall()))
    return tables


def _put_sqlite(cursor, tables: list[Table]) -> None:
    for table in tables:
        cursor.execute(f"DELETE FROM {_quote(table.name)}")  # noqa: S608
        if table.rows:
            columns = ", ".join(_quote(column) for column in table.columns)
            marks = ", ".join("?" for _ in table.columns)
            cursor.executemany(f"INSERT INTO {_quote(table.name)} ({columns}) VALUES ({marks})", table.rows)  # noqa: S608


def _postgres_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    )
    return [name for (name,) in cursor.fetchall() if name not in KEPT]


def _take_postgres(cursor) -> tuple[list[Table], dict[str, int]]:
    raw = cursor.cursor  # psycopg2's own cursor, for COPY
    tables = []
    for name in _postgres_tables(cursor):
        buffer = io.StringIO()
        raw.copy_expert(f"COPY {_quote(name)} TO STDOUT", buffer)
        tables.append(Table(name, [], copy=buffer.getvalue()))
    cursor.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
        " AND last_value IS NOT NULL"
    )
    return tables, dict(cursor.fetchall())


def _put_postgres(cursor, tables: list[Table], sequences: dict[str, int]) -> None:
    raw = cursor.cursor
    # DELETE, not TRUNCATE: PostgreSQL refuses to truncate a table with foreign-key checks still
    # pending in the transaction (the `demo` fixture's), and the few thousand rows take no time.
    for table in tables:
        cursor.execute(f"DELETE FROM {_quote(table.name)}")  # noqa: S608
    for table in tables:
        if table.copy:
            raw.copy_expert(f"COPY {_quote(table.name)} FROM STDIN", io.StringIO(table.copy))
    for sequence, value in sequences.items():
        cursor.execute("SELECT setval(%s, GREATEST(%s, nextval(%s) - 1))", [sequence, value, sequence])


@contextmanager
def _copying():
    """psycopg2 refuses COPY while a wait callback is set (the site sets one to bound each wait on
    PostgreSQL: site_core/services/dependencies/): lifted for the copy, then put back."""
    if connection.vendor != "postgresql":
        yield
        return
    import psycopg2.extensions

    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        yield
    finally:
        psycopg2.extensions.set_wait_callback(callback)


def take(emails: list, warnings: list[str], kind: str) -> None:
    """Copy the database as the demo load just left it, with what the load sent and logged."""
    with _copying(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables, sequences = _take_postgres(cursor)
        else:
            tables, sequences = _take_sqlite(cursor), {}
    _snapshots[kind] = Snapshot(str(connection.settings_dict["NAME"]), tables, sequences, emails, warnings)


def restore(kind: str) -> Snapshot | None:
    """Put the copy of `kind` back, replacing every table's rows; None when there is no copy to use."""
    snapshot = _snapshots.get(kind)
    if not enabled() or snapshot is None or snapshot.database != str(connection.settings_dict["NAME"]):
        return None
    with _copying(), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _put_postgres(cursor, snapshot.tables, snapshot.sequences)
        else:
            _put_sqlite(cursor, snapshot.tables)
    forget_ids()  # the copy's content types may have other ids than the rows it replaced
    return snapshot


def forget_ids() -> None:
    """Empty what the process keeps of rows by id: Django's content types (a model's id changes
    when a flush recreates them, and when a copy is put back or rolled back)."""
    ContentType.objects.clear_cache()
