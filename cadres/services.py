"""Every write on cadre work: typed, keyword-only, atomic, scoped and audited."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited, log_created_in_bulk
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Position
from longbien.org.types import Actor
from longbien.service import service
from longbien.workflow import move_error

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
from .workflows import EVALUATION_WORKFLOW, locked_error

S = EvaluationStatus
# Every move of an evaluation (who may take it, from which state) is declared once, in
# ``workflows.EVALUATION_WORKFLOW``; each service below checks its step there.
WORKFLOW = EVALUATION_WORKFLOW


def _require(actor: Actor, unit: OrgUnit | None, action: str = scope.CHANGE) -> None:
    if not scope.can(actor, scope.Area.CADRES, action, unit):
        raise PermissionDenied(_("Bạn không có quyền thao tác trên cán bộ, đơn vị này."))


def _is_self(actor: Actor, person_id: int | None) -> bool:
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


_locked_error = locked_error


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


@service
def evaluation_create(
    *, actor: Actor, person: Person, year: int, month: int, reason: str = ""
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


@service
def evaluation_self_assess(
    *, actor: Actor, evaluation: Evaluation, self_assessment: str, self_rating: str
) -> Evaluation:
    """Record the cadre's own assessment and rating (the cadre, or staff in scope)."""
    evaluation = _lock(evaluation)
    WORKFLOW.check(actor, evaluation, "self_assess")
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


@service
def evaluation_assess(
    *, actor: Actor, evaluation: Evaluation, superior_assessment: str, proposed_rating: str
) -> Evaluation:
    """Record the direct superior's assessment and proposed rating."""
    evaluation = _lock(evaluation)
    WORKFLOW.check(actor, evaluation, "assess")
    evaluation.proposed_rating = _clean_rating(proposed_rating, "proposed_rating")
    evaluation.superior_assessment = (superior_assessment or "").strip()
    evaluation.status = S.ASSESSED
    evaluation.assessed_by = actor
    evaluation.assessed_at = timezone.now()
    with audited(actor=actor):
        evaluation.save()
    return evaluation


@service
def evaluation_approve(
    *, actor: Actor, evaluation: Evaluation, rating: str = "", reason: str = ""
) -> Evaluation:
    """Approve an assessed evaluation with the final rating (the proposed one by default)."""
    evaluation = _lock(evaluation)
    WORKFLOW.check(actor, evaluation, "approve")
    evaluation.rating = _clean_rating(rating or evaluation.proposed_rating)
    _mark_approved(evaluation, actor)
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


def _mark_approved(evaluation: Evaluation, actor: Actor) -> None:
    evaluation.status = S.APPROVED
    evaluation.approved_by = actor
    evaluation.approved_at = timezone.now()
    evaluation.returned_reason = ""


@service
def evaluation_return(*, actor: Actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """Send an evaluation back to the cadre with a reason."""
    evaluation = _lock(evaluation)
    WORKFLOW.check(actor, evaluation, "return")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do trả lại.")})
    evaluation.status = S.DRAFT
    evaluation.returned_reason = reason[:500]
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


@service
def evaluation_rate_unassessed(
    *, actor: Actor, evaluation: Evaluation, rating: str, reason: str
) -> Evaluation:
    """Rate and approve a month the cadre never self-assessed: an explicit, reasoned exception.

    Committees must still conclude on a cadre who did not self-assess (long leave, refusal);
    this is done one record at a time, never on the grid, and the reason is kept on the
    record and in the audit trail.
    """
    evaluation = _lock(evaluation)
    WORKFLOW.check(actor, evaluation, "rate_unassessed")
    rating = _clean_rating(rating)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Xếp loại khi cán bộ không tự đánh giá phải có lý do.")},
            code="reason_required",
        )
    evaluation.rating = rating
    evaluation.unassessed_reason = reason[:500]
    _mark_approved(evaluation, actor)
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


