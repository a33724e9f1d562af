"""The inspections API: plans and their items, inspections and supervisions, follow-ups,
discipline decisions and the confidential cases, on the kernel's scoped viewset.

Every viewset reads through its model's ``restrict()`` (a record out of scope is a 404 for
every route, custom actions included) and writes through one service. A workflow step is a
POST action at ``…/{id}/<step>/``: the workflow table's ``check`` first (a user who may not
take it: 403 with the table's reason; a state that does not allow it: 400 with the clear
Vietnamese error), then the input's validation, then the step's service.

Plan items have their own resource, ``plan-items/`` (list, retrieve, partial update and the
steps ``approve``, ``cancel``, ``reopen``); a plan's ``items/`` action adds one, its
``overlaps/`` action lists every item's conflicts with other bodies' plans, and
``plans/overlap-check/`` checks an item not saved yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, status
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
from longbien.core.permissions import AreaPermission
from longbien.org import scope
from longbien.text import fold

from .. import selectors, services
from ..models import (
    Case,
    CaseExtension,
    Discipline,
    FollowUp,
    Inspection,
    Plan,
    PlanItem,
    month_end,
)
from ..workflows import CASE_WORKFLOW, INSPECTION_WORKFLOW, PLAN_ITEM_WORKFLOW
from .serializers import (
    CaseConcludeSerializer,
    CaseExtendSerializer,
    CaseReceiveSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    CloseSerializer,
    ConcludeSerializer,
    ConflictSerializer,
    DisciplineCreateSerializer,
    DisciplineSerializer,
    EmptySerializer,
    FollowUpCompleteSerializer,
    FollowUpSerializer,
    InspectionCreateSerializer,
    InspectionPlanSerializer,
    InspectionSerializer,
    InspectionUpdateSerializer,
    ItemConflictsSerializer,
    OverlapCheckSerializer,
    PlanCreateSerializer,
    PlanItemAddSerializer,
    PlanItemApproveSerializer,
    PlanItemSerializer,
    PlanItemUpdateSerializer,
    ReasonSerializer,
)

Area = scope.Area


# --- plans ------------------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    body = SubtreeFilter(unit_field="body")

    class Meta:
        model = Plan
        fields = ["year"]


def _item_queryset() -> Any:
    return PlanItem.objects.select_related(
        "plan__body", "target_unit", "target_person", "lead_body"
    )


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Annual inspection and supervision plans with the items the caller may see.

    ``POST plans/`` opens a plan (``plan_create``); ``POST plans/{id}/items/`` adds an item
    (``plan_item_add``); ``GET plans/{id}/overlaps/`` gives every item's conflicts with other
    bodies' plans in one call; ``POST plans/overlap-check/`` gives the conflicts of an item
    not saved yet. The items' steps (approve, cancel, reopen) are on ``plan-items/``.
    """

    serializer_class = InspectionPlanSerializer
    filterset_class = PlanFilter
    scope_area = Area.INSPECTION_PLANS
    ordering_fields = ["year"]

    def get_base_queryset(self):
        items = scope.RestrictedPrefetch("items", self.request.user, _item_queryset())
        return (
            Plan.objects.select_related("body")
            .prefetch_related(items)
            .order_by("-year", "body__sort_key", "id")
        )

    def _plan(self, plan: Plan, code: int = status.HTTP_200_OK) -> Response:
        plan = self.get_base_queryset().restrict(self.request.user).get(pk=plan.pk)
        return Response(
            InspectionPlanSerializer(plan, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=PlanCreateSerializer, responses={201: InspectionPlanSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, PlanCreateSerializer, request.data)
        plan = services.plan_create(actor=request.user, **data)
        return self._plan(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanItemAddSerializer, responses={201: PlanItemSerializer})
    @action(detail=True, methods=["post"], serializer_class=PlanItemAddSerializer)
    def items(self, request, pk=None):
        """Add an item to the plan (its overlaps show at ``overlaps/``)."""
        plan = self.get_object()
        data = api_input(self, PlanItemAddSerializer, request.data)
        item = services.plan_item_add(actor=request.user, plan=plan, **data)
        item = _item_queryset().get(pk=item.pk)
        return Response(
            PlanItemSerializer(item, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=ItemConflictsSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=ItemConflictsSerializer)
    def overlaps(self, request, pk=None):
        """Every item of the plan (that the caller may see) with its conflicts, in one call."""
        plan = self.get_object()
        items = selectors.plan_items(request.user, plan)
        conflicts = selectors.overlaps_of(items)
        rows = [{"item": item.pk, "conflicts": conflicts.get(item.pk, [])} for item in items]
        return Response(ItemConflictsSerializer(rows, many=True).data)

    @extend_schema(request=OverlapCheckSerializer, responses=ConflictSerializer(many=True))
    @action(
        detail=False, methods=["post"], url_path="overlap-check",
        serializer_class=OverlapCheckSerializer,
    )  # fmt: skip
    def overlap_check(self, request):
        """The conflicts an item would have, without saving it (nothing is written)."""
        data = api_input(self, OverlapCheckSerializer, request.data)
        plan = data["plan"]
        item = PlanItem(
            plan=plan, target_unit=data["target_unit"], topic=data["topic"],
            topic_folded=fold(data["topic"] or "")[:300],
            starts_on=dt.date(plan.year, data["start_month"], 1),
            ends_on=month_end(dt.date(plan.year, data["end_month"], 1)),
        )  # fmt: skip
        conflicts = selectors.overlaps_of([item]).get(-1, [])
        return Response(ConflictSerializer(conflicts, many=True).data)


class PlanItemFilter(django_filters.FilterSet):
    target_unit = SubtreeFilter(unit_field="target_unit")

    class Meta:
        model = PlanItem
        fields = ["plan", "status", "activity"]


class PlanItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Plan items: those of the caller's bodies' plans, and those aimed at their units.

    ``PATCH`` changes a draft item (``plan_item_update``); ``approve`` (with a justification
    when the item overlaps another body's plan), ``cancel`` and ``reopen`` (with a reason)
    are the workflow's steps (``PLAN_ITEM_WORKFLOW``).
    """

    serializer_class = PlanItemSerializer
    filterset_class = PlanItemFilter
    scope_area = Area.INSPECTION_PLANS
    ordering_fields = ["starts_on"]

    def get_base_queryset(self):
        return _item_queryset().order_by("starts_on", "id")

    @extend_schema(request=PlanItemUpdateSerializer, responses=PlanItemSerializer)
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        data = api_input(self, PlanItemUpdateSerializer, request.data)
        services.plan_item_update(actor=request.user, item=item, **data)
        item = self.get_base_queryset().get(pk=item.pk)
        return Response(PlanItemSerializer(item, context=self.get_serializer_context()).data)

    approve = workflow_action(PLAN_ITEM_WORKFLOW, "approve", "item", PlanItemApproveSerializer,
                              PlanItemSerializer)  # fmt: skip
    cancel = workflow_action(PLAN_ITEM_WORKFLOW, "cancel", "item", ReasonSerializer,
                             PlanItemSerializer)  # fmt: skip
    reopen = workflow_action(PLAN_ITEM_WORKFLOW, "reopen", "item", ReasonSerializer,
                             PlanItemSerializer)  # fmt: skip


# --- inspections and supervisions ---------------------------------------------------------------


class InspectionFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="starts_on__year", label=_("Năm"))
    q = FoldedSearchFilter(field_name="topic_folded")

    class Meta:
        model = Inspection
        fields = ["activity", "subject_type", "kind", "status", "plan_item"]


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Inspections and supervisions carried out (planned or not), in the caller's scope.

    ``POST`` records one (``inspection_create``), ``PATCH`` corrects it
    (``inspection_update``); ``start``, ``conclude`` (with its recommendations, each becoming a
    follow-up) and ``close`` are the workflow's steps (``INSPECTION_WORKFLOW``).
    """

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    scope_area = Area.INSPECTIONS
    ordering_fields = ["starts_on", "concluded_on"]

    def get_base_queryset(self):
        return Inspection.objects.select_related("unit", "person", "conducting_body").order_by(
            "-starts_on", "-id"
        )

    @extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, InspectionCreateSerializer, request.data)
        inspection = services.inspection_create(actor=request.user, **data)
        return self.reply_with(inspection, InspectionSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=InspectionUpdateSerializer, responses=InspectionSerializer)
    def partial_update(self, request, *args, **kwargs):
        inspection = self.get_object()
        data = api_input(self, InspectionUpdateSerializer, request.data)
        services.inspection_update(actor=request.user, inspection=inspection, **data)
        return self.reply_with(inspection, InspectionSerializer)

    start = workflow_action(INSPECTION_WORKFLOW, "start", "inspection", EmptySerializer,
                            InspectionSerializer)  # fmt: skip
    conclude = workflow_action(INSPECTION_WORKFLOW, "conclude", "inspection", ConcludeSerializer,
                               InspectionSerializer)  # fmt: skip
    close = workflow_action(INSPECTION_WORKFLOW, "close", "inspection", CloseSerializer,
                            InspectionSerializer)  # fmt: skip


# --- follow-ups -------------------------------------------------------------------------------


class FollowUpFilter(django_filters.FilterSet):
    owner_unit = SubtreeFilter(unit_field="owner_unit")
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Quá hạn"))

    class Meta:
        model = FollowUp
        fields = ["status", "inspection"]

    def by_overdue(self, queryset, name, value):
        late = queryset.overdue(timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Recommendations to carry out after a conclusion, by owner unit and deadline.

    ``complete`` records that one was carried out (``follow_up_complete``).
    """

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    scope_area = Area.INSPECTIONS
    ordering_fields = ["deadline"]

    def get_base_queryset(self):
        return FollowUp.objects.select_related("owner_unit", "inspection").order_by(
            "deadline", "id"
        )

    @extend_schema(request=FollowUpCompleteSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"], serializer_class=FollowUpCompleteSerializer)
    def complete(self, request, pk=None):
        """Record that the recommendation was carried out, with its evidence."""
        follow_up = self.get_object()
        data = api_input(self, FollowUpCompleteSerializer, request.data)
        services.follow_up_complete(actor=request.user, follow_up=follow_up, **data)
        follow_up = self.get_base_queryset().get(pk=follow_up.pk)
        return Response(FollowUpSerializer(follow_up, context=self.get_serializer_context()).data)


# --- discipline -------------------------------------------------------------------------------


class DisciplineFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="decided_on__year", label=_("Năm"))

    class Meta:
        model = Discipline
        fields = ["subject_type", "form", "inspection"]


class DisciplineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Discipline decisions on members and organisations; ``POST`` records one
    (``discipline_create``: a form that does not fit the subject is a 400)."""

    serializer_class = DisciplineSerializer
    filterset_class = DisciplineFilter
    scope_area = Area.INSPECTIONS
    ordering_fields = ["decided_on"]

    def get_base_queryset(self):
        return Discipline.objects.select_related("unit", "person", "deciding_body").order_by(
            "-decided_on", "-id"
        )

    @extend_schema(request=DisciplineCreateSerializer, responses={201: DisciplineSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, DisciplineCreateSerializer, request.data)
        discipline = services.discipline_create(actor=request.user, **data)
        discipline = self.get_base_queryset().get(pk=discipline.pk)
        return Response(
            DisciplineSerializer(discipline, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# --- cases (confidential) -----------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Quá hạn"))
    q = FoldedSearchFilter(field_name="summary_folded")

    class Meta:
        model = Case
        fields = ["kind", "level", "status", "outcome"]

    def by_overdue(self, queryset, name, value):
        late = queryset.overdue(timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class CasePermission(AreaPermission):
    """Every route naming a case is "not found" for whoever lacks the confidential area.

    As the case pages do: a user who may never see a case (the administrator and superusers
    included) learns nothing, not even that the route exists for that id (no 403 nor 405).
    The list keeps the area rule: an empty list for those with the inspections area, a 403
    for the others.
    """

    def has_permission(self, request, view) -> bool:
        if getattr(view, "detail", False) and not scope.has_area(
            request.user, Area.CONFIDENTIAL, scope.VIEW
        ):
            raise exceptions.NotFound()
        return super().has_permission(request, view)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Denunciations and disciplinary complaints (confidential).

    Only the inspection role sees them: every route naming a case is a 404 for anyone else
    (administrators and superusers included, :class:`CasePermission`), and the list is empty
    for them (``restrict()``), or a 403 for the roles without the inspections area. Every list page and record served is logged
    (``ConfidentialViewSetMixin``). Input naming the denouncer (or any unknown field) is a 400.
    ``POST`` registers a case (``case_receive``), ``PATCH`` corrects it (``case_update``);
    ``accept``, ``reject``, ``verify``, ``conclude``, ``close`` are the workflow's steps
    (``CASE_WORKFLOW``) and ``extend`` extends the time limit (``case_extend``).
    """

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    scope_area = Area.INSPECTIONS
    permission_classes = [permissions.IsAuthenticated, CasePermission]
    ordering_fields = ["received_on", "due_on"]

    def get_base_queryset(self):
        extensions = scope.RestrictedPrefetch(
            "extensions", self.request.user, CaseExtension.objects.all()
        )
        return (
            Case.objects.select_related("unit", "person", "handling_body")
            .prefetch_related(extensions)
            .order_by("-received_on", "-id")
        )

    @extend_schema(request=CaseReceiveSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        data = api_input(self, CaseReceiveSerializer, request.data)
        case = services.case_receive(actor=request.user, **data)
        return self.reply_with(case, CaseSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseSerializer)
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        data = api_input(self, CaseUpdateSerializer, request.data)
        services.case_update(actor=request.user, case=case, **data)
        return self.reply_with(case, CaseSerializer)

    accept = workflow_action(CASE_WORKFLOW, "accept", "case", EmptySerializer, CaseSerializer)
    reject = workflow_action(CASE_WORKFLOW, "reject", "case", ReasonSerializer, CaseSerializer)
    verify = workflow_action(CASE_WORKFLOW, "verify", "case", EmptySerializer, CaseSerializer)
    conclude = workflow_action(CASE_WORKFLOW, "conclude", "case", CaseConcludeSerializer,
                               CaseSerializer)  # fmt: skip
    close = workflow_action(CASE_WORKFLOW, "close", "case", CloseSerializer, CaseSerializer)

    @extend_schema(request=CaseExtendSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], serializer_class=CaseExtendSerializer)
    def extend(self, request, pk=None):
        """Extend the case's time limit, with the reason and the new date."""
        case = self.get_object()
        data = api_input(self, CaseExtendSerializer, request.data)
        services.case_extend(actor=request.user, case=case, **data)
        return self.reply_with(case, CaseSerializer)
