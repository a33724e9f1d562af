"""The register of quarterly reports: quarter, unit, state, due date, sent on, on time or late."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from longbien import deadlines, periods
from longbien.core.tables import Table, low, unit_column

from .choices import ReportStatus
from .models import QuarterlyReport

# The colour of a state's badge.
STATUS_COLOURS = {
    ReportStatus.NOT_STARTED: "grey",
    ReportStatus.DRAFT: "blue",
    ReportStatus.SUBMITTED: "amber",
    ReportStatus.RETURNED: "red",
    ReportStatus.ACCEPTED: "green",
}


def status_badge(report: QuarterlyReport) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_COLOURS.get(report.status, "grey"),
        report.get_status_display(),
    )


def timing(report: QuarterlyReport, today: dt.date | None = None) -> tuple[str, str]:
    """Whether the report was sent on time: (badge colour, text); ("", "") while not due."""
    if report.on_time is True:
        return "green", _g("Đúng hạn")
    if report.on_time is False:
        return "red", _g("Gửi muộn")
    today = today or timezone.localdate()
    if today > deadlines.effective_deadline(report.due_on):
        return "red", _g("Quá hạn, chưa gửi")
    return "", ""


def timing_badge(report: QuarterlyReport) -> str:
    colour, text = timing(report)
    if not text:
        return "–"
    return format_html('<span class="badge {}">{}</span>', colour, text)


def quarter_label(report: QuarterlyReport) -> str:
    return periods.quarter(report.year, report.quarter).label


class ReportTable(Table):
    period = tables.Column(
        accessor="pk", verbose_name=_("Kỳ báo cáo"), order_by=("year", "quarter"),
        attrs={"td": {"class": "nowrap"}},
    )  # fmt: skip
    unit = unit_column(_("Đơn vị"))
    status = tables.Column(verbose_name=_("Trạng thái"))
    due_on = tables.Column(verbose_name=_("Hạn gửi"), attrs={"td": {"class": "nowrap"}})
    first_submitted_on = tables.Column(
        verbose_name=_("Ngày gửi"), default="–", attrs=low(),
    )  # fmt: skip
    on_time = tables.Column(
        accessor="pk", verbose_name=_("Đúng hạn / muộn"), orderable=False, attrs=low()
    )

    class Meta(Table.Meta):
        model = QuarterlyReport
        fields = ()
        empty_text = _("Không có báo cáo quý nào phù hợp.")

    def render_period(self, record: QuarterlyReport) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), quarter_label(record))

    def render_status(self, record: QuarterlyReport) -> str:
        return status_badge(record)

    def render_due_on(self, record: QuarterlyReport, value: Any) -> str:
        return value.strftime("%d/%m/%Y")

    def render_first_submitted_on(self, record: QuarterlyReport, value: Any) -> str:
        return value.strftime("%d/%m/%Y")

    def render_on_time(self, record: QuarterlyReport) -> str:
        return timing_badge(record)
