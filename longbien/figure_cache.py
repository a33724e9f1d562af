"""Indicator counts kept until a table they are computed from changes.

A provider that declares the tables it reads (``indicators.register(..., reads=(Model, …))``)
has its counts kept in ``core_figurecache`` per unit subtree, period and day, with the
*version* of those tables: the sum of the weights of their rows in ``core_figurechange``. A
PostgreSQL statement trigger on every watched table adds such a row for each statement that
writes to it, whatever wrote it (a service, a bulk import, the admin, raw SQL, a restore), so
a version changes with the first write and a kept count is used only while its version is
still the tables' version: a change shows at once.

Why it is correct:

- Versions only grow: a trigger adds weight 1; :func:`compact` folds rows into one row with
  their summed weight in one statement. Two committed states never share a version.
- The cache lives in the same database and transaction as the records: counts computed inside
  a transaction that rolls back are rolled back with it, and a transaction sees its own writes'
  versions. (A cache in Redis could keep counts of a rolled-back transaction under a version
  that a later commit reaches again.)
- The version is read before the counts are computed: counts newer than their version are
  merely recomputed once more; counts older than their version cannot be stored under it.
- The day is part of the key (``as_of``: the period's end, or today while the period runs):
  a figure "as of today" (overdue, due by now) is not carried into tomorrow.
- The organisation tree and the working calendar are read by every provider (subtrees,
  deadlines) and are always watched.

The triggers are (re)installed after every ``migrate`` (:func:`install_triggers`), which also
empties the cache, so a deploy that changes a provider's definition starts afresh.
``tests/kernel/test_figure_cache.py`` checks that every table a provider's queries read is
watched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone

from longbien.core.models import FigureCache, FigureChange

# Tables read by every provider (subtrees, deadlines).
ALWAYS_READ = ("org.OrgUnit", "core.CalendarDay")
TRIGGER = "core_figure_change"


@dataclass(frozen=True)
class Request:
    """One provider's counts for a unit subtree over a period."""

    provider: Callable[..., dict[str, int]]
    tables: tuple[str, ...]
    unit: Any
    start: dt.date
    end: dt.date


def enabled() -> bool:
    return bool(getattr(settings, "LONGBIEN_FIGURE_CACHE", True))


def table_names(reads: Iterable[type[models.Model] | str]) -> tuple[str, ...]:
    """The database tables of ``reads`` (models or "app_label.Model") and of the tables every
    provider reads, sorted."""
    names = set()
    for model in (*ALWAYS_READ, *reads):
        resolved = apps.get_model(model) if isinstance(model, str) else model
        names.add(resolved._meta.db_table)
    return tuple(sorted(names))


def provider_key(provider: Callable[..., Any]) -> str:
    return f"{provider.__module__}.{getattr(provider, '__qualname__', repr(provider))}"


def versions(tables: Iterable[str], using: str = "default") -> dict[str, int]:
    """Each table's version (0 before its first recorded write). One query."""
    wanted = sorted(set(tables))
    if not wanted:
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT table_name, SUM(weight) FROM core_figurechange "
            "WHERE table_name = ANY(%s) GROUP BY table_name",
            [wanted],
        )
        found = {name: int(total) for name, total in cursor.fetchall()}
    return {name: found.get(name, 0) for name in wanted}


def counts(requests: Sequence[Request]) -> list[dict[str, int]]:
    """The counts of every request, in order: kept ones while their tables are unchanged, the
    others computed by their provider and kept. Two queries when everything is kept (the
    versions, the kept counts), plus the providers' own for the rest and one to keep them.

    The versions and the kept counts are read where the records are read (the database
    router's choice for reads: a replica serving dashboards holds both, consistent with its
    records) and kept counts are written where writes go."""
    if not requests:
        return []
    if not enabled():
        return compute(requests)
    using = router.db_for_read(FigureChange) or "default"
    today = timezone.localdate()
    current = versions({t for r in requests for t in r.tables}, using)
    keys = [
        (provider_key(r.provider), r.unit.pk, r.start, r.end, min(today, r.end)) for r in requests
    ]
    wanted = [sum(current[t] for t in r.tables) for r in requests]
    kept = _kept(keys, using)
    missing: dict[tuple[Any, ...], tuple[Request, int]] = {}
    for request, key, version in zip(requests, keys, wanted, strict=True):
        found = kept.get(key)
        if found is None or found[0] != version:
            missing.setdefault(key, (request, version))
    computed = dict(zip(missing, compute([r for r, _v in missing.values()]), strict=True))
    _keep(
        [(key, version, computed[key]) for key, (_r, version) in missing.items()],
        router.db_for_write(FigureCache) or "default",
    )
    return [dict(computed[key]) if key in computed else dict(kept[key][1]) for key in keys]


