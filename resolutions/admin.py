from django.contrib import admin

from .models import Briefing, Conference, Document, Task


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request) -> bool:
        return False  # writes go through the portal's pages and services

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    list_display = ["symbol", "title", "kind", "issuing_unit", "signed_date", "status"]
    list_filter = ["kind", "status", "issuer_level", "year"]
    search_fields = ["title_folded", "symbol"]
    list_select_related = ["issuing_unit"]


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    list_display = ["title", "unit", "deadline", "status", "progress"]
    list_filter = ["status"]
    list_select_related = ["unit"]


@admin.register(Conference)
class ConferenceAdmin(ScopedAdmin):
    list_display = ["document", "unit", "held_on", "expected_attendees", "present_attendees"]
    list_select_related = ["document", "unit"]


@admin.register(Briefing)
class BriefingAdmin(ScopedAdmin):
    list_display = ["kind", "unit", "held_on"]
