"""The filters of the procedures register (longbien/core/filters.py)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from .models import Procedure, ProcedureArea, ProcedureKind, ProcedureLevel


class ProcedureFilterSet(ScopedFilterSet):
    search_fields = ("name_folded", "code")
    kind = choice_filter(ProcedureKind.choices, _("Loại"))
    area = choice_filter(ProcedureArea.choices, _("Lĩnh vực"))
    level = choice_filter(ProcedureLevel.choices, _("Cấp"))
    unit = unit_filter(scope.Area.ORG, field_name="owner_unit", label=_("Đơn vị ban hành"))
    iso = django_filters.BooleanFilter(
        field_name="iso_9001",
        label=_("Chỉ quy trình theo ISO 9001:2015"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
        method="filter_iso",
    )
    locals().update({"year": period_filters(date_field="effective_date")["year"]})
    # In force on a day (the end of a period: what the reports count); the drill-down of the
    # indicators passes the period's last day as ``end``.
    end = django_filters.DateFilter(
        method="filter_in_force",
        label=_("Còn hiệu lực tại ngày"),
        widget=forms.DateInput(attrs={"size": 10, "placeholder": "dd/mm/yyyy"}),
    )
    all = django_filters.BooleanFilter(
        method="filter_all",
        label=_("Gồm cả quy trình hết hiệu lực"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )

    class Meta:
        model = Procedure
        fields = ()

    def filter_iso(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(iso_9001=True) if value else queryset

    def filter_in_force(self, queryset: QuerySet, name: str, value: dt.date | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(effective_date__lte=value).filter(
            Q(retired_on__isnull=True) | Q(retired_on__gt=value)
        )

    def filter_all(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if value or self.form.cleaned_data.get("end"):
            return queryset  # in force on the day asked, retired since or not
        return queryset.filter(retired_on__isnull=True)
