"""The tables of the plans register and the plan items register (longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from longbien.core.tables import (
    BadgeColumn,
    LinkColumn,
    NumberColumn,
    Table,
    TemplateColumn,
    low,
    num,
)

from ..choices import PlanItemStatus
from ..models import Plan, PlanItem

#: A plan item's state as a badge's colour (any other: amber).
STATUS_TONES = {PlanItemStatus.APPROVED: "green", PlanItemStatus.CANCELLED: "grey"}


class PlanTable(Table):
    title = LinkColumn(
        truncate=120,
        verbose_name=_("Kế hoạch"),
        order_by=("title",),
    )
    body = tables.Column(
        accessor="body__name", verbose_name=_("Cơ quan lập kế hoạch"), order_by="body__path"
    )
    year = tables.Column(verbose_name=_("Năm"), attrs={"td": {"class": "nowrap"}})
    item_count = NumberColumn(verbose_name=_("Số nội dung"), attrs=num())
    approved_count = NumberColumn(verbose_name=_("Đã duyệt"), attrs=num())

    class Meta(Table.Meta):
        model = Plan
        fields = ()
        empty_text = _("Chưa có kế hoạch kiểm tra, giám sát nào phù hợp.")


class PlanItemTable(Table):
    """The register of plan items; the overlap flag is read from ``record.conflicts``, set
    for the page's rows by one call of ``selectors.overlaps_of`` (the list view does it)."""

    topic = TemplateColumn(
        '{% if record.plan_readable %}<a href="{{ record.get_absolute_url }}">'
        "{{ record.topic|truncatechars:100 }}</a>{% else %}{{ record.topic|truncatechars:100 }}"
        "{% endif %}",
        verbose_name=_("Nội dung"),
        order_by=("topic_folded",),
    )
    body = tables.Column(
        accessor="plan__body__name", verbose_name=_("Cơ quan"), order_by="plan__body__path"
    )
    activity = tables.Column(verbose_name=_("Hoạt động"), attrs=low())
    subject = TemplateColumn(
        "{{ record.get_subject_type_display }}{% if record.target_person %}: "
        "{{ record.target_person.full_name }}{% endif %}",
        verbose_name=_("Đối tượng"),
        order_by=("subject_type",),
        attrs=low(),
    )
    target = tables.Column(
        accessor="target_unit__name",
        verbose_name=_("Đơn vị được kiểm tra, giám sát"),
        order_by="target_unit__path",
    )
    months = tables.Column(
        accessor="months_label",
        verbose_name=_("Thời gian"),
        order_by=("starts_on", "ends_on"),
        attrs={"td": {"class": "nowrap"}},
    )
    status = BadgeColumn(STATUS_TONES, default_tone="amber", verbose_name=_("Trạng thái"))
    overlap = TemplateColumn(
        '{% load i18n %}{% if record.conflicts %}<span class="badge red" title="'
        "{% for c in record.conflicts %}{{ c.item.plan.body.name }}{% if not forloop.last %}, "
        '{% endif %}{% endfor %}">{% translate "Trùng lịch" %} ({{ record.conflicts|length }})'
        "</span>{% else %}–{% endif %}",
        verbose_name=_("Trùng lịch"),
        orderable=False,
    )

    class Meta(Table.Meta):
        model = PlanItem
        fields = ()
        empty_text = _("Không có nội dung kế hoạch nào phù hợp.")
