"""Bulk writes through PostgreSQL COPY: demo and benchmark data, and the audit rows of imports.

No model logic runs (no save(), no signals, no defaults filled in by Django): the caller
gives every column's value, as the services would have left it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db import connection, models


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
