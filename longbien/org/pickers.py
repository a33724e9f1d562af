"""The organisation's picker lookup: units, typed for by name or code (``/tra-cuu/don-vi/``)."""

from __future__ import annotations

from django.db.models import QuerySet

from longbien.core import lookups

from . import scope, selectors
from .models import OrgUnit, Person
from .types import Viewer

AREAS = frozenset(value for name, value in vars(scope.Area).items() if not name.startswith("_"))
ACTIONS = frozenset({scope.VIEW, scope.CHANGE})


def unit_rows(
    *, user: Viewer, area: str = scope.Area.ORG, action: str = scope.VIEW
) -> QuerySet[OrgUnit]:
    """The active units the user may pick for ``action`` in ``area`` (as the forms' selects)."""
    if area not in AREAS or action not in ACTIONS:
        raise ValueError(f"unknown area or action: {area!r}, {action!r}")
    return selectors.unit_choices(user=user, action=action, area=area)


def unit_label(unit: OrgUnit) -> str:
    return f"{unit.name} · {unit.code}"


UNITS = lookups.register(
    lookups.Lookup(
        name="don-vi",
        queryset=unit_rows,
        search_fields=("name_folded", "code"),
        exact_fields=("code",),
        label=unit_label,
        params=("area", "action"),
        other_values=("code",),
        ordering=("path",),
    )
)


def person_rows(*, user: Viewer) -> QuerySet[Person]:
    """The people of the register the user may read (the people area: personal data), for the
    apps whose own area is not the cadres' (inspections, dialogues)."""
    return Person.objects.restrict(user).select_related("unit")


def person_label(person: Person) -> str:
    return f"{person.full_name} · {person.code} · {person.unit.name}"


PEOPLE = lookups.register(
    lookups.Lookup(
        name="dang-vien",
        queryset=person_rows,
        search_fields=("name_folded", "code"),
        exact_fields=("code",),
        label=person_label,
        value_field="code",
        ordering=("-is_active", "sort_key", "pk"),
    )
)
