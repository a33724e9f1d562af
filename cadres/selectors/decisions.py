"""Personnel decisions: appointment, reappointment, concurrence, transfer, nomination."""

from __future__ import annotations

from django.db.models import QuerySet

from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer

from ..models import (
    PersonnelDecision,
)


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
