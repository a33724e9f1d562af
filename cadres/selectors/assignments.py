"""Task assignments to Party members and their year-end results."""

from __future__ import annotations

from django.db.models import QuerySet

from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer

from ..models import (
    TaskAssignment,
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
