"""The filters of the quarterly reports' register (longbien/core/filters.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from longbien.core.filters import PeriodNumberFilter, ScopedFilterSet, choice_filter, unit_filter
from longbien.org import scope

from .choices import ReportStatus
from .models import QuarterlyReport

AREA = scope.Area.REPORTS
QUARTERS = [(1, _("Quý I")), (2, _("Quý II")), (3, _("Quý III")), (4, _("Quý IV"))]


class ReportFilterSet(ScopedFilterSet):
    within_field = "unit"
    year = PeriodNumberFilter(field_name="year", period_name="year", label=_("Năm"))
    quarter = choice_filter(QUARTERS, _("Quý"), field_name="quarter")
    status = choice_filter(ReportStatus.choices, _("Trạng thái"))
    unit = unit_filter(AREA, label=_("Đơn vị"))

    class Meta:
        model = QuarterlyReport
        fields = ()