@service
def evaluation_revise(
    *, actor: Actor, evaluation: Evaluation, rating: str, reason: str
) -> EvaluationRevision:
    """Change an approved (locked) month's rating through a recorded revision."""
    evaluation = _lock(evaluation)
    WORKFLOW.check(actor, evaluation, "revise")  # approved (locked) months only
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


@service
def evaluation_bulk_approve(
    *,
    actor: Actor,
    unit: OrgUnit,
    year: int,
    month: int,
    ratings: dict[int, str],
    reason: str = "",
) -> list[Evaluation]:
    """Approve a unit's month in one go: every row is checked first; all are saved or none.

    ``ratings`` maps person ids to ratings; an empty rating leaves that person's month as it
    is. Only months the cadre self-assessed (and the superior possibly assessed) are approved:
    a missing or draft month is an error on its row, so self-assessment is never skipped in
    bulk (the one exception is :func:`evaluation_rate_unassessed`, with a reason). Errors come
    back keyed by person id (as text) so the grid can show them per row.
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
    step = WORKFLOW["bulk_approve"]
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
        elif refusal := step.who.refusal(
            actor,
            # A missing month is judged as the month it would be: the person, in their unit.
            evaluation or Evaluation(person=person, unit=person.unit, year=year, month=month),
            denied=_("Phiếu đánh giá này thuộc đơn vị ngoài phạm vi của bạn."),
        ):
            problem = refusal
        elif evaluation is not None and evaluation.is_locked:
            if evaluation.rating != value:
                problem = _locked_error(evaluation).messages[0]
        elif evaluation is None:
            problem = _(
                "Cán bộ chưa có phiếu đánh giá tháng này: chưa tự đánh giá thì chưa phê duyệt "
                "được trên bảng."
            )
        elif not step.starts_from(evaluation.status):
            problem = _(
                "Cán bộ chưa tự đánh giá tháng này: chưa phê duyệt được trên bảng; nếu cán bộ "
                "không tự đánh giá, hãy xếp loại trên trang phiếu, có ghi lý do."
            )
        if problem:
            errors[str(pk)] = [problem]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    saved: list[Evaluation] = []
    with audited(actor=actor, reason=reason):
        for pk, value in wanted.items():
            evaluation = existing[pk]
            if evaluation.is_locked:
                continue  # same rating: nothing to change
            WORKFLOW.check_state(evaluation, "bulk_approve")
            evaluation.rating = value
            _mark_approved(evaluation, actor)
            evaluation.approved_at = now
            evaluation.save()
            saved.append(evaluation)
    return saved


RATING_FIELDS = ("self_rating", "proposed_rating", "rating")


@service
def evaluation_record_paper(
    *,
    actor: Actor,
    person: Person,
    year: int,
    month: int,
    self_rating: str = "",
    proposed_rating: str = "",
    rating: str = "",
    reason: str = "",
) -> Evaluation:
    """Record a month evaluated on paper (a file row): the ratings and the state they reach.

    An empty rating leaves one already recorded as it is. The rules are those of
    :func:`_check_paper_row`; the steps are stamped as their services would.
    """
    stored = (
        Evaluation.objects.select_for_update()
        .select_related("person", "unit")
        .filter(person=person, year=year, month=month)
        .first()
    )
    evaluation = (
        copy.copy(stored)
        if stored is not None
        else Evaluation(person=person, year=year, month=month)
    )
    _set_ratings(
        evaluation, self_rating=self_rating, proposed_rating=proposed_rating, rating=rating
    )
    _check_paper_row(actor=actor, evaluation=evaluation, stored=stored)
    evaluation.full_clean(
        exclude=["person", "unit", "assessed_by", "approved_by"], validate_unique=False
    )
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


@service
def evaluation_record_paper_many(
    *, actor: Actor, rows: list[dict[str, Any]], reason: str = ""
) -> list[ValidationError | None]:
    """Record many new months on paper at once, each as :func:`evaluation_record_paper` would.

    The same checks, set-based: the months already recorded in one query, scope from the
    actor's grants; then one insert of the evaluations and one of their audit rows. Returns
    each row's error (None where fine); nothing is written if any row has one.
    """
    errors: list[ValidationError | None] = [None] * len(rows)
    people = {r["person"].pk for r in rows if r.get("person") is not None}
    taken = set(
        Evaluation.objects.filter(person_id__in=people).values_list("person_id", "year", "month")
    )
    evaluations: list[Evaluation] = []
    for index, values in enumerate(rows):
        person = values.get("person")
        if person is None:
            errors[index] = ValidationError({"person": _("Hãy ghi mã cán bộ.")})
            continue
        # As the file gives them; full_clean below refuses what is not a year or a month.
        year: Any = values.get("year")
        month: Any = values.get("month")
        key = (person.pk, year, month)
        evaluation = Evaluation(person=person, year=year, month=month)
        _set_ratings(
            evaluation, self_rating=values.get("self_rating") or "",
            proposed_rating=values.get("proposed_rating") or "", rating=values.get("rating") or "",
        )  # fmt: skip
        try:
            if key in taken:
                raise _duplicate_error(person, key[1], key[2])
            _check_paper_row(actor=actor, evaluation=evaluation, stored=None)
            evaluation.full_clean(
                exclude=["person", "unit", "assessed_by", "approved_by"],
                validate_unique=False, validate_constraints=False,
            )  # fmt: skip
        except ValidationError as error:
            errors[index] = error
            continue
        taken.add(key)
        evaluations.append(evaluation)
    if any(errors):
        return errors
    with audited(actor=actor, reason=reason):
        Evaluation.objects.bulk_create(evaluations)
        log_created_in_bulk(evaluations)
    return errors


def _set_ratings(evaluation: Evaluation, **ratings: str) -> None:
    for field, value in ratings.items():
        if value:
            setattr(evaluation, field, value)


def _check_paper_row(*, actor: Actor, evaluation: Evaluation, stored: Evaluation | None) -> None:
    """Apply the workflow's rules to an evaluation recorded on paper; set the state it reaches.

    A row records a month done on paper: its self-rating is the cadre's self-assessment, the
    proposed rating the superior's assessment, a final rating the approval. The same rules as
    on the pages and the grid hold: the stored and the new row in the actor's scope, nobody
    imports their own month, no step is skipped (a proposal or a final rating needs the
    self-rating), a rating already recorded changes only by returning the record, and an
    approved month is locked: an import never revises it (a revision has its own page and
    needs a reason). Nothing is saved here; the import saves the row if no check fails.
    """
    if evaluation.person_id is None:
        raise ValidationError({"person": _("Hãy ghi mã cán bộ.")})
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if stored is None:
        evaluation.unit = evaluation.person.unit  # the person's unit at the time
    if not scope.can(actor, scope.Area.CADRES, scope.CHANGE, evaluation.unit):
        add(NON_FIELD_ERRORS, _("Phiếu đánh giá này thuộc đơn vị ngoài phạm vi của bạn."))
    if _is_self(actor, evaluation.person_id):
        add(NON_FIELD_ERRORS, _("Không được nhập phiếu đánh giá của chính mình."))
    for field, check in (("year", _check_year), ("month", _check_month)):
        try:
            check(getattr(evaluation, field))
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.message_dict[field])
    if errors:
        raise ValidationError(errors)
    if stored is not None and stored.is_locked:
        if any(getattr(evaluation, f) != getattr(stored, f) for f in RATING_FIELDS):
            raise ValidationError(
                _(
                    "Tháng %(period)s của %(person)s đã được phê duyệt và khóa; nhập tệp không "
                    "sửa được. Xếp loại chỉ thay đổi bằng phiếu điều chỉnh có lý do, trên trang "
                    "phiếu đánh giá."
                )
                % {"period": stored.period_label, "person": stored.person},
                code="locked",
            )
        return
    status = stored.status if stored is not None else S.DRAFT
    if stored is not None and status != S.DRAFT:
        # What the cadre and the superior recorded stays, unless the record is returned.
        recorded = ["self_rating"] + (["proposed_rating"] if status == S.ASSESSED else [])
        for field in recorded:
            if getattr(evaluation, field) != getattr(stored, field):
                add(
                    field,
                    _(
                        "Mức này đã được ghi theo quy trình (phiếu ở bước “%(status)s”); muốn "
                        "sửa thì trả lại phiếu trên trang phiếu đánh giá."
                    )
                    % {"status": stored.get_status_display()},
                )
    if not evaluation.self_rating:
        if evaluation.proposed_rating:
            add(
                "proposed_rating",
                _("Chưa có tự xếp loại: cấp trên chỉ đề xuất sau khi cán bộ tự đánh giá."),
            )
        if evaluation.rating:
            add(
                "rating",
                _(
                    "Chưa có tự xếp loại: chỉ phê duyệt phiếu đã qua tự đánh giá; nếu cán bộ "
                    "không tự đánh giá, hãy xếp loại trên trang phiếu, có ghi lý do."
                ),
            )
    for field in RATING_FIELDS:
        try:
            _clean_rating(getattr(evaluation, field), field, required=False)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.message_dict[field])
    if errors:
        raise ValidationError(errors)
    _import_reach(actor, evaluation, status)


def _stamp_self_assessed(evaluation: Evaluation, actor: Actor, now: dt.datetime) -> None:
    evaluation.self_assessed_at = now
    evaluation.returned_reason = ""


def _stamp_assessed(evaluation: Evaluation, actor: Actor, now: dt.datetime) -> None:
    evaluation.assessed_by = actor
    evaluation.assessed_at = now


def _stamp_approved(evaluation: Evaluation, actor: Actor, now: dt.datetime) -> None:
    _mark_approved(evaluation, actor)
    evaluation.approved_at = now


# What each step an import may record writes besides the status, as its service does.
_IMPORT_STAMPS = {
    "self_assess": _stamp_self_assessed,
    "assess": _stamp_assessed,
    "approve": _stamp_approved,
    "bulk_approve": _stamp_approved,
}
# The state each rating records: a self-rating the self-assessment, and so on.
_RECORDED_BY = ((S.SELF_ASSESSED, "self_rating"), (S.ASSESSED, "proposed_rating"),
                (S.APPROVED, "rating"))  # fmt: skip


def _importable(transition: Any) -> bool:
    return transition.imports


def _import_reach(actor: Actor, evaluation: Evaluation, status: str) -> None:
    """Move an imported row along the table to the furthest step its ratings record.

    From the stored state, each state the row records next must be one step of the table
    that an import may record and that the user may take; each step is stamped as its
    service would.
    """
    ahead = WORKFLOW.reachable_states(status, only=_importable)
    recorded = [state for state, field in _RECORDED_BY if getattr(evaluation, field)]
    current = status
    now = timezone.now()
    for state in (s for s in recorded if s in ahead):
        step = WORKFLOW.find(current, state, only=_importable)
        if step is None:
            raise move_error(WORKFLOW.labels, current, state)
        refusal = step.who.refusal(actor, evaluation)
        if refusal is not None:
            raise ValidationError(refusal, code="permission_denied")
        _IMPORT_STAMPS[step.name](evaluation, actor, now)
        current = state
    evaluation.status = current


# --- Personnel decisions -------------------------------------------------------------------


@service
def decision_create(
    *,
    actor: Actor,
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
    decision = PersonnelDecision(
        person=person, kind=kind, symbol=(symbol or "").strip(), decision_date=decision_date,
        from_position=from_position, from_unit=from_unit, to_position=to_position,
        to_unit=to_unit, note=note,
    )  # fmt: skip
    _check_decision(actor, decision)
    decision.full_clean()
    with audited(actor=actor, reason=decision.symbol):
        decision.save()
    return decision


def _check_decision(actor: Actor, decision: PersonnelDecision, stored: Any = None) -> None:
    """Check a decision's rights and rules; fill in the unit and the "from" side it implies.

    The "from" position and unit default to the stored ones, else the person's current ones;
    the record is kept by the destination unit, else the person's unit.
    """
    person = decision.person
    _require(actor, person.unit)
    if decision.to_unit_id is not None:
        _require(actor, decision.to_unit)
    if decision.kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Loại quyết định không hợp lệ.")})
    if decision.kind == DecisionKind.TRANSFER and decision.to_unit_id is None:
        raise ValidationError({"to_unit": _("Quyết định điều động phải có đơn vị mới.")})
    if decision.from_position_id is None:
        decision.from_position = stored.from_position if stored else person.position
    if decision.from_unit_id is None:
        decision.from_unit = stored.from_unit if stored else person.unit
    decision.unit = decision.to_unit or person.unit


@service
def decision_update(
    *,
    actor: Actor,
    decision: PersonnelDecision,
    decision_date: dt.date | None = None,
    from_position: Position | None = None,
    from_unit: OrgUnit | None = None,
    to_position: Position | None = None,
    to_unit: OrgUnit | None = None,
    note: str | None = None,
    reason: str = "",
) -> PersonnelDecision:
    """Correct a recorded decision (its date, sides, note); the unit keeping it must be in scope.

    The person, kind and symbol identify a decision: a different one is a new decision.
    """
    if not scope.can(actor, scope.Area.CADRES, scope.CHANGE, decision.unit):
        raise PermissionDenied(_("Quyết định này thuộc đơn vị ngoài phạm vi của bạn."))
    stored = PersonnelDecision.objects.get(pk=decision.pk)
    changes = {
        "decision_date": decision_date, "from_position": from_position, "from_unit": from_unit,
        "to_position": to_position, "to_unit": to_unit, "note": note,
    }  # fmt: skip
    for name, value in changes.items():
        if value is not None:
            setattr(decision, name, value)
    _check_decision(actor, decision, stored)
    decision.full_clean()
    with audited(actor=actor, reason=reason or decision.symbol):
        decision.save()
    return decision


# --- Shared checks of the records around the evaluations ----------------------------------


def _check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    return year


def _check_month(month: Any) -> int:
    try:
        month = int(month)
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    return month


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def unknown_person_message(code: str) -> str:
    """The answer to a person code that is unknown, or outside the user's scope: the same."""
    return _("Không có cán bộ mã “%(code)s”.") % {"code": code}


