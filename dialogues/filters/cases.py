"""The filters of the public-opinion cases' register."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from ..choices import CaseCategory, CaseSource, CaseStatus, Outcome, Urgency
from ..models import OpinionCase

HIDE, ONLY = "hide", "only"


class CaseFilterSet(ScopedFilterSet):
    # The content, folded (diacritics-free); never the citizen's data.
    search_fields = ("content_folded",)
    within_field = "unit"
    status = choice_filter(CaseStatus.choices, _("Trạng thái"))
    outcome = choice_filter(Outcome.choices, _("Kết quả"))
    source = choice_filter(CaseSource.choices, _("Nguồn"))
    category = choice_filter(CaseCategory.choices, _("Lĩnh vực"))
    urgency = choice_filter(Urgency.choices, _("Mức độ"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Chỉ vụ việc quá hạn"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )
    duplicates = django_filters.ChoiceFilter(
        choices=[(HIDE, _("Không hiện vụ việc đã gộp vào vụ việc khác")),
                 (ONLY, _("Chỉ vụ việc đã gộp vào vụ việc khác"))],
        label=_("Vụ việc trùng"), empty_label=_("Tất cả"), method="filter_duplicates",
    )  # fmt: skip
    unit = unit_filter(scope.Area.DIALOGUES)
    locals().update(period_filters(date_field="received_on"))

    class Meta:
        model = OpinionCase
        fields = ()

    def filter_duplicates(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A duplicate merged into another case counts once, in that case (the indicators)."""
        if value in (HIDE, ONLY):
            return queryset.filter(merged_into__isnull=value == HIDE)
        return queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset
