"""Accounts' roles through the API: list in scope, grant, revoke. Thin: validate, call the service.

An account or a role assignment outside the subtree the caller administers is "not found",
the same answer as an unknown id; a unit code outside it is refused like an unknown code.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from longbien.core.api import ChangeReasonMixin, ScopedSlugRelatedField
from longbien.org import scope, selectors, services
from longbien.org.choices import Role
from longbien.org.models import OrgUnit, RoleAssignment, User


class RoleAssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "role_display", "unit", "unit_name"]


class AccountRolesSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    roles = RoleAssignmentSerializer(source="scoped_roles", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "is_active", "roles"]


class RoleGrantSerializer(serializers.Serializer):
    role = serializers.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    # A unit outside the subtree the caller administers is "not found", as an unknown code.
    unit = ScopedSlugRelatedField(
        label=_("Mã đơn vị"),
        slug_field="code",
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        scope_action=scope.CHANGE,
        area=scope.Area.ROLES,
    )
    reason = serializers.CharField(
        label=_("Căn cứ (số quyết định)"), max_length=300, required=False, allow_blank=True
    )


class RoleRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("Lý do thu hồi (số quyết định)"), max_length=300)


class AccountRoleViewSet(
    ChangeReasonMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Accounts and their roles within the subtree the caller administers (administrators)."""

    serializer_class = AccountRolesSerializer
    scope_area = scope.Area.ROLES
    lookup_value_regex = "[0-9]+"
    filter_backends: list[Any] = []

    def get_queryset(self):
        query = self.request.query_params.get("q", "").strip()
        return selectors.role_user_list(user=self.request.user, query=query)

    def _require_change(self) -> None:
        # Reading roles is for those who hand them out.
        if not scope.has_area(self.request.user, scope.Area.ROLES, scope.CHANGE):
            raise exceptions.PermissionDenied(_("Chỉ quản trị viên mới được phân quyền."))

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        self._require_change()

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Tài khoản hoặc họ tên")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(methods=["GET"], responses=RoleAssignmentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=RoleGrantSerializer, responses={201: RoleAssignmentSerializer}
    )
    @action(detail=True, methods=["get", "post"], url_path="roles", pagination_class=None)
    def roles(self, request: Request, pk: str | None = None) -> Response:
        """List the account's roles in scope, or grant it a role (``role_grant``)."""
        account = self.get_object()
        if request.method == "GET":
            return Response(RoleAssignmentSerializer(account.scoped_roles, many=True).data)
        serializer = RoleGrantSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        assignment = services.role_grant(
            actor=request.user, user=account, **serializer.validated_data
        )
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RoleRevokeSerializer,
        responses={204: None},
        parameters=[OpenApiParameter("assignment_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"roles/(?P<assignment_pk>[0-9]+)/revoke",
        url_name="role-revoke",
    )
    def revoke(self, request: Request, pk: str | None = None, assignment_pk: str = "") -> Response:
        """Take a role back (``role_revoke``); the reason is required and audited."""
        account = self.get_object()
        try:
            assignment = selectors.role_assignment_get(
                user=request.user, target=account, pk=int(assignment_pk)
            )
        except RoleAssignment.DoesNotExist as exc:
            raise exceptions.NotFound from exc
        serializer = RoleRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.role_revoke(
            actor=request.user, assignment=assignment, reason=serializer.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
