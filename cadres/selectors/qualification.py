"""Qualification tests (sát hạch): sessions, rosters, scores and results."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from longbien.formatting import percentage
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer

from ..choices import (
    TestResult,
)
from ..models import (
    QualificationTest,
    TestParticipant,
)


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
