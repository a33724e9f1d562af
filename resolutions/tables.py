"""The tables of the resolutions registers (longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from longbien.core.tables import (
    BadgeColumn,
    DateColumn,
    LinkColumn,
    NumberColumn,
    Table,
    low,
    num,
    unit_column,
)
from longbien.formatting import vn_number, vn_short_date

from .choices import DocumentStatus, TaskStatus
from .models import Briefing, Conference, Document, Task

#: A document's and a task's states as a badge's colour (any other: grey).
DOCUMENT_TONES = {DocumentStatus.ISSUED: "green"}
TASK_TONES = {TaskStatus.DONE: "green", TaskStatus.IN_PROGRESS: "amber"}


class DocumentTable(Table):
    symbol = LinkColumn(
        inside="strong",
        verbose_name=_("Số hiệu"),
        order_by=("year", "number"),
        attrs={"td": {"class": "nowrap"}},
    )
    title = tables.Column(verbose_name=_("Trích yếu"))
    kind = tables.Column(verbose_name=_("Loại"), attrs=low())
    issuer = tables.Column(
        accessor="issuer_display", verbose_name=_("Cơ quan ban hành"), orderable=False, attrs=low()
    )
    signed_date = DateColumn(verbose_name=_("Ngày ký"))
    task_count = tables.Column(verbose_name=_("Nhiệm vụ"), attrs=num())
    status = BadgeColumn(DOCUMENT_TONES, default_tone="grey", verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = Document
        fields = ()
        empty_text = _("Không có văn bản phù hợp.")

    def render_title(self, value: str) -> str:
        return Truncator(value).chars(120)

    def render_task_count(self, record: Document) -> str:
        if not record.overdue_count:  # type: ignore[attr-defined]
            return vn_number(record.task_count)  # type: ignore[attr-defined]
        return format_html(
            '{} <span class="badge red">{} {}</span>',
            vn_number(record.task_count), record.overdue_count, gettext("quá hạn"),  # type: ignore[attr-defined]
        )  # fmt: skip


class TaskTable(Table):
    title = tables.Column(verbose_name=_("Nhiệm vụ"))
    document = LinkColumn(
        accessor="document__symbol",
        to="document",
        verbose_name=_("Văn bản"),
        order_by=("document__year", "document__number"),
        attrs=low(**{"class": "col-low nowrap"}),
    )
    unit = unit_column(_("Đơn vị chủ trì"))
    deadline = tables.Column(verbose_name=_("Thời hạn"), attrs={"td": {"class": "nowrap"}})
    progress = tables.Column(verbose_name=_("Tiến độ"), attrs=low(**{"class": "col-low nowrap"}))
    status = BadgeColumn(TASK_TONES, default_tone="grey", verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = Task
        fields = ()
        empty_text = _("Không có nhiệm vụ phù hợp.")
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}

    def render_title(self, record: Task) -> str:
        link = format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), Truncator(record.title).chars(90)
        )
        if not record.parent_id:
            return link
        return format_html('{} <small class="muted">({})</small>', link, gettext("phân giao"))

    def render_deadline(self, record: Task) -> str:
        if not record.is_overdue:
            return vn_short_date(record.deadline)
        return format_html(
            '{} <span class="badge red">{}</span>',
            vn_short_date(record.deadline),
            gettext("quá hạn"),
        )

    def render_progress(self, record: Task) -> str:
        return format_html(
            '<div class="progress" title="{}%"><span class="w-{}"></span></div> {}%',
            record.progress, record.progress, record.progress,
        )  # fmt: skip


class ConferenceTable(Table):
    held_on = DateColumn(verbose_name=_("Ngày tổ chức"))
    document = LinkColumn(
        accessor="document__symbol",
        to="document",
        verbose_name=_("Văn bản"),
        order_by=("document__year", "document__number"),
    )
    unit = unit_column()
    expected_attendees = NumberColumn(verbose_name=_("Phải dự"), attrs=num())
    present_attendees = NumberColumn(verbose_name=_("Có mặt"), attrs=num())
    learning_reports = NumberColumn(verbose_name=_("Bài thu hoạch"), attrs=num())

    class Meta(Table.Meta):
        model = Conference
        fields = ()
        empty_text = _("Chưa có hội nghị nào phù hợp.")


class BriefingTable(Table):
    held_on = LinkColumn(shown=vn_short_date, verbose_name=_("Ngày giao ban"))
    kind = tables.Column(verbose_name=_("Loại giao ban"))
    unit = unit_column()
    issue_count = tables.Column(verbose_name=_("Vấn đề"), attrs=num())

    class Meta(Table.Meta):
        model = Briefing
        fields = ()
        empty_text = _("Chưa có buổi giao ban nào phù hợp.")
