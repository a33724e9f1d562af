"""Global search: each app registers a provider; every provider reads through its selectors.

A *provider* is a function ``provider(user, query, limit)`` registered by an app in its
``ready()`` (:func:`register`). ``query`` is a :class:`Query`: the text as typed (a ``str``)
that also knows its folded form and the day or month it names when it is a date ("15/3/2026",
"3/2026"). The provider returns :class:`Group` s: for each kind of record it searches, the
number of records that match and the first ``limit`` hits, each with its date and unit.

A provider runs a fixed number of queries (a count and the first rows per kind), whatever
the number of hits, and orders its rows with :func:`rank_expression`: exact codes or symbols
first, then those that start with the query, then the folded text matches. Every read goes
through ``restrict()`` (the selectors), so a hit is always a record the user may open; a
provider registered for a confidential ``model`` is never run (see :mod:`longbien.confidential`).

Future apps (inspections, dialogues) register their providers the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)

from longbien.org.scope import is_confidential
from longbien.text import fold

#: Columns filled with :func:`longbien.text.fold` end with this (``name_folded``).
FOLDED_SUFFIX = "_folded"

#: How a hit matched, best first: the order of the result list.
EXACT, PREFIX, TEXT, DATE = 0, 1, 2, 3

#: Rows counted exactly in the answer of a text search (``?q=``); past it "hơn 1.000 kết quả".
#: A search that matches thousands of rows is narrowed, not read: counting 10.000 of the
#: city's evaluations of everyone called "Nguyễn" cost 30–50 ms, the first 1.000 two.
SEARCH_COUNT_CAP = 1_000

#: A list counted up to at most this many rows reads their keys instead (:func:`count_rows`).
READ_KEYS_UP_TO = SEARCH_COUNT_CAP


def count_cap(query: str, cap: int) -> int:
    """Rows a list counts exactly: ``cap``, or :data:`SEARCH_COUNT_CAP` when ``query`` (the
    list's ``?q=``) searches for something. The pages and the API both ask here."""
    return min(cap, SEARCH_COUNT_CAP) if fold(query or "") else cap


def count_rows(rows: QuerySet, cap: int) -> tuple[int, list[Any] | None]:
    """Count ``rows`` up to ``cap + 1``: the count, and for a search the rows' keys.

    With a search's cap (at most :data:`READ_KEYS_UP_TO`) the keys themselves are read
    instead of counted (a thousand numbers at most, in the same query). When they are all
    there, the list's page is read among them (``pk IN (…)``, :func:`among`): PostgreSQL
    then knows how few rows match, where a page's ``ORDER BY … LIMIT 50`` over a search it
    takes for broader than it is walks the list's order index past thousands of rows (the
    city's people searched for "nguyen van", 366 of 100.000: 22 ms, not 3). ``None`` when
    the keys were not read or were more than ``cap``.
    """
    unordered = rows.order_by()
    if cap > READ_KEYS_UP_TO or rows.query.distinct or rows.query.group_by is not None:
        return unordered[: cap + 1].count(), None
    keys = list(unordered.values_list("pk", flat=True)[: cap + 1])
    return len(keys), (keys if len(keys) <= cap else None)


def among(rows: QuerySet, keys: list[Any] | None) -> QuerySet:
    """``rows`` read among ``keys`` (from :func:`count_rows`), or as they are without keys."""
    return rows if keys is None else rows.filter(pk__in=keys)


_DAY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH_RE = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def text_q(fields: Iterable[str], query: str, model: type[Model] | None = None) -> Q:
    """Rows where one of ``fields`` contains ``query``: the one text search of the portal.

    A folded column (``…_folded``, kept by the model with :func:`longbien.text.fold`) is
    compared with the folded query, so "dang", "Dang" and "Đảng" all find "Đảng"; any other
    column (a code, a symbol, a user name) with the query as typed, ignoring case. The list
    pages, the API's ``?q=`` filters and the admin's search all use it.

    Given the rows' ``model``, a search over columns of *several* tables (a task's title or
    its document's) asks each related table on its own (:func:`_related_q`): ``title_folded
    LIKE … OR document_id IN (…the documents that match…)``. An ``OR`` between two tables of
    a join is served by no index (the city's 100.000 tasks were read for every search);
    each side alone is served by its own (:mod:`longbien.search_index`, the foreign key's).
    """
    fields = list(fields)
    tables: dict[str, list[str]] = {}
    for name in fields:
        path, _sep, _column = name.rpartition("__")
        tables.setdefault(path, []).append(name)
    if model is None or len(tables) < 2:
        return _contains_q(fields, query)
    condition = Q(pk__in=[])
    for path, names in tables.items():
        condition |= _related_q(model, path, names, query) if path else _contains_q(names, query)
    return condition


def _contains_q(fields: Iterable[str], query: str) -> Q:
    folded, typed = fold(query), (query or "").strip()
    condition = Q(pk__in=[])
    for name in fields:
        if name.endswith(FOLDED_SUFFIX):
            condition |= Q(**{f"{name}__contains": folded})
        else:
            condition |= Q(**{f"{name}__icontains": typed})
    return condition


#: A related table's matches looked up first, up to this many (past it: joined as before).
RELATED_MATCHES_MAX = 5_000


def _related_q(model: type[Model], path: str, names: list[str], query: str) -> Q:
    """``names`` (all under ``path``) as a condition on the row's own foreign key: the related
    rows that match are read first (their keys, by the related table's own index), then the
    rows are ``fk IN (…those keys…)``. A list the planner sees (not a subquery) is counted
    right and hashed; past :data:`RELATED_MATCHES_MAX` matches the search is not selective
    and the tables are joined."""
    first, _sep, _rest = path.partition("__")
    try:
        relation = model._meta.get_field(first)
    except FieldDoesNotExist:
        return _contains_q(names, query)
    if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
        return _contains_q(names, query)  # a many-valued relation: joined as before
    inner = [name.split("__", 1)[1] for name in names]
    related = relation.related_model._base_manager.filter(_contains_q(inner, query))
    # The column the foreign key holds (the primary key, or its ``to_field``).
    target = relation.target_field.attname
    keys = list(related.order_by().values_list(target, flat=True)[: RELATED_MATCHES_MAX + 1])
    if len(keys) > RELATED_MATCHES_MAX:
        return _contains_q(names, query)
    return Q(**{f"{relation.attname}__in": keys})


class Query(str):
    """What the user typed (a ``str``), its folded form, and the day or month it names.

    ``day`` is set for "15/3/2026", "15/03/2026" or "2026-03-15"; ``month`` (its first day)
    for "3/2026" or "03/2026". :attr:`period` is the first and last day named, if any.
    """

    folded: str
    day: dt.date | None
    month: dt.date | None

    def __new__(cls, text: str) -> Query:
        self = super().__new__(cls, (text or "").strip())
        self.folded = fold(self)
        self.day, self.month = _parse_date(str(self))
        return self

    @property
    def is_date(self) -> bool:
        return self.day is not None or self.month is not None

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        if self.day is not None:
            return self.day, self.day
        if self.month is not None:
            following = (self.month + dt.timedelta(days=32)).replace(day=1)
            return self.month, following - dt.timedelta(days=1)
        return None

    def date_q(self, *fields: str) -> Q:
        """Rows whose date ``fields`` (any of them) fall in the day or month typed."""
        period = self.period
        if period is None:
            return Q(pk__in=[])
        condition = Q(pk__in=[])
        for name in fields:
            condition |= Q(**{f"{name}__range": period})
        return condition

    def code_q(self, *fields: str) -> Q:
        """Rows whose code or symbol ``fields`` contain the query as typed (ignoring case)."""
        condition = Q(pk__in=[])
        for name in fields:
            condition |= Q(**{f"{name}__icontains": str(self)})
        return condition


def _parse_date(text: str) -> tuple[dt.date | None, dt.date | None]:
    try:
        if match := _DAY_RE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day), None
        if match := _ISO_RE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day), None
        if match := _MONTH_RE.match(text):
            month, year = (int(part) for part in match.groups())
            return None, dt.date(year, month, 1)
    except ValueError:  # 31/02/2026, 13/2026: not a date, searched as text
        pass
    return None, None


