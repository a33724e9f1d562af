from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from longbien.core.api import (
    ChangeReasonMixin,
    FoldedSearchFilter,
    ScopedGenericViewSet,
    SubtreeFilter,
)
from longbien.org import scope, selectors, services

from ..filters import PersonFilterSet
from ..models import OrgUnit, Person
from .serializers import OrgUnitSerializer, PersonSerializer, TermSerializer


class UnitFilter(django_filters.FilterSet):
    q = FoldedSearchFilter(field_name="name_folded")
    within = SubtreeFilter(unit_field="", label=_("Mã đơn vị gốc của cây con"))
    active = django_filters.BooleanFilter(
        field_name="valid_to", lookup_expr="isnull", label="Đang hoạt động"
    )

    class Meta:
        model = OrgUnit
        fields = ["kind", "parent"]


class OrgUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedGenericViewSet,
):
    """Units of the organisation tree within the caller's scope."""

    serializer_class = OrgUnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"
    scope_area = scope.Area.ORG
    ordering_fields = ["path", "name", "code"]

    def get_base_queryset(self):
        return OrgUnit.objects.select_related("parent", "successor").order_by("path")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.unit_create(
            actor=self.request.user,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=data.get("parent"),
            valid_from=data.get("valid_from"),
        )

    def perform_update(self, serializer):
        serializer.instance = services.unit_update(
            actor=self.request.user, unit=serializer.instance, **serializer.validated_data
        )


class PersonFilter(django_filters.FilterSet):
    q = FoldedSearchFilter(
        fields=PersonFilterSet.search_fields, label=_("Tìm theo họ tên, mã cán bộ (không dấu)")
    )
    unit = SubtreeFilter()

    class Meta:
        model = Person
        fields = ["management_level", "sex", "is_active"]


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedGenericViewSet,
):
    """Cadres and Party members within the caller's scope."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    scope_area = scope.Area.PEOPLE
    ordering_fields = ["sort_key", "code"]

    def get_base_queryset(self):
        return selectors.person_list(user=self.request.user, include_inactive=True)

    def perform_create(self, serializer):
        serializer.instance = services.person_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.person_update(
            actor=self.request.user, person=serializer.instance, **serializer.validated_data
        )


class TermViewSet(ChangeReasonMixin, viewsets.ReadOnlyModelViewSet):
    # Terms belong to no unit: every user who reads the organisation reads them all.
    """Terms of office."""

    serializer_class = TermSerializer
    scope_area = scope.Area.ORG
    filterset_fields = ["code"]

    def get_queryset(self):
        return selectors.term_list(user=self.request.user)

    @extend_schema(request=TermSerializer, responses={201: TermSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a term of office (``term_create``: administrators of the whole tree)."""
        serializer = TermSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        term = services.term_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )
        return Response(TermSerializer(term).data, status=status.HTTP_201_CREATED)
