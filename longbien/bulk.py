"""Bulk writes through PostgreSQL COPY: demo and benchmark data, the audit rows of imports
(:func:`copy_rows`) and the records the import services create by thousands (:func:`insert`).

Neither runs ``save()`` or sends signals. :func:`copy_rows` runs no model logic at all (no
defaults filled in by Django): the caller gives every column's value, as the services would
have left it; :func:`insert` writes model instances as ``bulk_create`` would.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, connections, models


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


# The field types :func:`insert` writes itself (their value as COPY reads it); a model with
# any other concrete field is inserted by ``bulk_create``.
_COPIED = (
    models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField,
    models.CharField, models.TextField, models.DateField, models.BooleanField,
    models.DecimalField, models.ForeignKey, models.JSONField, models.UUIDField,
)  # fmt: skip


def insert(instances: Sequence[models.Model]) -> None:
    """``bulk_create(instances)`` through COPY: what the import services write by thousands.

    As ``bulk_create`` does (no ``save()``, no signals): each field's ``pre_save`` (the
    creation time stamps), the values as the fields prepare them for the database, the
    primary keys set on the instances (taken from the table's sequence first, in one query).
    A model with a field this does not know how to write, or instances with primary keys of
    their own, go through ``bulk_create``. PostgreSQL parses a 5.000-row INSERT's parameters
    and plans it; COPY reads rows.
    """
    if not instances:
        return
    model = type(instances[0])
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.generated]
    pk = meta.pk
    if (
        meta.parents
        or any(not isinstance(f, _COPIED) or f.has_db_default() for f in fields)
        or not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
        or any(instance.pk is not None for instance in instances)
    ):
        model._default_manager.bulk_create(instances)
        return
    table = meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(instances)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    writers = [_writer(field) for field in fields]
    lines = []
    for instance, new_id in zip(instances, ids, strict=True):
        setattr(instance, pk.attname, new_id)
        instance._prepare_related_fields_for_save(operation_name="insert")
        lines.append("\t".join([write(instance) for write in writers]))
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN",
            io.StringIO("\n".join(lines) + "\n"),
        )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


# COPY's text format: a NULL is \N, and a backslash, a tab or a line break in a value escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _writer(field: models.Field) -> Any:
    """A function giving ``field``'s value of an instance as COPY's text format reads it."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def write_json(instance: models.Model) -> str:
            value = field.pre_save(instance, True)
            return "\\N" if value is None else json.dumps(value, cls=encoder).translate(_ESCAPES)

        return write_json
    if isinstance(field, models.BooleanField):

        def write_boolean(instance: models.Model) -> str:
            value = field.pre_save(instance, True)
            return "\\N" if value is None else ("t" if value else "f")

        return write_boolean

    # A plain field's value as the services leave it (text, a whole number, a date) is what
    # the column takes; anything else is prepared by the field, as bulk_create would.
    plain = type(field).pre_save is models.Field.pre_save
    attname = field.attname
    prepare = field.get_db_prep_save
    database = connections[connection.alias]  # once: the proxy looks it up per access

    def write(instance: models.Model) -> str:
        value = getattr(instance, attname) if plain else field.pre_save(instance, True)
        if value is None:
            return "\\N"
        kind = type(value)
        if kind is str:
            return value.translate(_ESCAPES)
        if kind is int or kind is dt.date:
            return value.isoformat() if kind is dt.date else str(value)
        value = prepare(value, database)
        if value is None:
            return "\\N"
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).translate(_ESCAPES)

    return write
