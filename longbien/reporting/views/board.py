"""The compliance board, the Excel exports and a report's PDF (under /bao-cao-quy/).

- :func:`compliance_board`: every reporting unit the user may see × the quarters of a year,
  each cell the report's state, on time or late, the due date and a link (the report, or
  opening it); filters: state, late only, unit search. :func:`board_export` gives the same
  board (same selector, same filters) as a workbook.
- :func:`quarter_export`: one quarter's reports the user may see as one workbook
  (:func:`longbien.reporting.exports.quarter_workbook`).
- :func:`report_pdf`: a report in the Party layout (:mod:`longbien.reporting.rendering`).

Every read goes through :mod:`longbien.reporting.selectors`; a report outside the user's
scope is a 404, a user without the reports area gets the 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import periods
from longbien.audit import log_export
from longbien.formatting import vn_number, vn_percent
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.text import fold

from .. import exports, figures, rendering, selectors
from ..choices import NARRATIVE, ReportStatus, Section
from ..models import QuarterlyReport

AREA = scope.Area.REPORTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LATE_ONLY = "tre"


# --- the board --------------------------------------------------------------------------------


@dataclass
class BoardQuery:
    year: int
    state: str
    late_only: bool
    search: str
    errors: list[str]

    def params(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {"year": self.year}
        if self.state:
            chosen["state"] = self.state
        if self.late_only:
            chosen[LATE_ONLY] = "1"
        if self.search:
            chosen["q"] = self.search
        return chosen


def _board_query(request: HttpRequest) -> BoardQuery:
    """The board's filters from the query; an invalid year or state is reported, in
    Vietnamese, and the board shows this year (or every state) instead."""
    values, errors = periods.numbers_from_query(
        request.GET, "year", defaults={"year": timezone.localdate().year}
    )
    state = str(request.GET.get("state") or "").strip()
    if state and state not in ReportStatus.values:
        errors.append(_("Trạng thái “%(value)s” không hợp lệ.") % {"value": state})
        state = ""
    year = values["year"] or timezone.localdate().year
    return BoardQuery(
        year=year, state=state, late_only=bool(request.GET.get(LATE_ONLY)),
        search=str(request.GET.get("q") or "").strip()[:100], errors=errors,
    )  # fmt: skip


def _board_rows(request: HttpRequest, query: BoardQuery) -> list[selectors.BoardRow]:
    units: QuerySet[OrgUnit] = selectors.reporting_units(request.user)
    if query.search:
        units = units.filter(
            Q(name_folded__contains=fold(query.search)) | Q(code__icontains=query.search)
        )
    rows = selectors.compliance_board(request.user, query.year, units=units)
    if query.state or query.late_only:
        rows = [
            row for row in rows
            if any((not query.state or c.status == query.state) and (not query.late_only or c.late)
                   for c in row.cells)
        ]  # fmt: skip
    return rows


def _summary(rows: list[selectors.BoardRow]) -> list[dict[str, Any]]:
    """Per quarter: accepted x of N, sent, late."""
    result = []
    for index, quarter in enumerate((1, 2, 3, 4)):
        cells = [row.cells[index] for row in rows]
        result.append({
            "quarter": quarter, "roman": exports.ROMAN[quarter], "total": len(cells),
            "accepted": sum(c.status == ReportStatus.ACCEPTED for c in cells),
            "sent": sum(c.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
                        for c in cells),
            "late": sum(c.late for c in cells),
        })  # fmt: skip
    return result


def _cell_link(cell: selectors.Cell, unit: OrgUnit, today: dt.date) -> str:
    if cell.report is not None:
        return reverse("reporting:report_detail", args=[cell.report.pk])
    if periods.quarter(cell.year, cell.quarter).start > today:
        return ""  # the quarter has not begun: nothing to open
    return reverse("reporting:report_open", args=[unit.code, cell.year, cell.quarter])


@login_required
def compliance_board(request: HttpRequest) -> HttpResponse:
    scope.require_area(request.user, AREA)
    query = _board_query(request)
    for message in query.errors:
        messages.error(request, message)
    rows = _board_rows(request, query)
    today = timezone.localdate()
    labels = exports.timing_labels()
    lines = [
        {
            "unit": row.unit,
            "cells": [
                {
                    "cell": c,
                    "url": _cell_link(c, row.unit, today),
                    "timing": labels[c.timing],
                    "status": ReportStatus(c.status).label,
                }  # fmt: skip
                for c in row.cells
            ],
        }
        for row in rows
    ]
    this_year = today.year
    return render(
        request,
        "reporting/board.html",
        {
            "query": query,
            "rows": lines,
            "summary": _summary(rows),
            "quarters": [(q, exports.ROMAN[q]) for q in (1, 2, 3, 4)],
            "states": ReportStatus.choices,
            "years": list(range(this_year, this_year - 6, -1)),
            "export_url": reverse("reporting:board_export") + "?" + urlencode(query.params()),
            "quarter_exports": [
                (exports.ROMAN[q], reverse("reporting:quarter_export", args=[query.year, q]))
                for q in (1, 2, 3, 4)
                if periods.quarter(query.year, q).start <= today
            ],
        },
    )


def _xlsx(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def board_export(request: HttpRequest) -> HttpResponse:
    scope.require_area(request.user, AREA)
    query = _board_query(request)
    if query.errors:
        for message in query.errors:
            messages.error(request, message)
        return redirect("reporting:compliance_board")
    rows = _board_rows(request, query)
    log_export(actor=request.user, model=QuarterlyReport, register="reporting.board",
               rows=len(rows))  # fmt: skip
    body = exports.board_workbook(rows, year=query.year)
    return _xlsx(body, f"tinh-hinh-bao-cao-quy-{query.year}.xlsx")


# --- one quarter's workbook ---------------------------------------------------------------------


@login_required
def quarter_export(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    scope.require_area(request.user, AREA)
    if not (periods.FIRST_YEAR <= year <= periods.LAST_YEAR and quarter in (1, 2, 3, 4)):
        messages.error(request, _("Quý %(quarter)s năm %(year)s không hợp lệ.") % {
            "quarter": quarter, "year": year})  # fmt: skip
        return redirect("reporting:compliance_board")
    reports = list(
        selectors.report_list(request.user)
        .filter(year=year, quarter=quarter)
        .prefetch_related("corrections")
        .order_by("unit__sort_key", "unit__code")
    )
    columns = [
        exports.UnitColumn(report, figures.report_figures(report, viewer=request.user))
        for report in reports
    ]
    log_export(actor=request.user, model=QuarterlyReport, register="reporting.quarter",
               rows=len(columns))  # fmt: skip
    body = exports.quarter_workbook(columns, year=year, quarter=quarter)
    return _xlsx(body, f"bao-cao-quy-{quarter}-{year}.xlsx")


# --- a report's PDF -------------------------------------------------------------------------------


def _shown(figure: figures.Figure) -> str:
    value = figure.value
    if figure.indicator.is_share:
        if value.share is None:
            return "–"
        return f"{vn_percent(value.share)} ({vn_number(value.numerator)}/{vn_number(value.denominator)})"
    return vn_number(value.count)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _vietnamese_name(user: Any) -> str:
    """The user's name as the portal stores it: ``first_name`` holds the family and middle
    names, ``last_name`` the given name, so ``get_full_name`` reads "Hoàng Văn Dũng"."""
    return user.get_full_name() or user.get_username()


def report_document(report: QuarterlyReport, today: dt.date) -> rendering.PartyDocument:
    """The Party document's frame of a quarterly report (pure: reads the report only)."""
    unit = report.unit
    parent = unit.parent
    superior = parent.name if parent is not None else _("Đảng bộ quận Long Biên")
    sent_on = (
        timezone.localdate(report.submitted_at)
        if report.submitted_at
        else report.first_submitted_on
    )
    signer = _vietnamese_name(report.submitted_by) if report.submitted_by else ""
    return rendering.PartyDocument(
        superior=superior.upper(),
        issuer=unit.name.upper(),
        subject=_("Kết quả thực hiện nhiệm vụ quý %(q)s năm %(year)s") % {
            "q": exports.ROMAN[report.quarter], "year": report.year},
        date=sent_on or today,
        signer_name=signer,
        recipients=[
            _("%(superior)s (để báo cáo)") % {"superior": superior},
            _("Lưu Văn phòng."),
        ],
    )  # fmt: skip


