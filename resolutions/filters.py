"""The filters of the resolutions registers (longbien/core/filters.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien import periods
from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from .choices import BriefingKind, DocumentKind, DocumentStatus, IssuerLevel, TaskStatus
from .models import Briefing, Conference, Document, Task

AREA = scope.Area.RESOLUTIONS


def _checkbox(method: str, label: Any) -> django_filters.BooleanFilter:
    return django_filters.BooleanFilter(
        method=method,
        label=label,
        widget=django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"}),
    )


def _period_bounds(data: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of the period filtered (``start``/``end``, else the year, quarter
    or month as :class:`~longbien.core.filters.PeriodNumberFilter` reads them)."""
    start, end = data.get("start"), data.get("end")
    the_year = data.get("year") or timezone.localdate().year
    period = None
    if data.get("month"):
        period = periods.month(the_year, data["month"])
    elif data.get("quarter"):
        period = periods.quarter(the_year, data["quarter"])
    elif data.get("year"):
        period = periods.year(the_year)
    if period is not None:
        start = max(start, period.start) if start else period.start
        end = min(end, period.end) if end else period.end
    return start, end


class DocumentFilterSet(ScopedFilterSet):
    search_fields = ("title_folded",)
    kind = choice_filter(DocumentKind.choices, _("Loại"))
    level = choice_filter(IssuerLevel.choices, _("Cấp ban hành"), field_name="issuer_level")
    issuer = django_filters.CharFilter(method="filter_issuer", label=_("Cơ quan (mã)"))
    unit = unit_filter(AREA, field_name="issuing_unit", label=_("Đơn vị ban hành"))
    locals().update(period_filters(date_field="signed_date"))
    status = choice_filter(DocumentStatus.choices, _("Trạng thái"))
    issued = _checkbox("filter_issued", _("Không gồm dự thảo"))

    class Meta:
        model = Document
        fields = ()

    def filter_issued(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.exclude(status=DocumentStatus.DRAFT) if value else queryset

    def filter_issuer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(issuing_unit__code=value) | Q(issuer_code=value, issuing_unit__isnull=True)
        )


TASK_RESULTS = (
    ("done", _("Đã hoàn thành")),
    ("on_time", _("Hoàn thành đúng hạn")),
    ("overdue", _("Quá hạn chưa hoàn thành")),
)


class TaskFilterSet(ScopedFilterSet):
    search_fields = ("title_folded", "document__title_folded")
    within_field = "unit"
    unit = unit_filter(AREA, label=_("Đơn vị chủ trì"))
    locals().update(period_filters(date_field="deadline"))
    status = choice_filter(TaskStatus.choices, _("Trạng thái"))
    overdue = _checkbox("filter_overdue", _("Chỉ nhiệm vụ quá hạn"))
    due_soon = _checkbox("filter_due_soon", _("Chỉ nhiệm vụ sắp đến hạn"))
    # What the report counts: the tasks a unit carries out itself (a task passed down to
    # sub-units counts once, as theirs), and their result at the end of the period filtered.
    leaf = _checkbox("filter_leaf", _("Không tính nhiệm vụ đã giao tiếp cho cấp dưới"))
    result = django_filters.ChoiceFilter(
        choices=TASK_RESULTS,
        method="filter_result",
        label=_("Kết quả tính đến cuối kỳ lọc"),
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Task
        fields = ()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset

    def filter_due_soon(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.due_soon(timezone.localdate(), settings.TASK_REMINDER_DAYS)

    def filter_leaf(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(children__isnull=True) if value else queryset

    def filter_result(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Done, done on time or overdue as of the period's last day (today if sooner or if no
        period is filtered): a past quarter reads as it stood then."""
        if not value:
            return queryset
        start, end = _period_bounds(self.form.cleaned_data)
        today = timezone.localdate()
        as_of = min(today, end) if end else today
        done = Q(status=TaskStatus.DONE, completed_on__lte=as_of)
        if value == "overdue":
            return queryset.filter(Task.objects.overdue_q(as_of, done=done))
        if value == "on_time":
            if start is None or end is None:
                bounds = queryset.aggregate(first=Min("deadline"), last=Max("deadline"))
                start, end = start or bounds["first"], end or bounds["last"]
                if start is None or end is None:
                    return queryset.none()
            return queryset.filter(done & Task.objects.on_time_q("completed_on", start, end))
        return queryset.filter(done)


class ConferenceFilterSet(ScopedFilterSet):
    search_fields = ("document__title_folded",)
    within_field = "unit"
    document = django_filters.NumberFilter(
        field_name="document", widget=django_filters.widgets.forms.HiddenInput
    )
    unit = unit_filter(AREA)
    locals().update(period_filters(date_field="held_on"))

    class Meta:
        model = Conference
        fields = ()


class BriefingFilterSet(ScopedFilterSet):
    within_field = "unit"
    kind = choice_filter(BriefingKind.choices, _("Loại giao ban"))
    unit = unit_filter(AREA)
    locals().update(period_filters(date_field="held_on"))

    class Meta:
        model = Briefing
        fields = ()
