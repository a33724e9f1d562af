"""The register of public-opinion cases: intake, handling unit, due date, state, outcome.

No column shows the citizen's data (personal data: see ``selectors.sees_citizen``).
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from longbien import deadlines
from longbien.core.tables import BadgeColumn, DateColumn, Table, low

from ..choices import CASE_FINISHED, CaseStatus
from ..models import OpinionCase


def case_overdue_days(case: OpinionCase, today: Any = None) -> int:
    """Calendar days past the effective due date (0 when on time, finished or not due)."""
    today = today or timezone.localdate()
    return deadlines.days_overdue(case.due_on, today, done=case.status in CASE_FINISHED)


#: A case's state as a badge's colour (any other state: amber).
STATUS_TONES = {
    CaseStatus.CLOSED: "green", CaseStatus.ANSWERED: "green",
    CaseStatus.REJECTED: "grey", CaseStatus.TRANSFERRED: "grey",
}  # fmt: skip


class CaseTable(Table):
    content = tables.Column(verbose_name=_("Nội dung phản ánh"), order_by="id")
    received_on = DateColumn(verbose_name=_("Ngày tiếp nhận"), attrs={"td": {"class": "nowrap"}})
    source = tables.Column(verbose_name=_("Nguồn"), attrs=low())
    unit = tables.Column(
        accessor="unit__name", verbose_name=_("Đơn vị liên quan"), order_by="unit__path",
        attrs=low(),
    )  # fmt: skip
    category = tables.Column(verbose_name=_("Lĩnh vực"), attrs=low())
    urgency = tables.Column(verbose_name=_("Mức độ"), attrs=low())
    assigned_unit = tables.Column(
        accessor="assigned_unit__name", verbose_name=_("Đơn vị xử lý"),
        order_by="assigned_unit__path", default="–", attrs=low(),
    )  # fmt: skip
    due_on = tables.Column(
        verbose_name=_("Hạn trả lời"), default="–", attrs={"td": {"class": "nowrap"}}
    )
    status = BadgeColumn(STATUS_TONES, default_tone="amber", verbose_name=_("Trạng thái"))
    outcome = tables.Column(verbose_name=_("Kết quả"), attrs=low(), default="–")

    class Meta(Table.Meta):
        model = OpinionCase
        fields = ()
        empty_text = _("Không có vụ việc nào phù hợp.")
        row_attrs = {"class": lambda record: "overdue" if case_overdue_days(record) else ""}

    def render_content(self, record: OpinionCase) -> str:
        return format_html(
            '<a href="{}">#{}</a> {}',
            record.get_absolute_url(), record.pk, Truncator(record.content).chars(100),
        )  # fmt: skip

    def render_due_on(self, record: OpinionCase) -> str:
        late = case_overdue_days(record)
        if late:
            return format_html(
                '{} <span class="badge red">{}</span>',
                record.due_on.strftime("%d/%m/%Y"),
                _g("quá hạn %(days)s ngày") % {"days": late},
            )
        return record.due_on.strftime("%d/%m/%Y")

    def render_outcome(self, record: OpinionCase) -> str:
        return record.get_outcome_display() or "–"