def _check_roster(
    *, actor: Actor, people: list[Person], listed: set[int], already: str
) -> list[Person]:
    """Check people to add to a test session or a class: in scope and not yet listed.

    Every problem is reported at once (on the ``people`` field) so that nobody is added
    until the whole list is right; a code typed twice counts once. Someone the actor may not
    even see gets the unknown-code message, naming only the code: nothing about them leaks.
    """
    unique = list({person.pk: person for person in people}.values())
    if not unique:
        raise ValidationError({"people": _("Hãy nhập ít nhất một mã cán bộ.")})
    errors: list[str] = []
    for person in unique:
        names = {"person": person.full_name, "code": person.code}
        if not (
            _is_self(actor, person.pk)
            or scope.can(actor, scope.Area.CADRES, scope.VIEW, person.unit)
        ):
            errors.append(unknown_person_message(person.code))
        elif not scope.can(actor, scope.Area.CADRES, scope.CHANGE, person.unit):
            errors.append(_("%(person)s (%(code)s) thuộc đơn vị ngoài phạm vi của bạn.") % names)
        elif person.pk in listed:
            errors.append(already % names)
    if errors:
        raise ValidationError({"people": errors})
    return unique


# --- Qualification tests -------------------------------------------------------------------


def parse_score(value: Any) -> Decimal:
    """Read a score typed as 85, 85.5 or 85,5 (the Vietnamese decimal comma)."""
    text = str(value).strip().replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation:
        score = Decimal("NaN")
    if not score.is_finite():
        raise ValidationError(
            _("Điểm “%(value)s” không phải là số.") % {"value": value}, code="invalid_score"
        )
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(
            _("Điểm %(value)s nằm ngoài khoảng từ 0 đến 100.") % {"value": value},
            code="invalid_score",
        )
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError(
            _("Điểm %(value)s có quá một chữ số thập phân; ví dụ hợp lệ: 85,5.") % {"value": value},
            code="invalid_score",
        )
    return score.quantize(Decimal("0.1"))


