"""Every read on the organisation, narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from longbien.text import fold

from . import scope
from .models import OrgUnit, Person, PositionHistory, Term


def unit_list(
    *,
    user: Any,
    query: str = "",
    kind: str = "",
    active: bool | None = None,
    within: OrgUnit | None = None,
) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.restrict(user).select_related("parent", "successor")
    if query:
        folded = fold(query)
        units = units.filter(Q(name_folded__contains=folded) | Q(code__icontains=query.strip()))
    if kind:
        units = units.filter(kind=kind)
    if active is True:
        units = units.filter(valid_to__isnull=True)
    elif active is False:
        units = units.filter(valid_to__isnull=False)
    if within is not None:
        units = units.filter(path__startswith=within.path)
    return units.annotate(people_count=Count("people", filter=Q(people__is_active=True))).order_by(
        "path"
    )


def unit_get(*, user: Any, code: str) -> OrgUnit:
    return OrgUnit.objects.restrict(user).select_related("parent", "successor").get(code=code)


def unit_choices(
    *, user: Any, action: str = scope.VIEW, area: str = scope.Area.ORG
) -> QuerySet[OrgUnit]:
    """Active units the user may pick for ``action`` in ``area`` (forms, the unit picker)."""
    return (
        OrgUnit.objects.filter(
            scope.unit_q(user, area, action, unit_field=""), valid_to__isnull=True
        )
        .only("id", "code", "name", "path", "depth", "kind")
        .order_by("path")
    )


def person_list(
    *,
    user: Any,
    query: str = "",
    unit: OrgUnit | None = None,
    management_level: str = "",
    party_members_only: bool = False,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    people = Person.objects.restrict(user).select_related("unit", "position")
    if not include_inactive:
        people = people.filter(is_active=True)
    if query:
        people = people.filter(name_folded__contains=fold(query))
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if management_level:
        people = people.filter(management_level=management_level)
    if party_members_only:
        people = people.filter(party_member_since__isnull=False)
    return people.order_by("sort_key", "id")


def person_get(*, user: Any, pk: int) -> Person:
    return Person.objects.restrict(user).select_related("unit", "position").get(pk=pk)


def person_positions(*, person: Person) -> QuerySet[PositionHistory]:
    return person.position_history.select_related("unit", "position").order_by("-start_date")


def term_list(*, user: Any) -> QuerySet[Term]:
    if not scope.has_area(user, scope.Area.ORG):
        return Term.objects.none()
    return Term.objects.order_by("-start_date")


def term_current(*, day: Any = None) -> Term | None:
    day = day or timezone.localdate()
    return Term.objects.filter(start_date__lte=day, end_date__gte=day).first()
