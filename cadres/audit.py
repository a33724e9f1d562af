from auditlog.registry import auditlog

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

auditlog.register(Evaluation, exclude_fields=["created_at", "updated_at"])
for model in (
    EvaluationRevision, PersonnelDecision, QualificationTest, TestParticipant,
    SelfImprovementPlan, PlanReview, TaskAssignment, TrainingClass, TrainingParticipant,
):  # fmt: skip
    auditlog.register(model)
