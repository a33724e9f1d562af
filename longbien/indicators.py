"""The indicator registry: each domain app publishes its countable facts here.

A provider takes a unit (its whole subtree counts) and a period and returns counts keyed by
indicator code. Shares are declared as a numerator and a denominator and are computed from
the counts with :func:`longbien.formatting.percentage`, never stored or typed. Quarterly
reports, dashboards and term reports read indicators and nothing else.

Indicators are computed for a viewer: :func:`collect` refuses (``PermissionDenied``) a unit
outside the viewer's scope in an area asked for, and leaves out the areas the viewer does not
read when no area is named. Trusted code (management commands, the bench) passes
:data:`SYSTEM`. A provider of confidential records (``register(..., confidential=True)``, or
any provider of ``Area.CONFIDENTIAL``) yields counts only: anything else it returns (names,
record lists) is refused here, so no report can show more than the number.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from . import figure_cache
from .core import links
from .formatting import percentage, shares
from .org import scope
from .periods import Period

Provider = Callable[..., dict[str, int]]
SpansProvider = Callable[..., list[dict[str, int]]]
BranchesProvider = Callable[..., list[list[dict[str, int]]]]
_Rows = TypeVar("_Rows", bound=QuerySet[Any])


@dataclass(frozen=True)
class Drill:
    """The register that lists the records behind a count, filtered to exactly them.

    The drill-down URL is the register's page (``url_name``) with ``query`` (the register's
    own filters for this count: a state, a kind), the unit's code in ``unit`` (the register's
    subtree filter on the unit the provider counts by) and, when ``period`` is true, the
    period's first and last day in ``start`` and ``end`` (the register's
    ``period_filters(date_field=…)`` on the date the provider counts by). A figure and its
    drill-down agree: ``tests/reporting/test_drill.py`` compares them for every indicator that
    declares one.
    """

    url_name: str
    query: tuple[tuple[str, str], ...] = ()
    unit: str = "unit"
    period: bool = True

    def url(self, unit: Any, start: dt.date, end: dt.date) -> str:
        params = [*self.query, (self.unit, unit.code)]
        if self.period:
            # Written as the register's date boxes show a date (dd/mm/yyyy, which they read).
            params += [("start", f"{start:%d/%m/%Y}"), ("end", f"{end:%d/%m/%Y}")]
        # links.reverse keeps each register's path: a dashboard links hundreds of figures.
        return f"{links.reverse(self.url_name)}?{urlencode(params)}"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    area: str
    group: Any = ""
    # For a share: the codes of the counts it divides; places of the rounding.
    numerator: str = ""
    denominator: str = ""
    places: int = 1
    # Shares marked ``partition`` with the same denominator split one whole (evaluations by
    # rating): they are rounded together so that they add up to exactly 100.
    partition: bool = False
    # Where the records behind the count are listed (a share: its numerator's drill).
    drill: Drill | None = None

    @property
    def is_share(self) -> bool:
        return bool(self.numerator)


@dataclass(frozen=True)
class Value:
    indicator: Indicator
    count: int | None = None
    share: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None


_INDICATORS: dict[str, Indicator] = {}
_PROVIDERS: list[tuple[str, Provider]] = []
# The tables a provider reads (its counts are kept until one of them changes); a provider
# that does not say is computed every time.
_READS: dict[Provider, tuple[str, ...]] = {}
# The provider that yields each indicator's counts (the one it was registered with).
_OWNERS: dict[str, Provider] = {}
# Providers of confidential records: counts only.
_COUNTS_ONLY: list[Provider] = []
# The shares rounded together, by their whole, per areas asked (:func:`evaluate`).
_WHOLES: dict[tuple[int, int, frozenset[str] | None], dict[str, list[Indicator]]] = {}


class _System:
    """The portal itself as a viewer (commands, the bench): no scope check."""

    def __repr__(self) -> str:
        return "indicators.SYSTEM"


SYSTEM: Any = _System()


def register(
    area: str,
    provider: Provider,
    *indicators: Indicator,
    confidential: bool = False,
    reads: tuple[Any, ...] | None = None,
) -> None:
    """Register an app's provider and the indicators it yields (idempotent).

    ``confidential`` marks a provider that counts confidential records: it may yield counts
    only (a provider of ``Area.CONFIDENTIAL`` always is one). ``reads`` names the models
    (or "app_label.Model") whose tables the provider's queries read: its counts are then
    kept until one of them changes (:mod:`longbien.figure_cache`; the organisation tree and
    the working calendar are always watched).
    """
    if reads is not None:
        _READS[provider] = figure_cache.table_names(reads)
    _WHOLES.clear()
    for indicator in indicators:
        _INDICATORS[indicator.code] = indicator
        _OWNERS[indicator.code] = provider
    if all(existing is not provider for _, existing in _PROVIDERS):
        _PROVIDERS.append((area, provider))
    if (confidential or area == scope.Area.CONFIDENTIAL) and provider not in _COUNTS_ONLY:
        _COUNTS_ONLY.append(provider)


def spanned(function: SpansProvider) -> Provider:
    """A provider written for many periods of one unit at once: ``function(unit=…, spans=[(start,
    end), …])`` returns each period's counts, in order (:mod:`longbien.spans` builds its
    queries). Asked for one period it is called with one; the figure cache asks it once for
    all the periods of a unit it has to compute (a dashboard's term, quarters and the term
    before). Its name is the function's: its kept counts keep their key."""

    @functools.wraps(function)
    def provider(*, unit: Any, start: dt.date, end: dt.date) -> dict[str, int]:
        return function(unit=unit, spans=[(start, end)])[0]

    provider.spans = function  # type: ignore[attr-defined]
    return provider


