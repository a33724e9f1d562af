"""Monthly evaluations: lists, the record and its timeline, the rating distribution,
the approval grid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from longbien.formatting import shares
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer
from longbien.text import fold

from ..choices import (
    GRID_APPROVABLE,
    RATING_ABBREVIATIONS,
    EvaluationStatus,
    Rating,
)
from ..models import (
    Evaluation,
)
from ._common import _in_period


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
    return evaluations.order_by("-year", "-month", "person__sort_key", "id")


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
    """Count approved evaluations per rating in ``unit``'s subtree (no scope: the caller's job)."""
    rows = (
        _in_period(
            Evaluation.objects.filter(
                unit__path__startswith=unit.path, status=EvaluationStatus.APPROVED
            ),
            start,
            end,
        )
        .values("rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(Rating.values, 0)
    for row in rows:
        counts[row["rating"]] = row["n"]
    return counts


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


def yearly_counts(*, user: Viewer, unit: OrgUnit, year: int) -> QuerySet:
    """Per cadre, how many approved months of each rating they had in ``year``."""
    _require_unit(user, unit)
    annotations = {
        value: Count("evaluations", filter=Q(evaluations__rating=value)) for value in Rating.values
    }
    return (
        Person.objects.filter(
            scope.unit_q(user, scope.Area.CADRES, scope.VIEW, "evaluations__unit"),
            evaluations__unit__path__startswith=unit.path,
            evaluations__year=year,
            evaluations__status=EvaluationStatus.APPROVED,
        )
        .annotate(months=Count("evaluations"), **annotations)
        .select_related("unit")
        .order_by("sort_key", "id")
    )


def flagged_cadres(*, user: Viewer, unit: OrgUnit, start: dt.date, end: dt.date) -> QuerySet:
    """Cadres with at least one approved "not completed" month in the period."""
    _require_unit(user, unit)
    months = _in_period(
        Evaluation.objects.filter(
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
    person: Person
    evaluation: Evaluation | None
    value: str = ""
    error: str = ""

    @property
    def locked(self) -> bool:
        return self.evaluation is not None and self.evaluation.is_locked

    @property
    def approvable(self) -> bool:
        """Tell whether the grid may approve this row (missing and draft months may not)."""
        return self.evaluation is not None and self.evaluation.status in GRID_APPROVABLE


def grid_rows(*, user: Viewer, unit: OrgUnit, year: int, month: int) -> list[GridRow]:
    """Every active person of ``unit``'s subtree with their evaluation of the month, if any."""
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
        )
    }
    rows = []
    for person in people:
        evaluation = evaluations.get(person.pk)
        value = ""
        if evaluation is not None:
            value = evaluation.rating or evaluation.proposed_rating or evaluation.self_rating
        rows.append(GridRow(person=person, evaluation=evaluation, value=value))
    return rows
