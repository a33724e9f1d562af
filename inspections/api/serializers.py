"""Serializers of the inspections API: what each resource shows, and the input of each write.

Reads use the model serializers (relations by code); every write has its own input
serializer, whose validated data go to one service. Every input serializer refuses fields it
does not know (:class:`RefuseUnknownFieldsMixin`): a denouncer's name or address sent with a
case is a 400 naming the field, never silently dropped.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from longbien.core.api import (
    InputSerializer,
    PersonCodeField,
    ScopedPrimaryKeyRelatedField,
    UnitCodeField,
)
from longbien.org import scope

from ..choices import (
    Activity,
    CaseKind,
    CaseLevel,
    CaseOutcome,
    DisciplineForm,
    InspectionKind,
    SubjectType,
)
from ..models import (
    Case,
    CaseExtension,
    Discipline,
    FollowUp,
    Inspection,
    Plan,
    PlanItem,
)

Area = scope.Area


Input = InputSerializer


# --- related fields ---------------------------------------------------------------------------


def _code(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


def _optional(field_class: type, **kwargs: Any) -> Any:
    return field_class(required=False, allow_null=True, **kwargs)


# --- plans ------------------------------------------------------------------------------------


class PlanItemSerializer(serializers.ModelSerializer):
    plan_body = serializers.CharField(source="plan.body.code", read_only=True)
    target_unit = _code()
    target_unit_name = serializers.CharField(source="target_unit.name", read_only=True)
    target_person = _code()
    lead_body = _code()
    months_label = serializers.CharField(read_only=True)

    class Meta:
        model = PlanItem
        fields = [
            "id", "plan", "plan_body", "activity", "subject_type", "topic", "target_unit",
            "target_unit_name", "target_person", "starts_on", "ends_on", "months_label",
            "lead_body", "status", "justification", "approved_at",
        ]  # fmt: skip
        read_only_fields = fields


class InspectionPlanSerializer(serializers.ModelSerializer):
    body = _code()
    body_name = serializers.CharField(source="body.name", read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "body", "body_name", "year", "title", "created_at", "items"]
        read_only_fields = fields


class PlanCreateSerializer(Input):
    body = UnitCodeField(scope_action=scope.CHANGE, area=Area.INSPECTION_PLANS)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class _ItemFields(Input):
    activity = serializers.ChoiceField(choices=Activity.choices)
    subject_type = serializers.ChoiceField(choices=SubjectType.choices)
    topic = serializers.CharField(max_length=300)
    target_unit = _optional(UnitCodeField, scope_action=scope.CHANGE, area=Area.INSPECTION_PLANS)
    target_person = _optional(PersonCodeField)
    start_month = serializers.IntegerField(min_value=1, max_value=12)
    end_month = serializers.IntegerField(min_value=1, max_value=12)
    lead_body = _optional(UnitCodeField)

    def validate(self, attrs: Any) -> Any:
        attrs = super().validate(attrs)
        first, last = attrs.get("start_month"), attrs.get("end_month")
        if first is not None and last is not None and last < first:
            raise serializers.ValidationError(
                {"end_month": [_("Tháng kết thúc phải sau tháng bắt đầu.")]}
            )
        return attrs


class PlanItemAddSerializer(_ItemFields):
    """A new item of the plan named in the URL."""


class PlanItemUpdateSerializer(_ItemFields):
    """The fields of a draft item to change (any of them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class OverlapCheckSerializer(Input):
    """An item not saved yet: which plan, which unit, which months, on what topic."""

    plan = ScopedPrimaryKeyRelatedField(queryset=Plan.objects.all())
    target_unit = UnitCodeField()
    start_month = serializers.IntegerField(min_value=1, max_value=12)
    end_month = serializers.IntegerField(min_value=1, max_value=12)
    topic = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs: Any) -> Any:
        attrs = super().validate(attrs)
        if attrs["end_month"] < attrs["start_month"]:
            raise serializers.ValidationError(
                {"end_month": [_("Tháng kết thúc phải sau tháng bắt đầu.")]}
            )
        return attrs


class PlanItemApproveSerializer(Input):
    justification = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(Input):
    reason = serializers.CharField()


class EmptySerializer(Input):
    """No input: the reason of the step, if any, goes in the ``X-Change-Reason`` header."""


class ConflictSerializer(serializers.Serializer):
    """Another body's item that overlaps the item checked, and why."""

    item = serializers.IntegerField(source="item.pk")
    plan = serializers.IntegerField(source="item.plan_id")
    body = serializers.CharField(source="item.plan.body.code")
    body_name = serializers.CharField(source="item.plan.body.name")
    activity = serializers.CharField(source="item.activity")
    topic = serializers.CharField(source="item.topic")
    target_unit = serializers.CharField(source="item.target_unit.code")
    target_unit_name = serializers.CharField(source="item.target_unit.name")
    starts_on = serializers.DateField(source="item.starts_on")
    ends_on = serializers.DateField(source="item.ends_on")
    status = serializers.CharField(source="item.status")
    reasons = serializers.ListField(child=serializers.CharField())
    reason_labels = serializers.ListField(child=serializers.CharField())


class ItemConflictsSerializer(serializers.Serializer):
    """One item of a plan with its conflicts (an empty list when none)."""

    item = serializers.IntegerField()
    conflicts = ConflictSerializer(many=True)


# --- inspections and supervisions ---------------------------------------------------------------


