"""The leadership dashboard's pages (under /bao-cao-quy/bang-dieu-khien/).

- :func:`dashboard`: the tiles, charts, exceptions and late reports of a unit's subtree over a
  period (:func:`longbien.reporting.dashboard.build`), with the period and unit pickers.
- :func:`dashboard_export`: the tiles as a workbook (label, value, the same period last year,
  the drill-down URL).
- :func:`dashboard_print`: the same dashboard as a printable page, without the menus, each
  chart with its table open.

The query names the period (``term``, or ``year`` with ``half`` or ``quarter``) and the unit
(``unit=<code>``), so a dashboard can be bookmarked and shared. An invalid period is reported
in Vietnamese and this year is shown instead; a unit outside the viewer's reports area is a
404, a user without the reports area gets the 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from longbien import periods, replica, worklist
from longbien.audit import log_export
from longbien.core.io import sheet_title
from longbien.org import scope
from longbien.org.models import OrgUnit, Term

from .. import dashboard as board
from ..exports import _append, _save, _widths
from ..models import QuarterlyReport, dashboard_kinds

AREA = scope.Area.REPORTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_KEYS = ("term", "year", "half", "quarter")
LATE_SHOWN = 20


@dataclass
class DashboardQuery:
    period: periods.Period
    unit: OrgUnit
    terms: list[Term]
    params: dict[str, str]
    errors: list[str]

    def query_string(self, **extra: str) -> str:
        return urlencode({**self.params, "unit": self.unit.code, **extra})


def choosable_units(user: Any) -> list[OrgUnit]:
    """The units the unit picker offers: the roots of the viewer's reports scope and the
    district, wards and blocs under them."""
    paths = scope.scope_paths(user, AREA)
    if not paths:
        return []
    kinds = dashboard_kinds()
    within = scope.nothing()
    for path in paths:
        within |= Q(path__startswith=path)
    roots = Q(path__in=paths) if "" not in paths else Q(parent__isnull=True)
    return list(
        OrgUnit.objects.filter(within, valid_to__isnull=True)
        .filter(Q(kind__in=kinds) | roots)
        .order_by("path")
        .only("pk", "code", "name", "path", "kind", "parent_id")
    )


def _unit(request: HttpRequest) -> OrgUnit:
    code = str(request.GET.get("unit") or "").strip()
    if code:
        unit = OrgUnit.objects.filter(code=code, valid_to__isnull=True).first()
    else:
        unit = worklist.home_unit(request.user, getattr(request, "current_unit", None))
        if unit is not None and not scope.can(request.user, AREA, scope.VIEW, unit):
            unit = next(iter(choosable_units(request.user)), None)
    if unit is None or not scope.can(request.user, AREA, scope.VIEW, unit):
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    return unit


def dashboard_query(request: HttpRequest, *, strict: bool = False) -> DashboardQuery:
    """The period and unit of the query; an invalid period is reported and this year shown
    (``strict``: the ``ValidationError`` is raised instead, for the API's 400)."""
    scope.require_area(request.user, AREA)
    terms = list(Term.objects.order_by("-start_date"))
    given = {
        key: str(request.GET.get(key) or "").strip()
        for key in PERIOD_KEYS
        if str(request.GET.get(key) or "").strip()
    }
    if "term" in given:
        given = {"term": given["term"]}
    errors: list[str] = []
    try:
        period = periods.from_query(given, terms={t.code: t for t in terms})
    except ValidationError as error:
        if strict:
            raise
        errors = [m for field_messages in error.message_dict.values() for m in field_messages]
        period = periods.year(timezone.localdate().year)
        given = {"year": str(period.start.year)}
    if not given:
        given = {"year": str(period.start.year)}
    return DashboardQuery(period, _unit(request), terms, given, errors)


def _build(request: HttpRequest, query: DashboardQuery) -> board.Dashboard:
    with replica.reads():
        return board.build(
            viewer=request.user, unit=query.unit, period=query.period, terms=query.terms
        )


def _context(request: HttpRequest, query: DashboardQuery, dash: board.Dashboard) -> dict[str, Any]:
    this_year = timezone.localdate().year
    late = dash.late_reports
    return {
        "query": query,
        "dashboard": dash,
        "units": choosable_units(request.user),
        "years": list(range(this_year, this_year - 8, -1)),
        "quarters": list(zip((1, 2, 3, 4), ("I", "II", "III", "IV"), strict=True)),
        "late_shown": late[:LATE_SHOWN],
        "late_more": max(len(late) - LATE_SHOWN, 0),
        "export_url": reverse("reporting:dashboard_export") + "?" + query.query_string(),
        "print_url": reverse("reporting:dashboard_print") + "?" + query.query_string(),
        "back_url": reverse("reporting:dashboard") + "?" + query.query_string(),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    query = dashboard_query(request)
    for message in query.errors:
        messages.error(request, message)
    dash = _build(request, query)
    return render(request, "reporting/dashboard.html", _context(request, query, dash))


@login_required
def dashboard_print(request: HttpRequest) -> HttpResponse:
    query = dashboard_query(request)
    dash = _build(request, query)
    context = _context(request, query, dash)
    context["printed_on"] = timezone.localtime()
    return render(request, "reporting/dashboard_print.html", context)


def dashboard_workbook(dash: board.Dashboard, absolute: Any) -> bytes:
    """The tiles as a workbook: label, value, the same period last year, drill-down URL.
    Shares are numbers (a percentage with one decimal), counts integers; no data is empty."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Bảng điều hành"))
    _append(sheet, [_("Bảng điều hành: %(unit)s") % {"unit": dash.unit.name}], bold=True)
    _append(sheet, [_("Kỳ: %(period)s") % {"period": dash.period.label}])
    _append(sheet, [])
    _append(
        sheet,
        [_("Chỉ tiêu"), _("Giá trị"), _("Cùng kỳ năm trước"), _("Đơn vị tính"),
         _("Danh sách hồ sơ")],
        bold=True,
    )  # fmt: skip
    for tile in dash.tiles:
        now, then = board.number(tile.value), board.number(tile.before)
        is_share = tile.value is not None and tile.value.indicator.is_share
        _append(sheet, [
            str(tile.label),
            float(now) if is_share and now is not None else now,
            float(then) if is_share and then is not None else then,
            "%" if is_share else _("số lượng"),
            absolute(tile.url) if tile.url else "",
        ])  # fmt: skip
        if is_share:
            for cell in sheet[sheet.max_row][1:3]:
                cell.number_format = "0.0"
    _widths(sheet, [48, 12, 18, 12, 80])
    return _save(book)


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    query = dashboard_query(request)
    if query.errors:
        for message in query.errors:
            messages.error(request, message)
        return redirect(reverse("reporting:dashboard") + "?" + query.query_string())
    dash = _build(request, query)
    log_export(actor=request.user, model=QuarterlyReport, register="reporting.dashboard",
               rows=len(dash.tiles))  # fmt: skip
    body = dashboard_workbook(dash, request.build_absolute_uri)
    response = HttpResponse(body, content_type=XLSX)
    name = f"bang-dieu-hanh-{query.unit.code}-{query.period.start:%Y%m%d}-{query.period.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
