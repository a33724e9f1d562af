"""The quarterly reports as Excel workbooks (openpyxl).

- :func:`board_workbook`: the compliance board (unit × quarter: state and timing).
- :func:`quarter_workbook`: one quarter's reports: a sheet "Số liệu" with one row per
  indicator and one column per unit (the figures as the report states them: frozen once
  submitted, computed now for a draft, the ward's corrected value where corrected, with the
  computed value and the explanation in the cell's comment and on a sheet "Đính chính"), then
  one sheet per unit with its narrative sections.

Shares are numbers with one decimal computed by :func:`longbien.indicators.evaluate` (through
:func:`figures.report_figures`), never typed. Text cells pass through :func:`_text` (no
control characters, nothing a spreadsheet would run as a formula).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from longbien.core.io import FORMULA_STARTS, sheet_title

from . import figures
from .choices import NARRATIVE, ReportStatus, Section
from .models import QuarterlyReport
from .selectors import LATE, LATE_NOW, NOT_DUE, ON_TIME, BoardRow

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
LATE_FILL = PatternFill("solid", fgColor="FDE2E3")
SHARE_FORMAT = "0.0"
DATE_FORMAT = "DD/MM/YYYY"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def timing_labels() -> dict[str, str]:
    return {
        ON_TIME: _("Đúng hạn"),
        LATE: _("Gửi muộn"),
        LATE_NOW: _("Quá hạn, chưa gửi"),
        NOT_DUE: _("Chưa đến hạn"),
    }


def _text(value: Any) -> Any:
    """A text cell made safe: no control characters; a would-be formula gets an apostrophe."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _append(sheet: Worksheet, values: Iterable[Any], *, bold: bool = False) -> None:
    sheet.append([_text(v) for v in values])
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unique_titles(labels: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, distinct sheet names (at most 31 characters, none of ``[]:*?/\\``): a repeated
    name gets " (2)", " (3)"… within the 31 characters. Excel compares names caselessly."""
    seen = {t.casefold() for t in taken}
    titles = []
    for label in labels:
        base = sheet_title(label)
        title, number = base, 1
        while title.casefold() in seen:
            number += 1
            suffix = f" ({number})"
            title = base[: 31 - len(suffix)].rstrip() + suffix
        seen.add(title.casefold())
        titles.append(title)
    return titles


# --- the compliance board ---------------------------------------------------------------------


def board_workbook(rows: list[BoardRow], *, year: int) -> bytes:
    """The board as a workbook: unit code and name, then each quarter's state and timing."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Tình hình báo cáo %(year)s") % {"year": year})
    headers: list[str] = [_("Mã đơn vị"), _("Tên đơn vị")]
    for quarter in (1, 2, 3, 4):
        roman = ROMAN[quarter]
        headers += [
            _("Quý %(q)s – trạng thái") % {"q": roman},
            _("Quý %(q)s – thời hạn") % {"q": roman},
            _("Quý %(q)s – hạn gửi") % {"q": roman},
            _("Quý %(q)s – ngày gửi") % {"q": roman},
        ]
    _append(sheet, headers, bold=True)
    labels, statuses = timing_labels(), dict(ReportStatus.choices)
    for row in rows:
        values: list[Any] = [row.unit.code, row.unit.name]
        for cell in row.cells:
            sent = cell.report.first_submitted_on if cell.report is not None else None
            values += [str(statuses[cell.status]), labels[cell.timing], cell.due_on, sent]
        _append(sheet, values)
        for index, cell in enumerate(row.cells):
            first = 3 + 4 * index
            for column in range(first, first + 4):
                target = sheet.cell(row=sheet.max_row, column=column)
                if column >= first + 2:
                    target.number_format = DATE_FORMAT
                if cell.late:
                    target.fill = LATE_FILL
    _widths(sheet, [14, 40, *([18, 18, 12, 12] * 4)])
    sheet.freeze_panes = "C2"
    return _save(book)


# --- one quarter's reports --------------------------------------------------------------------


@dataclass
class UnitColumn:
    report: QuarterlyReport
    groups: list[figures.Group]

    def by_code(self) -> dict[str, figures.Figure]:
        return {f.code: f for g in self.groups for f in g.figures}


def _value(figure: figures.Figure) -> Any:
    value = figure.value
    if figure.indicator.is_share:
        return float(value.share) if value.share is not None else None
    return value.count


def quarter_workbook(columns: list[UnitColumn], *, year: int, quarter: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Số liệu"))
    _figures_sheet(sheet, columns, year=year, quarter=quarter)
    corrections = book.create_sheet(sheet_title(_("Đính chính")))
    _corrections_sheet(corrections, columns)
    titles = unique_titles(
        (f"{c.report.unit.code} {c.report.unit.name}" for c in columns),
        taken=[sheet.title, corrections.title],
    )
    for column, title in zip(columns, titles, strict=True):
        _narrative_sheet(book.create_sheet(title), column.report)
    return _save(book)


def _figures_sheet(sheet: Worksheet, columns: list[UnitColumn], *, year: int, quarter: int) -> None:
    _append(sheet, [_("Số liệu báo cáo quý %(q)s năm %(year)s") % {"q": ROMAN[quarter],
                                                                   "year": year}], bold=True)  # fmt: skip
    _append(sheet, [_("Mã chỉ tiêu"), _("Chỉ tiêu"), *(c.report.unit.name for c in columns)],
            bold=True)  # fmt: skip
    header_row = sheet.max_row
    _append(sheet, ["", _("Trạng thái báo cáo"), *(c.report.get_status_display() for c in columns)])
    # The rows: every indicator any column shows, grouped, in the registry's order.
    order: dict[str, tuple[Any, list[figures.Figure]]] = {}
    for column in columns:
        for group in column.groups:
            entry = order.setdefault(str(group.label), (group.label, []))
            known = {f.code for f in entry[1]}
            entry[1].extend(f for f in group.figures if f.code not in known)
    values = [c.by_code() for c in columns]
    for label, shown in order.values():
        _append(sheet, ["", str(label)], bold=True)
        for first in shown:
            unit_label = str(first.indicator.label)
            if first.indicator.is_share:
                unit_label = f"{unit_label} (%)"
            _append(sheet, [first.code, unit_label])
            row = sheet.max_row
            for index, by_code in enumerate(values):
                figure = by_code.get(first.code)
                if figure is None:
                    continue
                target = sheet.cell(row=row, column=3 + index, value=_value(figure))
                if first.indicator.is_share:
                    target.number_format = SHARE_FORMAT
                if figure.corrected:
                    target.comment = Comment(
                        _("Đính chính: số liệu hệ thống %(computed)s, đơn vị sửa thành "
                          "%(value)s. Giải trình: %(why)s") % {
                            "computed": figure.computed, "value": figure.value.count,
                            "why": figure.explanation},
                        _("Cổng công tác"),
                    )  # fmt: skip
                    target.font = BOLD
    _widths(sheet, [30, 60, *([18] * len(columns))])
    for cell in sheet[header_row][2:]:
        cell.alignment = WRAP
    sheet.freeze_panes = sheet.cell(row=header_row + 2, column=3)


def _corrections_sheet(sheet: Worksheet, columns: list[UnitColumn]) -> None:
    _append(sheet, [_("Mã đơn vị"), _("Đơn vị"), _("Mã chỉ tiêu"), _("Chỉ tiêu"),
                    _("Số liệu hệ thống"), _("Số liệu đính chính"), _("Giải trình")],
            bold=True)  # fmt: skip
    for column in columns:
        for figure in column.by_code().values():
            if figure.corrected:
                _append(sheet, [column.report.unit.code, column.report.unit.name, figure.code,
                                str(figure.indicator.label), figure.computed,
                                figure.value.count, figure.explanation])  # fmt: skip
    _widths(sheet, [14, 36, 30, 50, 16, 16, 60])
    sheet.freeze_panes = "A2"


def _narrative_sheet(sheet: Worksheet, report: QuarterlyReport) -> None:
    _append(sheet, [report.unit.name], bold=True)
    _append(sheet, [_("Báo cáo quý %(q)s năm %(year)s") % {"q": ROMAN[report.quarter],
                                                           "year": report.year}])  # fmt: skip
    facts: list[tuple[str, Any]] = [
        (_("Trạng thái"), report.get_status_display()),
        (_("Hạn gửi"), report.due_on),
        (_("Ngày gửi lần đầu"), report.first_submitted_on),
    ]
    for label, value in facts:
        _append(sheet, [label, value])
        if value is not None and not isinstance(value, str):
            sheet.cell(row=sheet.max_row, column=2).number_format = DATE_FORMAT
    for name in NARRATIVE:
        _append(sheet, [])
        _append(sheet, [str(Section(name).label)], bold=True)
        _append(sheet, [report.section(name)])
        sheet.cell(row=sheet.max_row, column=1).alignment = WRAP
    _widths(sheet, [100, 20])
