"""The filters of the resolutions registers (longbien/core/filters.py)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from .choices import BriefingKind, DocumentKind, DocumentStatus, IssuerLevel, TaskStatus
from .models import Briefing, Conference, Document, Task

AREA = scope.Area.RESOLUTIONS


class DocumentFilterSet(ScopedFilterSet):
    search_fields = ("title_folded",)
    kind = choice_filter(DocumentKind.choices, _("Loại"))
    level = choice_filter(IssuerLevel.choices, _("Cấp ban hành"), field_name="issuer_level")
    issuer = django_filters.CharFilter(method="filter_issuer", label=_("Cơ quan (mã)"))
    unit = unit_filter(AREA, field_name="issuing_unit", label=_("Đơn vị ban hành"))
    locals().update(period_filters(date_field="signed_date"))
    status = choice_filter(DocumentStatus.choices, _("Trạng thái"))

    class Meta:
        model = Document
        fields = ()

    def filter_issuer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(issuing_unit__code=value) | Q(issuer_code=value, issuing_unit__isnull=True)
        )


class TaskFilterSet(ScopedFilterSet):
    search_fields = ("title_folded", "document__title_folded")
    within_field = "unit"
    unit = unit_filter(AREA, label=_("Đơn vị chủ trì"))
    locals().update(period_filters(date_field="deadline"))
    status = choice_filter(TaskStatus.choices, _("Trạng thái"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Chỉ nhiệm vụ quá hạn"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )
    due_soon = django_filters.BooleanFilter(
        method="filter_due_soon",
        label=_("Chỉ nhiệm vụ sắp đến hạn"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )

    class Meta:
        model = Task
        fields = ()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset

    def filter_due_soon(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.due_soon(timezone.localdate(), settings.TASK_REMINDER_DAYS)


class ConferenceFilterSet(ScopedFilterSet):
    search_fields = ("document__title_folded",)
    within_field = "unit"
    document = django_filters.NumberFilter(
        field_name="document", widget=django_filters.widgets.forms.HiddenInput
    )
    unit = unit_filter(AREA)
    locals().update(period_filters(date_field="held_on"))

    class Meta:
        model = Conference
        fields = ()


class BriefingFilterSet(ScopedFilterSet):
    within_field = "unit"
    kind = choice_filter(BriefingKind.choices, _("Loại giao ban"))
    unit = unit_filter(AREA)
    locals().update(period_filters(date_field="held_on"))

    class Meta:
        model = Briefing
        fields = ()
