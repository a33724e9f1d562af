from django.contrib import admin

from longbien.core.admin import ScopedReadOnlyAdmin

from .models import Briefing, Conference, Document, Task


@admin.register(Document)
class DocumentAdmin(ScopedReadOnlyAdmin):
    list_display = ["symbol", "title", "kind", "issuing_unit", "signed_date", "status"]
    list_filter = ["kind", "status", "issuer_level", "year"]
    search_fields = ["title_folded", "symbol"]
    list_select_related = ["issuing_unit"]


@admin.register(Task)
class TaskAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "unit", "deadline", "status", "progress"]
    list_filter = ["status"]
    list_select_related = ["unit"]


@admin.register(Conference)
class ConferenceAdmin(ScopedReadOnlyAdmin):
    list_display = ["document", "unit", "held_on", "expected_attendees", "present_attendees"]
    list_select_related = ["document", "unit"]


@admin.register(Briefing)
class BriefingAdmin(ScopedReadOnlyAdmin):
    list_display = ["kind", "unit", "held_on"]
