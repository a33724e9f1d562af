from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from longbien.core.api import ScopedSlugRelatedField
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Position

from .. import selectors
from ..choices import Rating
from ..models import (
    Evaluation,
    PersonnelDecision,
    PlanReview,
    QualificationTest,
    SelfImprovementPlan,
    TaskAssignment,
    TestParticipant,
    TrainingClass,
    TrainingParticipant,
)

RATING_ERRORS = {
    "invalid_choice": _("Xếp loại “{input}” không hợp lệ; chỉ chọn một trong bốn mức.")
}
PERSON_ERRORS = {"does_not_exist": _("Không có cán bộ mã “{value}”.")}
UNIT_ERRORS = {"does_not_exist": _("Không có đơn vị mã “{value}” trong phạm vi của bạn.")}


def rating_field(**kwargs):
    return serializers.ChoiceField(choices=Rating.choices, error_messages=RATING_ERRORS, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PersonCodeField(ScopedSlugRelatedField):
    """A person by code, looked up only among the people the requesting user may name.

    A code outside the scope gets the same error as an unknown code: nothing about the person
    (not even that the code exists) reaches someone outside their scope.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", PERSON_ERRORS)
        kwargs.setdefault("queryset", Person.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def scoped_queryset(self, queryset, user):
        # The people of the user's cadre scope, and themself (the "own records" rule).
        return selectors.people_in_scope(user=user)

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


@extend_schema_field(OpenApiTypes.STR)
class UnitCodeField(ScopedSlugRelatedField):
    """A unit by code, among the units whose cadre work the requesting user may change."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", UNIT_ERRORS)
        kwargs.setdefault("queryset", OrgUnit.objects.all())
        super().__init__(
            slug_field="code", scope_action=scope.CHANGE, area=scope.Area.CADRES, **kwargs
        )


class EvaluationSerializer(serializers.ModelSerializer):
    person = PersonCodeField()
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    rating_display = serializers.CharField(source="get_rating_display", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id", "person", "person_name", "unit", "year", "month", "self_assessment",
            "self_rating", "superior_assessment", "proposed_rating", "rating", "rating_display",
            "status", "status_display", "returned_reason", "self_assessed_at", "assessed_at",
            "approved_at",
        ]  # fmt: skip
        read_only_fields = [
            "self_assessment", "self_rating", "superior_assessment", "proposed_rating", "rating",
            "status", "returned_reason", "self_assessed_at", "assessed_at", "approved_at",
        ]  # fmt: skip
        # The service reports a duplicate month in Vietnamese; no DRF unique-together check.
        validators = []


class SelfAssessSerializer(serializers.Serializer):
    self_assessment = serializers.CharField()
    self_rating = rating_field()


class AssessSerializer(serializers.Serializer):
    superior_assessment = serializers.CharField(required=False, allow_blank=True, default="")
    proposed_rating = rating_field()


class ApproveSerializer(serializers.Serializer):
    rating = rating_field(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DecisionSerializer(serializers.ModelSerializer):
    person = PersonCodeField()
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    from_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_unit = UnitCodeField(required=False, allow_null=True)
    from_position = serializers.SlugRelatedField(slug_field="name", read_only=True)
    to_position = serializers.SlugRelatedField(
        slug_field="name", queryset=Position.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = PersonnelDecision
        fields = [
            "id", "person", "kind", "unit", "symbol", "decision_date", "from_position",
            "from_unit", "to_position", "to_unit", "note",
        ]  # fmt: skip
        validators = []


class ParticipantSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TestParticipant
        fields = ["person", "person_name", "unit", "score", "result"]


class PeopleSerializer(serializers.Serializer):
    """People to register for a test session or enrol in a class, by code."""

    people = PersonCodeField(many=True)


class ScoresSerializer(serializers.Serializer):
    """Scores by person code: ``{"CB000123": "85,5"}``; an empty score leaves a row as it is."""

    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True), allow_empty=False
    )


class CompletionSerializer(serializers.Serializer):
    """Completion by person code: ``{"CB000123": true}``."""

    completed = serializers.DictField(child=serializers.BooleanField(), allow_empty=False)


class TestSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    participant_count = serializers.IntegerField(read_only=True)
    passed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QualificationTest
        fields = [
            "id",
            "unit",
            "subject",
            "held_on",
            "pass_mark",
            "participant_count",
            "passed_count",
        ]


class PlanReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanReview
        fields = ["month", "note"]


class PlanReviewInputSerializer(serializers.Serializer):
    # Plain fields: the service checks the month and reports it in Vietnamese.
    month = serializers.IntegerField()
    note = serializers.CharField()


class PlanSerializer(serializers.ModelSerializer):
    person = PersonCodeField()
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = SelfImprovementPlan
        fields = ["id", "person", "unit", "year", "commitments", "reviews"]
        validators = []


class AssignmentSerializer(serializers.ModelSerializer):
    person = PersonCodeField()
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TaskAssignment
        fields = ["id", "person", "unit", "year", "task", "result", "result_note"]
        read_only_fields = ["result", "result_note"]


class AssignmentResultSerializer(serializers.Serializer):
    result = rating_field()
    result_note = serializers.CharField(required=False, allow_blank=True, default="")


class TrainingParticipantSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = TrainingParticipant
        fields = ["person", "person_name", "completed"]


class TrainingSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    participant_count = serializers.IntegerField(read_only=True)
    completed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "unit",
            "name",
            "start_date",
            "end_date",
            "participant_count",
            "completed_count",
        ]
