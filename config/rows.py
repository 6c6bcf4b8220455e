"""Plain SQL on hot paths: prepared statements, and model instances from rows.

Building an ORM query costs more CPU than PostgreSQL spends answering it, and
Django's cursors put the values into the SQL text, so PostgreSQL parses and
plans the statement again every time. A registration, a marshal's tap and its
token check happen on every request: these run fixed statements (the long
ones prepared once per connection on PostgreSQL) and make instances the way
the ORM does (``from_db``), with the model's columns in a known order.
"""

import functools

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


class _Prepared:
    """Values sent apart from the statement (server-side binding), and the
    statement prepared and kept per connection: after its first use
    PostgreSQL only executes it. Wrapped like Django's own cursors, so errors
    are Django's and query logging sees it."""

    def _execute(self, sql, params, *ignored_wrapper_args):
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            return self.cursor.execute(sql, params, prepare=True)


class PreparedCursor(_Prepared, CursorWrapper):
    pass


class PreparedDebugCursor(_Prepared, CursorDebugWrapper):
    pass


def prepared_cursor() -> CursorWrapper:
    """A cursor for a fixed statement: prepared on PostgreSQL, Django's own
    cursor on other databases."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    wrapper = PreparedDebugCursor if connection.queries_logged else PreparedCursor
    return wrapper(psycopg.Cursor(connection.connection), connection)


@functools.cache
def columns(model, alias: str) -> str:
    """The model's columns, in field order, for a SELECT: 'e."id", e."title", ...'."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


@functools.cache
def _converters(model, vendor: str) -> list:
    """Per column, what the ORM applies to a value read from this database
    (SQLite gives datetimes as text, for one)."""
    found = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        steps = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        found.append((column, steps))
    return found


def first(model, sql: str, parameters):
    """The first row of ``sql`` (which selects ``columns(model, ...)``) as an
    instance of the model, or None. (A short statement: preparing it saved
    PostgreSQL less than the prepared cursor cost the web process.)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (column, steps) in zip(row, _converters(model, connection.vendor), strict=True):
        for convert in steps:
            value = convert(value, column, connection)
        values.append(value)
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(connection.alias, names, values)