class InspectionSerializer(serializers.ModelSerializer):
    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    person = _code()
    conducting_body = _code()

    class Meta:
        model = Inspection
        fields = [
            "id", "activity", "subject_type", "kind", "topic", "unit", "unit_name", "person",
            "conducting_body", "plan_item", "team", "starts_on", "ends_on", "findings",
            "conclusion", "concluded_on", "closed_on", "status", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class InspectionCreateSerializer(Input):
    activity = serializers.ChoiceField(choices=Activity.choices)
    subject_type = serializers.ChoiceField(choices=SubjectType.choices)
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    topic = serializers.CharField(max_length=300)
    conducting_body = UnitCodeField()
    starts_on = serializers.DateField()
    unit = _optional(UnitCodeField, scope_action=scope.CHANGE, area=Area.INSPECTIONS)
    person = _optional(PersonCodeField)
    plan_item = _optional(ScopedPrimaryKeyRelatedField, queryset=PlanItem.objects.all())
    team = serializers.CharField(required=False, allow_blank=True, default="")
    ends_on = _optional(serializers.DateField)


class InspectionUpdateSerializer(Input):
    topic = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(choices=InspectionKind.choices, required=False)
    team = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False)
    ends_on = _optional(serializers.DateField)
    findings = serializers.CharField(required=False, allow_blank=True)
    conclusion = serializers.CharField(required=False, allow_blank=True)
    concluded_on = _optional(serializers.DateField)


class RecommendationSerializer(Input):
    content = serializers.CharField()
    owner_unit = UnitCodeField()
    deadline = serializers.DateField()


class ConcludeSerializer(Input):
    conclusion = serializers.CharField()
    concluded_on = serializers.DateField()
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    recommendations = RecommendationSerializer(many=True, required=False, default=list)


class CloseSerializer(Input):
    closed_on = _optional(serializers.DateField)


# --- follow-ups -------------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    owner_unit = _code()
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    inspection_topic = serializers.CharField(source="inspection.topic", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "inspection", "inspection_topic", "content", "owner_unit", "owner_unit_name",
            "deadline", "status", "completed_on", "evidence", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class FollowUpCompleteSerializer(Input):
    completed_on = serializers.DateField()
    evidence = serializers.CharField()


# --- discipline -------------------------------------------------------------------------------


class DisciplineSerializer(serializers.ModelSerializer):
    unit = _code()
    person = _code()
    deciding_body = _code()
    # The case behind a decision is shown only to those admitted to the case (else null).
    case = serializers.SerializerMethodField()

    class Meta:
        model = Discipline
        fields = [
            "id", "subject_type", "form", "unit", "person", "symbol", "decided_on",
            "deciding_body", "inspection", "case", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case(self, discipline: Discipline) -> int | None:
        if discipline.case_id is None:
            return None
        visible = self.context.get("visible_case_ids")
        if visible is None:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            visible = set()
            if user is not None and scope.has_area(user, Area.CONFIDENTIAL, scope.VIEW):
                visible = set(
                    Case.objects.restrict(user)
                    .filter(disciplines__isnull=False)
                    .values_list("pk", flat=True)
                )
            self.context["visible_case_ids"] = visible
        return discipline.case_id if discipline.case_id in visible else None


class DisciplineCreateSerializer(Input):
    subject_type = serializers.ChoiceField(choices=SubjectType.choices)
    form = serializers.ChoiceField(choices=DisciplineForm.choices)
    symbol = serializers.CharField(max_length=40)
    decided_on = serializers.DateField()
    deciding_body = UnitCodeField()
    unit = _optional(UnitCodeField, scope_action=scope.CHANGE, area=Area.INSPECTIONS)
    person = _optional(PersonCodeField)
    inspection = _optional(ScopedPrimaryKeyRelatedField, queryset=Inspection.objects.all())
    case = _optional(ScopedPrimaryKeyRelatedField, queryset=Case.objects.all())


# --- cases (confidential) -----------------------------------------------------------------------


class CaseExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseExtension
        fields = ["id", "previous_due_on", "new_due_on", "reason", "created_at"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    unit = _code()
    person = _code()
    handling_body = _code()
    extensions = CaseExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "kind", "level", "received_on", "paper_reference", "subject_type", "unit",
            "person", "summary", "handling_body", "status", "due_on", "not_accepted_reason",
            "conclusion", "outcome", "concluded_on", "closed_on", "created_at", "extensions",
        ]  # fmt: skip
        read_only_fields = fields


class CaseReceiveSerializer(Input):
    """A case as received. No field names the denouncer: the paper reference is all."""

    kind = serializers.ChoiceField(choices=CaseKind.choices)
    level = serializers.ChoiceField(
        choices=CaseLevel.choices, required=False, default=CaseLevel.DISTRICT
    )
    received_on = serializers.DateField()
    paper_reference = serializers.CharField(max_length=40)
    subject_type = serializers.ChoiceField(choices=SubjectType.choices)
    unit = _optional(UnitCodeField, scope_action=scope.CHANGE, area=Area.CONFIDENTIAL)
    person = _optional(PersonCodeField)
    summary = serializers.CharField()
    handling_body = UnitCodeField()


class CaseUpdateSerializer(Input):
    summary = serializers.CharField(required=False)
    paper_reference = serializers.CharField(max_length=40, required=False)
    handling_body = UnitCodeField(required=False)


class CaseConcludeSerializer(Input):
    conclusion = serializers.CharField()
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    concluded_on = serializers.DateField()


class CaseExtendSerializer(Input):
    new_due_on = serializers.DateField()
    reason = serializers.CharField()
