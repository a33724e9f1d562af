"""The filters of the dialogue and commitment registers (longbien/core/filters.py)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from ..choices import CommitmentStatus, DialogueLevel
from ..models import Commitment, Dialogue

AREA = scope.Area.DIALOGUES
_PERIOD = period_filters(date_field="held_on")


class DialogueFilterSet(ScopedFilterSet):
    search_fields = ("topic_folded",)
    within_field = "unit"
    level = choice_filter(DialogueLevel.choices, _("Cấp"))
    unit = unit_filter(AREA, label=_("Đơn vị tổ chức"))
    year = _PERIOD["year"]
    quarter = _PERIOD["quarter"]
    month = _PERIOD["month"]
    start = _PERIOD["start"]
    end = _PERIOD["end"]

    class Meta:
        model = Dialogue
        fields = ()


class CommitmentFilterSet(ScopedFilterSet):
    search_fields = ("content", "issue__dialogue__topic_folded")
    within_field = "owner_unit"
    status = choice_filter(CommitmentStatus.choices, _("Trạng thái"))
    unit = unit_filter(AREA, field_name="owner_unit", label=_("Đơn vị thực hiện"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Chỉ cam kết quá hạn"),
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )

    class Meta:
        model = Commitment
        fields = ()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset
