"""Serializers of the dialogues API: what each resource shows, and the input of each write.

Reads use the model serializers (units by code); every write has its own input serializer,
whose validated data go to one service, and which refuses the fields it does not know
(:class:`RefuseUnknownFieldsMixin`). The citizen who raised a case (name, phone, address) is
personal data (Nghị định 13/2023): shown only to whom ``selectors.sees_citizen`` admits, null
for everyone else.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from longbien.core.api import (
    InputSerializer,
    ScopedPrimaryKeyRelatedField,
    UnitCodeField,
)
from longbien.org import scope

from .. import selectors
from ..choices import (
    CaseCategory,
    CaseSource,
    CritiqueKind,
    DialogueLevel,
    ModelField,
    Organiser,
    Outcome,
    Recognition,
    Urgency,
)
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

Area = scope.Area


Input = InputSerializer


# --- related fields ---------------------------------------------------------------------------

CASE_ERRORS = {"does_not_exist": _("Không tìm thấy vụ việc số “{pk_value}”.")}
RECEPTION_ERRORS = {"does_not_exist": _("Không tìm thấy buổi tiếp công dân số “{pk_value}”.")}


def _code(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


def _optional(field_class: type, **kwargs: Any) -> Any:
    return field_class(required=False, allow_null=True, **kwargs)


def _changed_unit(**kwargs: Any) -> UnitCodeField:
    """A unit whose dialogues work the user may change."""
    return UnitCodeField(scope_action=scope.CHANGE, area=Area.DIALOGUES, **kwargs)


# --- dialogues and commitments ------------------------------------------------------------------


class CommitmentSerializer(serializers.ModelSerializer):
    dialogue = serializers.IntegerField(source="issue.dialogue_id", read_only=True)
    owner_unit = _code()
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id", "issue", "dialogue", "content", "owner_unit", "owner_unit_name", "deadline",
            "progress", "status", "completed_on", "evidence",
        ]  # fmt: skip
        read_only_fields = fields


class DialogueIssueSerializer(serializers.ModelSerializer):
    commitment = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()

    class Meta:
        model = DialogueIssue
        fields = ["id", "content", "answer", "commitment", "cases"]
        read_only_fields = fields

    @extend_schema_field(CommitmentSerializer(allow_null=True))
    def get_commitment(self, issue: DialogueIssue) -> Any:
        try:
            promise = issue.commitment
        except Commitment.DoesNotExist:
            return None
        return CommitmentSerializer(promise, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_cases(self, issue: DialogueIssue) -> list[int]:
        """The cases the issue opened (those the caller may see)."""
        return [case.pk for case in issue.cases.all()]


class DialogueSerializer(serializers.ModelSerializer):
    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    issues = DialogueIssueSerializer(many=True, read_only=True)

    class Meta:
        model = Dialogue
        fields = [
            "id", "level", "unit", "unit_name", "held_on", "chair", "topic", "participants",
            "created_at", "issues",
        ]  # fmt: skip
        read_only_fields = fields


class IssueInputSerializer(Input):
    """An issue raised at the dialogue: the answer given there, or a commitment (content,
    owner unit and deadline)."""

    content = serializers.CharField()
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    commitment = serializers.CharField(required=False, allow_blank=True, default="")
    owner_unit = _optional(UnitCodeField)
    deadline = _optional(serializers.DateField)


class DialogueCreateSerializer(Input):
    level = serializers.ChoiceField(choices=DialogueLevel.choices)
    unit = _changed_unit()
    held_on = serializers.DateField()
    chair = serializers.CharField(max_length=200)
    topic = serializers.CharField(max_length=300)
    participants = serializers.IntegerField(min_value=0)
    issues = IssueInputSerializer(many=True, required=False, default=list)

    def validate_issues(self, value: Any) -> list[dict[str, Any]]:
        return [dict(issue) for issue in value]


class DialogueUpdateSerializer(Input):
    held_on = serializers.DateField(required=False)
    chair = serializers.CharField(max_length=200, required=False)
    topic = serializers.CharField(max_length=300, required=False)
    participants = serializers.IntegerField(min_value=0, required=False)


class CommitmentReportSerializer(Input):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    completed_on = _optional(serializers.DateField)


# --- public-opinion cases ---------------------------------------------------------------------


class OpinionCaseAssignmentSerializer(serializers.ModelSerializer):
    unit = _code()

    class Meta:
        model = CaseAssignment
        fields = ["id", "kind", "unit", "due_on", "reason", "at"]
        read_only_fields = fields


def _citizen(name: str) -> Any:
    def get(self: Any, case: OpinionCase) -> str | None:
        return getattr(case, name) if self.sees_citizen(case) else None

    get.__name__ = f"get_{name}"
    return extend_schema_field(serializers.CharField(allow_null=True))(get)


class OpinionCaseSerializer(serializers.ModelSerializer):
    """A case; the citizen's name, phone and address are null for whoever may not see them."""

    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    assigned_unit = _code(allow_null=True)
    assigned_unit_name = serializers.CharField(
        source="assigned_unit.name", read_only=True, allow_null=True, default=None
    )
    citizen_name = serializers.SerializerMethodField()
    citizen_phone = serializers.SerializerMethodField()
    citizen_address = serializers.SerializerMethodField()
    assignments = OpinionCaseAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = OpinionCase
        fields = [
            "id", "source", "received_on", "content", "unit", "unit_name", "category", "urgency",
            "citizen_name", "citizen_phone", "citizen_address", "status", "assigned_unit",
            "assigned_unit_name", "due_on", "answer", "answered_on", "outcome", "closed_on",
            "transferred_to", "dialogue_issue", "reception", "merged_into", "created_at",
            "assignments",
        ]  # fmt: skip
        read_only_fields = fields

    def sees_citizen(self, case: OpinionCase) -> bool:
        # Asked by the three citizen fields of each case: answered once per case.
        kept = self.context.setdefault("_sees_citizen", {})
        if case.pk not in kept or case.pk is None:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            kept[case.pk] = user is not None and selectors.sees_citizen(user, case)
        return kept[case.pk]

    get_citizen_name = _citizen("citizen_name")
    get_citizen_phone = _citizen("citizen_phone")
    get_citizen_address = _citizen("citizen_address")


class SimilarOpinionCaseSerializer(serializers.ModelSerializer):
    """An open case like the one typed: its id and a short text (no personal data)."""

    unit = _code()
    content = serializers.SerializerMethodField()

    class Meta:
        model = OpinionCase
        fields = ["id", "content", "unit", "received_on", "status"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_content(self, case: OpinionCase) -> str:
        text = str(case.content)
        return text if len(text) <= 200 else text[:199] + "…"


class OpinionCaseReceivedSerializer(OpinionCaseSerializer):
    """The case just received, with the open cases like it (possible duplicates to merge)."""

    similar = SimilarOpinionCaseSerializer(many=True, read_only=True)

    class Meta(OpinionCaseSerializer.Meta):
        fields = [*OpinionCaseSerializer.Meta.fields, "similar"]
        read_only_fields = fields


class OpinionCaseReceiveSerializer(Input):
    """A case taken in; one raised at a reception session names it in ``reception`` (its
    source is then "reception" and may be left out)."""

    source = serializers.ChoiceField(choices=CaseSource.choices, required=False)
    received_on = serializers.DateField()
    content = serializers.CharField()
    unit = _changed_unit()
    category = serializers.ChoiceField(choices=CaseCategory.choices)
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, required=False, default=Urgency.NORMAL
    )
    citizen_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    citizen_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    citizen_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    dialogue_issue = _optional(ScopedPrimaryKeyRelatedField, queryset=DialogueIssue.objects.all())
    # A case raised at a citizen reception session: its source is then "reception".
    reception = _optional(
        ScopedPrimaryKeyRelatedField, queryset=Reception.objects.all(),
        error_messages=RECEPTION_ERRORS,
    )  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("reception") is not None:
            attrs["source"] = CaseSource.RECEPTION
        elif not attrs.get("source"):
            raise serializers.ValidationError({"source": [_("Hãy chọn nguồn của vụ việc.")]})
        return attrs


class OpinionCaseUpdateSerializer(Input):
    content = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=CaseCategory.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    citizen_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    citizen_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    citizen_address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class OpinionCaseEmptySerializer(Input):
    """No input: the reason of the step, if any, goes in the ``X-Change-Reason`` header."""


class OpinionCaseReasonSerializer(Input):
    reason = serializers.CharField()


class OpinionCaseAssignSerializer(Input):
    unit = _changed_unit()
    due_on = _optional(serializers.DateField)


class OpinionCaseReassignSerializer(OpinionCaseAssignSerializer):
    reason = serializers.CharField()


class OpinionCaseAnswerSerializer(Input):
    answer = serializers.CharField()
    answered_on = serializers.DateField()
    # Resolved or explained (the service explains any other outcome).
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class OpinionCaseCloseSerializer(Input):
    closed_on = _optional(serializers.DateField)


class OpinionCaseTransferSerializer(Input):
    transferred_to = serializers.CharField(max_length=300)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionCaseMergeSerializer(Input):
    into = ScopedPrimaryKeyRelatedField(
        queryset=OpinionCase.objects.all(), error_messages=CASE_ERRORS
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SimilarOpinionCaseQuerySerializer(Input):
    """The text of a case not saved yet and its unit (by default the whole scope)."""

    content = serializers.CharField()
    unit = _optional(UnitCodeField)
    exclude = _optional(serializers.IntegerField, min_value=1, max_value=2**31 - 1)


# --- critique and supervision, feedback, reception, models ------------------------------------


def _text(max_length: int | None = None, **kwargs: Any) -> serializers.CharField:
    if max_length is not None:
        kwargs["max_length"] = max_length
    return serializers.CharField(**kwargs)


def _blank(max_length: int | None = None) -> serializers.CharField:
    return _text(max_length, required=False, allow_blank=True, default="")


class CritiqueRecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "critique", "content", "addressee", "response", "responded_on"]
        read_only_fields = fields


