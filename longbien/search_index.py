"""Indexes for the portal's text search (:func:`longbien.core.search.text_q`), where the
server can build them.

The one text search of the portal is a substring match: ``name_folded LIKE '%nguyen van%'``
(a folded column) or ``UPPER(code) LIKE UPPER('%cb-01%')`` (anything else). A B-tree cannot
serve a pattern that starts with ``%``: on the city's 100.000 people every search read the
whole table (25 ms, and 25 ms more for each page of the evaluations joined to them). A
trigram index (PostgreSQL's ``pg_trgm`` extension, GIN) serves exactly those ``LIKE``
patterns: the planner uses it for the same SQL, nothing in the queries changes, and a rare
name is found in a millisecond.

``pg_trgm`` ships with PostgreSQL's contrib package (in every production image and the
Debian server); the embedded PostgreSQL of ``make run`` has no contrib extensions. So
:class:`AddSearchIndex` is a migration operation that creates the extension and the index
when the server has ``pg_trgm``, and does nothing otherwise: the searches give the same
rows either way, only slower. A database migrated without it gets its indexes later with
``python manage.py search_indexes`` (which runs every declared index again, idempotently).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

#: Every index declared by a migration (name: (table, expression)), for ``search_indexes``.
DECLARED: dict[str, tuple[str, str]] = {}


def available(connection: Any) -> bool:
    """Whether ``pg_trgm`` is installed in the database or can be (the server ships it)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def create(connection: Any, name: str, table: str, expression: str) -> bool:
    """Create the extension (if need be) and the index ``name``; False without ``pg_trgm``."""
    if not available(connection):
        return False
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {qn(name)} ON {qn(table)} "
            f"USING gin ({expression} gin_trgm_ops)"
        )
    return True


def exists(connection: Any, name: str) -> bool:
    """Whether the index ``name`` is in the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
        return cursor.fetchone() is not None


class AddSearchIndex(migrations.operations.base.Operation):
    """A trigram index on ``table``'s ``column`` for ``LIKE '%…%'``, when ``pg_trgm`` exists.

    ``upper=True`` indexes ``UPPER(column::text)``, the expression Django's ``icontains``
    compares (a code or a symbol searched as typed). The schema Django knows is unchanged
    (no model state): the index is an addition for the planner, like the keyset indexes.
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, *, name: str, table: str, column: str, upper: bool = False) -> None:
        self.name, self.table, self.column, self.upper = name, table, column, upper
        DECLARED[name] = (table, self.expression)

    @property
    def expression(self) -> str:
        quoted = f'"{self.column}"'
        return f"(UPPER({quoted}::text))" if self.upper else quoted

    def deconstruct(self) -> tuple[str, list, dict]:
        kwargs = {"name": self.name, "table": self.table, "column": self.column}
        if self.upper:
            kwargs["upper"] = True
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any,
                          to_state: Any) -> None:  # fmt: skip
        create(schema_editor.connection, self.name, self.table, self.expression)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any,
                           to_state: Any) -> None:  # fmt: skip
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self) -> str:
        return f"Trigram search index {self.name} on {self.table}.{self.column} (if pg_trgm)"
