"""Monthly evaluations: self-assessment, the superior's assessment, approval, returns,
revisions, the grid's bulk approval and months recorded on paper (imports).

Every move is checked against ``cadres.workflows.EVALUATION_WORKFLOW``."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import bulk
from longbien.audit import audited, log_created_in_bulk, log_updated_in_bulk
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Actor
from longbien.service import service
from longbien.text import clean_input
from longbien.workflow import move_error

from ..choices import Rating
from ..models import (
    Evaluation,
    EvaluationRevision,
)
from ..selectors.evaluations import grid_refusal, grid_row_label
from ._common import (
    WORKFLOW,
    S,
    _check_month,
    _check_period,
    _check_year,
    _clean_rating,
    _duplicate_error,
    _is_self,
    _lock,
    _locked_error,
    _require,
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
    # Read as the field stores it, so text of invisible characters only counts as none.
    self_assessment = clean_input(self_assessment or "", multiline=True)
    if not self_assessment:
        raise ValidationError({"self_assessment": _("Hãy viết phần tự nhận xét.")})
    evaluation.self_assessment = self_assessment
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
    evaluation.superior_assessment = clean_input(superior_assessment or "", multiline=True)
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
    reason = clean_input(reason or "")
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
    reason = clean_input(reason or "")
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
    reason = clean_input(reason or "")
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
    back keyed by person id (as text). The approval grid no longer uses it: it approves only
    the rows the approver selected, through :func:`evaluation_approve_selected`.
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


@dataclasses.dataclass
class GridApproval:
    """What :func:`evaluation_approve_selected` did: the rows approved, those refused (why)."""

    approved: list[Evaluation] = dataclasses.field(default_factory=list)
    refused: list[tuple[str, str]] = dataclasses.field(default_factory=list)


@service
def evaluation_approve_selected(
    *,
    actor: Actor,
    unit: OrgUnit,
    year: int,
    month: int,
    selected: list[int],
    ratings: dict[int, str] | None = None,
    reason: str = "",
) -> GridApproval:
    """Approve the grid rows the approver selected (evaluation ids), in one transaction.

    Each row passes the record page's "Phê duyệt" rule (the workflow's ``approve`` step: a
    month the superior assessed, in the actor's scope, never their own) and belongs to
    ``unit``'s month; ``ratings`` may give a row's final rating (the superior's proposal by
    default). Rows that fail are refused with their reason and the others are approved:
    set-based, one locked read, one update and one batch of audit rows whatever the count.
    """
    _require(actor, unit)
    _check_period(year, month)
    ratings = ratings or {}
    ids = list(dict.fromkeys(int(pk) for pk in selected))
    locked = {
        e.pk: e
        for e in Evaluation.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("person", "unit")
    }
    result = GridApproval()
    pairs: list[tuple[Evaluation, Evaluation]] = []
    now = timezone.now()
    for pk in ids:
        evaluation = locked.get(pk)
        refusal = grid_refusal(actor, evaluation, unit=unit, year=year, month=month)
        if evaluation is None or (refusal and not evaluation.unit.path.startswith(unit.path)):
            # Not on this grid: named by its number only, nothing about it is shown.
            result.refused.append((grid_row_label(pk, None), refusal or _("Không có phiếu này.")))
            continue
        value = (ratings.get(pk) or evaluation.proposed_rating or "").strip()
        if not refusal and value not in Rating.values:
            refusal = _("Xếp loại “%(value)s” không hợp lệ.") % {"value": value}
        if refusal:
            result.refused.append((grid_row_label(pk, evaluation), refusal))
            continue
        before = copy.copy(evaluation)
        evaluation.rating = value
        _mark_approved(evaluation, actor)
        evaluation.approved_at = evaluation.updated_at = now
        pairs.append((before, evaluation))
        result.approved.append(evaluation)
    if pairs:
        with audited(actor=actor, reason=reason):
            Evaluation.objects.bulk_update(
                result.approved,
                ["rating", "status", "approved_by", "approved_at", "returned_reason", "updated_at"],
            )
            log_updated_in_bulk(pairs)
    return result


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
    years = {r["year"] for r in rows if isinstance(r.get("year"), int)}
    # Only the file's people and years (not everyone's whole history), unsorted.
    taken = set(
        Evaluation.objects.filter(person_id__in=people, year__in=years)
        .order_by()
        .values_list("person_id", "year", "month")
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
        bulk.insert(evaluations)
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