def branched(provider: Provider) -> Callable[[BranchesProvider], BranchesProvider]:
    """Declare the decorated ``function(*, units=[…], spans=[…])`` as the way ``provider``
    (a :func:`spanned` one) counts several units under one parent at once (the units a
    dashboard or a report compares): per unit, each period's counts, the same as
    ``provider.spans(unit=unit, spans=spans)`` gives (``tests/reporting/test_spans.py``
    compares them). The figure cache asks it once for the units it has to compute, not each
    unit's subtree in turn (:func:`longbien.spans.aggregate_each_branch`)."""
    if getattr(provider, "spans", None) is None:
        raise TypeError(f"{provider!r}: only a spanned provider counts branches")

    def attach(function: BranchesProvider) -> BranchesProvider:
        provider.branches = function  # type: ignore[attr-defined]
        return function

    return attach


def in_subtree(queryset: _Rows, unit: Any, via: str = "unit") -> _Rows:
    """The rows of ``queryset`` whose unit (the relation ``via``: ``"unit"``,
    ``"issue__dialogue__unit"``) lies in ``unit``'s subtree: what a provider counts
    (:func:`longbien.org.scope.subtree_q`: the whole table, without the join to the units,
    when ``unit`` is the root of the only tree)."""
    return queryset.filter(scope.subtree_q(unit, via, queryset.model))


def _readable(
    viewer: Any, unit: Any, areas: set[str] | None
) -> tuple[list[tuple[str, Provider]], set[str] | None]:
    """Return the providers the viewer may read for ``unit`` and the areas they cover."""
    chosen = [(area, p) for area, p in _PROVIDERS if areas is None or area in areas]
    if viewer is SYSTEM:
        return chosen, areas
    allowed = {area for area, _p in chosen if scope.can(viewer, area, scope.VIEW, unit)}
    refused = {area for area, _p in chosen} - allowed
    if (areas is not None and refused) or (chosen and not allowed):
        raise PermissionDenied(_("Bạn không có quyền xem số liệu của đơn vị này."))
    return [(area, p) for area, p in chosen if area in allowed], (
        allowed if areas is None else areas
    )


def _counts_only(counts: dict[str, Any], provider: Provider) -> dict[str, int]:
    for code, value in counts.items():
        if not isinstance(code, str) or type(value) is not int:
            raise TypeError(
                f"{getattr(provider, '__qualname__', provider)}: a confidential provider yields "
                f"counts only, not {type(value).__name__} for {code!r}"
            )
    return counts


def definitions() -> list[Indicator]:
    return list(_INDICATORS.values())


def drill_url(indicator: Indicator, *, unit: Any, start: dt.date, end: dt.date) -> str:
    """The drill-down URL of ``indicator`` for ``unit``'s subtree and the period ("" if its
    records have no register yet). A share opens its numerator's records."""
    if indicator.drill is None and indicator.is_share:
        numerator = _INDICATORS.get(indicator.numerator)
        indicator = numerator if numerator is not None else indicator
    return indicator.drill.url(unit, start, end) if indicator.drill is not None else ""


def watched_tables() -> set[str]:
    """The tables the registered providers read (each gets the figure cache's trigger)."""
    return {table for tables in _READS.values() for table in tables}


def areas() -> set[str]:
    """The areas that publish indicators."""
    return {area for area, _p in _PROVIDERS}


def collect(
    *,
    viewer: Any,
    unit: Any,
    period: Period | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    areas: set[str] | None = None,
) -> dict[str, Value]:
    """Return every indicator's value for ``unit``'s subtree over ``period`` (or ``start``..``end``).

    ``viewer`` must read every area asked for on ``unit`` (else ``PermissionDenied``); with
    ``areas=None`` the areas the viewer does not read are left out.
    """
    if period is not None:
        start, end = period.start, period.end
    if start is None or end is None:
        raise ValueError("collect() needs a period (or start and end)")
    counted, areas = _counts(viewer, unit, start, end, areas)
    return evaluate(counted, areas)


def counts(
    *, viewer: Any, unit: Any, start: dt.date, end: dt.date, areas: set[str] | None = None
) -> dict[str, int]:
    """The counts of :func:`collect`, before any share is computed: what a report freezes."""
    return _counts(viewer, unit, start, end, areas)[0]


