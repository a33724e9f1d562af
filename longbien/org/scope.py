"""Who may see and change what: the one place that decides, for every read and write.

A user holds roles on units (``RoleAssignment``); a role on a unit covers its subtree.
Each role grants actions on *areas* of work. The UI, the API, the admin, exports, imports,
dashboards and reports all ask this module, through :meth:`ScopedQuerySet.restrict`,
:func:`unit_q` or :func:`can`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from .choices import Role

if TYPE_CHECKING:
    from .models import OrgUnit

VIEW = "view"
CHANGE = "change"


class Area:
    ORG = "org"
    # Personal data of cadres and members (Nghị định 13/2023/NĐ-CP): least privilege.
    PEOPLE = "people"
    RESOLUTIONS = "resolutions"
    CADRES = "cadres"
    INSPECTIONS = "inspections"
    # Denunciations, disciplinary complaints and denouncers' identities (Luật Tố cáo 2018).
    CONFIDENTIAL = "confidential"
    DIALOGUES = "dialogues"
    REPORTS = "reports"
    AUDIT = "audit"


_VC = frozenset({VIEW, CHANGE})
_V = frozenset({VIEW})
_ALL_OPEN = (
    Area.ORG, Area.RESOLUTIONS, Area.CADRES, Area.INSPECTIONS, Area.DIALOGUES, Area.REPORTS,
)  # fmt: skip

RULES: dict[str, dict[str, frozenset[str]]] = {
    Role.ADMIN: {**{area: _VC for area in _ALL_OPEN}, Area.PEOPLE: _VC, Area.AUDIT: _V},
    Role.STAFF: {
        Area.ORG: _VC,
        Area.PEOPLE: _VC,
        Area.RESOLUTIONS: _VC,
        Area.CADRES: _VC,
        Area.INSPECTIONS: _V,
        Area.DIALOGUES: _VC,
        Area.REPORTS: _VC,
    },  # fmt: skip
    Role.LEADERSHIP: {**{area: _V for area in _ALL_OPEN}, Area.PEOPLE: _V},
    Role.INSPECTION: {
        Area.ORG: _V,
        Area.PEOPLE: _V,
        Area.RESOLUTIONS: _V,
        Area.INSPECTIONS: _VC,
        Area.CONFIDENTIAL: _VC,
    },  # fmt: skip
    Role.MASS_MOBILISATION: {Area.ORG: _V, Area.RESOLUTIONS: _V, Area.DIALOGUES: _VC},
    Role.WARD_SECRETARY: {
        Area.ORG: _V,
        Area.PEOPLE: _V,
        Area.RESOLUTIONS: _VC,
        Area.CADRES: _VC,
        Area.INSPECTIONS: _V,
        Area.DIALOGUES: _VC,
        Area.REPORTS: _VC,
    },  # fmt: skip
    Role.WARD_STAFF: {
        Area.ORG: _V,
        Area.PEOPLE: _V,
        Area.RESOLUTIONS: _VC,
        Area.CADRES: _V,
        Area.DIALOGUES: _VC,
        Area.REPORTS: _VC,
    },  # fmt: skip
}


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str


def grants(user: Any) -> list[Grant]:
    """Return the user's roles with their units' paths, loaded once per user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_scope_grants", None)
    if cached is None:
        from .models import RoleAssignment

        rows = RoleAssignment.objects.filter(user=user, unit__valid_to__isnull=True).values_list(
            "role", "unit_id", "unit__path"
        )
        cached = [Grant(role, unit_id, path) for role, unit_id, path in rows]
        if user.is_superuser and not any(g.role == Role.ADMIN for g in cached):
            cached.append(Grant(Role.ADMIN, 0, ""))
        user._scope_grants = cached
    return cached


def roles(user: Any) -> set[str]:
    return {g.role for g in grants(user)}


def has_role(user: Any, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def scope_paths(user: Any, area: str, action: str = VIEW) -> list[str]:
    """Return the minimal list of unit paths whose subtrees the user may act on in ``area``."""
    paths = sorted({g.path for g in grants(user) if action in RULES.get(g.role, {}).get(area, ())})
    minimal: list[str] = []
    for path in paths:
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    return minimal


def ancestor_paths(paths: list[str]) -> set[str]:
    """Return the paths of every unit above the given subtrees' roots."""
    result: set[str] = set()
    for path in paths:
        parts = path.rstrip("/").split("/")
        for end in range(1, len(parts)):
            result.add("/".join(parts[:end]) + "/")
    return result


def covers_a_root(user: Any, area: str, action: str = VIEW) -> bool:
    """Tell whether the user's scope in ``area`` includes a whole tree (a root unit)."""
    return any(path.count("/") <= 1 for path in scope_paths(user, area, action))


def has_area(user: Any, area: str, action: str = VIEW) -> bool:
    return bool(scope_paths(user, area, action))


def require_area(user: Any, area: str, action: str = VIEW) -> None:
    """Raise PermissionDenied (a Vietnamese 403) unless the user has ``action`` in ``area``."""
    if not has_area(user, area, action):
        from django.core.exceptions import PermissionDenied
        from django.utils.translation import gettext as _

        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))


def unit_q(user: Any, area: str, action: str = VIEW, unit_field: str = "unit") -> Q:
    """Return a filter keeping rows whose ``unit_field`` lies in the user's scope."""
    lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    paths = scope_paths(user, area, action)
    if "" in paths:
        return Q()
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{lookup: path})
    return query


def can(user: Any, area: str, action: str, unit: OrgUnit | None) -> bool:
    """Tell whether the user may perform ``action`` in ``area`` on ``unit``'s records."""
    if unit is None:
        return False
    return any(unit.path.startswith(path) for path in scope_paths(user, area, action))


def can_on(user: Any, obj: models.Model, action: str = VIEW) -> bool:
    """Tell whether the user may perform ``action`` on a scoped model instance.

    A model with a rule of its own (documents from above, read by every ward) defines
    ``scope_allows(user, action)``.
    """
    hook = getattr(obj, "scope_allows", None)
    if hook is not None:
        return hook(user, action)
    scope = obj.__class__.Scope
    unit = obj if not scope.unit_field else _follow(obj, scope.unit_field)
    return can(user, getattr(scope, "area", Area.ORG), action, unit)


def _follow(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class ScopedQuerySet(models.QuerySet):
    """A queryset that every read path narrows with :meth:`restrict` (after NetBox)."""

    def restrict(self, user: Any, action: str = VIEW) -> ScopedQuerySet:
        scope = self.model.Scope
        return self.filter(unit_q(user, scope.area, action, scope.unit_field))
