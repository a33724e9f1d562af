from __future__ import annotations

import django_filters
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from longbien.org import scope

from .. import selectors, services
from ..models import Evaluation
from .serializers import (
    ApproveSerializer,
    AssessSerializer,
    AssignmentSerializer,
    DecisionSerializer,
    EvaluationSerializer,
    PlanSerializer,
    ReturnSerializer,
    SelfAssessSerializer,
    TestSerializer,
    TrainingSerializer,
)


class CadrePermission(permissions.BasePermission):
    """A cadres role, or (for evaluations and plans) an account linked to a person."""

    message = "Bạn không có quyền truy cập chức năng này."

    def has_permission(self, request, view) -> bool:
        act = scope.VIEW if request.method in permissions.SAFE_METHODS else scope.CHANGE
        if scope.has_area(request.user, scope.Area.CADRES, act):
            return True
        own = getattr(view, "own_actions", ())
        return bool(request.user.person_id) and (
            request.method in permissions.SAFE_METHODS or getattr(view, "action", "") in own
        )


class EvaluationFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(method="subtree", label="Mã đơn vị (gồm cả cây con)")
    person = django_filters.CharFilter(field_name="person__code", label="Mã cán bộ")

    class Meta:
        model = Evaluation
        fields = ["year", "month", "status", "rating"]

    def subtree(self, queryset, name, value):
        from longbien.org.models import OrgUnit

        unit = OrgUnit.objects.filter(code=value).first()
        return queryset.filter(unit__path__startswith=unit.path) if unit else queryset.none()


class EvaluationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Monthly evaluations within the caller's scope (a cadre sees their own)."""

    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    permission_classes = [permissions.IsAuthenticated, CadrePermission]
    own_actions = ("create", "self_assess")
    ordering_fields = ["year", "month"]

    def get_queryset(self):
        return selectors.evaluation_list(user=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.evaluation_create(
            actor=self.request.user, person=data["person"], year=data["year"], month=data["month"]
        )

    def _step(self, request, serializer_class, service):
        evaluation = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = service(actor=request.user, evaluation=evaluation, **payload.validated_data)
        return Response(EvaluationSerializer(updated).data)

    @action(
        detail=True, methods=["post"], url_path="self-assess", serializer_class=SelfAssessSerializer
    )
    def self_assess(self, request, pk=None):
        return self._step(request, SelfAssessSerializer, services.evaluation_self_assess)

    @action(detail=True, methods=["post"], serializer_class=AssessSerializer)
    def assess(self, request, pk=None):
        return self._step(request, AssessSerializer, services.evaluation_assess)

    @action(detail=True, methods=["post"], serializer_class=ApproveSerializer)
    def approve(self, request, pk=None):
        return self._step(request, ApproveSerializer, services.evaluation_approve)

    @action(detail=True, methods=["post"], url_path="return", serializer_class=ReturnSerializer)
    def return_(self, request, pk=None):
        return self._step(request, ReturnSerializer, services.evaluation_return)


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
            viewsets.GenericViewSet):  # fmt: skip
    permission_classes = [permissions.IsAuthenticated, CadrePermission]


class DecisionViewSet(_Base):
    """Personnel decisions: appointment, reappointment, concurrence, transfer, nomination."""

    serializer_class = DecisionSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.decision_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.decision_create(
            actor=self.request.user, **serializer.validated_data
        )


class TestViewSet(_Base):
    """Qualification test sessions with participant and pass counts."""

    serializer_class = TestSerializer

    def get_queryset(self):
        return selectors.test_list(user=self.request.user)

    def perform_create(self, serializer):
        test = services.test_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.test_list(user=self.request.user).get(pk=test.pk)


class PlanViewSet(_Base):
    """Yearly self-improvement plans."""

    serializer_class = PlanSerializer
    own_actions = ("create",)
    filterset_fields = ["year"]

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.plan_create(
            actor=self.request.user, **serializer.validated_data
        )


class AssignmentViewSet(_Base):
    """Task assignments to Party members per year."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["year"]

    def get_queryset(self):
        return selectors.assignment_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.assignment_create(
            actor=self.request.user, **serializer.validated_data
        )


class TrainingViewSet(_Base):
    """Training classes for key cadres with completion counts."""

    serializer_class = TrainingSerializer

    def get_queryset(self):
        return selectors.training_list(user=self.request.user)

    def perform_create(self, serializer):
        training = services.training_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.training_list(user=self.request.user).get(pk=training.pk)
