"""The filters of the dialogue and commitment registers (longbien/core/filters.py)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from ..choices import CommitmentStatus, DialogueLevel
from ..models import Commitment, Dialogue

AREA = scope.Area.DIALOGUES
_PERIOD = period_filters(date_field="held_on")
ON_TIME, LATE, OVERDUE = "on_time", "late", "overdue"
_DAY = forms.DateInput(attrs={"size": 10, "placeholder": "dd/mm/yyyy"})


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
    # The commitments made at the dialogues a unit held between two days (as counted by
    # ``dialogues.indicators``), and how they stand on the last of those days.
    dialogue_unit = unit_filter(
        AREA, field_name="issue__dialogue__unit", label=_("Đơn vị tổ chức đối thoại")
    )
    start = django_filters.DateFilter(
        field_name="issue__dialogue__held_on",
        lookup_expr="gte",
        label=_("Đối thoại từ ngày"),
        widget=_DAY,
    )
    end = django_filters.DateFilter(
        field_name="issue__dialogue__held_on",
        lookup_expr="lte",
        label=_("Đối thoại đến ngày"),
        widget=_DAY,
    )
    progress = django_filters.ChoiceFilter(
        choices=[(ON_TIME, _("Thực hiện đúng hạn")), (LATE, _("Thực hiện quá hạn")),
                 (OVERDUE, _("Quá hạn chưa thực hiện (đến hết “Đối thoại đến ngày”)"))],
        label=_("Tiến độ"), empty_label=_("Tất cả"), method="filter_progress",
    )  # fmt: skip

    class Meta:
        model = Commitment
        fields = ()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset

    def filter_progress(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """As ``selectors.commitment_figures`` counts: kept by the effective deadline or
        after it; still open past it on the day ``end`` names (today if sooner or none)."""
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(
                queryset.overdue_q(min(today, self.form.cleaned_data.get("end") or today))
            )
        if value not in (ON_TIME, LATE):
            return queryset
        bounds = queryset.aggregate(first=Min("deadline"), last=Max("deadline"))
        on_time = queryset.on_time_q(
            "completed_on", bounds["first"] or today, bounds["last"] or today
        )
        done = queryset.filter(status=CommitmentStatus.DONE)
        return done.filter(on_time) if value == ON_TIME else done.exclude(on_time)
