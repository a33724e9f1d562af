"""The indicator registry: each domain app publishes its countable facts here.

A provider takes a unit (its whole subtree counts) and a period and returns counts keyed by
indicator code. Shares are declared as a numerator and a denominator and are computed from
the counts with :func:`longbien.formatting.percentage`, never stored or typed. Quarterly
reports, dashboards and term reports read indicators and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formatting import percentage, shares

Provider = Callable[..., dict[str, int]]


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


def register(area: str, provider: Provider, *indicators: Indicator) -> None:
    """Register an app's provider and the indicators it yields (idempotent)."""
    for indicator in indicators:
        _INDICATORS[indicator.code] = indicator
    if all(existing is not provider for _, existing in _PROVIDERS):
        _PROVIDERS.append((area, provider))


def definitions() -> list[Indicator]:
    return list(_INDICATORS.values())


def collect(
    *, unit: Any, start: dt.date, end: dt.date, areas: set[str] | None = None
) -> dict[str, Value]:
    """Return every indicator's value for ``unit``'s subtree over ``start``..``end``."""
    counts: dict[str, int] = {}
    for area, provider in _PROVIDERS:
        if areas is None or area in areas:
            counts.update(provider(unit=unit, start=start, end=end))
    values: dict[str, Value] = {}
    wholes: dict[str, list[Indicator]] = {}
    for indicator in _INDICATORS.values():
        if indicator.partition and (areas is None or indicator.area in areas):
            wholes.setdefault(indicator.denominator, []).append(indicator)
    for denominator, parts in wholes.items():
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
