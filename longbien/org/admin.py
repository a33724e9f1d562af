from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from longbien.core.admin import ReadOnlyScopedAdmin

from .models import OrgUnit, Person, Position, PositionHistory, RoleAssignment, Term, User

ScopedAdmin = ReadOnlyScopedAdmin


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent", "successor"]


class PositionHistoryInline(admin.TabularInline):
    model = PositionHistory
    extra = 0
    raw_id_fields = ["unit"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["full_name", "code", "unit", "position", "management_level", "is_active"]
    list_filter = ["management_level", "sex", "is_active"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["unit", "position"]
    raw_id_fields = ["unit"]
    inlines = [PositionHistoryInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # reports are counted per term

    list_display = ["name", "code", "start_date", "end_date"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "is_head", "rank"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    raw_id_fields = ["person"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Cán bộ", {"fields": ("person",)}))
