"""The filters of the cadres registers (longbien/core/filters.py)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope
from longbien.org.models import Person

from .choices import DecisionKind, EvaluationStatus, Rating
from .models import (
    Evaluation,
    PersonnelDecision,
    QualificationTest,
    SelfImprovementPlan,
    TaskAssignment,
    TrainingClass,
)

AREA = scope.Area.CADRES


def _month_filter(method: str, label: str) -> django_filters.DateFilter:
    widget = forms.DateInput(attrs={"size": 10, "placeholder": "dd/mm/yyyy"})
    return django_filters.DateFilter(method=method, label=label, widget=widget)


def _month_of(queryset: QuerySet, lookup: str, day: dt.date | None) -> QuerySet:
    if day is None:
        return queryset
    months = queryset.alias(ym=F("year") * 100 + F("month"))
    return months.filter(**{f"ym__{lookup}": day.year * 100 + day.month})


class EvaluationFilterSet(ScopedFilterSet):
    search_fields = ("person__name_folded", "person__code")
    within_field = "unit"
    unit = unit_filter(AREA)
    locals().update(period_filters())
    # The months a range of days touches (a slip is a month's): the drill-down of a period.
    start = _month_filter("filter_start", _("Từ ngày"))
    end = _month_filter("filter_end", _("Đến ngày"))
    status = choice_filter(EvaluationStatus.choices, _("Trạng thái"))
    rating = choice_filter(Rating.choices, _("Xếp loại"))

    class Meta:
        model = Evaluation
        fields = ()

    def filter_start(self, queryset: QuerySet, name: str, value: dt.date | None) -> QuerySet:
        return _month_of(queryset, "gte", value)

    def filter_end(self, queryset: QuerySet, name: str, value: dt.date | None) -> QuerySet:
        return _month_of(queryset, "lte", value)


class DecisionFilterSet(ScopedFilterSet):
    search_fields = ("person__name_folded", "symbol")
    within_field = "unit"
    unit = unit_filter(AREA)
    kind = choice_filter(DecisionKind.choices, _("Loại"))
    locals().update(period_filters(date_field="decision_date"))

    class Meta:
        model = PersonnelDecision
        fields = ()


class PlanFilterSet(ScopedFilterSet):
    """The year of the plans is the page's own (this year by default, ``?year=``)."""

    search_fields = ("person__name_folded", "person__code")
    within_field = "unit"
    unit = unit_filter(AREA)

    class Meta:
        model = SelfImprovementPlan
        fields = ()


class TrainingFilterSet(ScopedFilterSet):
    search_fields = ("name",)
    within_field = "unit"
    unit = unit_filter(AREA, label=_("Đơn vị tổ chức"))
    locals().update(period_filters(date_field="start_date"))

    class Meta:
        model = TrainingClass
        fields = ()


class QualificationTestFilterSet(ScopedFilterSet):
    unit = unit_filter(AREA, label=_("Đơn vị tổ chức"))
    locals().update(period_filters(date_field="held_on"))

    class Meta:
        model = QualificationTest
        fields = ()


class AssignmentFilterSet(ScopedFilterSet):
    """The year of the assignments is the page's own (this year by default, ``?year=``)."""

    search_fields = ("person__name_folded", "person__code")
    within_field = "unit"
    unit = unit_filter(AREA, label=_("Chi bộ"))
    result = choice_filter(Rating.choices, _("Kết quả"))

    class Meta:
        model = TaskAssignment
        fields = ()


class MissingMemberFilterSet(ScopedFilterSet):
    search_fields = ("name_folded", "code")
    within_field = "unit"
    unit = unit_filter(AREA)

    class Meta:
        model = Person
        fields = ()
