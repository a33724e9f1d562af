"""The filters of the reception and model registers (longbien/core/filters.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from longbien.core.filters import (
    PeriodNumberFilter,
    ScopedFilterSet,
    choice_filter,
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

    class Meta:
        model = MobilisationModel
        fields = ()
