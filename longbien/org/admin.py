"""The organisation in the admin: read-only and scoped.

Units, people, terms and roles change through the portal's pages and API (``role_grant``,
``role_revoke``, ``term_create``); superusers keep creating accounts and setting passwords.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from longbien.core.admin import ScopedReadOnlyAdmin, ScopedReadOnlyInline

from . import selectors
from .models import OrgUnit, Person, Position, PositionHistory, RoleAssignment, Term, User


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent", "successor"]


class PositionHistoryInline(ScopedReadOnlyInline):
    model = PositionHistory
    raw_id_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(ScopedReadOnlyAdmin):
    list_display = ["full_name", "code", "unit", "position", "management_level", "is_active"]
    list_filter = ["management_level", "sex", "is_active"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["unit", "position"]
    raw_id_fields = ["unit"]
    inlines = [PositionHistoryInline]


@admin.register(Term)
class TermAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "code", "start_date", "end_date"]


@admin.register(Position)
class PositionAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "is_head", "rank"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedReadOnlyAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__code", "unit__name_folded"]
    list_select_related = ["user", "unit"]

    def scope_queryset(self, queryset, request):
        # Roles on units inside the subtree the user administers, as on the roles page.
        return queryset.filter(pk__in=selectors.role_assignment_list(user=request.user))


class RoleInline(ScopedReadOnlyInline):
    model = RoleAssignment
    fields = ["role", "unit"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=selectors.role_assignment_list(user=request.user))
        )


@admin.register(User)
class UserAdmin(ScopedReadOnlyAdmin, BaseUserAdmin):
    # An account and its password are credentials, not records: superusers keep them here.
    # Its roles are read-only: they change on the roles page or through the API.
    superuser_may = frozenset({"add", "change"})
    inlines = [RoleInline]
    raw_id_fields = ["person"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Cán bộ"), {"fields": ("person",)}))

    def scope_queryset(self, queryset, request):
        return queryset.filter(pk__in=selectors.role_user_scope(user=request.user))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new account has no roles yet
