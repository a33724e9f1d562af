"""What the cadres selectors share: the area, the people, units and sessions in scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer

from ..models import (
    QualificationTest,
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


def person_for_history(*, user: Viewer, pk: int) -> Person:
    """A person whose cadre history the user may read: in scope, or themself."""
    return people_in_scope(user=user).select_related("position").get(pk=pk)