def _lock_test(test: QualificationTest) -> QualificationTest:
    return QualificationTest.objects.select_for_update().select_related("unit").get(pk=test.pk)


@service
def test_create(
    *, actor: Actor, unit: OrgUnit, subject: str, held_on: dt.date, pass_mark: Any = Decimal(50)
) -> QualificationTest:
    """Open a test session organised by ``unit``."""
    _require(actor, unit)
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Hãy ghi nội dung sát hạch.")})
    try:
        pass_mark = parse_score(pass_mark)
    except ValidationError as error:
        raise ValidationError({"pass_mark": error.messages}) from error
    test = QualificationTest(unit=unit, subject=subject, held_on=held_on, pass_mark=pass_mark)
    test.full_clean()
    with audited(actor=actor):
        test.save()
    return test


@service
def test_add_participants(
    *, actor: Actor, test: QualificationTest, people: list[Person]
) -> list[TestParticipant]:
    """Register people for a test session (scores come later): all of them or none."""
    test = _lock_test(test)
    _require(actor, test.unit)
    listed = set(test.participants.values_list("person_id", flat=True))
    people = _check_roster(
        actor=actor, people=people, listed=listed,
        already=_("%(person)s (%(code)s) đã có tên trong kỳ sát hạch này."),
    )  # fmt: skip
    with audited(actor=actor):
        return [
            TestParticipant.objects.create(test=test, person=person, unit=person.unit)
            for person in people
        ]