def _counts(
    viewer: Any, unit: Any, start: dt.date, end: dt.date, areas: set[str] | None
) -> tuple[dict[str, int], set[str] | None]:
    counted, chosen = _counts_many(viewer, [(unit, start, end, None)], areas)
    return counted[0], chosen[0]


def collect_many(
    *,
    viewer: Any,
    asked: list[tuple[Any, Period]] | list[tuple[Any, Period, set[str] | None]],
    areas: set[str] | None = None,
    codes: set[str] | None = None,
) -> list[dict[str, Value]]:
    """:func:`collect` for several units and periods at once (a dashboard's tiles, trends and
    comparisons): the kept counts are read in one go, whatever the number asked, and the
    periods of one unit asked of one provider are computed in one query each.

    ``codes`` limits the work to the providers of those indicators (a series of one rate
    runs one provider per point, not every provider of its area); other indicators of
    those providers may come too. An entry ``(unit, period, codes)`` has codes of its own
    (``None``: every provider): a report's whole period and its series of one rate asked
    together share their queries.
    """

    def owners(wanted: set[str] | None) -> set[Provider] | None:
        return None if wanted is None else {_OWNERS[c] for c in wanted if c in _OWNERS}

    default = owners(codes)
    requests = [
        (entry[0], entry[1].start, entry[1].end, owners(entry[2]) if len(entry) > 2 else default)
        for entry in asked
    ]
    counted, chosen = _counts_many(viewer, requests, areas)
    return [evaluate(c, a) for c, a in zip(counted, chosen, strict=True)]


def _counts_many(
    viewer: Any,
    asked: list[tuple[Any, dt.date, dt.date, set[Provider] | None]],
    areas: set[str] | None,
) -> tuple[list[dict[str, int]], list[set[str] | None]]:
    requests: list[figure_cache.Request] = []
    chosen: list[set[str] | None] = []
    owners: list[int] = []
    uncached: list[tuple[int, Provider, Any, dt.date, dt.date]] = []
    for index, (unit, start, end, wanted) in enumerate(asked):
        providers, readable = _readable(viewer, unit, areas)
        chosen.append(readable)
        for _area, provider in providers:
            if wanted is not None and provider not in wanted:
                continue
            if provider in _READS:
                owners.append(index)
                requests.append(figure_cache.Request(provider, _READS[provider], unit, start, end))
            else:
                uncached.append((index, provider, unit, start, end))
    counted: list[dict[str, int]] = [{} for _ in asked]
    results = figure_cache.counts(requests)
    for index, request, result in zip(owners, requests, results, strict=True):
        _merge(counted[index], request.provider, result)
    computed = figure_cache.compute(
        [
            figure_cache.Request(provider, (), unit, start, end)
            for _i, provider, unit, start, end in uncached
        ]
    )
    for (index, provider, *_asked), result in zip(uncached, computed, strict=True):
        _merge(counted[index], provider, result)
    return counted, chosen


def _merge(counted: dict[str, int], provider: Provider, result: dict[str, Any]) -> None:
    counted.update(_counts_only(result, provider) if provider in _COUNTS_ONLY else result)


def _wholes(areas: set[str] | None) -> dict[str, list[Indicator]]:
    """The shares of ``areas`` rounded together (``partition``), by their denominator."""
    # The registry itself in the key too: a test may swap it for one of its own.
    key = (id(_INDICATORS), len(_INDICATORS), None if areas is None else frozenset(areas))
    found = _WHOLES.get(key)
    if found is None:
        found = {}
        for indicator in _INDICATORS.values():
            if indicator.partition and (areas is None or indicator.area in areas):
                found.setdefault(indicator.denominator, []).append(indicator)
        _WHOLES[key] = found
    return found


def evaluate(counts: dict[str, int], areas: set[str] | None = None) -> dict[str, Value]:
    """Every indicator's value from ``counts`` (computed now, frozen in a report, or corrected
    by a ward): the counts as they are, the shares computed from them by the one rule."""
    values: dict[str, Value] = {}
    for denominator, parts in _wholes(areas).items():
        if denominator not in counts or any(p.numerator not in counts for p in parts):
            continue
        numbers = [counts[p.numerator] for p in parts]
        for part, share in zip(parts, shares(numbers, parts[0].places), strict=True):
            values[part.code] = Value(
                part, share=share, numerator=counts[part.numerator], denominator=counts[denominator]
            )
    for code, indicator in _INDICATORS.items():
        if (areas is not None and indicator.area not in areas) or code in values:
            continue
        if indicator.is_share:
            top, bottom = counts.get(indicator.numerator), counts.get(indicator.denominator)
            if top is None or bottom is None:
                continue
            values[code] = Value(
                indicator,
                share=percentage(top, bottom, indicator.places),
                numerator=top,
                denominator=bottom,
            )
        elif code in counts:
            values[code] = Value(indicator, count=counts[code])
    return values
