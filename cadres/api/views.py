from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from longbien.core.api import FoldedSearchFilter, ScopedGenericViewSet, SubtreeFilter
from longbien.org import scope

from .. import selectors, services
from ..filters import EvaluationFilterSet
from ..models import Evaluation, PlanReview
from ..workflows import EVALUATION_WORKFLOW, OWN_ACTIONS
from .serializers import (
    ApproveSerializer,
    AssessSerializer,
    AssignmentResultSerializer,
    AssignmentSerializer,
    CompletionSerializer,
    DecisionSerializer,
    EvaluationSerializer,
    ParticipantSerializer,
    PeopleSerializer,
    PlanReviewInputSerializer,
    PlanSerializer,
    ReturnSerializer,
    ScoresSerializer,
    SelfAssessSerializer,
    TestSerializer,
    TrainingParticipantSerializer,
    TrainingSerializer,
)


class CadrePermission(permissions.BasePermission):
    """A cadres role, or (for evaluations and plans) an account linked to a person."""

    message = gettext_lazy("Bạn không có quyền truy cập chức năng này.")

    def has_permission(self, request, view) -> bool:
        act = scope.VIEW if request.method in permissions.SAFE_METHODS else scope.CHANGE
        if scope.has_area(request.user, scope.Area.CADRES, act):
            return True
        own = getattr(view, "own_actions", ())
        return bool(request.user.person_id) and (
            request.method in permissions.SAFE_METHODS or getattr(view, "action", "") in own
        )


class EvaluationFilter(django_filters.FilterSet):
    q = FoldedSearchFilter(
        fields=EvaluationFilterSet.search_fields,
        label=gettext_lazy("Tìm theo họ tên, mã cán bộ (không dấu)"),
    )
    unit = SubtreeFilter()
    person = django_filters.CharFilter(field_name="person__code", label="Mã cán bộ")

    class Meta:
        model = Evaluation
        fields = ["year", "month", "status", "rating"]


def _workflow_action(step: str, serializer_class: type, *, attr: str = "") -> Any:
    """The API action of one step of the evaluation table, at ``…/{pk}/<step>/``.

    Its permission is the table's: a user who may not take the step on this record gets a
    403 with the table's reason, a step the record's state does not allow a 400 with the
    clear Vietnamese error; then the step's service runs with the validated input.
    """
    transition = EVALUATION_WORKFLOW[step]

    def run(self, request, pk=None):
        evaluation = self.get_object()
        EVALUATION_WORKFLOW.check(request.user, evaluation, step)
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = transition.perform(
            actor=request.user, evaluation=evaluation, **payload.validated_data
        )
        return Response(EvaluationSerializer(updated).data)

    run.__name__ = attr or step  # the router finds the method by this name
    run = action(
        detail=True, methods=["post"], url_path=step.replace("_", "-"),
        serializer_class=serializer_class,
    )(run)  # fmt: skip
    return extend_schema(
        request=serializer_class, responses=EvaluationSerializer, summary=transition.label
    )(run)


class EvaluationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ScopedGenericViewSet,
):
    """Monthly evaluations within the caller's scope (a cadre sees their own)."""

    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    permission_classes = [permissions.IsAuthenticated, CadrePermission]
    # The steps a cadre without a role takes on their own record come from the table.
    own_actions = ("create", *OWN_ACTIONS)
    ordering_fields = ["year", "month"]

    def get_base_queryset(self):
        return selectors.evaluation_list(user=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.evaluation_create(
            actor=self.request.user, person=data["person"], year=data["year"], month=data["month"]
        )

    # The workflow actions: one per step of the table; who may take it is the table's rule.
    self_assess = _workflow_action("self_assess", SelfAssessSerializer)
    assess = _workflow_action("assess", AssessSerializer)
    approve = _workflow_action("approve", ApproveSerializer)
    return_ = _workflow_action("return", ReturnSerializer, attr="return_")


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
            ScopedGenericViewSet):  # fmt: skip
    permission_classes = [permissions.IsAuthenticated, CadrePermission]


def _ids_by_code(user: Any, values: dict[str, Any]) -> tuple[dict[int, Any], dict[str, str]]:
    """Turn ``{person code: value}`` into ``{person id: value}``; unknown codes are an error.

    Codes are looked up within the user's scope: one outside it is reported as unknown.
    Also return the way back (id as text → code) to report a bulk service's errors by code.
    """
    wanted = {str(code).strip().upper(): value for code, value in values.items()}
    found = dict(
        selectors.people_in_scope(user=user).filter(code__in=wanted).values_list("code", "pk")
    )
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError({code: services.unknown_person_message(code) for code in unknown})
    return {found[code]: value for code, value in wanted.items()}, {
        str(pk): code for code, pk in found.items()
    }


