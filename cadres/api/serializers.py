from rest_framework import serializers

from longbien.org.models import OrgUnit, Person, Position

from ..choices import Rating
from ..models import (
    Evaluation,
    PersonnelDecision,
    QualificationTest,
    SelfImprovementPlan,
    TaskAssignment,
    TestParticipant,
    TrainingClass,
)

RATING_ERRORS = {"invalid_choice": "Xếp loại “{input}” không hợp lệ; chỉ chọn một trong bốn mức."}


def rating_field(**kwargs):
    return serializers.ChoiceField(choices=Rating.choices, error_messages=RATING_ERRORS, **kwargs)


class EvaluationSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="code", queryset=Person.objects.all())
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
    person = serializers.SlugRelatedField(slug_field="code", queryset=Person.objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    from_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )
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

    class Meta:
        model = TestParticipant
        fields = ["person", "person_name", "score", "result"]


class TestSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())
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


class PlanSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="code", queryset=Person.objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SelfImprovementPlan
        fields = ["id", "person", "unit", "year", "commitments"]
        validators = []


class AssignmentSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="code", queryset=Person.objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TaskAssignment
        fields = ["id", "person", "unit", "year", "task", "result", "result_note"]
        read_only_fields = ["result", "result_note"]


class TrainingSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())
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
