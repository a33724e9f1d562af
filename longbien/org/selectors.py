"""Every read on the organisation, narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from longbien.audit import audit_rows
from longbien.text import fold

from . import scope
from .models import OrgUnit, Person, PositionHistory, RoleAssignment, Term, User
from .types import Viewer


def unit_list(
    *,
    user: Viewer,
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


def unit_get(*, user: Viewer, code: str) -> OrgUnit:
    return OrgUnit.objects.restrict(user).select_related("parent", "successor").get(code=code)


def unit_choices(
    *, user: Viewer, action: str = scope.VIEW, area: str = scope.Area.ORG
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
    user: Viewer,
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


def person_get(*, user: Viewer, pk: int) -> Person:
    return Person.objects.restrict(user).select_related("unit", "position").get(pk=pk)


def person_positions(*, person: Person) -> QuerySet[PositionHistory]:
    return person.position_history.select_related("unit", "position").order_by("-start_date")


def term_list(*, user: Viewer) -> QuerySet[Term]:
    if not scope.has_area(user, scope.Area.ORG):
        return Term.objects.none()
    return Term.objects.order_by("-start_date")


def term_current(*, day: Any = None) -> Term | None:
    day = day or timezone.localdate()
    return Term.objects.filter(start_date__lte=day, end_date__gte=day).first()


def role_assignment_list(*, user: Viewer) -> QuerySet[RoleAssignment]:
    """Role assignments on units inside the subtree the user administers."""
    return (
        RoleAssignment.objects.filter(scope.unit_q(user, scope.Area.ROLES, scope.CHANGE))
        .select_related("unit")
        .order_by("unit__path", "role", "pk")
    )


def role_user_scope(*, user: Viewer) -> QuerySet[User]:
    """Accounts an administrator may give roles to (the roles pages, the API and the admin).

    A whole-tree administrator sees every account; an administrator of a subtree sees the
    accounts holding a role there or linked to a person there, and accounts with no role yet
    (new ones waiting for their first role).
    """
    if not scope.has_area(user, scope.Area.ROLES, scope.CHANGE):
        return User.objects.none()
    if scope.covers_a_root(user, scope.Area.ROLES, scope.CHANGE):
        return User.objects.all()
    in_scope = scope.unit_q(user, scope.Area.ROLES, scope.CHANGE, unit_field="unit")
    people = scope.unit_q(user, scope.Area.ROLES, scope.CHANGE, unit_field="person__unit")
    return User.objects.filter(
        Q(pk__in=RoleAssignment.objects.filter(in_scope).values("user_id"))
        | people
        | Q(~Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))), is_superuser=False)
    )


def role_user_list(*, user: Viewer, query: str = "") -> QuerySet[User]:
    """Accounts in the administrator's reach, each with ``scoped_roles``: its roles in scope."""
    users = role_user_scope(user=user)
    if query:
        words = query.split()
        for word in words:
            users = users.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(person__name_folded__contains=fold(word))
            )
    return (
        users.select_related("person__unit")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=role_assignment_list(user=user),
                to_attr="scoped_roles",
            )
        )
        .order_by("username")
    )


def role_user_get(*, user: Viewer, pk: int) -> User:
    return role_user_list(user=user).get(pk=pk)


def role_assignment_get(*, user: Viewer, target: User, pk: int) -> RoleAssignment:
    return role_assignment_list(user=user).get(user=target, pk=pk)


def role_unit_choices(*, user: Viewer) -> QuerySet[OrgUnit]:
    """Active units on which the user may hand out roles."""
    return unit_choices(user=user, action=scope.CHANGE, area=scope.Area.ROLES)


def role_history(*, user: Viewer, target: User, limit: int = 30) -> list[Any]:
    """The grants and revocations of ``target``'s roles in the user's scope, newest first."""
    if not scope.has_area(user, scope.Area.ROLES, scope.CHANGE):
        return []
    entries = LogEntry.objects.filter(
        Q(changes__user__0=str(target.pk)) | Q(changes__user__1=str(target.pk)),
        content_type=ContentType.objects.get_for_model(RoleAssignment),
    )
    if not scope.covers_a_root(user, scope.Area.ROLES, scope.CHANGE):
        units = [
            str(pk)
            for pk in OrgUnit.objects.filter(
                scope.unit_q(user, scope.Area.ROLES, scope.CHANGE, unit_field="")
            ).values_list("pk", flat=True)
        ]
        entries = entries.filter(Q(changes__unit__0__in=units) | Q(changes__unit__1__in=units))
    rows = audit_rows(
        entries.select_related("actor", "content_type").order_by("-timestamp")[:limit]
    )
    account = str(RoleAssignment._meta.get_field("user").verbose_name)
    for row in rows:  # the account is the page's subject: its id says nothing more
        row.changes = [change for change in row.changes if change[0] != account]
    return rows
