"""Every write on cadre work: typed, keyword-only, atomic, scoped and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Position
from longbien.workflow import check_transition

from .choices import DecisionKind, EvaluationStatus, Rating, TestResult
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

S = EvaluationStatus
SELF_ASSESS = {S.DRAFT: {S.SELF_ASSESSED}}
ASSESS = {S.SELF_ASSESSED: {S.ASSESSED}}
APPROVE = {S.ASSESSED: {S.APPROVED}}
# Staff approving a unit's month on the grid may decide on any open record.
BULK_APPROVE = {S.DRAFT: {S.APPROVED}, S.SELF_ASSESSED: {S.APPROVED}, S.ASSESSED: {S.APPROVED}}
RETURN = {S.SELF_ASSESSED: {S.DRAFT}, S.ASSESSED: {S.DRAFT}}


def _require(actor: Any, unit: OrgUnit | None, action: str = scope.CHANGE) -> None:
    if not scope.can(actor, scope.Area.CADRES, action, unit):
        raise PermissionDenied(_("Bạn không có quyền thao tác trên cán bộ, đơn vị này."))


def _is_self(actor: Any, person_id: int | None) -> bool:
    return bool(person_id) and getattr(actor, "person_id", None) == person_id


def _clean_rating(value: str, field: str = "rating", *, required: bool = True) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if value not in Rating.values:
        raise ValidationError(
            {
                field: _(
                    "Xếp loại “%(value)s” không hợp lệ; chỉ chọn một trong bốn mức: %(allowed)s."
                )
                % {"value": value, "allowed": "; ".join(str(label) for label in Rating.labels)}
            },
            code="invalid_rating",
        )
    return value


def _locked_error(evaluation: Evaluation) -> ValidationError:
    return ValidationError(
        _(
            "Tháng %(period)s của %(person)s đã được phê duyệt và khóa; chỉ điều chỉnh được "
            "bằng phiếu điều chỉnh có lý do."
        )
        % {"period": evaluation.period_label, "person": evaluation.person},
        code="locked",
    )


def _refuse_locked(evaluation: Evaluation) -> None:
    if evaluation.is_locked:
        raise _locked_error(evaluation)


def _lock(evaluation: Evaluation) -> Evaluation:
    """Reload the row under a lock so two concurrent moves cannot both pass the check."""
    return (
        Evaluation.objects.select_for_update()
        .select_related("person", "unit")
        .get(pk=evaluation.pk)
    )


def _check_period(year: int, month: int) -> None:
    if not (1 <= int(month) <= 12):
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    if not (2000 <= int(year) <= 2100):
        raise ValidationError({"year": _("Năm không hợp lệ.")})


def _duplicate_error(person: Person, year: int, month: int) -> ValidationError:
    return ValidationError(
        _("%(person)s đã có phiếu đánh giá tháng %(month)02d/%(year)s.")
        % {"person": person, "month": month, "year": year},
        code="duplicate",
    )


@transaction.atomic
def evaluation_create(
    *, actor: Any, person: Person, year: int, month: int, reason: str = ""
) -> Evaluation:
    """Open a person's evaluation for a month (the cadre themself, or staff in scope)."""
    if not _is_self(actor, person.pk):
        _require(actor, person.unit)
    _check_period(year, month)
    if Evaluation.objects.filter(person=person, year=year, month=month).exists():
        raise _duplicate_error(person, year, month)
    evaluation = Evaluation(person=person, unit=person.unit, year=year, month=month)
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_self_assess(
    *, actor: Any, evaluation: Evaluation, self_assessment: str, self_rating: str
) -> Evaluation:
    """Record the cadre's own assessment and rating (the cadre, or staff in scope)."""
    evaluation = _lock(evaluation)
    if not _is_self(actor, evaluation.person_id):
        _require(actor, evaluation.unit)
    _refuse_locked(evaluation)
    check_transition(obj=evaluation, to=S.SELF_ASSESSED, allowed=SELF_ASSESS)
    self_rating = _clean_rating(self_rating, "self_rating")
    if not (self_assessment or "").strip():
        raise ValidationError({"self_assessment": _("Hãy viết phần tự nhận xét.")})
    evaluation.self_assessment = self_assessment.strip()
    evaluation.self_rating = self_rating
    evaluation.status = S.SELF_ASSESSED
    evaluation.returned_reason = ""
    evaluation.self_assessed_at = timezone.now()
    with audited(actor=actor):
        evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_assess(
    *, actor: Any, evaluation: Evaluation, superior_assessment: str, proposed_rating: str
) -> Evaluation:
    """Record the direct superior's assessment and proposed rating."""
    evaluation = _lock(evaluation)
    _require(actor, evaluation.unit)
    if _is_self(actor, evaluation.person_id):
        raise PermissionDenied(_("Không được tự nhận xét phiếu đánh giá của chính mình."))
    _refuse_locked(evaluation)
    check_transition(obj=evaluation, to=S.ASSESSED, allowed=ASSESS)
    evaluation.proposed_rating = _clean_rating(proposed_rating, "proposed_rating")
    evaluation.superior_assessment = (superior_assessment or "").strip()
    evaluation.status = S.ASSESSED
    evaluation.assessed_by = actor
    evaluation.assessed_at = timezone.now()
    with audited(actor=actor):
        evaluation.save()
    return evaluation


