"""The filters of the confidential cases' register (searchable only there)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from ..choices import CaseKind, CaseStatus
from ..models import Case


class CaseFilterSet(ScopedFilterSet):
    # The summary (folded, diacritics-free) and the paper file's code: only on this page,
    # which only the inspection role reaches, and every page shown is recorded.
    search_fields = ("summary_folded", "paper_reference")
    within_field = "unit"
    kind = choice_filter(CaseKind.choices, _("Loại đơn"))
    status = choice_filter(CaseStatus.choices, _("Trạng thái"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Chỉ đơn quá hạn"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )
    unit = unit_filter(scope.Area.CONFIDENTIAL)
    locals().update(period_filters(date_field="received_on"))

    class Meta:
        model = Case
        fields = ()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset
