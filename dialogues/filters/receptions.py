"""The filters of the reception and model registers (longbien/core/filters.py)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import (
    PeriodNumberFilter,
    ScopedFilterSet,
    choice_filter,
    period_filters,
    unit_filter,
)
from longbien.org import scope

from ..choices import ModelField, Recognition
from ..models import MobilisationModel, Reception

AREA = scope.Area.DIALOGUES


class ReceptionFilterSet(ScopedFilterSet):
    search_fields = ("leader", "leader_title", "place")
    within_field = "unit"
    unit = unit_filter(AREA, label=_("Đơn vị"))
    year = PeriodNumberFilter(period_name="year", date_field="held_on", label=_("Năm"))
    start = period_filters(date_field="held_on")["start"]
    end = period_filters(date_field="held_on")["end"]

    class Meta:
        model = Reception
        fields = ()


class ModelFilterSet(ScopedFilterSet):
    search_fields = ("name_folded",)
    within_field = "unit"
    year = PeriodNumberFilter(field_name="year", period_name="year", label=_("Năm"))
    field = choice_filter(ModelField.choices, _("Lĩnh vực"))
    recognition = choice_filter(Recognition.choices, _("Cấp công nhận"))
    unit = unit_filter(AREA, label=_("Đơn vị"))
    # A period's days (a dashboard's drill-down): the models of the years whose last day
    # falls between them, as ``dialogues.indicators`` counts them. Not shown in the filter
    # bar (the year is the register's own filter).
    start = django_filters.DateFilter(
        method="filter_start", widget=django_filters.widgets.forms.HiddenInput
    )
    end = django_filters.DateFilter(
        method="filter_end", widget=django_filters.widgets.forms.HiddenInput
    )

    class Meta:
        model = MobilisationModel
        fields = ()

    def filter_start(self, queryset: QuerySet, name: str, value: dt.date | None) -> QuerySet:
        return queryset.filter(year__gte=value.year) if value else queryset

    def filter_end(self, queryset: QuerySet, name: str, value: dt.date | None) -> QuerySet:
        if not value:
            return queryset
        last = value.year if (value.month, value.day) == (12, 31) else value.year - 1
        return queryset.filter(year__lte=last)
