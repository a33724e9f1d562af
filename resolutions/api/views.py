from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from longbien.core.api import FoldedSearchFilter, ScopedGenericViewSet, SubtreeFilter
from longbien.org import scope
from longbien.text import fold

from .. import selectors, services
from ..filters import TaskFilterSet
from ..models import Briefing, BriefingIssue, Document, Task
from .serializers import (
    BriefingSerializer,
    ConferenceSerializer,
    DocumentSerializer,
    ProgressSerializer,
    TaskAssignSerializer,
    TaskSerializer,
)

AREA = scope.Area.RESOLUTIONS


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Tìm theo số hiệu, trích yếu (không dấu)")
    issuer = django_filters.CharFilter(
        method="by_issuer", label="Mã đơn vị hoặc ký hiệu cơ quan ban hành"
    )

    class Meta:
        model = Document
        fields = ["kind", "year", "status", "issuer_level"]

    def search(self, queryset, name, value):
        return queryset.filter(title_folded__contains=fold(value))

    def by_issuer(self, queryset, name, value):
        return queryset.filter(
            Q(issuing_unit__code=value) | Q(issuing_unit__isnull=True, issuer_code=value)
        )


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedGenericViewSet,
):
    """Documents: the unit's own, and those from above it (read-only for wards)."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    scope_area = AREA
    ordering_fields = ["signed_date", "number"]

    def get_base_queryset(self):
        return (
            Document.objects.select_related("issuing_unit")
            .prefetch_related(
                scope.RestrictedPrefetch("implements", self.request.user, Document.objects.all())
            )
            .order_by("-signed_date", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        implements = data.pop("implements", [])
        serializer.instance = services.document_create(
            actor=self.request.user, implements=implements, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        implements = data.pop("implements", None)
        serializer.instance = services.document_update(
            actor=self.request.user, document=serializer.instance, implements=implements, **data
        )


class TaskFilter(django_filters.FilterSet):
    q = FoldedSearchFilter(
        fields=TaskFilterSet.search_fields, label=_("Tìm theo tên nhiệm vụ, văn bản (không dấu)")
    )
    unit = SubtreeFilter()
    overdue = django_filters.BooleanFilter(method="by_overdue", label="Quá hạn")

    class Meta:
        model = Task
        fields = ["document", "status", "parent"]

    def by_overdue(self, queryset, name, value):
        late = queryset.overdue(timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Implementation tasks in the caller's scope; assign with POST, report with ``progress``."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    scope_area = AREA
    ordering_fields = ["deadline", "progress"]

    def get_base_queryset(self):
        return selectors.task_list(user=self.request.user)

    @extend_schema(request=TaskAssignSerializer, responses=TaskSerializer(many=True))
    def create(self, request, *args, **kwargs):
        payload = TaskAssignSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        tasks = services.task_assign(actor=request.user, **data)
        return Response(TaskSerializer(tasks, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProgressSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        task = self.get_object()
        payload = ProgressSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.task_report_progress(actor=request.user, task=task, **payload.validated_data)
        task.refresh_from_db()
        return Response(TaskSerializer(task).data)


class ConferenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ScopedGenericViewSet,
):
    serializer_class = ConferenceSerializer
    scope_area = AREA
    filterset_fields = ["document", "unit"]

    def get_base_queryset(self):
        return selectors.conference_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        document, unit = data.pop("document"), data.pop("unit")
        serializer.instance = services.conference_record(
            actor=self.request.user, document=document, unit=unit, **data
        )


class BriefingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ScopedGenericViewSet,
):
    serializer_class = BriefingSerializer
    scope_area = AREA
    filterset_fields = ["kind", "unit"]

    def get_base_queryset(self):
        issues = scope.RestrictedPrefetch("issues", self.request.user, BriefingIssue.objects.all())
        return Briefing.objects.select_related("unit").prefetch_related(issues).order_by("-held_on")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        issues = data.pop("issues", [])
        serializer.instance = services.briefing_record(
            actor=self.request.user, issues=issues, **data
        )