def _nothing(figure: figures.Figure) -> bool:
    """A count of 0 or a share of nothing, not corrected: left out of the printed table (the
    web page and the workbook list every figure)."""
    value = figure.value
    empty = not value.denominator if figure.indicator.is_share else not value.count
    return empty and not figure.corrected


def report_pdf_context(
    report: QuarterlyReport, groups: list[figures.Group], today: dt.date
) -> dict[str, Any]:
    """The context of the report's PDF, built from the report and its figures (pure)."""
    number, rows_by_group, corrections, left_out = 0, [], [], 0
    for group in groups:
        rows = []
        for figure in group.figures:
            if _nothing(figure):
                left_out += 1
                continue
            number += 1
            row = {"number": number, "label": str(figure.indicator.label),
                   "value": _shown(figure), "computed": None}  # fmt: skip
            if figure.corrected:
                row["computed"] = vn_number(figure.computed)
                corrections.append({**row, "explanation": figure.explanation})
            rows.append(row)
        if rows:
            rows_by_group.append({"label": str(group.label), "rows": rows})
    headings = ["II.", "III.", "IV.", "V."]
    return {
        "document": report_document(report, today),
        "report": report,
        "period_label": _("quý %(q)s năm %(year)s")
        % {"q": exports.ROMAN[report.quarter], "year": report.year},
        "groups": rows_by_group,
        "left_out": left_out,
        "corrections": corrections,
        "sections": [
            {
                "heading": f"{headings[i]} {Section(name).label}",
                "paragraphs": _paragraphs(report.section(name)),
            }  # fmt: skip
            for i, name in enumerate(NARRATIVE)
        ],
    }


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    scope.require_area(request.user, AREA)
    report = (
        selectors.report_list(request.user)
        .select_related("unit__parent")
        .prefetch_related("corrections")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    groups = figures.report_figures(report, viewer=request.user)
    context = report_pdf_context(report, groups, timezone.localdate())
    pdf = rendering.render_pdf("reporting/pdf/quarterly_report.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"bao-cao-quy-{report.quarter}-{report.year}-{report.unit.code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
