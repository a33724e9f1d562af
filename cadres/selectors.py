"""Every read on cadre work, narrowed to what the user may see.

A user with a cadres role sees the records of their units' subtrees; a cadre whose account is
linked to a person also sees their own records, and nobody else's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from longbien.formatting import percentage, shares
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer
from longbien.text import fold

from .choices import (
    GRID_APPROVABLE,
    RATING_ABBREVIATIONS,
    EvaluationStatus,
    Rating,
    TestResult,
)
from .models import (
    Evaluation,
    PersonnelDecision,
    PlanReview,
    QualificationTest,
    SelfImprovementPlan,
    TaskAssignment,
    TestParticipant,
    TrainingClass,
    TrainingParticipant,
)


def sees_area(user: Viewer, action: str = scope.VIEW) -> bool:
    return scope.has_area(user, scope.Area.CADRES, action)


def may_use_evaluations(user: Viewer) -> bool:
    """Tell whether the user has any evaluation to see: a cadres role, or a linked person."""
    return sees_area(user) or bool(getattr(user, "person_id", None))


def people_in_scope(*, user: Viewer) -> QuerySet[Person]:
    """Return the people the user may name in cadre work: their scope's, and themself.

    Every lookup of a person by code (forms, API, imports) goes through here, so a code
    outside the scope gets the same answer as an unknown code and reveals nothing: codes are
    sequential (LB00001, LB00002, …) and could otherwise be walked to list every name.
    """
    subtree = scope.unit_q(user, scope.Area.CADRES, scope.VIEW, "unit")
    own = scope.own_records_q(user, "pk")
    return Person.objects.filter(scope.either(Person, subtree, own)).select_related("unit")


def units_in_scope(*, user: Viewer, action: str = scope.VIEW) -> QuerySet[OrgUnit]:
    """Return the units whose cadre work the user may see (or change): lookups by code."""
    return OrgUnit.objects.filter(scope.unit_q(user, scope.Area.CADRES, action, ""))


def tests_in_scope(*, user: Viewer) -> QuerySet[QualificationTest]:
    """Return the test sessions the user may see (as :func:`test_list`, without counts)."""
    return QualificationTest.objects.restrict(user).select_related("unit")


def _ym(day: dt.date) -> int:
    return day.year * 100 + day.month


def _in_period(queryset: QuerySet, start: dt.date | None, end: dt.date | None) -> QuerySet:
    if start is None and end is None:
        return queryset
    queryset = queryset.alias(ym=F("year") * 100 + F("month"))
    if start is not None:
        queryset = queryset.filter(ym__gte=_ym(start))
    if end is not None:
        queryset = queryset.filter(ym__lte=_ym(end))
    return queryset


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
    return sorted(steps, key=lambda step: step["when"])


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


# --- Personnel decisions, tests, plans, assignments, trainings -----------------------------


def decision_list(
    *, user: Viewer, unit: OrgUnit | None = None, kind: str = "", year: int | None = None,
    person: Person | None = None,
) -> QuerySet[PersonnelDecision]:  # fmt: skip
    decisions = PersonnelDecision.objects.restrict(user).select_related(
        "person", "unit", "from_position", "from_unit", "to_position", "to_unit"
    )
    if unit is not None:
        decisions = decisions.filter(unit__path__startswith=unit.path)
    if kind:
        decisions = decisions.filter(kind=kind)
    if year:
        decisions = decisions.filter(decision_date__year=year)
    if person is not None:
        decisions = decisions.filter(person=person)
    return decisions.order_by("-decision_date", "-id")


def test_list(*, user: Viewer, unit: OrgUnit | None = None) -> QuerySet[QualificationTest]:
    """Test sessions the user may see, with how many of their people took part and passed."""
    tests = QualificationTest.objects.restrict(user).select_related("unit")
    if unit is not None:
        tests = tests.filter(unit__path__startswith=unit.path)
    # Counts of the participants in the user's subtree (not their own row: a count of one).
    seen = scope.unit_q(user, scope.Area.CADRES, scope.VIEW, "participants__unit")
    return tests.annotate(
        participant_count=Count("participants", filter=seen),
        passed_count=Count("participants", filter=seen & Q(participants__result="passed")),
    ).order_by("-held_on", "-id")


def test_get(*, user: Viewer, pk: int) -> QualificationTest:
    """A test session the user may see: organised in scope, or with one of their people."""
    return test_list(user=user).get(pk=pk)


@dataclass(frozen=True)
class TestSummary:
    registered: int
    scored: int
    passed: int
    failed: int
    pass_share: Decimal | None


def test_summary(*, participants: list[TestParticipant]) -> TestSummary:
    """Count the results of the given participants (the ones the user sees)."""
    passed = sum(1 for row in participants if row.result == TestResult.PASSED)
    failed = sum(1 for row in participants if row.result == TestResult.FAILED)
    return TestSummary(
        registered=len(participants),
        scored=passed + failed,
        passed=passed,
        failed=failed,
        pass_share=percentage(passed, passed + failed, 1),
    )


def participant_list(*, user: Viewer, test: QualificationTest | None = None,
                     person: Person | None = None) -> QuerySet[TestParticipant]:  # fmt: skip
    rows = TestParticipant.objects.restrict(user).select_related("person", "unit", "test")
    if test is not None:
        rows = rows.filter(test=test)
    if person is not None:
        rows = rows.filter(person=person)
    return rows.order_by("-test__held_on", "person__sort_key", "id")


def plan_list(
    *,
    user: Viewer,
    unit: OrgUnit | None = None,
    year: int | None = None,
    person: Person | None = None,
) -> QuerySet[SelfImprovementPlan]:
    plans = (
        SelfImprovementPlan.objects.restrict(user)
        .select_related("person", "person__position", "unit")
        .annotate(review_count=Count("reviews"))
    )
    if unit is not None:
        plans = plans.filter(unit__path__startswith=unit.path)
    if year:
        plans = plans.filter(year=year)
    if person is not None:
        plans = plans.filter(person=person)
    return plans.order_by("-year", "person__sort_key", "id")


def plan_get(*, user: Viewer, pk: int) -> SelfImprovementPlan:
    return (
        SelfImprovementPlan.objects.restrict(user)
        .select_related("person", "person__position", "unit")
        .get(pk=pk)
    )


def plan_reviews(*, plan: SelfImprovementPlan) -> QuerySet[PlanReview]:
    return plan.reviews.order_by("month")


def public_head_plans(*, unit: OrgUnit, year: int) -> QuerySet[SelfImprovementPlan]:
    """The heads' plans of ``unit``'s subtree, posted publicly (no login, nothing else personal)."""
    return (
        SelfImprovementPlan.objects.filter(
            unit__path__startswith=unit.path,
            year=year,
            person__is_active=True,
            person__position__is_head=True,
        )
        .select_related("person__position", "unit")
        .only(
            "id",
            "year",
            "commitments",
            "unit__name",
            "unit__path",
            "person__full_name",
            "person__sort_key",
            "person__position__name",
            "person__position__rank",
        )  # fmt: skip
        .order_by("unit__path", "person__position__rank", "person__sort_key")
    )


def assignment_list(
    *,
    user: Viewer,
    unit: OrgUnit | None = None,
    year: int | None = None,
    person: Person | None = None,
) -> QuerySet[TaskAssignment]:
    rows = TaskAssignment.objects.restrict(user).select_related("person", "unit")
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if year:
        rows = rows.filter(year=year)
    if person is not None:
        rows = rows.filter(person=person)
    return rows.order_by("-year", "person__sort_key", "id")


def assignment_get(*, user: Viewer, pk: int) -> TaskAssignment:
    return TaskAssignment.objects.restrict(user).select_related("person", "unit").get(pk=pk)


def members_without_assignment(
    *, user: Viewer, year: int, unit: OrgUnit | None = None
) -> QuerySet[Person]:
    """Active Party members in scope, admitted by ``year``, with no task assigned for it."""
    people = Person.objects.filter(
        scope.unit_q(user, scope.Area.CADRES, scope.VIEW, "unit"),
        is_active=True,
        party_member_since__year__lte=year,
    ).exclude(assignments__year=year)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    return people.select_related("unit", "position").order_by("sort_key", "id")


def training_list(*, user: Viewer, unit: OrgUnit | None = None) -> QuerySet[TrainingClass]:
    """Classes the user may see, with how many of their people enrolled and completed.

    As with test sessions, a ward sees a district class its own people attend.
    """
    seen = scope.unit_q(user, scope.Area.CADRES, scope.VIEW, "participants__person__unit")
    trainings = TrainingClass.objects.restrict(user).select_related("unit")
    if unit is not None:
        trainings = trainings.filter(unit__path__startswith=unit.path)
    return trainings.annotate(
        participant_count=Count("participants", filter=seen),
        completed_count=Count("participants", filter=seen & Q(participants__completed=True)),
    ).order_by("-start_date", "-id")


def training_get(*, user: Viewer, pk: int) -> TrainingClass:
    return training_list(user=user).get(pk=pk)


def training_participants(
    *, user: Viewer, training: TrainingClass
) -> QuerySet[TrainingParticipant]:
    """The participants of a class the user may see (their scope, or themself)."""
    return (
        TrainingParticipant.objects.restrict(user)
        .filter(training=training)
        .select_related("person", "person__unit", "person__position")
        .order_by("person__sort_key", "id")
    )


def training_history(*, user: Viewer, person: Person) -> QuerySet[TrainingParticipant]:
    """The classes a person attended, as far as the user may see them."""
    return (
        TrainingParticipant.objects.restrict(user)
        .filter(person=person)
        .select_related("training")
        .order_by("-training__start_date", "-id")
    )


def person_for_history(*, user: Viewer, pk: int) -> Person:
    """A person whose cadre history the user may read: in scope, or themself."""
    return people_in_scope(user=user).select_related("position").get(pk=pk)