def rank_expression(query: Query, *code_fields: str) -> Case:
    """An annotation ordering rows as the search lists them: exact code, prefix, text.

    Order a queryset by it (``.annotate(rank=...).order_by("rank", ...)``) so the first
    ``limit`` rows fetched are the best matches, in one query.
    """
    typed = str(query)
    whens = [When(Q(**{f"{name}__iexact": typed}), then=Value(EXACT)) for name in code_fields]
    whens += [
        When(Q(**{f"{name}__istartswith": typed}), then=Value(PREFIX)) for name in code_fields
    ]
    if not whens:
        return Case(default=Value(TEXT), output_field=IntegerField())
    return Case(*whens, default=Value(TEXT), output_field=IntegerField())


@dataclass(frozen=True)
class SearchHit:
    """One record found: what it is, its name, where it belongs and its date, and its page."""

    kind: str
    title: str
    subtitle: str
    url: str
    date: dt.date | None = None
    unit: str = ""
    rank: int = TEXT
    code: str = ""

    @property
    def exact(self) -> bool:
        return self.rank == EXACT


@dataclass(frozen=True)
class Group:
    """The records of one kind that match: their full ``count`` and the first ``hits``.

    ``url`` is the register of that kind filtered by the query, when there is one.
    """

    kind: str
    count: int
    hits: list[SearchHit] = field(default_factory=list)
    url: str = ""
    order: int = 100

    @property
    def more(self) -> int:
        return max(self.count - len(self.hits), 0)


