"""The same figures over several periods in one query (a dashboard's trend, a report's years).

A dashboard asks a provider for one unit over the term, each of its twenty quarters and the
term before: asked one period at a time, that was 23 rounds of the same queries (750 queries
for a city's dashboard, most of its time spent building them). :func:`aggregate_each` asks
once: every figure of every period is a ``FILTER (WHERE …)`` aggregate of one scan of the rows
the periods' hull can hold.

    >>> aggregate_each(
    ...     Dialogue.objects.filter(unit__path__startswith=unit.path),
    ...     spans,  # [(start, end), …]
    ...     when=lambda start, end: Q(held_on__range=(start, end)),
    ...     figures=lambda start, end: {"held": Count("pk")},
    ... )
    [{"held": 12}, {"held": 3}, …]

``when(start, end)`` says which rows a period holds. The scan is narrowed to the rows of the
hull (first start, last end), ``when`` of the hull: right when a longer period holds the rows
of a shorter one inside it (a date range, "by the end", an overlap); otherwise (in force on
the end day: not so) ``within`` says which rows any of the periods may hold.
``figures(start, end)`` gives the period's aggregates (a figure "as of" the period's end
depends on it); each is counted only over the period's rows. ``by`` groups the rows (a kind,
a rating): each period's result is then ``{group value: figures}``, only groups with rows.
One period asked is the query it always was; :func:`longbien.indicators.spanned` makes a
provider of a function written this way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import Aggregate, BooleanField, Expression, Q, QuerySet

Span = tuple[dt.date, dt.date]
When = Callable[[dt.date, dt.date], Q]
Figures = Callable[[dt.date, dt.date], Mapping[str, Aggregate]]


def hull(spans: Sequence[Span]) -> Span:
    """The first start and the last end of ``spans``."""
    return min(start for start, _end in spans), max(end for _start, end in spans)


class _Condition(Expression):
    """A condition resolved once against the query and compiled once: a dashboard's 23
    periods × 60 figures are 1.400 ``FILTER`` clauses made of a few dozen distinct
    conditions (a period's dates, a figure's own), and Django would otherwise resolve and
    compile each condition again in every clause it appears in (a third of a cold
    dashboard's time)."""

    conditional = True
    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, node: Any) -> None:
        super().__init__(output_field=BooleanField())
        self.node = node
        self._compiled: list[tuple[Any, tuple[str, tuple[Any, ...]]]] = []

    def resolve_expression(self, *args: Any, **kwargs: Any) -> _Condition:
        return self  # resolved against the query when it was made

    # Told apart by identity: Django hashes an aggregate's parts while it builds the query,
    # and hashing a condition walks all of it (a term's rest days, in every clause).
    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def get_source_expressions(self) -> list[Any]:
        return []

    def get_refs(self) -> set[str]:
        return set(self.node.get_refs())

    def relabeled_clone(self, change_map: dict[str, str]) -> _Condition:
        return _Condition(self.node.relabeled_clone(change_map))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        for seen, compiled in self._compiled:
            if seen is compiler:
                return compiled
        try:
            sql, params = compiler.compile(self.node)
            compiled = (sql, tuple(params))
        except EmptyResultSet:
            compiled = ("FALSE", ())
        except FullResultSet:
            compiled = ("TRUE", ())
        self._compiled.append((compiler, compiled))
        return compiled


class _Both(Expression):
    """Two compiled conditions, both true (a period's rows, a figure's own condition)."""

    conditional = True
    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, first: _Condition, second: _Condition) -> None:
        super().__init__(output_field=BooleanField())
        self.first, self.second = first, second

    def resolve_expression(self, *args: Any, **kwargs: Any) -> _Both:
        return self

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def get_source_expressions(self) -> list[Any]:
        return []

    def get_refs(self) -> set[str]:
        return self.first.get_refs() | self.second.get_refs()

    def relabeled_clone(self, change_map: dict[str, str]) -> _Both:
        return _Both(
            self.first.relabeled_clone(change_map), self.second.relabeled_clone(change_map)
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        first_sql, first_params = self.first.as_sql(compiler, connection)
        second_sql, second_params = self.second.as_sql(compiler, connection)
        return f"({first_sql}) AND ({second_sql})", (*first_params, *second_params)


class _Conditions:
    """The conditions of one query, each object resolved against it once: a period's rows
    (asked of every figure of the period) and a figure's condition made once for all the
    periods (``figures`` returning the same aggregates) are resolved and compiled once.
    Conditions are told apart by identity, not compared: hashing a condition walks all of
    it, which cost as much as resolving it again."""

    def __init__(self, query: Any) -> None:
        self.query = query
        # The object is kept with its condition so that its id is not reused meanwhile.
        self._found: dict[int, tuple[Any, _Condition]] = {}

    def get(self, condition: Any) -> _Condition | None:
        if condition is None or (isinstance(condition, Q) and not condition):
            return None
        found = self._found.get(id(condition))
        if found is None:
            resolved = _Condition(condition.resolve_expression(self.query, allow_joins=True))
            found = self._found[id(condition)] = (condition, resolved)
        return found[1]


def _annotations(
    query: Any, spans: Sequence[Span], when: When, figures: Figures
) -> tuple[dict[str, Aggregate], list[list[str]]]:
    """Each span's figures as aggregates over the span's rows, named ``figure__index``."""
    conditions = _Conditions(query)
    annotations: dict[str, Aggregate] = {}
    names: list[list[str]] = []
    for index, (start, end) in enumerate(spans):
        rows = conditions.get(when(start, end))
        asked = figures(start, end)
        names.append(list(asked))
        for name, aggregate in asked.items():
            own = conditions.get(aggregate.filter)
            narrowed = aggregate.copy()
            if rows is None or own is None:
                narrowed.filter = rows or own
            else:
                narrowed.filter = _Both(rows, own)
            annotations[f"{name}__{index}"] = narrowed
    return annotations, names


def aggregate_each(
    queryset: QuerySet[Any],
    spans: Sequence[Span],
    *,
    when: When,
    figures: Figures,
    within: Q | None = None,
) -> list[dict[str, Any]]:
    """``queryset.filter(when(start, end)).aggregate(**figures(start, end))`` for each span,
    in one query."""
    if not spans:
        return []
    narrowed = queryset.filter(when(*hull(spans)) if within is None else within)
    annotations, names = _annotations(narrowed.query, spans, when, figures)
    row = narrowed.aggregate(**annotations)
    return [{name: row[f"{name}__{index}"] for name in names[index]} for index in range(len(spans))]


def aggregate_each_by(
    queryset: QuerySet[Any],
    spans: Sequence[Span],
    by: str | Sequence[str],
    *,
    when: When,
    figures: Figures,
    within: Q | None = None,
) -> list[dict[Any, dict[str, Any]]]:
    """:func:`aggregate_each` per group of ``by`` (a field, or several: the key is then a
    tuple): each span's ``{group: figures}``, the groups that have rows in that span."""
    if not spans:
        return []
    fields = [by] if isinstance(by, str) else list(by)
    grouped = queryset.filter(when(*hull(spans)) if within is None else within).values(*fields)
    annotations, names = _annotations(grouped.query, spans, when, figures)
    rows = grouped.annotate(**annotations).order_by()
    found: list[dict[Any, dict[str, Any]]] = [{} for _span in spans]
    for row in rows:
        key = row[fields[0]] if isinstance(by, str) else tuple(row[f] for f in fields)
        for index in range(len(spans)):
            values = {name: row[f"{name}__{index}"] for name in names[index]}
            if any(values.values()):
                found[index][key] = values
    return found
