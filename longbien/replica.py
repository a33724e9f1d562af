"""Reads that may be served by a PostgreSQL replica: the dashboards and the term reports.

Set ``DATABASE_REPLICA_URL`` and the settings add a ``replica`` database; the code that reads
many records to compute figures runs inside :func:`reads`, and :class:`Router` sends that
block's reads to the replica. Everything else (pages, forms, the API, every write, the jobs'
own rows) stays on the primary, so a user always reads what they have just written.

Why figures read on a replica stay right: the figure cache (:mod:`longbien.figure_cache`)
reads the tables' versions and the kept counts where the records are read (the replica: one
consistent snapshot of all three) and writes kept counts to the primary; a count computed on a
lagging replica is stored with that replica's older version, which the primary's readers no
longer match, so they recompute. Without ``DATABASE_REPLICA_URL`` nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

ALIAS = "replica"
_reading: ContextVar[bool] = ContextVar("longbien_replica_reads", default=False)


@contextmanager
def reads() -> Iterator[None]:
    """Send the block's reads to the replica, when one is configured."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def configured() -> bool:
    return ALIAS in settings.DATABASES


class Router:
    """The replica for reads inside :func:`reads`; the primary for everything else."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return ALIAS if _reading.get() and configured() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == ALIAS else None
