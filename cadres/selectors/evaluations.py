"""Monthly evaluations: lists, the record and its timeline, the rating distribution,
the approval grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from longbien import spans as spans_
from longbien.formatting import shares
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer
from longbien.text import fold

from ..choices import (
    RATING_ABBREVIATIONS,
    EvaluationStatus,
    Rating,
)
from ..models import (
    Evaluation,
    EvaluationTally,
)
from ..workflows import EVALUATION_WORKFLOW
from ._common import _in_period, _ym


def evaluation_list(
    *,
    user: Viewer,
    unit: OrgUnit | None = None,
    year: int | None = None,
    month: int | None = None,
    status: str = "",
    rating: str = "",
    query: str = "",
    person: Person | None = None,
) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.restrict(user).select_related(
        "person", "person__position", "unit"
    )
    if unit is not None:
        evaluations = evaluations.filter(unit__path__startswith=unit.path)
    if year:
        evaluations = evaluations.filter(year=year)
    if month:
        evaluations = evaluations.filter(month=month)
    if status:
        evaluations = evaluations.filter(status=status)
    if rating:
        evaluations = evaluations.filter(rating=rating)
    if person is not None:
        evaluations = evaluations.filter(person=person)
    if query:
        evaluations = evaluations.filter(person__name_folded__contains=fold(query))
    return evaluations.order_by("-year", "-month", "person_sort_key", "id")


def evaluation_get(*, user: Viewer, pk: int) -> Evaluation:
    return (
        Evaluation.objects.restrict(user)
        .select_related("person", "person__position", "unit", "assessed_by", "approved_by")
        .get(pk=pk)
    )


def evaluation_timeline(*, evaluation: Evaluation) -> list[dict[str, Any]]:
    """The steps an evaluation went through, oldest first, for its page."""
    steps: list[dict[str, Any]] = [
        {"when": evaluation.created_at, "label": _("Mở phiếu đánh giá"), "who": ""}
    ]
    if evaluation.self_assessed_at:
        steps.append(
            {
                "when": evaluation.self_assessed_at,
                "label": _("Tự đánh giá: %(rating)s")
                % {"rating": evaluation.get_self_rating_display()},
                "who": evaluation.person,
            }
        )
    if evaluation.assessed_at:
        steps.append(
            {
                "when": evaluation.assessed_at,
                "label": _("Cấp trên đề xuất: %(rating)s")
                % {"rating": evaluation.get_proposed_rating_display()},
                "who": evaluation.assessed_by or "",
            }
        )
    if evaluation.approved_at:
        label = _("Phê duyệt")
        if evaluation.unassessed_reason:
            label = _("Xếp loại khi cán bộ không tự đánh giá (%(reason)s)") % {
                "reason": evaluation.unassessed_reason
            }
        steps.append(
            {"when": evaluation.approved_at, "label": label, "who": evaluation.approved_by or ""}
        )
    for revision in evaluation.revisions.select_related("revised_by").order_by("revised_at"):
        steps.append(
            {
                "when": revision.revised_at,
                "label": _("Điều chỉnh: %(old)s → %(new)s (%(reason)s)")
                % {
                    "old": revision.get_old_rating_display(),
                    "new": revision.get_new_rating_display(),
                    "reason": revision.reason,
                },
                "who": revision.revised_by or "",
            }
        )
    # Opening comes first whatever its stamp (months recorded later carry earlier dates);
    # the steps then follow by time, in workflow order when two share a moment.
    return steps[:1] + sorted(steps[1:], key=lambda step: step["when"])


@dataclass(frozen=True)
class RatingShare:
    rating: str
    label: str
    abbreviation: str
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class Distribution:
    unit: OrgUnit
    start: dt.date
    end: dt.date
    total: int
    rows: list[RatingShare]

    @property
    def shares_total(self) -> Decimal:
        return sum((row.share or Decimal(0) for row in self.rows), Decimal(0))


def _require_unit(user: Viewer, unit: OrgUnit) -> None:
    if not scope.can(user, scope.Area.CADRES, scope.VIEW, unit):
        raise PermissionDenied(_("Bạn không có quyền xem số liệu cán bộ của đơn vị này."))


def rating_counts(*, unit: OrgUnit, start: dt.date, end: dt.date) -> dict[str, int]:
    """Count approved evaluations per rating in ``unit``'s subtree (no scope: the caller's job).

    Counts are read by whoever reads the unit's cadre work (``Area.CADRES``), a ward's staff
    included; what each evaluation says is not (``Area.EVALUATIONS``, the model's restrict).
    They come from the subtree tally (:class:`EvaluationTally`, kept by the database): a
    few hundred rows of one unit, whatever the number of evaluations below it.
    """
    return rating_counts_each(unit=unit, spans=[(start, end)])[0]


def rating_counts_each(*, unit: OrgUnit, spans: Sequence[spans_.Span]) -> list[dict[str, int]]:
    """:func:`rating_counts` of each period of ``spans``, in one query (a month counts in a
    period when the period touches it)."""
    found = spans_.aggregate_each_by(
        EvaluationTally.objects.filter(unit=unit, status=EvaluationStatus.APPROVED).alias(
            ym=F("year") * 100 + F("month")
        ),
        spans,
        "rating",
        when=lambda start, end: Q(ym__gte=_ym(start), ym__lte=_ym(end)),
        figures=lambda start, end: {"n": Sum("n")},
    )
    return [
        {rating: by_rating.get(rating, {}).get("n") or 0 for rating in Rating.values}
        for by_rating in found
    ]


def distribution(
    *, user: Viewer, unit: OrgUnit, start: dt.date, end: dt.date, places: int = 1
) -> Distribution:
    """Approved evaluations per rating, with shares of the total that add up to exactly 100.

    The shares come from the counts by largest-remainder rounding (:func:`shares`), so the
    total row never reads 99.9 or 100.1.
    """
    _require_unit(user, unit)
    counts = rating_counts(unit=unit, start=start, end=end)
    total = sum(counts.values())
    parts = shares([counts[value] for value in Rating.values], places)
    rows = [
        RatingShare(
            rating=value,
            label=str(label),
            abbreviation=RATING_ABBREVIATIONS[value],
            count=counts[value],
            share=share,
        )
        for (value, label), share in zip(Rating.choices, parts, strict=True)
    ]
    return Distribution(unit=unit, start=start, end=end, total=total, rows=rows)


def _readable(user: Viewer, field: str) -> Q:
    """Rows whose evaluations (through ``field``) the user may read: the model's restrict hook.

    A person's months by rating are what their evaluations say: a ward's staff count their
    colleagues in the distribution, but see only their own line in the per-cadre tables.
    """
    readable = Evaluation.objects.restrict(user)
    if scope.is_unrestricted(readable):
        return scope.everything()
    return Q(**{f"{field}__in": readable.values("pk")})


def yearly_counts(*, user: Viewer, unit: OrgUnit, year: int) -> QuerySet:
    """Per cadre, how many approved months of each rating they had in ``year``.

    Only the cadres whose evaluations the user may read (the rows are their ratings).
    """
    _require_unit(user, unit)
    annotations = {
        value: Count("evaluations", filter=Q(evaluations__rating=value)) for value in Rating.values
    }
    return (
        Person.objects.filter(
            _readable(user, "evaluations"),
            evaluations__unit__path__startswith=unit.path,
            evaluations__year=year,
            evaluations__status=EvaluationStatus.APPROVED,
        )
        .annotate(months=Count("evaluations"), **annotations)
        .select_related("unit")
        .order_by("sort_key", "id")
    )


def flagged_cadres(*, user: Viewer, unit: OrgUnit, start: dt.date, end: dt.date) -> QuerySet:
    """Cadres with at least one approved "not completed" month in the period.

    Only months whose content the user may read (a cadre's rating is theirs to read).
    """
    _require_unit(user, unit)
    months = _in_period(
        Evaluation.objects.restrict(user).filter(
            unit__path__startswith=unit.path,
            status=EvaluationStatus.APPROVED,
            rating=Rating.NOT_COMPLETED,
        ),
        start,
        end,
    )
    return (
        Person.objects.filter(pk__in=months.values("person_id"))
        .annotate(
            not_completed=Count(
                "evaluations",
                filter=Q(
                    evaluations__rating=Rating.NOT_COMPLETED,
                    evaluations__status=EvaluationStatus.APPROVED,
                    evaluations__in=months,
                ),
            )
        )
        .select_related("unit")
        .order_by("sort_key", "id")
    )


@dataclass
class GridRow:
    """One cadre's line on the approval grid.

    ``refusal`` says why the grid may not approve the row for this user ("" when it may):
    the same rule as the record page's "Phê duyệt" step (:data:`EVALUATION_WORKFLOW`'s
    ``approve``): a month the superior assessed, in the user's scope, not their own.
    """

    person: Person
    evaluation: Evaluation | None
    value: str = ""
    error: str = ""
    refusal: str = ""
    selected: bool = False

    @property
    def locked(self) -> bool:
        return self.evaluation is not None and self.evaluation.is_locked

    @property
    def approvable(self) -> bool:
        """Tell whether this user may approve the row from the grid (it gets a checkbox)."""
        return self.evaluation is not None and not self.refusal


def grid_refusal(
    user: Viewer, evaluation: Evaluation | None, *, unit: OrgUnit, year: int, month: int
) -> str:
    """Why the grid of ``unit``'s month may not approve ``evaluation`` for ``user`` ("" if it may).

    No query: the evaluation comes with its unit and person, the user's grants are cached.
    Only a month the superior assessed is approved from the grid (a missing, draft or
    self-assessed month is not); who may approve is the workflow's ``approve`` rule.
    """
    if evaluation is None:
        return _("Cán bộ chưa có phiếu đánh giá tháng này.")
    if (
        evaluation.year != year
        or evaluation.month != month
        or not evaluation.unit.path.startswith(unit.path)
    ):
        return _("Phiếu không thuộc bảng duyệt của %(unit)s tháng %(month)s/%(year)s.") % {
            "unit": unit.name, "month": month, "year": year,
        }  # fmt: skip
    if evaluation.is_locked:
        return _("Đã phê duyệt và khóa.")
    step = EVALUATION_WORKFLOW["approve"]
    if not step.starts_from(evaluation.status):
        if evaluation.status == EvaluationStatus.SELF_ASSESSED:
            return _("Cấp trên chưa nhận xét, đề xuất: chưa phê duyệt được trên bảng.")
        return _("Cán bộ chưa tự đánh giá: chưa phê duyệt được trên bảng.")
    return step.who.refusal(user, evaluation) or ""


def grid_rows(*, user: Viewer, unit: OrgUnit, year: int, month: int) -> list[GridRow]:
    """Every active person of ``unit``'s subtree with their evaluation of the month, if any.

    Each row says whether this user may approve it from the grid (:func:`grid_refusal`),
    worked out in Python for the whole set: two queries whatever the number of rows.
    """
    if not scope.can(user, scope.Area.CADRES, scope.CHANGE, unit):
        raise PermissionDenied(_("Bạn không có quyền duyệt đánh giá của đơn vị này."))
    people = list(
        Person.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .select_related("unit", "position")
        .order_by("unit__path", "position__rank", "sort_key", "id")
    )
    evaluations = {
        e.person_id: e
        for e in Evaluation.objects.filter(
            person__in=[p.pk for p in people], year=year, month=month
        ).select_related("unit")
    }
    rows = []
    for person in people:
        evaluation = evaluations.get(person.pk)
        value = ""
        if evaluation is not None:
            evaluation.person = person  # already loaded: no query per row
            value = evaluation.rating or evaluation.proposed_rating or evaluation.self_rating
        refusal = grid_refusal(user, evaluation, unit=unit, year=year, month=month)
        rows.append(GridRow(person=person, evaluation=evaluation, value=value, refusal=refusal))
    return rows


@dataclass
class GridSelection:
    """What a posted selection of the grid would approve, and what it would refuse (and why)."""

    rows: list[GridRow]
    refused: list[tuple[str, str]]


def grid_selection(
    *,
    user: Viewer,
    unit: OrgUnit,
    year: int,
    month: int,
    ids: list[int],
    ratings: dict[int, str],
) -> GridSelection:
    """The rows a posted selection (evaluation ids) names, for the confirmation page.

    One query. A row that is not on this grid (another unit's or month's, or an unknown id)
    is refused under its number only: nothing about a record outside the grid is shown.
    """
    if not scope.can(user, scope.Area.CADRES, scope.CHANGE, unit):
        raise PermissionDenied(_("Bạn không có quyền duyệt đánh giá của đơn vị này."))
    found = {
        e.pk: e
        for e in Evaluation.objects.filter(pk__in=ids).select_related(
            "person", "person__position", "unit"
        )
    }
    rows: list[GridRow] = []
    refused: list[tuple[str, str]] = []
    for pk in ids:
        evaluation = found.get(pk)
        refusal = grid_refusal(user, evaluation, unit=unit, year=year, month=month)
        if evaluation is None or (refusal and not evaluation.unit.path.startswith(unit.path)):
            refused.append((grid_row_label(pk, None), refusal or _("Không có phiếu này.")))
            continue
        value = ratings.get(pk) or evaluation.proposed_rating
        if refusal == "" and value not in Rating.values:
            refusal = _("Xếp loại “%(value)s” không hợp lệ.") % {"value": value}
        if refusal:
            refused.append((grid_row_label(pk, evaluation), refusal))
        else:
            rows.append(GridRow(person=evaluation.person, evaluation=evaluation, value=value))
    return GridSelection(rows=rows, refused=refused)


def grid_row_label(pk: int, evaluation: Evaluation | None) -> str:
    """How a refused row is named: the cadre on the grid, only the number otherwise."""
    if evaluation is None:
        return _("Phiếu số %(pk)s") % {"pk": pk}
    return str(evaluation.person)