def _bulk(service: Callable[..., Any], codes: dict[str, str], **kwargs: Any) -> Any:
    """Call a bulk service and key its per-person errors by person code."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {codes.get(key, key): items for key, items in error.error_dict.items()}
        ) from error


class DecisionViewSet(_Base):
    """Personnel decisions: appointment, reappointment, concurrence, transfer, nomination."""

    serializer_class = DecisionSerializer
    filterset_fields = ["kind"]

    def get_base_queryset(self):
        return selectors.decision_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.decision_create(
            actor=self.request.user, **serializer.validated_data
        )


class TestViewSet(_Base):
    """Qualification test sessions with participant and pass counts."""

    serializer_class = TestSerializer

    def get_base_queryset(self):
        return selectors.test_list(user=self.request.user)

    def perform_create(self, serializer):
        test = services.test_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.test_list(user=self.request.user).get(pk=test.pk)

    def _participants(self, test, code=status.HTTP_200_OK):
        rows = selectors.participant_list(user=self.request.user, test=test)
        return Response(ParticipantSerializer(rows, many=True).data, status=code)

    @extend_schema(methods=["GET"], request=None, responses=ParticipantSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=PeopleSerializer,
        responses={201: ParticipantSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], serializer_class=PeopleSerializer)
    def participants(self, request, pk=None):
        """List the participants one may see; POST registers people (all or none)."""
        test = self.get_object()
        if request.method == "POST":
            payload = PeopleSerializer(data=request.data, context=self.get_serializer_context())
            payload.is_valid(raise_exception=True)
            services.test_add_participants(actor=request.user, test=test, **payload.validated_data)
            return self._participants(test, status.HTTP_201_CREATED)
        return self._participants(test)

    @extend_schema(request=ScoresSerializer, responses=ParticipantSerializer(many=True))
    @action(detail=True, methods=["post"], serializer_class=ScoresSerializer)
    def scores(self, request, pk=None):
        """Enter the session's scores by person code in one go: all are saved or none."""
        test = self.get_object()
        payload = ScoresSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        scores, codes = _ids_by_code(request.user, payload.validated_data["scores"])
        _bulk(services.test_record_scores, codes, actor=request.user, test=test, scores=scores)
        return self._participants(test)


class PlanViewSet(_Base):
    """Yearly self-improvement plans."""

    serializer_class = PlanSerializer
    own_actions = ("create",)
    filterset_fields = ["year"]

    def get_base_queryset(self):
        reviews = scope.RestrictedPrefetch("reviews", self.request.user, PlanReview.objects.all())
        return selectors.plan_list(user=self.request.user).prefetch_related(reviews)

    def perform_create(self, serializer):
        serializer.instance = services.plan_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=PlanReviewInputSerializer, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"], serializer_class=PlanReviewInputSerializer)
    def review(self, request, pk=None):
        """Record the cell meeting's review note for a month."""
        plan = self.get_object()
        payload = PlanReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.plan_review(actor=request.user, plan=plan, **payload.validated_data)
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class AssignmentViewSet(_Base):
    """Task assignments to Party members per year."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["year"]

    def get_base_queryset(self):
        return selectors.assignment_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.assignment_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=AssignmentResultSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], serializer_class=AssignmentResultSerializer)
    def result(self, request, pk=None):
        """Record the year-end result."""
        assignment = self.get_object()
        payload = AssignmentResultSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = services.assignment_record_result(
            actor=request.user, assignment=assignment, **payload.validated_data
        )
        return Response(AssignmentSerializer(updated).data)


class TrainingViewSet(_Base):
    """Training classes for key cadres with completion counts."""

    serializer_class = TrainingSerializer

    def get_base_queryset(self):
        return selectors.training_list(user=self.request.user)

    def perform_create(self, serializer):
        training = services.training_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.training_list(user=self.request.user).get(pk=training.pk)

    def _participants(self, training, code=status.HTTP_200_OK):
        rows = selectors.training_participants(user=self.request.user, training=training)
        return Response(TrainingParticipantSerializer(rows, many=True).data, status=code)

    @extend_schema(
        methods=["GET"], request=None, responses=TrainingParticipantSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"], request=PeopleSerializer,
        responses={201: TrainingParticipantSerializer(many=True)},
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"], serializer_class=PeopleSerializer)
    def participants(self, request, pk=None):
        """List the participants one may see; POST enrols people (all or none)."""
        training = self.get_object()
        if request.method == "POST":
            payload = PeopleSerializer(data=request.data, context=self.get_serializer_context())
            payload.is_valid(raise_exception=True)
            services.training_enrol(actor=request.user, training=training, **payload.validated_data)
            return self._participants(training, status.HTTP_201_CREATED)
        return self._participants(training)

    @extend_schema(request=CompletionSerializer, responses=TrainingParticipantSerializer(many=True))
    @action(detail=True, methods=["post"], serializer_class=CompletionSerializer)
    def completion(self, request, pk=None):
        """Mark who completed the class, by person code, in one go."""
        training = self.get_object()
        payload = CompletionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        completed, codes = _ids_by_code(request.user, payload.validated_data["completed"])
        _bulk(
            services.training_record_completion, codes,
            actor=request.user, training=training, completed=completed,
        )  # fmt: skip
        return self._participants(training)
