from django.contrib import admin

from longbien.core.admin import ScopedReadOnlyAdmin

from .models import Case, Discipline, FollowUp, Inspection, Plan, PlanItem


@admin.register(Plan)
class PlanAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "body", "year"]
    list_select_related = ["body"]


@admin.register(PlanItem)
class PlanItemAdmin(ScopedReadOnlyAdmin):
    list_display = ["topic", "activity", "target_unit", "starts_on", "ends_on", "status"]
    list_filter = ["activity", "status"]
    search_fields = ["topic_folded"]
    list_select_related = ["target_unit"]


@admin.register(Inspection)
class InspectionAdmin(ScopedReadOnlyAdmin):
    list_display = ["topic", "activity", "kind", "unit", "starts_on", "status"]
    list_filter = ["activity", "kind", "status"]
    search_fields = ["topic_folded"]
    list_select_related = ["unit"]


@admin.register(FollowUp)
class FollowUpAdmin(ScopedReadOnlyAdmin):
    list_display = ["content", "owner_unit", "deadline", "status"]
    list_filter = ["status"]
    list_select_related = ["owner_unit"]


@admin.register(Discipline)
class DisciplineAdmin(ScopedReadOnlyAdmin):
    list_display = ["symbol", "form", "subject_type", "unit", "decided_on"]
    list_filter = ["form", "subject_type"]
    list_select_related = ["unit"]


@admin.register(Case)
class CaseAdmin(ScopedReadOnlyAdmin):
    # Confidential: restrict() keeps it to the inspection role; no text in the list.
    list_display = ["paper_reference", "kind", "received_on", "due_on", "status"]
    list_filter = ["kind", "status"]
