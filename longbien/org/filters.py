"""The filters of the organisation registers (longbien/core/filters.py)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from longbien.core.filters import ScopedFilterSet, choice_filter, unit_filter

from . import scope
from .choices import ManagementLevel
from .models import Person

CHECKBOX = django_filters.widgets.forms.CheckboxInput(attrs={"value": "1"})


class PersonFilterSet(ScopedFilterSet):
    search_fields = ("name_folded", "code")
    within_field = "unit"
    unit = unit_filter(scope.Area.PEOPLE)
    level = choice_filter(ManagementLevel.choices, _("Diện quản lý"), "management_level")
    members = django_filters.BooleanFilter(
        method="filter_members", label=_("Chỉ đảng viên"), widget=CHECKBOX
    )
    inactive = django_filters.BooleanFilter(
        method="filter_inactive", label=_("Gồm cả người đã nghỉ"), widget=CHECKBOX
    )

    class Meta:
        model = Person
        fields = ()

    def filter_members(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(party_member_since__isnull=False) if value else queryset

    def filter_inactive(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset if value else queryset.filter(is_active=True)
