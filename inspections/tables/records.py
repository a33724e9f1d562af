"""The tables of the inspection, follow-up and discipline registers (longbien/core/tables.py)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from longbien import deadlines
from longbien.core.tables import (
    BadgeColumn,
    DateColumn,
    LinkColumn,
    Table,
    TemplateColumn,
    low,
    unit_column,
)

from ..choices import FollowUpStatus, InspectionStatus
from ..models import Discipline, FollowUp, Inspection

STATUS_TONE = {
    InspectionStatus.PLANNED: "grey",
    InspectionStatus.IN_PROGRESS: "amber",
    InspectionStatus.CONCLUDED: "green",
    InspectionStatus.CLOSED: "grey",
}


def follow_up_lateness(follow_up: FollowUp, today: Any = None) -> int:
    """Days a follow-up is overdue (0 when on time or done), by the deadline rules."""
    today = today or timezone.localdate()
    done = follow_up.status == FollowUpStatus.DONE
    if not deadlines.is_overdue(follow_up.deadline, today, done=done):
        return 0
    return max(deadlines.days_overdue(follow_up.deadline, today, done=done), 1)


def overdue_badge(days: int) -> str:
    if not days:
        return ""
    text = ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", days) % {"days": days}
    return format_html(' <span class="badge red">{}</span>', text)


class InspectionTable(Table):
    topic = LinkColumn(truncate=100, verbose_name=_("Nội dung"), order_by=("topic_folded",))
    activity = tables.Column(verbose_name=_("Hoạt động"), attrs=low())
    subject = TemplateColumn(
        "{% if record.person %}{{ record.person.full_name }}{% else %}{{ record.unit.name }}{% endif %}",
        verbose_name=_("Đối tượng"),
        order_by=("unit__path",),
    )
    kind = tables.Column(verbose_name=_("Loại"), attrs=low())
    conducting_body = tables.Column(
        accessor="conducting_body__name", verbose_name=_("Cơ quan tiến hành"), attrs=low()
    )
    starts_on = DateColumn(verbose_name=_("Ngày bắt đầu"), attrs={"td": {"class": "nowrap"}})
    status = BadgeColumn(STATUS_TONE, default_tone="grey", verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = Inspection
        fields = ()
        empty_text = _("Không có cuộc kiểm tra, giám sát phù hợp.")


class FollowUpTable(Table):
    content = LinkColumn(
        truncate=120,
        verbose_name=_("Kiến nghị"),
        orderable=False,
    )
    inspection = tables.Column(
        accessor="inspection__topic",
        verbose_name=_("Cuộc kiểm tra, giám sát"),
        order_by=("inspection__starts_on",),
        attrs=low(),
    )
    owner_unit = tables.Column(
        accessor="owner_unit__name", verbose_name=_("Đơn vị thực hiện"), order_by="owner_unit__path"
    )
    deadline = tables.Column(verbose_name=_("Thời hạn"), attrs={"td": {"class": "nowrap"}})
    status = tables.Column(verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = FollowUp
        fields = ()
        empty_text = _("Không có kiến nghị phù hợp.")
        row_attrs = {"class": lambda record: "overdue" if follow_up_lateness(record) else ""}

    def render_deadline(self, record: FollowUp, value: Any) -> str:
        return format_html(
            "{}{}", value.strftime("%d/%m/%Y"), overdue_badge(follow_up_lateness(record))
        )

    def render_status(self, record: FollowUp, value: Any) -> str:
        tone = "green" if record.status == FollowUpStatus.DONE else "amber"
        return format_html('<span class="badge {}">{}</span>', tone, record.get_status_display())


class DisciplineTable(Table):
    symbol = LinkColumn(
        inside="strong",
        verbose_name=_("Số quyết định"),
        attrs={"td": {"class": "nowrap"}},
    )
    form = tables.Column(verbose_name=_("Hình thức"))
    subject = TemplateColumn(
        "{% if record.person %}{{ record.person.full_name }}{% else %}{{ record.unit.name }}{% endif %}",
        verbose_name=_("Đối tượng"),
        order_by=("unit__path",),
    )
    unit = unit_column(_("Tổ chức đảng (nơi sinh hoạt)"), attrs=low())
    decided_on = DateColumn(verbose_name=_("Ngày quyết định"))
    deciding_body = tables.Column(
        accessor="deciding_body__name", verbose_name=_("Cơ quan quyết định"), attrs=low()
    )

    class Meta(Table.Meta):
        model = Discipline
        fields = ()
        empty_text = _("Không có quyết định kỷ luật phù hợp.")