@dataclass(frozen=True)
class Results:
    """Everything a search found: the groups per kind and the hits in the order shown."""

    query: Query
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def hits(self) -> list[SearchHit]:
        """Every hit, exact codes and symbols first, then prefixes, text, dates (stable)."""
        ordered = [hit for group in self.groups for hit in group.hits]
        return sorted(ordered, key=lambda hit: hit.rank)


def group(kind: str, queryset: QuerySet[Any], limit: int, to_hit: Callable[[Any], SearchHit],
          *, url: str = "", order: int = 100) -> Group:  # fmt: skip
    """Count ``queryset`` and turn its first ``limit`` rows into hits: two queries."""
    count = queryset.count()
    hits = [to_hit(row) for row in queryset[:limit]] if count else []
    return Group(kind=kind, count=count, hits=hits, url=url, order=order)


Provider = Callable[[Any, Query, int], Iterable[Any]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider, *, model: Any = None) -> None:
    """Add a provider; one for a confidential ``model`` is skipped: it is never searched.

    ``model`` may be a model or a tuple of the models the provider reads.
    """
    models = model if isinstance(model, (tuple, list)) else (model,)
    if any(is_confidential(each) for each in models):
        return
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def run(user: Any, query: str, limit: int = 20) -> Results:
    """Search every registered provider for ``user``: the groups per kind, in their order."""
    parsed = Query(query)
    if len(parsed) < 2:
        return Results(parsed, [])
    groups: list[Group] = []
    for provider in _PROVIDERS:
        loose: dict[str, list[SearchHit]] = {}
        for item in provider(user, parsed, limit):
            if isinstance(item, Group):
                groups.append(item)
            else:  # a provider returning bare hits: one group per kind
                loose.setdefault(item.kind, []).append(item)
        groups += [Group(kind, len(hits), hits) for kind, hits in loose.items()]
    groups = [g for g in groups if g.count]
    return Results(parsed, sorted(groups, key=lambda g: g.order))


def search(user: Any, query: str, limit: int = 20) -> list[SearchHit]:
    """The hits of :func:`run`, best first."""
    return run(user, query, limit).hits
