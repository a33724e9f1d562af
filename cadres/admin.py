"""A read-only admin of cadre records, narrowed to the user's scope (the kernel's base).

Writes go through the portal's pages and services (workflow, locking, audit reasons), so the
admin neither adds, changes nor deletes: a locked month or a test score is never removed
behind the audit trail.
"""

from django.contrib import admin

from longbien.core.admin import ScopedReadOnlyAdmin, ScopedReadOnlyInline

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


class RevisionInline(ScopedReadOnlyInline):
    model = EvaluationRevision
    fields = ["old_rating", "new_rating", "reason", "revised_by", "revised_at"]
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(ScopedReadOnlyAdmin):
    list_display = ["person", "unit", "year", "month", "self_rating", "rating", "status"]
    list_filter = ["status", "rating", "year", "month"]
    search_fields = ["person__name_folded", "person__code"]
    list_select_related = ["person", "unit"]
    inlines = [RevisionInline]


@admin.register(EvaluationRevision)
class EvaluationRevisionAdmin(ScopedReadOnlyAdmin):
    list_display = ["evaluation", "old_rating", "new_rating", "reason", "revised_by", "revised_at"]
    list_select_related = ["evaluation__person", "revised_by"]


@admin.register(PersonnelDecision)
class PersonnelDecisionAdmin(ScopedReadOnlyAdmin):
    list_display = ["symbol", "kind", "person", "unit", "to_position", "decision_date"]
    list_filter = ["kind"]
    search_fields = ["symbol", "person__name_folded", "person__code"]
    list_select_related = ["person", "unit", "to_position"]


class ParticipantInline(ScopedReadOnlyInline):
    model = TestParticipant
    fields = ["person", "unit", "score", "result"]
    readonly_fields = fields


@admin.register(QualificationTest)
class QualificationTestAdmin(ScopedReadOnlyAdmin):
    list_display = ["subject", "unit", "held_on", "pass_mark"]
    list_select_related = ["unit"]
    inlines = [ParticipantInline]


@admin.register(TestParticipant)
class TestParticipantAdmin(ScopedReadOnlyAdmin):
    list_display = ["person", "test", "unit", "score", "result"]
    list_filter = ["result"]
    list_select_related = ["person", "test", "unit"]


class PlanReviewInline(ScopedReadOnlyInline):
    model = PlanReview
    fields = ["month", "note"]
    readonly_fields = fields


@admin.register(SelfImprovementPlan)
class SelfImprovementPlanAdmin(ScopedReadOnlyAdmin):
    list_display = ["person", "unit", "year"]
    list_filter = ["year"]
    search_fields = ["person__name_folded", "person__code"]
    list_select_related = ["person", "unit"]
    inlines = [PlanReviewInline]


@admin.register(PlanReview)
class PlanReviewAdmin(ScopedReadOnlyAdmin):
    list_display = ["plan", "month"]
    list_select_related = ["plan__person"]


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(ScopedReadOnlyAdmin):
    list_display = ["person", "unit", "year", "result"]
    list_filter = ["year", "result"]
    search_fields = ["person__name_folded", "person__code"]
    list_select_related = ["person", "unit"]


@admin.register(TrainingClass)
class TrainingClassAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "unit", "start_date", "end_date"]
    list_select_related = ["unit"]


@admin.register(TrainingParticipant)
class TrainingParticipantAdmin(ScopedReadOnlyAdmin):
    list_display = ["person", "training", "completed"]
    list_filter = ["completed"]
    list_select_related = ["person", "training"]
