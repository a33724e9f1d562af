"""The dialogues API: dialogues with citizens and their commitments, and public-opinion cases
through their life cycle, on the kernel's scoped viewset.

Every viewset reads through its model's ``restrict()`` (a record out of scope is a 404 for
every route, custom actions included) and writes through one service. A case's workflow step
is a POST action at ``cases/{id}/<step>/``: the workflow table's ``check`` first (a user who
may not take it: 403 with the table's reason; a state that does not allow it: 400 with the
clear Vietnamese error), then the input's validation, then the step's service. ``reassign``
and ``merge`` are no workflow steps: their services check who and when.

``POST cases/`` answers the case received with ``similar``, the open cases like it (possible
duplicates, to ``merge``); ``GET cases/similar/?content=…&unit=…`` gives them before saving.
The citizen's name, phone and address are null for whoever ``selectors.sees_citizen`` refuses.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from longbien.core.api import (
    FoldedSearchFilter,
    ScopedGenericViewSet,
    SubtreeFilter,
    YearFilter,
    api_input,
    workflow_action,
)
from longbien.org import scope
from longbien.org.models import OrgUnit

from .. import selectors, services
from ..models import CaseAssignment, Commitment, Dialogue, DialogueIssue, OpinionCase
from ..workflows import CASE_WORKFLOW
from .serializers import (
    CommitmentReportSerializer,
    CommitmentSerializer,
    DialogueCreateSerializer,
    DialogueSerializer,
    DialogueUpdateSerializer,
    OpinionCaseAnswerSerializer,
    OpinionCaseAssignSerializer,
    OpinionCaseCloseSerializer,
    OpinionCaseEmptySerializer,
    OpinionCaseMergeSerializer,
    OpinionCaseReasonSerializer,
    OpinionCaseReassignSerializer,
    OpinionCaseReceivedSerializer,
    OpinionCaseReceiveSerializer,
    OpinionCaseSerializer,
    OpinionCaseTransferSerializer,
    OpinionCaseUpdateSerializer,
    SimilarOpinionCaseQuerySerializer,
    SimilarOpinionCaseSerializer,
)

Area = scope.Area


# --- dialogues ----------------------------------------------------------------------------------


class DialogueFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="held_on__year")
    q = FoldedSearchFilter(field_name="topic_folded")

    class Meta:
        model = Dialogue
        fields = ["level"]


class DialogueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Dialogues with citizens, each with the issues raised and their commitments.

    ``POST`` records a dialogue with its issues (``dialogue_create``: each issue answered at
    the meeting, or a commitment with owner unit and deadline); ``PATCH`` corrects it
    (``dialogue_update``).
    """

    serializer_class = DialogueSerializer
    filterset_class = DialogueFilter
    scope_area = Area.DIALOGUES
    ordering_fields = ["held_on"]

    def get_base_queryset(self):
        user = self.request.user
        cases = scope.RestrictedPrefetch("cases", user, OpinionCase.objects.only("pk"))
        issues = scope.RestrictedPrefetch(
            "issues",
            user,
            DialogueIssue.objects.select_related("commitment__owner_unit")
            .prefetch_related(cases)
            .order_by("id"),
        )
        return (
            Dialogue.objects.select_related("unit")
            .prefetch_related(issues)
            .order_by("-held_on", "-id")
        )

    def _answer(self, dialogue: Dialogue, code: int = status.HTTP_200_OK) -> Response:
        dialogue = self.get_base_queryset().restrict(self.request.user).get(pk=dialogue.pk)
        context = self.get_serializer_context()
        return Response(DialogueSerializer(dialogue, context=context).data, status=code)

    @extend_schema(request=DialogueCreateSerializer, responses={201: DialogueSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, DialogueCreateSerializer, request.data)
        dialogue = services.dialogue_create(actor=request.user, **data)
        return self._answer(dialogue, status.HTTP_201_CREATED)

    @extend_schema(request=DialogueUpdateSerializer, responses=DialogueSerializer)
    def partial_update(self, request, *args, **kwargs):
        dialogue = self.get_object()
        data = api_input(self, DialogueUpdateSerializer, request.data)
        services.dialogue_update(actor=request.user, dialogue=dialogue, **data)
        return self._answer(dialogue)


class CommitmentFilter(django_filters.FilterSet):
    owner_unit = SubtreeFilter(unit_field="owner_unit")
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Quá hạn"))
    dialogue = django_filters.NumberFilter(
        field_name="issue__dialogue", label=_("Cuộc đối thoại"), min_value=1, max_value=2**31 - 1
    )

    class Meta:
        model = Commitment
        fields = ["status"]

    def by_overdue(self, queryset, name, value):
        late = queryset.overdue(timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class CommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Commitments made at dialogues, tracked to completion: the owner unit's and those of
    the dialogues' units. ``report`` records progress; at 100 % with its evidence, the
    commitment is kept (``commitment_report``)."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    scope_area = Area.DIALOGUES
    ordering_fields = ["deadline"]

    def get_base_queryset(self):
        return Commitment.objects.select_related("owner_unit", "issue").order_by("deadline", "id")

    @extend_schema(request=CommitmentReportSerializer, responses=CommitmentSerializer)
    @action(detail=True, methods=["post"], serializer_class=CommitmentReportSerializer)
    def report(self, request, pk=None):
        """Report the commitment's progress (kept at 100 %, with its evidence)."""
        commitment = self.get_object()
        data = api_input(self, CommitmentReportSerializer, request.data)
        services.commitment_report(actor=request.user, commitment=commitment, **data)
        commitment = self.get_base_queryset().get(pk=commitment.pk)
        return Response(
            CommitmentSerializer(commitment, context=self.get_serializer_context()).data
        )


# --- public-opinion cases -----------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    assigned_unit = SubtreeFilter(unit_field="assigned_unit", label=_("Mã đơn vị xử lý"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Quá hạn"))
    year = YearFilter(field_name="received_on__year")
    q = FoldedSearchFilter(field_name="content_folded")

    class Meta:
        model = OpinionCase
        fields = ["status", "outcome", "source", "category", "urgency"]

    def by_overdue(self, queryset, name, value):
        late = queryset.overdue(timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


def _root_unit() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Public-opinion cases: those concerning the caller's units and those assigned to them.

    ``POST`` receives a case (``case_receive``) and answers it with ``similar``, the open
    cases like it; ``PATCH`` corrects it (``case_update``). ``assign``, ``start``, ``answer``,
    ``close``, ``reject``, ``transfer`` and ``reopen`` are the workflow's steps
    (``CASE_WORKFLOW``); ``reassign`` gives an assigned case to another unit and ``merge``
    merges a duplicate into another open case. The citizen's personal data are null for
    whoever may not see them.
    """

    serializer_class = OpinionCaseSerializer
    filterset_class = CaseFilter
    scope_area = Area.DIALOGUES
    ordering_fields = ["received_on", "due_on"]

    def get_base_queryset(self):
        assignments = Prefetch(
            "assignments",
            queryset=CaseAssignment.objects.select_related("unit").order_by("at", "id"),
        )
        return (
            OpinionCase.objects.select_related("unit", "assigned_unit")
            .prefetch_related(assignments)
            .order_by("-received_on", "-id")
        )

    def _answer(self, case: OpinionCase, code: int = status.HTTP_200_OK) -> Response:
        case = self.get_base_queryset().restrict(self.request.user).get(pk=case.pk)
        return Response(
            OpinionCaseSerializer(case, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        request=OpinionCaseReceiveSerializer, responses={201: OpinionCaseReceivedSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = api_input(self, OpinionCaseReceiveSerializer, request.data)
        case = services.case_receive(actor=request.user, **data)
        case = self.get_base_queryset().restrict(request.user).get(pk=case.pk)
        case.similar = selectors.similar_cases(
            request.user, content=case.content, unit=case.unit, exclude=case.pk
        )
        return Response(
            OpinionCaseReceivedSerializer(case, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=OpinionCaseUpdateSerializer, responses=OpinionCaseSerializer)
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        data = api_input(self, OpinionCaseUpdateSerializer, request.data)
        services.case_update(actor=request.user, case=case, **data)
        return self._answer(case)

    assign = workflow_action(
        CASE_WORKFLOW, "assign", "case", OpinionCaseAssignSerializer, OpinionCaseSerializer
    )
    start = workflow_action(
        CASE_WORKFLOW, "start", "case", OpinionCaseEmptySerializer, OpinionCaseSerializer
    )
    answer = workflow_action(
        CASE_WORKFLOW, "answer", "case", OpinionCaseAnswerSerializer, OpinionCaseSerializer
    )
    close = workflow_action(
        CASE_WORKFLOW, "close", "case", OpinionCaseCloseSerializer, OpinionCaseSerializer
    )
    reject = workflow_action(
        CASE_WORKFLOW, "reject", "case", OpinionCaseReasonSerializer, OpinionCaseSerializer
    )
    transfer = workflow_action(CASE_WORKFLOW, "transfer", "case", OpinionCaseTransferSerializer,
                               OpinionCaseSerializer)  # fmt: skip
    reopen = workflow_action(
        CASE_WORKFLOW, "reopen", "case", OpinionCaseReasonSerializer, OpinionCaseSerializer
    )

    @extend_schema(request=OpinionCaseReassignSerializer, responses=OpinionCaseSerializer)
    @action(detail=True, methods=["post"], serializer_class=OpinionCaseReassignSerializer)
    def reassign(self, request, pk=None):
        """Give an assigned case to another unit, with the reason (``case_reassign``)."""
        case = self.get_object()
        data = api_input(self, OpinionCaseReassignSerializer, request.data)
        services.case_reassign(actor=request.user, case=case, **data)
        return self._answer(case)

    @extend_schema(request=OpinionCaseMergeSerializer, responses=OpinionCaseSerializer)
    @action(detail=True, methods=["post"], serializer_class=OpinionCaseMergeSerializer)
    def merge(self, request, pk=None):
        """Merge this case (a duplicate) into another open case (``into``); both intakes and
        their sources are kept (``case_merge``)."""
        case = self.get_object()
        data = api_input(self, OpinionCaseMergeSerializer, request.data)
        services.case_merge(actor=request.user, case=case, **data)
        return self._answer(case)

    @extend_schema(
        operation_id="dialogues_cases_similar",
        parameters=[SimilarOpinionCaseQuerySerializer],
        request=None,
        responses=SimilarOpinionCaseSerializer(many=True),
    )
    @action(detail=False, methods=["get"], serializer_class=SimilarOpinionCaseSerializer,
            filterset_class=None, pagination_class=None)  # fmt: skip
    def similar(self, request):
        """The open cases like a text not saved yet (the duplicate suggestion), in the unit
        named (its parent and below), or in the whole tree: ignoring diacritics, case and
        word order."""
        data = api_input(self, SimilarOpinionCaseQuerySerializer, request.query_params)
        unit = data.get("unit") or _root_unit()
        if unit is None:
            return Response([])
        rows = selectors.similar_cases(
            request.user, content=data["content"], unit=unit, exclude=data.get("exclude")
        )
        context = self.get_serializer_context()
        return Response(SimilarOpinionCaseSerializer(rows, many=True, context=context).data)
