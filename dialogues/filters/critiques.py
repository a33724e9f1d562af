"""The filters of the critiques and supervisions register and of the feedback register
(longbien/core/filters.py)."""

from __future__ import annotations

import django_filters
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, period_filters, unit_filter
from longbien.org import scope

from ..choices import CritiqueKind, Organiser
from ..models import Critique, Feedback

AREA = scope.Area.DIALOGUES
WAITING, RESPONDED = "waiting", "responded"
ANSWERED_CHOICES = [("yes", _("Đã trả lời")), ("no", _("Chưa trả lời"))]


class CritiqueFilterSet(ScopedFilterSet):
    search_fields = ("subject_folded",)
    within_field = "unit"
    kind = choice_filter(CritiqueKind.choices, _("Hình thức"))
    organiser = choice_filter(Organiser.choices, _("Tổ chức chủ trì"))
    unit = unit_filter(AREA)
    locals().update(period_filters(date_field="held_on"))
    state = django_filters.ChoiceFilter(
        choices=[(WAITING, _("Còn kiến nghị chưa phản hồi")),
                 (RESPONDED, _("Mọi kiến nghị đã phản hồi"))],
        label=_("Phản hồi kiến nghị"), empty_label=_("Tất cả"), method="filter_state",
    )  # fmt: skip

    class Meta:
        model = Critique
        fields = ()

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """On the register's counts (``selectors.critique_list``): a critique still waiting
        has fewer responses than recommendations; one settled has them all."""
        if "recommendation_count" not in queryset.query.annotations:  # an export's rows
            queryset = queryset.annotate(
                recommendation_count=Count("recommendations", distinct=True),
                responded_count=Count(
                    "recommendations", filter=Q(recommendations__responded_on__isnull=False),
                    distinct=True,
                ),
            )  # fmt: skip
        if value == WAITING:
            return queryset.filter(responded_count__lt=F("recommendation_count"))
        if value == RESPONDED:
            return queryset.filter(
                recommendation_count__gt=0, responded_count=F("recommendation_count")
            )
        return queryset


class FeedbackFilterSet(ScopedFilterSet):
    search_fields = ("content_folded",)
    within_field = "unit"
    sender = choice_filter(Organiser.choices, _("Tổ chức góp ý"))
    unit = unit_filter(AREA)
    locals().update(period_filters(date_field="received_on"))
    answered = django_filters.ChoiceFilter(
        choices=ANSWERED_CHOICES, label=_("Trả lời"), empty_label=_("Tất cả"),
        method="filter_answered",
    )  # fmt: skip

    class Meta:
        model = Feedback
        fields = ()

    def filter_answered(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("yes", "no"):
            return queryset.filter(responded_on__isnull=value == "no")
        return queryset