class CritiqueSerializer(serializers.ModelSerializer):
    """A critique conference or thematic supervision with its recommendations (read-only:
    ``recommend`` adds one, ``recommendations/{id}/respond`` records its response)."""

    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    recommendations = CritiqueRecommendationSerializer(many=True, read_only=True)
    recommendation_count = serializers.IntegerField(read_only=True)
    responded_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Critique
        fields = [
            "id", "kind", "unit", "unit_name", "organiser", "held_on", "subject", "findings",
            "created_at", "recommendation_count", "responded_count", "recommendations",
        ]  # fmt: skip
        read_only_fields = fields


class RecommendationInputSerializer(Input):
    content = serializers.CharField()
    addressee = serializers.CharField(max_length=300)


class CritiqueCreateSerializer(Input):
    kind = serializers.ChoiceField(choices=CritiqueKind.choices)
    unit = _changed_unit()
    organiser = serializers.ChoiceField(choices=Organiser.choices)
    held_on = serializers.DateField()
    subject = _text(300)
    findings = _blank()
    recommendations = RecommendationInputSerializer(many=True, required=False, default=list)

    def validate_recommendations(self, value: Any) -> list[dict[str, Any]]:
        return [dict(item) for item in value]


class CritiqueUpdateSerializer(Input):
    kind = serializers.ChoiceField(choices=CritiqueKind.choices, required=False)
    organiser = serializers.ChoiceField(choices=Organiser.choices, required=False)
    held_on = serializers.DateField(required=False)
    subject = _text(300, required=False)
    findings = serializers.CharField(required=False, allow_blank=True)


class ResponseInputSerializer(Input):
    """The addressee's response and its date (not before the record it answers)."""

    response = serializers.CharField()
    responded_on = serializers.DateField()


class FeedbackSerializer(serializers.ModelSerializer):
    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    answered = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id", "unit", "unit_name", "sender", "received_on", "content", "addressee",
            "response", "responded_on", "answered", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_answered(self, feedback: Feedback) -> bool:
        return feedback.responded_on is not None


class FeedbackCreateSerializer(Input):
    unit = _changed_unit()
    sender = serializers.ChoiceField(choices=Organiser.choices)
    received_on = serializers.DateField()
    content = serializers.CharField()
    addressee = _text(300)
    response = _blank()
    responded_on = _optional(serializers.DateField)


class FeedbackUpdateSerializer(Input):
    sender = serializers.ChoiceField(choices=Organiser.choices, required=False)
    received_on = serializers.DateField(required=False)
    content = serializers.CharField(required=False)
    addressee = _text(300, required=False)


class ReceptionCaseSerializer(serializers.ModelSerializer):
    """A case received at the session (no personal data: the case's own page shows it)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:dialogues-case-detail")

    class Meta:
        model = OpinionCase
        fields = ["id", "url", "received_on", "status", "outcome"]
        read_only_fields = fields


class ReceptionSerializer(serializers.ModelSerializer):
    """A citizen reception session with the cases opened there that the caller may see."""

    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    # The cases opened there (merged duplicates count once); ``cases`` lists those the
    # caller may see.
    case_count = serializers.IntegerField(read_only=True)
    cases = ReceptionCaseSerializer(many=True, read_only=True)

    class Meta:
        model = Reception
        fields = [
            "id", "unit", "unit_name", "held_on", "leader", "leader_title", "place", "citizens",
            "notes", "created_at", "case_count", "cases",
        ]  # fmt: skip
        read_only_fields = fields


class ReceptionCreateSerializer(Input):
    unit = _changed_unit()
    held_on = serializers.DateField()
    leader = _text(200)
    leader_title = _blank(200)
    place = _text(300)
    citizens = serializers.IntegerField(min_value=0, required=False, default=0)
    notes = _blank()


class ReceptionUpdateSerializer(Input):
    held_on = serializers.DateField(required=False)
    leader = _text(200, required=False)
    leader_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    place = _text(300, required=False)
    citizens = serializers.IntegerField(min_value=0, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class MobilisationModelSerializer(serializers.ModelSerializer):
    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = MobilisationModel
        fields = [
            "id", "unit", "unit_name", "year", "name", "field", "recognition", "description",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class MobilisationModelCreateSerializer(Input):
    unit = _changed_unit()
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    name = _text(300)
    field = serializers.ChoiceField(choices=ModelField.choices)
    recognition = serializers.ChoiceField(choices=Recognition.choices)
    description = _blank()


class MobilisationModelUpdateSerializer(Input):
    year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    name = _text(300, required=False)
    field = serializers.ChoiceField(choices=ModelField.choices, required=False)
    recognition = serializers.ChoiceField(choices=Recognition.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
