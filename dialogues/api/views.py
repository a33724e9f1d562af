"""The dialogues API: dialogues with citizens and their commitments, and public-opinion cases
through their life cycle, on the kernel's scoped viewset.

Every viewset reads through its model's ``restrict()`` (a record out of scope is a 404 for
every route, custom actions included) and writes through one service. A case's workflow step
is a POST action at ``cases/{id}/<step>/``: the workflow table's ``check`` first (a user who
may not take it: 403 with the table's reason; a state that does not allow it: 400 with the
clear Vietnamese error), then the input's validation, then the step's service. ``reassign``
and ``merge`` are no workflow steps: their services check who and when.

Around the cases: critique conferences and thematic supervisions (``critiques/``, with their
recommendations; ``recommendations/{id}/respond/`` records a response), feedback on building
the Party and the government (``feedback/``, ``respond``), citizen reception sessions
(``receptions/``, with the cases opened there; a case names its session in ``reception``) and
skilful mass mobilisation models (``models/``).

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
from ..models import (
    CaseAssignment,
    Commitment,
    Critique,
    Dialogue,
    DialogueIssue,
    Feedback,
    MobilisationModel,
    OpinionCase,
    Reception,
    Recommendation,
)
from ..workflows import CASE_WORKFLOW
from .serializers import (
    CommitmentReportSerializer,
    CommitmentSerializer,
    CritiqueCreateSerializer,
    CritiqueRecommendationSerializer,
    CritiqueSerializer,
    CritiqueUpdateSerializer,
    DialogueCreateSerializer,
    DialogueSerializer,
    DialogueUpdateSerializer,
    FeedbackCreateSerializer,
    FeedbackSerializer,
    FeedbackUpdateSerializer,
    MobilisationModelCreateSerializer,
    MobilisationModelSerializer,
    MobilisationModelUpdateSerializer,
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
    ReceptionCreateSerializer,
    ReceptionSerializer,
    ReceptionUpdateSerializer,
    RecommendationInputSerializer,
    ResponseInputSerializer,
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

    @extend_schema(request=DialogueCreateSerializer, responses={201: DialogueSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, DialogueCreateSerializer, request.data)
        dialogue = services.dialogue_create(actor=request.user, **data)
        return self.reply_with(dialogue, DialogueSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=DialogueUpdateSerializer, responses=DialogueSerializer)
    def partial_update(self, request, *args, **kwargs):
        dialogue = self.get_object()
        data = api_input(self, DialogueUpdateSerializer, request.data)
        services.dialogue_update(actor=request.user, dialogue=dialogue, **data)
        return self.reply_with(dialogue, DialogueSerializer)


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
        return self.reply_with(case, OpinionCaseSerializer)

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
        return self.reply_with(case, OpinionCaseSerializer)

    @extend_schema(request=OpinionCaseMergeSerializer, responses=OpinionCaseSerializer)
    @action(detail=True, methods=["post"], serializer_class=OpinionCaseMergeSerializer)
    def merge(self, request, pk=None):
        """Merge this case (a duplicate) into another open case (``into``); both intakes and
        their sources are kept (``case_merge``)."""
        case = self.get_object()
        data = api_input(self, OpinionCaseMergeSerializer, request.data)
        services.case_merge(actor=request.user, case=case, **data)
        return self.reply_with(case, OpinionCaseSerializer)

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


# --- around the cases: critique and supervision, feedback, reception, models ------------------


class CritiqueFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="held_on__year")
    q = FoldedSearchFilter(field_name="subject_folded")

    class Meta:
        model = Critique
        fields = ["kind", "organiser"]


class CritiqueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Social critique conferences (Decision 217) and thematic supervisions, each with its
    recommendations and the responses to them.

    ``POST`` records one with its recommendations (``critique_create``); ``PATCH`` corrects it
    (``critique_update``); ``recommend`` adds a recommendation (``recommendation_add``).
    """

    serializer_class = CritiqueSerializer
    filterset_class = CritiqueFilter
    scope_area = Area.DIALOGUES
    ordering_fields = ["held_on"]

    def get_base_queryset(self):
        user = self.request.user
        recommendations = scope.RestrictedPrefetch(
            "recommendations", user, Recommendation.objects.order_by("id")
        )
        return (
            selectors.critique_list(user)
            .prefetch_related(recommendations)
            .order_by("-held_on", "-id")
        )

    @extend_schema(request=CritiqueCreateSerializer, responses={201: CritiqueSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, CritiqueCreateSerializer, request.data)
        critique = services.critique_create(actor=request.user, **data)
        return self.reply_with(critique, CritiqueSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=CritiqueUpdateSerializer, responses=CritiqueSerializer)
    def partial_update(self, request, *args, **kwargs):
        critique = self.get_object()
        data = api_input(self, CritiqueUpdateSerializer, request.data)
        services.critique_update(actor=request.user, critique=critique, **data)
        return self.reply_with(critique, CritiqueSerializer)

    @extend_schema(request=RecommendationInputSerializer, responses={201: CritiqueSerializer})
    @action(detail=True, methods=["post"], serializer_class=RecommendationInputSerializer)
    def recommend(self, request, pk=None):
        """Add a recommendation (content and addressee) to the critique or supervision."""
        critique = self.get_object()
        data = api_input(self, RecommendationInputSerializer, request.data)
        services.recommendation_add(actor=request.user, critique=critique, **data)
        return self.reply_with(critique, CritiqueSerializer, status.HTTP_201_CREATED)


class RecommendationFilter(django_filters.FilterSet):
    unit = SubtreeFilter(unit_field="critique__unit")
    critique = django_filters.NumberFilter(
        field_name="critique", label=_("Phản biện, giám sát"), min_value=1, max_value=2**31 - 1
    )
    responded = django_filters.BooleanFilter(
        field_name="responded_on", lookup_expr="isnull", exclude=True, label=_("Đã phản hồi")
    )

    class Meta:
        model = Recommendation
        fields = ["critique__kind"]


class RecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """The recommendations of critiques and supervisions; ``respond`` records the addressee's
    response and its date (``recommendation_respond``; a correction keeps the history)."""

    serializer_class = CritiqueRecommendationSerializer
    filterset_class = RecommendationFilter
    scope_area = Area.DIALOGUES

    def get_base_queryset(self):
        return selectors.recommendation_list(self.request.user).order_by("id")

    @extend_schema(request=ResponseInputSerializer, responses=CritiqueRecommendationSerializer)
    @action(detail=True, methods=["post"], serializer_class=ResponseInputSerializer)
    def respond(self, request, pk=None):
        """Record the response to the recommendation."""
        recommendation = self.get_object()
        data = api_input(self, ResponseInputSerializer, request.data)
        services.recommendation_respond(actor=request.user, recommendation=recommendation, **data)
        recommendation = self.get_base_queryset().get(pk=recommendation.pk)
        context = self.get_serializer_context()
        return Response(CritiqueRecommendationSerializer(recommendation, context=context).data)


class FeedbackFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="received_on__year")
    answered = django_filters.BooleanFilter(
        field_name="responded_on", lookup_expr="isnull", exclude=True, label=_("Đã trả lời")
    )
    q = FoldedSearchFilter(field_name="content_folded")

    class Meta:
        model = Feedback
        fields = ["sender"]


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Feedback on building the Party and the government (Decision 218).

    ``POST`` records an item, answered or not (``feedback_create``); ``PATCH`` corrects it
    (``feedback_update``); ``respond`` records the answer (``feedback_respond``).
    """

    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    scope_area = Area.DIALOGUES
    ordering_fields = ["received_on", "responded_on"]

    def get_base_queryset(self):
        return selectors.feedback_list(self.request.user).order_by("-received_on", "-id")

    @extend_schema(request=FeedbackCreateSerializer, responses={201: FeedbackSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, FeedbackCreateSerializer, request.data)
        feedback = services.feedback_create(actor=request.user, **data)
        return self.reply_with(feedback, FeedbackSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=FeedbackUpdateSerializer, responses=FeedbackSerializer)
    def partial_update(self, request, *args, **kwargs):
        feedback = self.get_object()
        data = api_input(self, FeedbackUpdateSerializer, request.data)
        services.feedback_update(actor=request.user, feedback=feedback, **data)
        return self.reply_with(feedback, FeedbackSerializer)

    @extend_schema(request=ResponseInputSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"], serializer_class=ResponseInputSerializer)
    def respond(self, request, pk=None):
        """Record the answer to the feedback item (it then counts as answered)."""
        feedback = self.get_object()
        data = api_input(self, ResponseInputSerializer, request.data)
        services.feedback_respond(actor=request.user, feedback=feedback, **data)
        return self.reply_with(feedback, FeedbackSerializer)


class ReceptionFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="held_on__year")

    class Meta:
        model = Reception
        fields: list[str] = []


class ReceptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Citizen reception sessions, with the cases opened there (those the caller may see;
    ``case_count`` counts them all). A case is received from a session with ``POST cases/``
    naming it in ``reception``.

    ``POST`` records a session (``reception_create``); ``PATCH`` corrects it
    (``reception_update``).
    """

    serializer_class = ReceptionSerializer
    filterset_class = ReceptionFilter
    scope_area = Area.DIALOGUES
    ordering_fields = ["held_on"]

    def get_base_queryset(self):
        user = self.request.user
        cases = scope.RestrictedPrefetch(
            "cases",
            user,
            OpinionCase.objects.only(
                "pk", "reception_id", "received_on", "status", "outcome", "unit_id",
                "assigned_unit_id",
            ).order_by("received_on", "id"),
        )  # fmt: skip
        return selectors.reception_list(user).prefetch_related(cases).order_by("-held_on", "-id")

    @extend_schema(request=ReceptionCreateSerializer, responses={201: ReceptionSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, ReceptionCreateSerializer, request.data)
        reception = services.reception_create(actor=request.user, **data)
        return self.reply_with(reception, ReceptionSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=ReceptionUpdateSerializer, responses=ReceptionSerializer)
    def partial_update(self, request, *args, **kwargs):
        reception = self.get_object()
        data = api_input(self, ReceptionUpdateSerializer, request.data)
        services.reception_update(actor=request.user, reception=reception, **data)
        return self.reply_with(reception, ReceptionSerializer)


class MobilisationModelFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="year")
    q = FoldedSearchFilter(field_name="name_folded")

    class Meta:
        model = MobilisationModel
        fields = ["field", "recognition"]


class MobilisationModelViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet
):
    """Skilful mass mobilisation models (mô hình dân vận khéo), per unit and year.

    ``POST`` registers one (``model_create``); ``PATCH`` corrects it (``model_update``).
    """

    serializer_class = MobilisationModelSerializer
    filterset_class = MobilisationModelFilter
    scope_area = Area.DIALOGUES
    ordering_fields = ["year"]

    def get_base_queryset(self):
        return selectors.model_list(self.request.user).order_by("-year", "unit__code", "id")

    @extend_schema(
        request=MobilisationModelCreateSerializer, responses={201: MobilisationModelSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = api_input(self, MobilisationModelCreateSerializer, request.data)
        model = services.model_create(actor=request.user, **data)
        return self.reply_with(model, MobilisationModelSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=MobilisationModelUpdateSerializer, responses=MobilisationModelSerializer)
    def partial_update(self, request, *args, **kwargs):
        model = self.get_object()
        data = api_input(self, MobilisationModelUpdateSerializer, request.data)
        services.model_update(actor=request.user, model=model, **data)
        return self.reply_with(model, MobilisationModelSerializer)
