"""Demo data loaders: each app registers one; ``seed_demo`` runs them in order.

An app may also register a city-scale loader (``seed_demo --scale city``): it adds the app's
records to the city tree that ``longbien.org.demo.load_city`` builds, in bulk, through
:func:`copy_rows` (PostgreSQL COPY), with the derived columns filled in as the services
would, so that the records stay consistent (paths, roll-ups, states).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models

Loader = Callable[..., Any]
_LOADERS: list[tuple[int, str, Loader]] = []
_CITY_LOADERS: list[tuple[int, str, Loader]] = []


def register(order: int, name: str, loader: Loader) -> None:
    if all(existing != name for _, existing, _ in _LOADERS):
        _LOADERS.append((order, name, loader))


def loaders() -> list[tuple[str, Loader]]:
    return [(name, loader) for _, name, loader in sorted(_LOADERS, key=lambda item: item[0])]


def register_city(order: int, name: str, loader: Loader) -> None:
    if all(existing != name for _, existing, _ in _CITY_LOADERS):
        _CITY_LOADERS.append((order, name, loader))


def city_loaders() -> list[tuple[str, Loader]]:
    return [(name, loader) for _, name, loader in sorted(_CITY_LOADERS, key=lambda item: item[0])]


def copy_rows(
    model: type[models.Model],
    columns: list[str],
    rows: Iterable[Iterable[Any]],
    chunk: int = 50_000,
) -> int:
    """Load ``rows`` into ``model``'s table with COPY, ``chunk`` rows at a time; return the count.

    ``columns`` are database column names; ``None`` is written as NULL. No signals, no audit:
    for demo and benchmark data only.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    total = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pending = 0

    def flush() -> None:
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        writer.writerow(["\\N" if value is None else value for value in row])
        pending += 1
        total += 1
        if pending >= chunk:
            flush()
            pending = 0
    if pending:
        flush()
    return total


def analyze() -> None:
    """Refresh the planner's statistics (the server here does not autovacuum)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
