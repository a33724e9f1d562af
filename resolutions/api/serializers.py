from rest_framework import serializers

from longbien.core.api import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from longbien.org import scope
from longbien.org.models import OrgUnit

from ..models import Briefing, BriefingIssue, Conference, Document, Task


class DocumentSerializer(serializers.ModelSerializer):
    # Only what the caller may change can issue, only what they may read can be named: an
    # out-of-scope code or id is "not found", as an unknown one (the service checks again).
    issuing_unit = ScopedSlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        scope_action=scope.CHANGE,
        area=scope.Area.RESOLUTIONS,
        allow_null=True,
        required=False,
    )
    implements = ScopedPrimaryKeyRelatedField(
        many=True, queryset=Document.objects.all(), required=False
    )

    class Meta:
        model = Document
        fields = [
            "id", "symbol", "number", "kind_code", "issuer_code", "kind", "issuing_unit", "issuer_name", "issuer_level",
            "title", "summary", "topics", "signed_date", "signer", "status", "implements", "superseded_by",
        ]  # fmt: skip
        read_only_fields = ["number", "kind_code", "issuer_code", "issuer_level", "superseded_by"]
        validators: list = []  # uniqueness is checked by the service, per issuer and year


class TaskSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    document_symbol = serializers.CharField(source="document.symbol", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "document", "document_symbol", "parent", "title", "description", "unit", "deadline", "status",
            "progress", "completed_on", "is_overdue",
        ]  # fmt: skip
        read_only_fields = fields


class TaskAssignSerializer(serializers.Serializer):
    document = ScopedPrimaryKeyRelatedField(queryset=Document.objects.all())
    units = ScopedSlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        many=True,
        scope_action=scope.CHANGE,
        area=scope.Area.RESOLUTIONS,
    )
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField()


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField()


class ConferenceSerializer(serializers.ModelSerializer):
    document = ScopedPrimaryKeyRelatedField(queryset=Document.objects.all())
    unit = ScopedSlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        scope_action=scope.CHANGE,
        area=scope.Area.RESOLUTIONS,
    )

    class Meta:
        model = Conference
        fields = [
            "id",
            "document",
            "unit",
            "held_on",
            "expected_attendees",
            "present_attendees",
            "learning_reports",
            "missing_reports_note",
        ]
        validators: list = []


class BriefingIssueSerializer(serializers.ModelSerializer):
    raised_by_unit = ScopedPrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = BriefingIssue
        fields = ["id", "text", "conclusion", "raised_by_unit"]


class BriefingSerializer(serializers.ModelSerializer):
    unit = ScopedSlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        scope_action=scope.CHANGE,
        area=scope.Area.RESOLUTIONS,
    )
    issues = BriefingIssueSerializer(many=True, required=False)

    class Meta:
        model = Briefing
        fields = ["id", "unit", "kind", "held_on", "attendees", "summary", "issues"]
