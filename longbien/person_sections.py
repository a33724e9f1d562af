"""A person's page gathers what every app knows of them: the sections of the person page.

The kernel's person page (``org:person_detail``) shows the organisation data (unit, position,
history of positions); the other apps add their own *sections* without the kernel knowing
them. Each app registers a provider here (in its ``ready()``): a function
``provider(*, user, person, limit)`` that returns a :class:`PersonSection` (or ``None`` when
the viewer may read nothing of it). A provider reads through its app's selectors, so a
section shows only what the viewer may read of that person (the cadres app shows a cadre's
evaluations only to those the evaluation rules admit), and runs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .worklist import Entry

__all__ = ["Entry", "PersonSection", "collect", "register"]


@dataclass(frozen=True)
class PersonSection:
    """What one app shows on a person's page: a title, a count, the latest entries, a link.

    ``url`` is the app's own page for the person (the cadre record: evaluations, decisions,
    tests…); ``empty`` is said when there are no entries.
    """

    key: str
    title: str
    url: str
    link_label: str
    count: int = 0
    entries: list[Entry] = field(default_factory=list)
    empty: str = ""
    order: int = 100


# provider(*, user, person, limit) -> PersonSection | None
Provider = Callable[..., PersonSection | None]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Add an app's provider of a person-page section (idempotent)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def collect(*, user: Any, person: Any, limit: int = 6) -> list[PersonSection]:
    """Every app's section on ``person`` that ``user`` may read, in order."""
    sections = [provider(user=user, person=person, limit=limit) for provider in _PROVIDERS]
    return sorted((s for s in sections if s is not None), key=lambda s: s.order)