def _refuse_own(actor: Any, evaluation: Evaluation) -> None:
    if _is_self(actor, evaluation.person_id):
        raise PermissionDenied(_("Không được tự phê duyệt phiếu đánh giá của chính mình."))


@transaction.atomic
def evaluation_approve(
    *, actor: Any, evaluation: Evaluation, rating: str = "", reason: str = ""
) -> Evaluation:
    """Approve an assessed evaluation with the final rating (the proposed one by default)."""
    evaluation = _lock(evaluation)
    _require(actor, evaluation.unit)
    _refuse_own(actor, evaluation)
    _refuse_locked(evaluation)
    check_transition(obj=evaluation, to=S.APPROVED, allowed=APPROVE)
    evaluation.rating = _clean_rating(rating or evaluation.proposed_rating)
    _mark_approved(evaluation, actor)
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


def _mark_approved(evaluation: Evaluation, actor: Any) -> None:
    evaluation.status = S.APPROVED
    evaluation.approved_by = actor
    evaluation.approved_at = timezone.now()
    evaluation.returned_reason = ""


@transaction.atomic
def evaluation_return(*, actor: Any, evaluation: Evaluation, reason: str) -> Evaluation:
    """Send an evaluation back to the cadre with a reason."""
    evaluation = _lock(evaluation)
    _require(actor, evaluation.unit)
    _refuse_locked(evaluation)
    check_transition(obj=evaluation, to=S.DRAFT, allowed=RETURN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do trả lại.")})
    evaluation.status = S.DRAFT
    evaluation.returned_reason = reason[:500]
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_revise(
    *, actor: Any, evaluation: Evaluation, rating: str, reason: str
) -> EvaluationRevision:
    """Change an approved (locked) month's rating through a recorded revision."""
    evaluation = _lock(evaluation)
    _require(actor, evaluation.unit)
    _refuse_own(actor, evaluation)
    if not evaluation.is_locked:
        raise ValidationError(
            _("Chỉ điều chỉnh phiếu đã phê duyệt; phiếu chưa duyệt thì sửa theo quy trình."),
            code="not_locked",
        )
    rating = _clean_rating(rating)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Điều chỉnh xếp loại phải có lý do.")})
    if rating == evaluation.rating:
        raise ValidationError({"rating": _("Xếp loại mới trùng với xếp loại hiện tại.")})
    with audited(actor=actor, reason=reason):
        revision = EvaluationRevision.objects.create(
            evaluation=evaluation,
            old_rating=evaluation.rating,
            new_rating=rating,
            reason=reason[:500],
            revised_by=actor,
        )
        evaluation.rating = rating
        evaluation.save()
    return revision


@transaction.atomic
def evaluation_bulk_approve(
    *,
    actor: Any,
    unit: OrgUnit,
    year: int,
    month: int,
    ratings: dict[int, str],
    reason: str = "",
) -> list[Evaluation]:
    """Approve a unit's month in one go: every row is checked first; all are saved or none.

    ``ratings`` maps person ids to ratings; an empty rating leaves that person's month as it
    is. Errors come back keyed by person id (as text) so the grid can show them per row.
    """
    _require(actor, unit)
    _check_period(year, month)
    wanted = {int(pk): (value or "").strip() for pk, value in ratings.items()}
    wanted = {pk: value for pk, value in wanted.items() if value}
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=wanted, unit__path__startswith=unit.path
        ).select_related("unit")
    }
    existing = {
        e.person_id: e
        for e in Evaluation.objects.select_for_update()
        .filter(person_id__in=wanted, year=year, month=month)
        .select_related("person", "unit")
    }
    errors: dict[str, list[str]] = {}
    for pk, value in wanted.items():
        person = people.get(pk)
        evaluation = existing.get(pk)
        problem = ""
        if person is None:
            problem = _("Cán bộ không thuộc đơn vị %(unit)s.") % {"unit": unit}
        elif value not in Rating.values:
            problem = _("Xếp loại “%(value)s” không hợp lệ; chỉ chọn một trong bốn mức.") % {
                "value": value
            }
        elif _is_self(actor, pk):
            problem = _("Không được tự phê duyệt phiếu đánh giá của chính mình.")
        elif evaluation is not None and not scope.can(
            actor, scope.Area.CADRES, scope.CHANGE, evaluation.unit
        ):
            problem = _("Phiếu đánh giá này thuộc đơn vị ngoài phạm vi của bạn.")
        elif evaluation is not None and evaluation.is_locked and evaluation.rating != value:
            problem = _locked_error(evaluation).messages[0]
        if problem:
            errors[str(pk)] = [problem]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    saved: list[Evaluation] = []
    with audited(actor=actor, reason=reason):
        for pk, value in wanted.items():
            evaluation = existing.get(pk)
            if evaluation is None:
                person = people[pk]
                evaluation = Evaluation(person=person, unit=person.unit, year=year, month=month)
            elif evaluation.is_locked:
                continue  # same rating: nothing to change
            else:
                check_transition(obj=evaluation, to=S.APPROVED, allowed=BULK_APPROVE)
            evaluation.rating = value
            _mark_approved(evaluation, actor)
            evaluation.approved_at = now
            evaluation.save()
            saved.append(evaluation)
    return saved


