from django.contrib import admin

from longbien.core.admin import ScopedReadOnlyAdmin

from .models import Commitment, Dialogue, OpinionCase


@admin.register(Dialogue)
class DialogueAdmin(ScopedReadOnlyAdmin):
    list_display = ["topic", "level", "unit", "held_on", "participants"]
    list_filter = ["level"]
    search_fields = ["topic_folded"]
    list_select_related = ["unit"]


@admin.register(Commitment)
class CommitmentAdmin(ScopedReadOnlyAdmin):
    list_display = ["content", "owner_unit", "deadline", "status"]
    list_filter = ["status"]
    list_select_related = ["owner_unit"]


@admin.register(OpinionCase)
class OpinionCaseAdmin(ScopedReadOnlyAdmin):
    # No citizen data in the list (personal data, Nghị định 13/2023).
    list_display = ["id", "received_on", "source", "unit", "status", "outcome", "due_on"]
    list_filter = ["status", "outcome", "source", "urgency"]
    search_fields = ["content_folded"]
    list_select_related = ["unit"]
