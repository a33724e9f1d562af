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
``figures(start, end)`` gives the period's aggregates (``Count`` and ``Sum``, a figure "as
of" the period's end depends on it); each is counted only over the period's rows. ``by`` groups the rows (a kind,
a rating): each period's result is then ``{group value: figures}``, only groups with rows.
One period asked is the query it always was; :func:`longbien.indicators.spanned` makes a
provider of a function written this way.

The units under one unit, compared side by side (a dashboard's bars, a report's wards), are
counted in one scan too: :func:`aggregate_each_branch` reads the rows of their parent's subtree
once and groups them by the branch each row's unit is under (the first code of its path below
the parent's), not one scan of each unit's subtree per unit
(:func:`longbien.indicators.branched`).

The query has two levels. The ORM builds the inner one: the rows of the hull, each with the
columns the conditions and the figures read. The outer one is ``COUNT(*) FILTER (WHERE
period AND condition)`` over those columns, written here: a comparison of a field with a
value (``status="done"``, ``completed_on__lte=end``, ``__in``, ``__range``, ``__isnull``,
through relations to one row, under ``~`` and ``|`` as Django means them) is written over
the field's column; anything else (an expression such as an effective deadline, a
transform, a reverse relation) is a boolean column of the inner query, one per distinct
condition (told apart by identity: a condition made once for every period is one column).
As 1.300 ORM aggregates (a dashboard's 23 periods × 57 figures), Django resolved and
compiled every condition in every clause: two thirds of a cold dashboard's time that was
not PostgreSQL's; as ORM columns, the period's own conditions still were half of what was
left. PostgreSQL pulls the inner query up: the plan is the one the single level had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connections
from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Substr

from longbien.fields import column_path

Span = tuple[dt.date, dt.date]
When = Callable[[dt.date, dt.date], Q]
Figures = Callable[[dt.date, dt.date], Mapping[str, Aggregate]]

_FUNCTIONS = {Count: "COUNT", Sum: "SUM"}
# The lookups a condition is written with here (:meth:`_Plan._leaf`): others are the ORM's.
_LOOKUPS = {"exact": "=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "in": "", "range": "",
            "isnull": ""}  # fmt: skip
_DAY = dt.timedelta(days=1)


def hull(spans: Sequence[Span]) -> Span:
    """The first start and the last end of ``spans``."""
    return min(start for start, _end in spans), max(end for _start, end in spans)


class _Dates:
    """A period's rows told by their dates: a ``when`` whose condition on each period is
    written over the dates' columns (two parameters), not made and resolved by the ORM for
    every period of every query (600 conditions for a dashboard)."""

    template = ""
    arity = 1

    def __init__(self, *fields: str) -> None:
        self.fields = fields

    def __call__(self, start: dt.date, end: dt.date) -> Q:
        raise NotImplementedError

    def sql(self, columns: list[str], start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        raise NotImplementedError


class _Between(_Dates):
    def __call__(self, start: dt.date, end: dt.date) -> Q:
        return Q(**{f"{self.fields[0]}__range": (start, end)})

    def sql(self, columns: list[str], start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        return f"{columns[0]} BETWEEN %s AND %s", [start, end]


class _ByEnd(_Dates):
    def __call__(self, start: dt.date, end: dt.date) -> Q:
        return Q(**{f"{self.fields[0]}__lte": end})

    def sql(self, columns: list[str], start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        return f"{columns[0]} <= %s", [end]


class _Overlapping(_Dates):
    def __call__(self, start: dt.date, end: dt.date) -> Q:
        return Q(**{f"{self.fields[0]}__lte": end, f"{self.fields[1]}__gte": start})

    def sql(self, columns: list[str], start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        return f"{columns[0]} <= %s AND {columns[1]} >= %s", [end, start]


def between(field: str) -> When:
    """The rows whose ``field`` (a date, across relations too) is in the period."""
    return _Between(field)


def by_end(field: str) -> When:
    """The rows whose ``field`` is on or before the period's last day (members by then)."""
    return _ByEnd(field)


def overlapping(first: str, last: str) -> When:
    """The rows running from ``first`` to ``last`` at some time in the period (a class)."""
    return _Overlapping(first, last)


class _Plan:
    """The inner query's columns and the outer query's aggregates, built span by span."""

    def __init__(self, model: Any, using: str) -> None:
        self.model = model
        self.connection = connections[using]
        self.quote: Callable[[str], str] = self.connection.ops.quote_name
        self._fields: dict[str, Any] = {}
        self.columns: dict[str, Any] = {}
        self._conditions: dict[int, tuple[Any, str]] = {}
        self._sources: dict[str, str] = {}
        self.selected: list[str] = []
        self.params: list[Any] = []
        self.names: list[list[str]] = []

    def column(self, field: str) -> str:
        """The inner column of ``field`` (once per field), as the outer query names it."""
        column = self._sources.get(field)
        if column is None:
            column = self._sources[field] = f"spans_v{len(self._sources)}"
            self.columns[column] = F(field)
        return f"t.{self.quote(column)}"

    def period(self, when: When, start: dt.date, end: dt.date) -> list[tuple[str, list[Any]]]:
        """The period's condition: over the dates' columns, or the ORM's condition."""
        if isinstance(when, _Dates):
            return [when.sql([self.column(field) for field in when.fields], start, end)]
        return self.conditions(when(start, end))

    def conditions(self, condition: Any) -> list[tuple[str, list[Any]]]:
        """``condition`` as SQL over the inner columns, all parts true when it is: one per
        part of an ``&``. A comparison of a field (and of a field of a row it points to)
        with a value is written here over the field's column (:meth:`_leaf`); anything else
        (an expression, a reverse relation, a transform) is a boolean column the ORM builds,
        once per object (a condition made once for every period, a term's rest days, is one
        column although each period's condition is made anew)."""
        if condition is None or (isinstance(condition, Q) and not condition):
            return []
        if (
            isinstance(condition, Q) and condition.connector == Q.AND and not condition.negated
            and len(condition.children) > 1
        ):  # fmt: skip
            return [part for child in condition.children for part in self.conditions(child)]
        params: list[Any] = []
        return [(self._sql(condition, False, params), params)]

    def _sql(self, condition: Any, negated: bool, params: list[Any]) -> str:
        """``condition`` as an SQL boolean, its values appended to ``params``. A leaf under
        an odd number of negations is made two-valued (NULL: false), as Django writes an
        excluded lookup on a nullable column (``NOT (a = 1 AND a IS NOT NULL)``)."""
        if isinstance(condition, Q):
            if not condition.children:
                return "TRUE"
            if condition.connector not in (Q.AND, Q.OR):
                return self._column(condition, negated)
            inner = negated ^ condition.negated
            joined = f" {condition.connector} ".join(
                self._sql(child, inner, params) for child in condition.children
            )
            text = f"({joined})" if len(condition.children) > 1 else joined
            return f"NOT ({text})" if condition.negated else text
        leaf = self._leaf(*condition) if isinstance(condition, tuple) else None
        if leaf is None:
            return self._column(condition, negated)
        text, values = leaf
        params += values
        return f"COALESCE({text}, FALSE)" if negated else text

    def _column(self, condition: Any, negated: bool) -> str:
        """``condition`` as a boolean column the ORM builds (once per object)."""
        found = self._conditions.get(id(condition))
        if found is None:
            expression = Q(condition) if isinstance(condition, tuple) else condition
            column = f"spans_c{len(self._conditions)}"
            self.columns[column] = ExpressionWrapper(expression, output_field=BooleanField())
            # The object is kept with its column so that its id is not reused meanwhile.
            found = self._conditions[id(condition)] = (condition, column)
        text = f"t.{self.quote(found[1])}"
        return f"COALESCE({text}, FALSE)" if negated else text

    def _leaf(self, key: str, value: Any) -> tuple[str, list[Any]] | None:
        """``field__lookup=value`` over the field's column, or ``None`` (the ORM's then)."""
        path, _sep, lookup = key.rpartition("__")
        if lookup not in _LOOKUPS:
            path, lookup = key, "exact"
        field = self._field(path)
        if field is None or hasattr(value, "resolve_expression") or hasattr(value, "_meta"):
            return None
        column = self.column(path)
        prepare = field.get_db_prep_value
        connection = self.connection
        if lookup == "isnull":
            return (f"{column} IS NULL" if value else f"{column} IS NOT NULL"), []
        if value is None:
            return (f"{column} IS NULL", []) if lookup == "exact" else None
        if lookup == "in":
            values = [prepare(v, connection) for v in value if v is not None]
            if not values:
                return "FALSE", []
            return f"{column} IN ({', '.join(['%s'] * len(values))})", values
        if lookup == "range":
            low, high = value
            return f"{column} BETWEEN %s AND %s", [
                prepare(low, connection),
                prepare(high, connection),
            ]
        return f"{column} {_LOOKUPS[lookup]} %s", [prepare(value, connection)]

    def _field(self, path: str) -> Any:
        """The column ``path`` names, through relations that point to one row (a row's own
        field, its unit's path); ``None`` for anything else."""
        if path not in self._fields:
            found = column_path(self.model, path)
            self._fields[path] = found[-1] if found else None
        return self._fields[path]

    def argument(self, aggregate: Aggregate) -> str:
        source = aggregate.get_source_expressions()[0]
        if not isinstance(source, F):
            raise TypeError(f"spans: {aggregate!r} adds up something other than a field")
        pk = {"pk", self.model._meta.pk.name, self.model._meta.pk.attname}
        if isinstance(aggregate, Count) and not aggregate.distinct and source.name in pk:
            return "*"
        return self.column(source.name)

    def add(self, period: list[tuple[str, list[Any]]], asked: Mapping[str, Aggregate]) -> None:
        self.names.append(list(asked))
        for aggregate in asked.values():
            function = _FUNCTIONS.get(type(aggregate))
            if function is None:
                raise TypeError(f"spans: {type(aggregate).__name__} is not Count or Sum")
            own = self.conditions(aggregate.filter)
            parts = [*period, *own]
            distinct = "DISTINCT " if aggregate.distinct else ""
            sql = f"{function}({distinct}{self.argument(aggregate)})"
            if parts:
                sql += f" FILTER (WHERE {' AND '.join(text for text, _params in parts)})"
                for _text, params in parts:
                    self.params += params
            self.selected.append(sql)


def _run(
    narrowed: QuerySet[Any], spans: Sequence[Span], when: When, figures: Figures, fields: list[str]
) -> tuple[list[tuple[Any, ...]], list[list[str]]]:
    """The outer query's rows (the group's values first, then every span's figures)."""
    connection = connections[narrowed.db]
    quote = connection.ops.quote_name
    plan = _Plan(narrowed.model, narrowed.db)
    asked_each = [figures(start, end) for start, end in spans]
    if len(spans) > 1 and _additive(plan, when, asked_each):
        return _run_by_pieces(narrowed, spans, when, asked_each, fields, plan)
    for (start, end), asked in zip(spans, asked_each, strict=True):
        plan.add(plan.period(when, start, end), asked)
    inner = narrowed.order_by().values(*fields, **plan.columns)
    sql, params = inner.query.sql_with_params()
    groups = [f"t.{quote(field)}" for field in fields]
    # Identifiers quoted, values passed as parameters (the inner query's).
    outer = f"SELECT {', '.join([*groups, *plan.selected])} FROM ({sql}) AS t"  # noqa: S608
    if groups:
        outer += f" GROUP BY {', '.join(groups)}"
    with connection.cursor() as cursor:
        cursor.execute(outer, [*plan.params, *params])
        return cursor.fetchall(), plan.names


def _additive(plan: _Plan, when: When, asked_each: list[Mapping[str, Aggregate]]) -> bool:
    """Whether every span asks the same figures (the same conditions, by identity, and the
    same columns) of rows told by one date (:func:`between`), counted or added up: then a
    span's figures are the sums of the figures of the pieces the spans' bounds cut the hull
    into (:func:`_run_by_pieces`)."""
    if not isinstance(when, _Between):
        return False
    first = asked_each[0]
    for asked in asked_each:
        if list(asked) != list(first):
            return False
        for name, aggregate in asked.items():
            other = first[name]
            if (
                type(aggregate) not in _FUNCTIONS or type(aggregate) is not type(other)
                or aggregate.distinct or other.distinct
                or aggregate.get_source_expressions()[0] != other.get_source_expressions()[0]
                or plan.conditions(aggregate.filter) != plan.conditions(other.filter)
            ):  # fmt: skip
                return False
    return True


def _run_by_pieces(
    narrowed: QuerySet[Any],
    spans: Sequence[Span],
    when: When,
    asked_each: list[Mapping[str, Aggregate]],
    fields: list[str],
    plan: _Plan,
) -> tuple[list[tuple[Any, ...]], list[list[str]]]:
    """The figures once per piece of the hull (the pieces the spans' first and last days cut
    it into: a term and its years are six pieces), grouped by ``width_bucket`` of the date,
    then each span's figures added up from its pieces here. A term, its years and its
    quarters asked of a register: ten aggregates per piece, not ten per span (the FILTER of
    every figure of every span was evaluated on every row of the hull)."""
    connection = connections[narrowed.db]
    quote = connection.ops.quote_name
    bounds = sorted({start for start, _end in spans} | {end + _DAY for _start, end in spans})
    plan.add([], asked_each[0])
    date = plan.column(when.fields[0])  # type: ignore[attr-defined]
    inner = narrowed.order_by().values(*fields, **plan.columns)
    sql, params = inner.query.sql_with_params()
    groups = [f"t.{quote(field)}" for field in fields]
    piece = f"width_bucket({date}, %s::date[])"
    # Identifiers quoted, values passed as parameters (the inner query's).
    outer = f"SELECT {', '.join([*groups, piece, *plan.selected])} FROM ({sql}) AS t"  # noqa: S608
    outer += f" GROUP BY {', '.join(str(n) for n in range(1, len(groups) + 2))}"
    with connection.cursor() as cursor:
        cursor.execute(outer, [bounds, *plan.params, *params])
        rows = cursor.fetchall()
    names = list(asked_each[0])
    functions = [type(aggregate) for aggregate in asked_each[0].values()]
    # Piece i (width_bucket's number) runs from bounds[i - 1] to the day before bounds[i].
    covering = [
        range(bounds.index(start) + 1, bounds.index(end + _DAY) + 1) for start, end in spans
    ]
    by_group: dict[tuple[Any, ...], dict[int, Sequence[Any]]] = {}
    for row in rows:
        by_group.setdefault(tuple(row[: len(fields)]), {})[row[len(fields)]] = row[
            len(fields) + 1 :
        ]
    if not fields and not by_group:
        by_group[()] = {}
    combined = []
    for key, pieces in by_group.items():
        values: list[Any] = list(key)
        for wanted in covering:
            for position, function in enumerate(functions):
                found = [
                    pieces[number][position]
                    for number in wanted
                    if number in pieces and pieces[number][position] is not None
                ]
                if function is Count:
                    values.append(sum(found))
                else:
                    values.append(sum(found) if found else None)
        combined.append(tuple(values))
    return combined, [names for _span in spans]


def _figures(row: Sequence[Any], names: list[list[str]]) -> list[dict[str, Any]]:
    found, position = [], 0
    for asked in names:
        found.append(dict(zip(asked, row[position : position + len(asked)], strict=True)))
        position += len(asked)
    return found


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
    rows, names = _run(narrowed, spans, when, figures, [])
    return _figures(rows[0], names)


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
    narrowed = queryset.filter(when(*hull(spans)) if within is None else within)
    rows, names = _run(narrowed, spans, when, figures, fields)
    found: list[dict[Any, dict[str, Any]]] = [{} for _span in spans]
    for row in rows:
        key = row[0] if isinstance(by, str) else tuple(row[: len(fields)])
        for index, values in enumerate(_figures(row[len(fields) :], names)):
            if any(values.values()):
                found[index][key] = values
    return found


# --- Sibling units in one scan -------------------------------------------------------------


class Branch(Func):
    """The branch of ``parent_path`` a row is under: the first code of the row's unit path
    below the parent's (``'P-BODE'`` for ``'TU-HN/QU-LB/P-BODE/T-01/'`` under
    ``'TU-HN/QU-LB/'``); ``''`` for the parent's own rows."""

    function = "split_part"
    output_field = CharField()

    def __init__(self, path_field: str, parent_path: str) -> None:
        below = Substr(F(path_field), len(parent_path) + 1)
        super().__init__(below, Value("/"), Value(1))


def parent_path(units: Sequence[Any]) -> str:
    """The path of the one unit ``units`` are the children of; a unit's path is its
    parent's followed by its own code and a slash."""
    parents = {unit.path[: -len(branch_code(unit)) - 1] for unit in units}
    if len(parents) != 1 or any(unit.parent_id is None for unit in units):
        raise ValueError("spans: branches are the children of one unit")
    return parents.pop()


def branch_code(unit: Any) -> str:
    """The last code of ``unit``'s path: what :class:`Branch` gives for its rows."""
    return str(unit.path).rstrip("/").rsplit("/", 1)[-1]


def _nothing(asked: Mapping[str, Aggregate]) -> dict[str, Any]:
    """A period's figures over no rows (as :func:`aggregate_each` gives them)."""
    return {name: 0 if isinstance(aggregate, Count) else None for name, aggregate in asked.items()}


def aggregate_each_branch(
    queryset: QuerySet[Any],
    path_field: str,
    units: Sequence[Any],
    spans: Sequence[Span],
    *,
    when: When,
    figures: Figures,
    within: Q | None = None,
) -> list[list[dict[str, Any]]]:
    """:func:`aggregate_each` of ``queryset.filter(<path_field>__startswith=unit.path)`` for
    each of ``units`` (children of one unit), in one query: per unit, each span's figures.
    ``path_field`` is the unit path the rows are scoped by (``"unit__path"``)."""
    if not units:
        return []
    if not spans:
        return [[] for _unit in units]
    parent = parent_path(units)
    codes = [branch_code(unit) for unit in units]
    rows = (
        queryset.filter(**{f"{path_field}__startswith": parent})
        .annotate(spans_branch=Branch(path_field, parent))
        .filter(spans_branch__in=codes)
    )
    found = aggregate_each_by(
        rows, spans, "spans_branch", when=when, figures=figures, within=within
    )  # fmt: skip
    return [
        [period.get(code) or _nothing(figures(*span)) for period, span in zip(found, spans, strict=True)]
        for code in codes
    ]  # fmt: skip
