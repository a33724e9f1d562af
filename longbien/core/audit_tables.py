"""The global log's table and filters (the kernel's table mechanism, as a register declares)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .filters import ScopedFilterSet, choice_filter, period_filters
from .tables import Table, TemplateColumn


def record_kinds() -> list[tuple[str, str]]:
    """The models the log records, as ``app_label.model`` with their Vietnamese names."""
    kinds = [
        (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
        for model in auditlog.get_models()
    ]
    return sorted(kinds, key=lambda kind: kind[1])


class AuditLogFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=record_kinds, method="filter_kind", label=_("Loại bản ghi"), empty_label=_("Tất cả")
    )
    action = choice_filter(LogEntry.Action.choices, _("Thao tác"))
    actor = django_filters.CharFilter(
        field_name="actor__username", lookup_expr="icontains", label=_("Người thực hiện")
    )
    locals().update(period_filters(date_field="timestamp__date"))

    class Meta:
        model = LogEntry
        fields = ()

    def filter_kind(self, queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


CHANGES = (
    "{% load i18n %}{% for label, old, new in record.changes %}{% if old or new %}"
    "<div><strong>{{ label|capfirst }}</strong>: {% if old %}{{ old|truncatechars:120 }} → "
    '{% endif %}{{ new|default:"–"|truncatechars:120 }}</div>{% endif %}{% endfor %}'
    "{% if record.additional_data.export %}{% blocktranslate count "
    "counter=record.additional_data.rows|default:0 with n=record.additional_data.rows|vn_number %}"
    "Xuất {{ n }} dòng{% plural %}Xuất {{ n }} dòng{% endblocktranslate %}{% endif %}"
)


class AuditLogTable(Table):
    """Rows are :class:`longbien.audit.AuditRow` (readable labels), sorted in the database."""

    timestamp = TemplateColumn(
        '{{ record.timestamp|date:"d/m/Y H:i:s" }}',
        verbose_name=_("Thời điểm"),
        attrs={"td": {"class": "nowrap"}},
    )
    actor = TemplateColumn(
        '{% load i18n %}{{ record.actor|default:_("Hệ thống") }}',
        verbose_name=_("Người thực hiện"),
        order_by=("actor__username",),
    )
    action = TemplateColumn(
        '{% include "includes/audit_action.html" with e=record %}', verbose_name=_("Thao tác")
    )
    record = tables.Column(verbose_name=_("Bản ghi"), orderable=False, empty_values=())
    changes = TemplateColumn(CHANGES, verbose_name=_("Thay đổi"), orderable=False)
    reason = TemplateColumn(
        '{{ record.additional_data.reason|default:"" }}{{ record.additional_data.note|default:"" }}',
        verbose_name=_("Lý do"),
        orderable=False,
    )

    class Meta(Table.Meta):
        empty_text = _("Không có bản ghi.")
