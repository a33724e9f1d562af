"""The filters of the inspection, follow-up and discipline registers (longbien/core/filters.py)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Max, Min, Q, QuerySet
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
_DAY = forms.DateInput(attrs={"size": 10, "placeholder": "dd/mm/yyyy"})
DONE, ON_TIME, OVERDUE = "done", "on_time", "overdue"


def _days(field: str, start_label: Any, end_label: Any) -> dict[str, django_filters.Filter]:
    """``start`` and ``end`` on ``field``: the days an indicator counts by (its drill-down)."""
    return {
        "start": django_filters.DateFilter(
            field_name=field, lookup_expr="gte", label=start_label, widget=_DAY
        ),
        "end": django_filters.DateFilter(
            field_name=field, lookup_expr="lte", label=end_label, widget=_DAY
        ),
    }


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
    # The inspections concluded between two days (what the indicators count).
    locals().update(_days("concluded_on", _("Kết luận từ ngày"), _("Kết luận đến ngày")))

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
    # The follow-ups due between two days, and how they stood on the last of them.
    locals().update(_days("deadline", _("Hạn từ ngày"), _("Hạn đến ngày")))
    progress = django_filters.ChoiceFilter(
        choices=[(DONE, _("Đã thực hiện xong")), (ON_TIME, _("Thực hiện đúng hạn")),
                 (OVERDUE, _("Quá hạn chưa thực hiện"))],
        label=_("Tình hình (đến hết “Hạn đến ngày”)"), empty_label=_("Tất cả"),
        method="filter_progress",
    )  # fmt: skip

    class Meta:
        model = FollowUp
        fields = ()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset

    def filter_progress(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """As the indicators count (``inspections.indicators.provide``): done by the day
        ``end`` names (today if sooner or none), done by the deadline, or still undone past
        its deadline on that day."""
        if value not in (DONE, ON_TIME, OVERDUE):
            return queryset
        today = timezone.localdate()
        data = self.form.cleaned_data
        as_of = min(today, data.get("end") or today)
        done = Q(status=FollowUpStatus.DONE, completed_on__lte=as_of)
        if value == DONE:
            return queryset.filter(done)
        if value == OVERDUE:
            return queryset.filter(queryset.overdue_q(as_of, done=done))
        first, last = data.get("start"), data.get("end")
        if first is None or last is None:
            bounds = queryset.aggregate(first=Min("deadline"), last=Max("deadline"))
            first, last = bounds["first"] or today, bounds["last"] or today
        return queryset.filter(done & queryset.on_time_q("completed_on", first, last))


class DisciplineFilterSet(ScopedFilterSet):
    search_fields = ("symbol", "person__name_folded")
    within_field = "unit"
    subject_type = choice_filter(SubjectType.choices, _("Đối tượng"))
    discipline_form = choice_filter(DisciplineForm.choices, _("Hình thức"), field_name="form")
    unit = unit_filter(AREA, label=_("Đơn vị"))
    year = _DISCIPLINE_PERIOD["year"]
    start = _DISCIPLINE_PERIOD["start"]
    end = _DISCIPLINE_PERIOD["end"]
    person = django_filters.NumberFilter(
        field_name="person", widget=django_filters.widgets.forms.HiddenInput
    )

    class Meta:
        model = Discipline
        fields = ()