# --- Personnel decisions -------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    person: Person,
    kind: str,
    symbol: str,
    decision_date: dt.date,
    from_position: Position | None = None,
    from_unit: OrgUnit | None = None,
    to_position: Position | None = None,
    to_unit: OrgUnit | None = None,
    note: str = "",
) -> PersonnelDecision:
    """Record a personnel decision; the actor must have both the person and the destination."""
    _require(actor, person.unit)
    if to_unit is not None:
        _require(actor, to_unit)
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Loại quyết định không hợp lệ.")})
    if kind == DecisionKind.TRANSFER and to_unit is None:
        raise ValidationError({"to_unit": _("Quyết định điều động phải có đơn vị mới.")})
    decision = PersonnelDecision(
        person=person, kind=kind, unit=to_unit or person.unit, symbol=(symbol or "").strip(),
        decision_date=decision_date, from_position=from_position or person.position,
        from_unit=from_unit or person.unit, to_position=to_position, to_unit=to_unit, note=note,
    )  # fmt: skip
    decision.full_clean()
    with audited(actor=actor, reason=decision.symbol):
        decision.save()
    return decision


# --- Qualification tests -------------------------------------------------------------------


@transaction.atomic
def test_create(
    *, actor: Any, unit: OrgUnit, subject: str, held_on: dt.date, pass_mark: Decimal = Decimal(50)
) -> QualificationTest:
    _require(actor, unit)
    test = QualificationTest(unit=unit, subject=subject, held_on=held_on, pass_mark=pass_mark)
    test.full_clean()
    with audited(actor=actor):
        test.save()
    return test