def compute(requests: Sequence[Request]) -> list[dict[str, int]]:
    """Each request's counts from its provider, in order. A provider written for many periods
    (``indicators.spanned``) is asked once for all the periods of one unit; one written for
    many units too (``indicators.branched``) once for the units of one parent asked for the
    same periods (the units a dashboard compares)."""
    results: list[dict[str, int]] = [{} for _request in requests]
    together: dict[tuple[Any, Any], list[int]] = {}
    for index, request in enumerate(requests):
        if getattr(request.provider, "spans", None) is not None:
            together.setdefault((request.provider, request.unit.pk), []).append(index)
        else:
            results[index] = _compute(request)
    siblings: dict[tuple[Any, ...], list[list[int]]] = {}
    for (provider, _unit), indexes in together.items():
        unit = requests[indexes[0]].unit
        if getattr(provider, "branches", None) is not None and unit.parent_id is not None:
            asked = tuple((requests[i].start, requests[i].end) for i in indexes)
            siblings.setdefault((provider, unit.parent_id, asked), []).append(indexes)
            continue
        _put(results, indexes, provider.spans(unit=unit, spans=_asked(requests, indexes)))
    for (provider, _parent, asked), groups in siblings.items():
        if len(groups) == 1:
            found = [provider.spans(unit=requests[groups[0][0]].unit, spans=list(asked))]
        else:
            units = [requests[indexes[0]].unit for indexes in groups]
            found = provider.branches(units=units, spans=list(asked))
        for indexes, counts in zip(groups, found, strict=True):
            _put(results, indexes, counts)
    return results


def _asked(requests: Sequence[Request], indexes: list[int]) -> list[tuple[dt.date, dt.date]]:
    return [(requests[i].start, requests[i].end) for i in indexes]


def _put(results: list[dict[str, int]], indexes: list[int], found: list[dict[str, int]]) -> None:
    for index, counts in zip(indexes, found, strict=True):
        results[index] = counts


def _compute(request: Request) -> dict[str, int]:
    return request.provider(unit=request.unit, start=request.start, end=request.end)


def _kept(
    keys: list[tuple[Any, ...]], using: str
) -> dict[tuple[Any, ...], tuple[int, dict[str, int]]]:
    distinct = sorted(set(keys), key=repr)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.provider, c.unit_id, c.start, c.end, c.as_of, c.version, c.counts "
            "FROM core_figurecache c JOIN unnest(%s::text[], %s::bigint[], %s::date[], "
            '%s::date[], %s::date[]) AS k(provider, unit_id, start, "end", as_of) '
            "ON (c.provider, c.unit_id, c.start, c.end, c.as_of) "
            "= (k.provider, k.unit_id, k.start, k.end, k.as_of)",
            [list(column) for column in zip(*distinct, strict=True)],
        )
        rows = cursor.fetchall()
    return {
        (provider, unit_id, start, end, as_of): (
            int(version),
            stored if isinstance(stored, dict) else json.loads(stored),
        )
        for provider, unit_id, start, end, as_of, version, stored in rows
    }


def _keep(fresh: list[tuple[tuple[Any, ...], int, dict[str, int]]], using: str) -> None:
    if not fresh:
        return
    columns = list(zip(*[(*key, version, json.dumps(c)) for key, version, c in fresh], strict=True))
    with connections[using].cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_figurecache "
            '(provider, unit_id, start, "end", as_of, version, counts, computed_at) '
            "SELECT k.*, now() FROM unnest(%s::text[], %s::bigint[], %s::date[], %s::date[], "
            "%s::date[], %s::bigint[], %s::jsonb[]) AS k "
            'ON CONFLICT (provider, unit_id, start, "end", as_of) DO UPDATE '
            "SET version = EXCLUDED.version, counts = EXCLUDED.counts, "
            "computed_at = EXCLUDED.computed_at "
            "WHERE core_figurecache.version < EXCLUDED.version",
            [list(column) for column in columns],
        )


def install_triggers(tables: Iterable[str], using: str = "default") -> None:
    """Put the statement trigger on every table in ``tables`` and empty the cache."""
    with connections[using].cursor() as cursor:
        for table in sorted(set(tables)):
            quoted = connections[using].ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {quoted} FOR EACH STATEMENT EXECUTE FUNCTION core_figure_change()"
            )
        cursor.execute("DELETE FROM core_figurecache")


def watched_tables(using: str = "default") -> set[str]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = %s",
            [TRIGGER],
        )
        return {row[0] for row in cursor.fetchall()}


def compact(using: str = "default") -> int:
    """Fold the recorded writes into one row per table (their versions are unchanged);
    return how many rows were folded. Run by Celery beat."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_figurechange")
        (before,) = cursor.fetchone()
        cursor.execute(
            "WITH gone AS (DELETE FROM core_figurechange RETURNING table_name, weight) "
            "INSERT INTO core_figurechange (table_name, weight) "
            "SELECT table_name, SUM(weight) FROM gone GROUP BY table_name"
        )
        return max(0, int(before) - cursor.rowcount)
