"""Every read of the quarterly reports, scoped through ``restrict()``.

The compliance board crosses the reporting units the user may see with the quarters of a
year: each cell is the report's state (not started when there is none) and whether it was
sent on time, late, or is late now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, QuerySet, When
from django.utils import timezone

from longbien import deadlines
from longbien.org.models import OrgUnit
from longbien.org.types import Viewer

from .choices import ReportStatus
from .models import (
    QuarterlyReport,
    ReturnComment,
    dashboard_kinds,
    due_date,
    first_collected_quarter,
    reporting_kinds,
)


def compared_units(unit: OrgUnit, start: dt.date, end: dt.date) -> list[OrgUnit]:
    """The units under ``unit`` that a dashboard and a report compare side by side over the
    period from ``start`` to ``end``: its children of the kinds that report each quarter
    (wards, grassroots organisations, the enterprise bloc) and, under a city, its districts;
    those that existed at some time in the period, in the tree's order."""
    return [
        child
        for child in OrgUnit.objects.filter(parent=unit, kind__in=dashboard_kinds()).order_by(
            "sort_key"
        )
        if not (child.valid_to and child.valid_to < start)
        and not (child.valid_from and child.valid_from > end)
    ]


def report_list(user: Viewer) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.restrict(user).select_related("unit", "submitted_by")


def report_comments(user: Viewer, report: QuarterlyReport) -> list[ReturnComment]:
    return list(
        ReturnComment.objects.restrict(user).filter(report=report).select_related("by")
        .order_by("-round", "id")
    )  # fmt: skip


def reporting_units(user: Viewer) -> QuerySet[OrgUnit]:
    """The units that report each quarter, as far as the user may see their reports."""
    return (
        OrgUnit.objects.restrict(user)
        .filter(kind__in=reporting_kinds(), valid_to__isnull=True)
        .order_by("sort_key")
    )


# The board's timing of a cell.
ON_TIME, LATE, LATE_NOW, NOT_DUE = "on_time", "late", "late_now", "not_due"


@dataclass
class Cell:
    year: int
    quarter: int
    report: QuarterlyReport | None
    status: str
    due_on: dt.date
    timing: str

    @property
    def late(self) -> bool:
        return self.timing in (LATE, LATE_NOW)


@dataclass
class BoardRow:
    unit: OrgUnit
    cells: list[Cell]


def compliance_board(
    user: Viewer,
    year: int,
    *,
    units: QuerySet[OrgUnit] | None = None,
    today: dt.date | None = None,
) -> list[BoardRow]:
    """Every reporting unit the user may see × the four quarters of ``year`` (two queries)."""
    today = today or timezone.localdate()
    chosen = list(units if units is not None else reporting_units(user))
    reports = {
        (r.unit_id, r.quarter): r
        for r in QuarterlyReport.objects.restrict(user).filter(
            year=year, unit__in=[u.pk for u in chosen]
        )
    }
    rows = []
    for unit in chosen:
        cells = []
        for quarter in (1, 2, 3, 4):
            report = reports.get((unit.pk, quarter))
            due_on = report.due_on if report else due_date(year, quarter)
            status = report.status if report else ReportStatus.NOT_STARTED
            cells.append(Cell(year, quarter, report, status, due_on,
                              _timing(report, due_on, today)))  # fmt: skip
        rows.append(BoardRow(unit, cells))
    return rows


def _timing(report: QuarterlyReport | None, due_on: dt.date, today: dt.date) -> str:
    sent = report.first_submitted_on if report is not None else None
    deadline = deadlines.effective_deadline(due_on)
    if sent is not None:
        return ON_TIME if sent <= deadline else LATE
    return LATE_NOW if today > deadline else NOT_DUE


@dataclass
class LateReport:
    unit: OrgUnit
    year: int
    quarter: int
    report: QuarterlyReport | None


def late_reports(
    user: Viewer, unit: OrgUnit, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> list[LateReport]:
    """The reporting units of ``unit``'s subtree (as far as the user sees them) whose report of
    a quarter ending between ``start`` and ``end`` is late now: not sent and past its
    deadline. Three queries at most whatever the number of units and years (the board's own
    rule, :func:`_timing`: a report sent is not late now)."""
    today = today or timezone.localdate()
    since = first_collected_quarter()
    quarters = [
        (year, quarter)
        for year in range(start.year, end.year + 1)
        for quarter in (1, 2, 3, 4)
        if start <= _quarter_end(year, quarter) <= end and since and (year, quarter) >= since
    ]
    if not quarters:
        return []
    units = list(reporting_units(user).filter(path__startswith=unit.path))
    # What the rule needs of each report, not the reports: a city holds thousands of them,
    # and the due date only of those not sent (a sent report is not late now, _timing): the
    # dates of thousands of sent reports were most of this read's time.
    kept = {
        (unit_id, year, quarter): (pk, due_on)
        for unit_id, year, quarter, pk, due_on in (
            QuarterlyReport.objects.restrict(user)
            .filter(unit__in=[u.pk for u in units], year__gte=start.year, year__lte=end.year)
            .values_list(
                "unit_id", "year", "quarter", "id",
                Case(When(first_submitted_on__isnull=True, then=F("due_on")), default=None),
            )
        )
    }  # fmt: skip
    deadline_of: dict[dt.date, dt.date] = {}
    found: list[tuple[OrgUnit, int, int, int | None]] = []
    for year, quarter in quarters:
        default_due = due_date(year, quarter)
        for one in units:
            pk, due_on = kept.get((one.id, year, quarter), (None, default_due))
            if due_on is None:
                continue  # sent: on time or late, not late now (_timing)
            deadline = deadline_of.get(due_on)
            if deadline is None:
                deadline = deadline_of[due_on] = deadlines.effective_deadline(due_on)
            if today > deadline:
                found.append((one, year, quarter, pk))
    reports = QuarterlyReport.objects.in_bulk([pk for *_rest, pk in found if pk is not None])
    return [
        LateReport(one, year, quarter, reports.get(pk) if pk is not None else None)
        for one, year, quarter, pk in found
    ]


def _quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)
