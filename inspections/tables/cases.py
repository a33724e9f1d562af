"""The register of confidential cases: kind, level, dates and state; never the summary."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from longbien import deadlines
from longbien.core.tables import BadgeColumn, DateColumn, LinkColumn, Table, low

from ..choices import CASE_SETTLED, CaseStatus
from ..models import Case


def case_overdue_days(case: Case, today: Any = None) -> int:
    """Calendar days past the effective time limit (0 when on time or settled)."""
    today = today or timezone.localdate()
    return deadlines.days_overdue(case.due_on, today, done=case.status in CASE_SETTLED)


class CaseTable(Table):
    paper_reference = LinkColumn(
        inside="code",
        verbose_name=_("Số hồ sơ giấy"),
        attrs={"td": {"class": "nowrap"}},
    )
    kind = tables.Column(verbose_name=_("Loại đơn"))
    level = tables.Column(verbose_name=_("Cấp giải quyết"), attrs=low())
    received_on = DateColumn(
        verbose_name=_("Ngày nhận"),
        attrs={"td": {"class": "nowrap"}},
    )
    due_on = tables.Column(verbose_name=_("Hạn giải quyết"), attrs={"td": {"class": "nowrap"}})
    unit = tables.Column(
        accessor="unit__name", verbose_name=_("Đơn vị"), order_by="unit__path", attrs=low()
    )
    status = BadgeColumn(
        {CaseStatus.CLOSED: "green", CaseStatus.NOT_ACCEPTED: "grey"},
        default_tone="amber",
        verbose_name=_("Trạng thái"),
    )
    outcome = tables.Column(verbose_name=_("Kết quả"), attrs=low(), default="–")

    class Meta(Table.Meta):
        model = Case
        fields = ()
        empty_text = _("Không có đơn nào phù hợp.")
        row_attrs = {"class": lambda record: "overdue" if case_overdue_days(record) else ""}

    def render_due_on(self, record: Case) -> str:
        late = case_overdue_days(record)
        if late:
            return format_html(
                '{} <span class="badge red">{}</span>',
                record.due_on.strftime("%d/%m/%Y"),
                _g("quá hạn %(days)s ngày") % {"days": late},
            )
        return record.due_on.strftime("%d/%m/%Y")

    def render_outcome(self, record: Case) -> str:
        return record.get_outcome_display() or "–"
