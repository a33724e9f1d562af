"""Cadres' picker lookup: people, typed for by name or code (``/tra-cuu/can-bo/``).

The people offered are :func:`~cadres.selectors.people_in_scope` (the user's scope and
themself), the same rows the forms accept; a person is posted by code, as before.
"""

from __future__ import annotations

from longbien.core import lookups
from longbien.org.models import Person

from . import selectors


def person_label(person: Person) -> str:
    return f"{person.full_name} · {person.code} · {person.unit.name}"


PEOPLE = lookups.register(
    lookups.Lookup(
        name="can-bo",
        queryset=selectors.people_in_scope,
        search_fields=("name_folded", "code"),
        exact_fields=("code",),
        label=person_label,
        value_field="code",
        ordering=("-is_active", "sort_key", "pk"),
    )
)
