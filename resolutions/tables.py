"""The tables of the resolutions registers (longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from longbien.core.tables import (
    BadgeColumn,
    DateColumn,
    LinkColumn,
    Table,
    TemplateColumn,
    low,
    num,
    unit_column,
)

from .choices import DocumentStatus, TaskStatus
from .models import Briefing, Conference, Document, Task

#: A document's and a task's states as a badge's colour (any other: grey).
DOCUMENT_TONES = {DocumentStatus.ISSUED: "green"}
TASK_TONES = {TaskStatus.DONE: "green", TaskStatus.IN_PROGRESS: "amber"}


class DocumentTable(Table):
    symbol = LinkColumn(
        strong=True,
        verbose_name=_("Số hiệu"),
        order_by=("year", "number"),
        attrs={"td": {"class": "nowrap"}},
    )
    title = TemplateColumn("{{ record.title|truncatechars:120 }}", verbose_name=_("Trích yếu"))
    kind = tables.Column(verbose_name=_("Loại"), attrs=low())
    issuer = tables.Column(
        accessor="issuer_display", verbose_name=_("Cơ quan ban hành"), orderable=False, attrs=low()
    )
    signed_date = DateColumn(verbose_name=_("Ngày ký"))
    task_count = TemplateColumn(
        "{% load i18n %}{{ record.task_count|vn_number }}{% if record.overdue_count %} "
        '<span class="badge red">{{ record.overdue_count }} {% translate "quá hạn" %}</span>{% endif %}',
        verbose_name=_("Nhiệm vụ"),
        attrs=num(),
    )
    status = BadgeColumn(DOCUMENT_TONES, default_tone="grey", verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = Document
        fields = ()
        empty_text = _("Không có văn bản phù hợp.")


class TaskTable(Table):
    title = TemplateColumn(
        '{% load i18n %}<a href="{{ record.get_absolute_url }}">{{ record.title|truncatechars:90 }}</a>'
        '{% if record.parent_id %} <small class="muted">({% translate "phân giao" %})</small>{% endif %}',
        verbose_name=_("Nhiệm vụ"),
    )
    document = LinkColumn(
        accessor="document__symbol",
        to="document",
        verbose_name=_("Văn bản"),
        order_by=("document__year", "document__number"),
        attrs=low(**{"class": "col-low nowrap"}),
    )
    unit = unit_column(_("Đơn vị chủ trì"))
    deadline = TemplateColumn(
        "{% load i18n %}{{ record.deadline|vn_short_date }}{% if record.is_overdue %} "
        '<span class="badge red">{% translate "quá hạn" %}</span>{% endif %}',
        verbose_name=_("Thời hạn"),
        attrs={"td": {"class": "nowrap"}},
    )
    progress = TemplateColumn(
        '<div class="progress" title="{{ record.progress }}%"><span class="w-{{ record.progress }}">'
        "</span></div> {{ record.progress }}%",
        verbose_name=_("Tiến độ"),
        attrs=low(**{"class": "col-low nowrap"}),
    )
    status = BadgeColumn(TASK_TONES, default_tone="grey", verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = Task
        fields = ()
        empty_text = _("Không có nhiệm vụ phù hợp.")
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}


class ConferenceTable(Table):
    held_on = DateColumn(verbose_name=_("Ngày tổ chức"))
    document = LinkColumn(
        accessor="document__symbol",
        to="document",
        verbose_name=_("Văn bản"),
        order_by=("document__year", "document__number"),
    )
    unit = unit_column()
    expected_attendees = TemplateColumn(
        "{{ record.expected_attendees|vn_number }}", verbose_name=_("Phải dự"), attrs=num()
    )
    present_attendees = TemplateColumn(
        "{{ record.present_attendees|vn_number }}", verbose_name=_("Có mặt"), attrs=num()
    )
    learning_reports = TemplateColumn(
        "{{ record.learning_reports|vn_number }}", verbose_name=_("Bài thu hoạch"), attrs=num()
    )

    class Meta(Table.Meta):
        model = Conference
        fields = ()
        empty_text = _("Chưa có hội nghị nào phù hợp.")


class BriefingTable(Table):
    held_on = TemplateColumn(
        '<a href="{{ record.get_absolute_url }}">{{ record.held_on|vn_short_date }}</a>',
        verbose_name=_("Ngày giao ban"),
    )
    kind = tables.Column(verbose_name=_("Loại giao ban"))
    unit = unit_column()
    issue_count = tables.Column(verbose_name=_("Vấn đề"), attrs=num())

    class Meta(Table.Meta):
        model = Briefing
        fields = ()
        empty_text = _("Chưa có buổi giao ban nào phù hợp.")
