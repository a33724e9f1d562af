"""A read-only admin of cadre records, narrowed to the user's scope.

Writes go through the portal's pages and services (workflow, locking, audit reasons), so the
admin neither adds, changes nor deletes.
"""

from django.contrib import admin

from .models import (
    Evaluation,
    EvaluationRevision,
    PersonnelDecision,
    PlanReview,
    QualificationTest,
    SelfImprovementPlan,
    TaskAssignment,
    TestParticipant,
    TrainingClass,
    TrainingParticipant,
)


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a locked month or a test score is never removed behind the audit trail


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # A ward's test may list people of other wards: show only the rows in scope.
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(ReadOnlyInline):
    model = EvaluationRevision
    fields = ["old_rating", "new_rating", "reason", "revised_by", "revised_at"]
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    list_display = ["person", "unit", "year", "month", "self_rating", "rating", "status"]
    list_filter = ["status", "rating", "year", "month"]
    search_fields = ["person__name_folded", "person__code"]
    list_select_related = ["person", "unit"]
    inlines = [RevisionInline]


@admin.register(EvaluationRevision)
class EvaluationRevisionAdmin(ScopedAdmin):
    list_display = ["evaluation", "old_rating", "new_rating", "reason", "revised_by", "revised_at"]
    list_select_related = ["evaluation__person", "revised_by"]


@admin.register(PersonnelDecision)
class PersonnelDecisionAdmin(ScopedAdmin):
    list_display = ["symbol", "kind", "person", "unit", "to_position", "decision_date"]
    list_filter = ["kind"]
    search_fields = ["symbol", "person__name_folded", "person__code"]
    list_select_related = ["person", "unit", "to_position"]


class ParticipantInline(ReadOnlyInline):
    model = TestParticipant
    fields = ["person", "unit", "score", "result"]
    readonly_fields = fields


@admin.register(QualificationTest)
class QualificationTestAdmin(ScopedAdmin):
    list_display = ["subject", "unit", "held_on", "pass_mark"]
    list_select_related = ["unit"]
    inlines = [ParticipantInline]


@admin.register(TestParticipant)
class TestParticipantAdmin(ScopedAdmin):
    list_display = ["person", "test", "unit", "score", "result"]
    list_filter = ["result"]
    list_select_related = ["person", "test", "unit"]


class PlanReviewInline(ReadOnlyInline):
    model = PlanReview
    fields = ["month", "note"]
    readonly_fields = fields


@admin.register(SelfImprovementPlan)
class SelfImprovementPlanAdmin(ScopedAdmin):
    list_display = ["person", "unit", "year"]
    list_filter = ["year"]
    search_fields = ["person__name_folded", "person__code"]
    list_select_related = ["person", "unit"]
    inlines = [PlanReviewInline]


@admin.register(PlanReview)
class PlanReviewAdmin(ScopedAdmin):
    list_display = ["plan", "month"]
    list_select_related = ["plan__person"]


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(ScopedAdmin):
    list_display = ["person", "unit", "year", "result"]
    list_filter = ["year", "result"]
    search_fields = ["person__name_folded", "person__code"]
    list_select_related = ["person", "unit"]


@admin.register(TrainingClass)
class TrainingClassAdmin(ScopedAdmin):
    list_display = ["name", "unit", "start_date", "end_date"]
    list_select_related = ["unit"]


@admin.register(TrainingParticipant)
class TrainingParticipantAdmin(ScopedAdmin):
    list_display = ["person", "training", "completed"]
    list_filter = ["completed"]
    list_select_related = ["person", "training"]
