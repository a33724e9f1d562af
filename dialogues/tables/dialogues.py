"""The tables of the dialogue and commitment registers (longbien/core/tables.py)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from longbien import deadlines
from longbien.core.tables import DateColumn, LinkColumn, Table, low, num, unit_column

from ..choices import CommitmentStatus
from ..models import Commitment, Dialogue


def commitment_lateness(commitment: Commitment, today: Any = None) -> int:
    """Days a commitment is overdue (0 when on time or kept), by the deadline rules."""
    today = today or timezone.localdate()
    done = commitment.status == CommitmentStatus.DONE
    if not deadlines.is_overdue(commitment.deadline, today, done=done):
        return 0
    return max(deadlines.days_overdue(commitment.deadline, today, done=done), 1)


def overdue_badge(days: int) -> str:
    if not days:
        return ""
    text = ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", days) % {"days": days}
    return format_html(' <span class="badge red">{}</span>', text)


class DialogueTable(Table):
    held_on = DateColumn(
        verbose_name=_("Ngày"),
        attrs={"td": {"class": "nowrap"}},
    )
    topic = LinkColumn(
        truncate=100,
        verbose_name=_("Chủ đề"),
        order_by=("topic_folded",),
    )
    level = tables.Column(verbose_name=_("Cấp"), attrs=low())
    unit = unit_column(_("Đơn vị tổ chức"))
    chair = tables.Column(verbose_name=_("Người chủ trì"), attrs=low())
    participants = tables.Column(verbose_name=_("Tham dự"), attrs=num())
    issue_count = tables.Column(verbose_name=_("Ý kiến"), attrs=num())
    commitment_count = tables.Column(verbose_name=_("Cam kết"), attrs=num())

    class Meta(Table.Meta):
        model = Dialogue
        fields = ()
        empty_text = _("Không có cuộc đối thoại phù hợp.")


class CommitmentTable(Table):
    content = LinkColumn(
        truncate=120,
        verbose_name=_("Cam kết"),
        orderable=False,
    )
    dialogue = tables.Column(
        accessor="issue__dialogue__topic",
        verbose_name=_("Cuộc đối thoại"),
        order_by=("issue__dialogue__held_on",),
        attrs=low(),
    )
    owner_unit = tables.Column(
        accessor="owner_unit__name", verbose_name=_("Đơn vị thực hiện"), order_by="owner_unit__path"
    )
    deadline = tables.Column(verbose_name=_("Thời hạn"), attrs={"td": {"class": "nowrap"}})
    progress = tables.Column(verbose_name=_("Tiến độ"), attrs=num())
    status = tables.Column(verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = Commitment
        fields = ()
        empty_text = _("Không có cam kết phù hợp.")
        row_attrs = {"class": lambda record: "overdue" if commitment_lateness(record) else ""}

    def render_deadline(self, record: Commitment, value: Any) -> str:
        return format_html(
            "{}{}", value.strftime("%d/%m/%Y"), overdue_badge(commitment_lateness(record))
        )

    def render_progress(self, record: Commitment, value: Any) -> str:
        return f"{value}%"

    def render_status(self, record: Commitment, value: Any) -> str:
        tone = "green" if record.status == CommitmentStatus.DONE else "amber"
        return format_html('<span class="badge {}">{}</span>', tone, record.get_status_display())