@transaction.atomic
def test_record_score(
    *, actor: Any, test: QualificationTest, person: Person, score: Decimal
) -> TestParticipant:
    """Record (or correct) a participant's score; the result follows from the pass mark."""
    _require(actor, test.unit)
    _require(actor, person.unit)
    score = Decimal(str(score))
    if not (Decimal(0) <= score <= Decimal(100)):
        raise ValidationError({"score": _("Điểm phải từ 0 đến 100.")})
    result = TestResult.PASSED if score >= test.pass_mark else TestResult.FAILED
    with audited(actor=actor):
        participant, _created = TestParticipant.objects.update_or_create(
            test=test,
            person=person,
            defaults={"score": score, "result": result, "unit": person.unit},
        )
    return participant


# --- Self-improvement plans ----------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, person: Person, year: int, commitments: str) -> SelfImprovementPlan:
    """Record a person's yearly plan (the person themself, or staff in scope)."""
    if not _is_self(actor, person.pk):
        _require(actor, person.unit)
    if not (commitments or "").strip():
        raise ValidationError({"commitments": _("Hãy ghi nội dung cam kết.")})
    if SelfImprovementPlan.objects.filter(person=person, year=year).exists():
        raise ValidationError(
            _("%(person)s đã có kế hoạch tu dưỡng năm %(year)s.") % {"person": person, "year": year}
        )
    plan = SelfImprovementPlan(
        person=person, unit=person.unit, year=year, commitments=commitments.strip()
    )
    plan.full_clean()
    with audited(actor=actor):
        plan.save()
    return plan


@transaction.atomic
def plan_review(*, actor: Any, plan: SelfImprovementPlan, month: int, note: str) -> PlanReview:
    """Record the cell meeting's review note for a month."""
    _require(actor, plan.unit)
    if not (1 <= int(month) <= 12):
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi nhận xét.")})
    if plan.reviews.filter(month=month).exists():
        raise ValidationError({"month": _("Tháng này đã có nhận xét.")})
    with audited(actor=actor):
        return PlanReview.objects.create(plan=plan, month=month, note=note.strip())


# --- Task assignments ----------------------------------------------------------------------


@transaction.atomic
def assignment_create(*, actor: Any, person: Person, year: int, task: str) -> TaskAssignment:
    _require(actor, person.unit)
    if not person.is_party_member:
        raise ValidationError({"person": _("Chỉ phân công nhiệm vụ cho đảng viên.")})
    if not (task or "").strip():
        raise ValidationError({"task": _("Hãy ghi nhiệm vụ được phân công.")})
    assignment = TaskAssignment(person=person, unit=person.unit, year=year, task=task.strip())
    assignment.full_clean()
    with audited(actor=actor):
        assignment.save()
    return assignment


@transaction.atomic
def assignment_record_result(
    *, actor: Any, assignment: TaskAssignment, result: str, result_note: str = ""
) -> TaskAssignment:
    _require(actor, assignment.unit)
    assignment.result = _clean_rating(result, "result")
    assignment.result_note = result_note
    with audited(actor=actor):
        assignment.save()
    return assignment


# --- Training classes ----------------------------------------------------------------------


@transaction.atomic
def training_create(
    *, actor: Any, unit: OrgUnit, name: str, start_date: dt.date, end_date: dt.date
) -> TrainingClass:
    _require(actor, unit)
    training = TrainingClass(unit=unit, name=name, start_date=start_date, end_date=end_date)
    if end_date < start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    training.full_clean()
    with audited(actor=actor):
        training.save()
    return training


@transaction.atomic
def training_enrol(
    *, actor: Any, training: TrainingClass, person: Person, completed: bool = False
) -> TrainingParticipant:
    _require(actor, training.unit)
    _require(actor, person.unit)
    with audited(actor=actor):
        participant, _created = TrainingParticipant.objects.update_or_create(
            training=training, person=person, defaults={"completed": completed}
        )
    return participant
