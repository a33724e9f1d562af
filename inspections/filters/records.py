"""The filters of the inspection, follow-up and discipline registers (longbien/core/filters.py)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from ..choices import (
    Activity,
    DisciplineForm,
    FollowUpStatus,
    InspectionKind,
    InspectionStatus,
    SubjectType,
)
from ..models import Discipline, FollowUp, Inspection

AREA = scope.Area.INSPECTIONS
_INSPECTION_PERIOD = period_filters(date_field="starts_on")
_DISCIPLINE_PERIOD = period_filters(date_field="decided_on")


class InspectionFilterSet(ScopedFilterSet):
    search_fields = ("topic_folded",)
    within_field = "unit"
    activity = choice_filter(Activity.choices, _("Hoạt động"))
    subject_type = choice_filter(SubjectType.choices, _("Đối tượng"))
    kind = choice_filter(InspectionKind.choices, _("Loại"))
    status = choice_filter(InspectionStatus.choices, _("Trạng thái"))
    unit = unit_filter(AREA, label=_("Đơn vị được kiểm tra, giám sát"))
    year = _INSPECTION_PERIOD["year"]
    quarter = _INSPECTION_PERIOD["quarter"]

    class Meta:
        model = Inspection
        fields = ()


class FollowUpFilterSet(ScopedFilterSet):
    search_fields = ("content", "inspection__topic_folded")
    within_field = "owner_unit"
    status = choice_filter(FollowUpStatus.choices, _("Trạng thái"))
    unit = unit_filter(AREA, field_name="owner_unit", label=_("Đơn vị thực hiện"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Chỉ kiến nghị quá hạn"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )

    class Meta:
        model = FollowUp
        fields = ()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset


class DisciplineFilterSet(ScopedFilterSet):
    search_fields = ("symbol", "person__name_folded")
    within_field = "unit"
    subject_type = choice_filter(SubjectType.choices, _("Đối tượng"))
    discipline_form = choice_filter(DisciplineForm.choices, _("Hình thức"), field_name="form")
    unit = unit_filter(AREA, label=_("Đơn vị"))
    year = _DISCIPLINE_PERIOD["year"]
    person = django_filters.NumberFilter(
        field_name="person", widget=django_filters.widgets.forms.HiddenInput
    )

    class Meta:
        model = Discipline
        fields = ()
