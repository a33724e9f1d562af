"""The filters of the procedures register (longbien/core/filters.py)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters

from .models import Procedure, ProcedureArea, ProcedureKind, ProcedureLevel


class ProcedureFilterSet(ScopedFilterSet):
    search_fields = ("name_folded", "code")
    kind = choice_filter(ProcedureKind.choices, _("Loại"))
    area = choice_filter(ProcedureArea.choices, _("Lĩnh vực"))
    level = choice_filter(ProcedureLevel.choices, _("Cấp"))
    locals().update({"year": period_filters(date_field="effective_date")["year"]})
    all = django_filters.BooleanFilter(
        method="filter_all",
        label=_("Gồm cả quy trình hết hiệu lực"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )

    class Meta:
        model = Procedure
        fields = ()

    def filter_all(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset if value else queryset.filter(retired_on__isnull=True)
