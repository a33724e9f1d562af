"""The filters of the plans register and the plan items register (longbien/core/filters.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from longbien.core.filters import PeriodNumberFilter, ScopedFilterSet, choice_filter, unit_filter
from longbien.org import scope

from ..choices import Activity, PlanItemStatus
from ..models import Plan, PlanItem

AREA = scope.Area.INSPECTION_PLANS


class PlanFilterSet(ScopedFilterSet):
    within_field = "body"
    year = PeriodNumberFilter(field_name="year", period_name="year", label=_("Năm"))
    unit = unit_filter(AREA, field_name="body", label=_("Cơ quan lập kế hoạch"))

    class Meta:
        model = Plan
        fields = ()


class PlanItemFilterSet(ScopedFilterSet):
    search_fields = ("topic_folded",)
    year = PeriodNumberFilter(field_name="plan__year", period_name="year", label=_("Năm"))
    activity = choice_filter(Activity.choices, _("Hoạt động"))
    status = choice_filter(PlanItemStatus.choices, _("Trạng thái"))
    unit = unit_filter(AREA, field_name="plan__body", label=_("Cơ quan lập kế hoạch"))
    target = unit_filter(AREA, field_name="target_unit", label=_("Đơn vị được kiểm tra, giám sát"))

    class Meta:
        model = PlanItem
        fields = ()
