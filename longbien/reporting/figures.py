"""A quarterly report's figures: the indicators of its unit's subtree for its quarter.

While a report is written its figures are computed when read; from its submission on they are
the counts frozen then. A ward's correction replaces a count and keeps the computed one beside
it; shares are always computed from the counts stated (corrected or not) by the kernel's one
rule (:func:`longbien.indicators.evaluate`), never typed.

A report holds every area's counts (denunciations and complaints as counts only, as the
registry gives them); a reader is shown the groups of the areas they read on the unit (ward
staff, who do not read inspections, do not see those figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from longbien import indicators, periods
from longbien.indicators import Indicator, Value
from longbien.org import scope

from .models import FigureCorrection, QuarterlyReport


def report_areas() -> set[str]:
    """Every app's areas; not the reports' own compliance (a report does not count itself)."""
    return indicators.areas() - {scope.Area.REPORTS}


def period_of(report: QuarterlyReport) -> periods.Period:
    return periods.quarter(report.year, report.quarter)


def live_counts(report: QuarterlyReport) -> dict[str, int]:
    """The counts computed now from the records (the system's view: a report is one document
    whoever reads it)."""
    quarter = period_of(report)
    return indicators.counts(
        viewer=indicators.SYSTEM, unit=report.unit, start=quarter.start, end=quarter.end,
        areas=report_areas(),
    )  # fmt: skip


def count_codes() -> dict[str, Indicator]:
    """The indicators a ward may correct: counts (a share follows from its counts)."""
    chosen = report_areas()
    return {i.code: i for i in indicators.definitions() if i.area in chosen and not i.is_share}


@dataclass
class Figure:
    indicator: Indicator
    value: Value
    # The count before the ward's correction (None when not corrected).
    computed: int | None = None
    explanation: str = ""
    # For a frozen report: today's value from the records, when it differs from the frozen one.
    today: Value | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def corrected(self) -> bool:
        return self.computed is not None


@dataclass
class Group:
    label: Any
    figures: list[Figure] = field(default_factory=list)


def base_counts(report: QuarterlyReport, live: dict[str, int] | None = None) -> dict[str, int]:
    """The counts before corrections: frozen if the report was submitted, else computed now."""
    if report.frozen:
        return {code: int(value) for code, value in report.frozen.items()}
    return live if live is not None else live_counts(report)


def stated_counts(
    report: QuarterlyReport, corrections: list[FigureCorrection], live: dict[str, int] | None = None
) -> dict[str, int]:
    counted = dict(base_counts(report, live))
    for correction in corrections:
        if correction.code in counted:
            counted[correction.code] = correction.corrected
    return counted


def report_figures(
    report: QuarterlyReport,
    *,
    compare_today: bool = False,
    live: dict[str, int] | None = None,
    viewer: Any = None,
) -> list[Group]:
    """The report's figures grouped as the apps group them, in the registry's order.

    ``compare_today`` (a frozen report) adds today's value beside each frozen one that has
    changed since: the diff of frozen vs today's figures. With a ``viewer``, only the areas
    the viewer reads on the report's unit.
    """
    shown = report_areas()
    if viewer is not None:
        shown = {a for a in shown if scope.can(viewer, a, scope.VIEW, report.unit)}
    corrections = list(report.corrections.all())
    by_code = {c.code: c for c in corrections}
    if live is None and (compare_today or not report.frozen):
        live = live_counts(report)
    base = base_counts(report, live)
    values = indicators.evaluate(stated_counts(report, corrections, live), report_areas())
    comparing = compare_today and bool(report.frozen) and live is not None
    now = indicators.evaluate(live, report_areas()) if comparing and live is not None else {}
    frozen = indicators.evaluate(base, report_areas()) if comparing else {}
    groups: dict[str, Group] = {}
    for code, value in values.items():
        indicator = value.indicator
        if indicator.area not in shown:
            continue
        figure = Figure(indicator=indicator, value=value)
        correction = by_code.get(code)
        if correction is not None:
            figure.computed, figure.explanation = base.get(code), str(correction.explanation)
        if code in now and code in frozen and _differs(now[code], frozen[code]):
            figure.today = now[code]
        groups.setdefault(str(indicator.group), Group(indicator.group)).figures.append(figure)
    return list(groups.values())


def _differs(today: Value, frozen: Value) -> bool:
    return (today.count, today.numerator, today.denominator) != (
        frozen.count, frozen.numerator, frozen.denominator,
    )  # fmt: skip


def changed_since_frozen(report: QuarterlyReport) -> list[Figure]:
    """The frozen figures whose records have changed since (empty for an unfrozen report)."""
    if not report.frozen:
        return []
    return [f for g in report_figures(report, compare_today=True) for f in g.figures if f.today]