@service
def test_record_scores(
    *, actor: Actor, test: QualificationTest, scores: dict[int, Any]
) -> list[TestParticipant]:
    """Enter a session's scores in one go: every row is checked first; all are saved or none.

    ``scores`` maps participants' person ids to scores; an empty score leaves that row as it
    is. The result follows from the pass mark. Errors come back keyed by person id (as text)
    so the page can show them per row.
    """
    test = _lock_test(test)
    _require(actor, test.unit)
    if test.held_on > timezone.localdate():
        raise ValidationError(
            _("Kỳ sát hạch ngày %(day)s chưa diễn ra; chưa nhập được điểm.")
            % {"day": _day(test.held_on)},
            code="not_held",
        )
    wanted = {
        int(pk): value for pk, value in scores.items() if value is not None and str(value).strip()
    }
    if not wanted:
        raise ValidationError(_("Chưa nhập điểm của người nào."), code="empty")
    rows = {
        row.person_id: row
        for row in TestParticipant.objects.select_for_update()
        .filter(test=test, person_id__in=wanted)
        .select_related("person", "unit")
    }
    errors: dict[str, list[str]] = {}
    parsed: dict[int, Decimal] = {}
    for pk, value in wanted.items():
        row = rows.get(pk)
        problem = ""
        if row is None:
            problem = _("Cán bộ này không có tên trong kỳ sát hạch.")
        elif not scope.can(actor, scope.Area.CADRES, scope.CHANGE, row.unit):
            problem = _("Người dự sát hạch thuộc đơn vị ngoài phạm vi của bạn.")
        elif _is_self(actor, pk):
            problem = _("Không được tự nhập điểm sát hạch của chính mình.")
        else:
            try:
                parsed[pk] = parse_score(value)
            except ValidationError as error:
                problem = error.messages[0]
        if problem:
            errors[str(pk)] = [problem]
    if errors:
        raise ValidationError(errors)
    saved: list[TestParticipant] = []
    with audited(actor=actor):
        for pk, score in parsed.items():
            row = rows[pk]
            result = TestResult.PASSED if score >= test.pass_mark else TestResult.FAILED
            if (row.score, row.result) == (score, result):
                continue
            row.score, row.result = score, result
            row.save(update_fields=["score", "result"])
            saved.append(row)
    return saved


