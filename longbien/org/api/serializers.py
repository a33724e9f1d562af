from rest_framework import serializers

from longbien.core.api import ScopedSlugRelatedField
from longbien.org import scope

from ..models import OrgUnit, Person, Position, Term


class OrgUnitSerializer(serializers.ModelSerializer):
    # A parent out of the caller's scope is "not found", as an unknown code.
    parent = ScopedSlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        scope_action=scope.CHANGE,
        allow_null=True,
        required=False,
    )
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "parent",
            "path",
            "depth",
            "valid_from",
            "valid_to",
            "successor",
        ]
        read_only_fields = ["path", "depth", "valid_to"]


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "code", "name", "start_date", "end_date"]


class PersonSerializer(serializers.ModelSerializer):
    unit = ScopedSlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        scope_action=scope.CHANGE,
        area=scope.Area.PEOPLE,
    )
    position = serializers.SlugRelatedField(
        slug_field="name", queryset=Position.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Person
        fields = [
            "id", "code", "full_name", "birth_date", "sex", "party_member_since", "unit", "position",
            "management_level", "is_active",
        ]  # fmt: skip
