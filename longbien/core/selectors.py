"""What each role's home page shows, computed inside the user's scope."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from longbien import confidential, worklist
from longbien.org import scope
from longbien.org.choices import ManagementLevel, Role, UnitKind
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer

from .notifications import account_facts, unread

# The roles shown the key figures of their unit on the home page (until the dashboard exists).
LEADING_ROLES = frozenset({Role.LEADERSHIP, Role.WARD_SECRETARY})

_subtree_people = (
    Person.objects.filter(is_active=True, unit__path__startswith=OuterRef("path"))
    .order_by()
    .values("is_active")
    .annotate(total=Count("id"))
    .values("total")
)


def home_summary(*, user: Viewer, unit: OrgUnit | None = None) -> dict[str, Any]:
    """What the home page shows: the user's work first, then the figures of their scope.

    ``work``: every app's sections of work waiting for the user (:mod:`longbien.worklist`),
    within ``unit`` (the header's unit picker) as the registers they link to; ``unread``: the
    newest unread notifications; ``figures``: the key figures of the year for leading roles.
    A fixed number of queries, whatever the amount of work.
    """
    roles = scope.roles(user)
    # Counts are aggregates: whoever sees the organisation sees how many people it has.
    people = Person.objects.filter(scope.unit_q(user, scope.Area.ORG), is_active=True)
    units = OrgUnit.objects.restrict(user).filter(valid_to__isnull=True)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
        units = units.filter(path__startswith=unit.path)
    people_counts = people.aggregate(
        total=Count("id"),
        members=Count("id", filter=Q(party_member_since__isnull=False)),
        managed=Count("id", filter=Q(management_level=ManagementLevel.STANDING_COMMITTEE)),
        women=Count("id", filter=Q(sex="female")),
    )
    unit_counts = units.aggregate(
        total=Count("id"),
        wards=Count("id", filter=Q(kind=UnitKind.WARD_COMMITTEE)),
        cells=Count("id", filter=Q(kind=UnitKind.PARTY_CELL)),
    )
    context: dict[str, Any] = {
        "roles": roles,
        "people_counts": people_counts,
        "unit_counts": unit_counts,
        "scope_units": OrgUnit.objects.filter(
            id__in=[g.unit_id for g in scope.grants(user) if g.unit_id]
        ).order_by("path"),
        "is_admin": Role.ADMIN in roles,
        "is_leadership": Role.LEADERSHIP in roles,
        "is_ward": bool(roles & {Role.WARD_SECRETARY, Role.WARD_STAFF}),
        "is_inspection": Role.INSPECTION in roles,
        "is_mass_mobilisation": Role.MASS_MOBILISATION in roles,
        "is_staff_role": Role.STAFF in roles,
    }
    context["work"] = worklist.collect(user=user, unit=unit)
    context["unread"] = unread(user)
    context["unread_total"] = account_facts(user)["unread"]
    if roles & LEADING_ROLES:
        context["figures"] = worklist.key_figures(user=user, unit=worklist.home_unit(user, unit))
    if context["is_leadership"] or context["is_admin"]:
        context["wards"] = (
            units.filter(kind=UnitKind.WARD_COMMITTEE)
            .annotate(
                people_total=Coalesce(Subquery(_subtree_people, output_field=IntegerField()), 0)
            )
            .order_by("sort_key")
        )
    if context["is_admin"]:
        context["recent_audit"] = confidential.hide_entries(
            user,
            # Only the records in the admin's scope, as on the audit log page.
            scope.restrict_audit(
                LogEntry.objects.select_related("actor", "content_type"), user
            ).order_by("-timestamp"),
        )[:10]
    return context


def audit_log(*, user: Viewer) -> Any:
    """The audit entries of the records in the user's scope, newest first.

    A ward's admin does not read the changes (and the names) of other wards; the entries of
    confidential records the user is not admitted to are left out.
    """
    entries = scope.restrict_audit(
        LogEntry.objects.select_related("actor", "content_type"), user
    ).order_by("-timestamp")
    return confidential.hide_entries(user, entries)