@service
def test_result_record(
    *, actor: Actor, test: QualificationTest, person: Person, score: Any = None
) -> TestParticipant:
    """Register ``person`` for a session if not yet listed, and enter the score if given.

    The same rules as on the session page (:func:`test_add_participants` and
    :func:`test_record_scores`): an empty score leaves an entered one as it is.
    """
    row = TestParticipant.objects.filter(test=test, person=person).first()
    if row is None:
        (row,) = test_add_participants(actor=actor, test=test, people=[person])
    if score is not None and str(score).strip():
        try:
            test_record_scores(actor=actor, test=test, scores={person.pk: score})
        except ValidationError as error:
            messages = (
                error.message_dict.get(str(person.pk)) if hasattr(error, "error_dict") else None
            )
            raise ValidationError({"score": messages or error.messages}) from error
        row.refresh_from_db()
    return row


# --- Self-improvement plans ----------------------------------------------------------------


@service
def plan_create(
    *, actor: Actor, person: Person, year: int, commitments: str
) -> SelfImprovementPlan:
    """Record a person's yearly plan (the person themself, or staff in scope)."""
    if not _is_self(actor, person.pk):
        _require(actor, person.unit)
    year = _check_year(year)
    commitments = (commitments or "").strip()
    if not commitments:
        raise ValidationError({"commitments": _("Hãy ghi nội dung cam kết.")})
    if SelfImprovementPlan.objects.filter(person=person, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(person)s đã có kế hoạch tu dưỡng năm %(year)s.")
                % {"person": person, "year": year}
            },
            code="duplicate",
        )
    plan = SelfImprovementPlan(person=person, unit=person.unit, year=year, commitments=commitments)
    plan.full_clean()
    with audited(actor=actor):
        plan.save()
    return plan


@service
def plan_review(*, actor: Actor, plan: SelfImprovementPlan, month: int, note: str) -> PlanReview:
    """Record the cell meeting's review note on a plan for a month that has begun."""
    plan = (
        SelfImprovementPlan.objects.select_for_update()
        .select_related("person", "unit")
        .get(pk=plan.pk)
    )
    _require(actor, plan.unit)
    if _is_self(actor, plan.person_id):
        raise PermissionDenied(_("Không được tự ghi nhận xét cho kế hoạch của chính mình."))
    month = _check_month(month)
    today = timezone.localdate()
    if (plan.year, month) > (today.year, today.month):
        raise ValidationError(
            {
                "month": _("Tháng %(month)s/%(year)s chưa đến; chưa ghi được nhận xét.")
                % {"month": month, "year": plan.year}
            }
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Hãy ghi nhận xét.")})
    if plan.reviews.filter(month=month).exists():
        raise ValidationError({"month": _("Tháng này đã có nhận xét.")}, code="duplicate")
    with audited(actor=actor):
        return PlanReview.objects.create(plan=plan, month=month, note=note)


# --- Task assignments ----------------------------------------------------------------------


@service
def assignment_create(*, actor: Actor, person: Person, year: int, task: str) -> TaskAssignment:
    """Assign a task for a year to a Party member in scope."""
    _require(actor, person.unit)
    year = _check_year(year)
    if person.party_member_since is None:  # not a Party member
        raise ValidationError({"person": _("Chỉ phân công nhiệm vụ cho đảng viên.")})
    if person.party_member_since.year > year:
        raise ValidationError(
            {
                "year": _("%(person)s vào Đảng năm %(joined)s, sau năm %(year)s.")
                % {"person": person, "joined": person.party_member_since.year, "year": year}
            }
        )
    task = (task or "").strip()
    if not task:
        raise ValidationError({"task": _("Hãy ghi nhiệm vụ được phân công.")})
    assignment = TaskAssignment(person=person, unit=person.unit, year=year, task=task)
    assignment.full_clean()
    with audited(actor=actor):
        assignment.save()
    return assignment


@service
def assignment_record_result(
    *, actor: Actor, assignment: TaskAssignment, result: str, result_note: str = ""
) -> TaskAssignment:
    """Record (or correct) the year-end result of an assignment; not one's own, not early."""
    assignment = (
        TaskAssignment.objects.select_for_update()
        .select_related("person", "unit")
        .get(pk=assignment.pk)
    )
    _require(actor, assignment.unit)
    if _is_self(actor, assignment.person_id):
        raise PermissionDenied(_("Không được tự ghi kết quả nhiệm vụ của chính mình."))
    if assignment.year > timezone.localdate().year:
        raise ValidationError(
            _("Năm %(year)s chưa đến; chưa ghi được kết quả cuối năm.") % {"year": assignment.year},
            code="too_early",
        )
    result = _clean_rating(result, "result")
    result_note = (result_note or "").strip()
    if len(result_note) > 300:
        raise ValidationError({"result_note": _("Ghi chú kết quả dài tối đa 300 ký tự.")})
    assignment.result = result
    assignment.result_note = result_note
    with audited(actor=actor):
        assignment.save(update_fields=["result", "result_note"])
    return assignment


# --- Training classes ----------------------------------------------------------------------


@service
def training_create(
    *, actor: Actor, unit: OrgUnit, name: str, start_date: dt.date, end_date: dt.date
) -> TrainingClass:
    """Open a training class organised by ``unit``."""
    _require(actor, unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy ghi tên lớp.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    training = TrainingClass(unit=unit, name=name, start_date=start_date, end_date=end_date)
    training.full_clean()
    with audited(actor=actor):
        training.save()
    return training


def _lock_training(training: TrainingClass) -> TrainingClass:
    return TrainingClass.objects.select_for_update().select_related("unit").get(pk=training.pk)


@service
def training_enrol(
    *, actor: Actor, training: TrainingClass, people: list[Person]
) -> list[TrainingParticipant]:
    """Enrol people in a class: all of them or none."""
    training = _lock_training(training)
    _require(actor, training.unit)
    listed = set(training.participants.values_list("person_id", flat=True))
    people = _check_roster(
        actor=actor, people=people, listed=listed,
        already=_("%(person)s (%(code)s) đã có tên trong lớp này."),
    )  # fmt: skip
    with audited(actor=actor):
        return [
            TrainingParticipant.objects.create(training=training, person=person)
            for person in people
        ]


@service
def training_record_completion(
    *, actor: Actor, training: TrainingClass, completed: dict[int, bool]
) -> list[TrainingParticipant]:
    """Mark who completed a class, in one go: every row is checked first; all or none.

    ``completed`` maps participants' person ids to whether they completed; people left out
    stay as they are. Completion is recorded from the class's last day on. Errors come back
    keyed by person id (as text).
    """
    training = _lock_training(training)
    _require(actor, training.unit)
    wanted = {int(pk): bool(done) for pk, done in completed.items()}
    rows = {
        row.person_id: row
        for row in TrainingParticipant.objects.select_for_update()
        .filter(training=training, person_id__in=wanted)
        .select_related("person", "person__unit")
    }
    finished = training.end_date <= timezone.localdate()
    errors: dict[str, list[str]] = {}
    for pk, done in wanted.items():
        row = rows.get(pk)
        problem = ""
        if row is None:
            problem = _("Cán bộ này không có tên trong lớp.")
        elif row.completed == done:
            continue
        elif not scope.can(actor, scope.Area.CADRES, scope.CHANGE, row.person.unit):
            problem = _("Học viên thuộc đơn vị ngoài phạm vi của bạn.")
        elif _is_self(actor, pk):
            problem = _("Không được tự xác nhận kết quả học tập của chính mình.")
        elif done and not finished:
            problem = _("Lớp kết thúc ngày %(day)s; chưa xác nhận hoàn thành được.") % {
                "day": _day(training.end_date)
            }
        if problem:
            errors[str(pk)] = [problem]
    if errors:
        raise ValidationError(errors)
    saved: list[TrainingParticipant] = []
    with audited(actor=actor):
        for pk, done in wanted.items():
            row = rows[pk]
            if row.completed != done:
                row.completed = done
                row.save(update_fields=["completed"])
                saved.append(row)
    return saved
