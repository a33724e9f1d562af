"""The one reminders service: deadlines coming up and deadlines passed, each reminded once.

A domain app hands over a queryset of due items (its queryset class uses
:class:`longbien.deadlines.DueDateQuerySetMixin`), says which unit each item belongs to and
what the message says; the kernel picks the items, the recipients and the key, and sends an
in-app notification and an e-mail after the commit (:func:`longbien.core.notifications.notify`).

**When.** "Due soon": open items not yet overdue whose deadline is at most ``working_days``
working days ahead; "overdue": open items whose effective deadline has passed, looked for over
the last ``catch_up_days`` days (so a job that was down for a few days catches up without
rescanning every item ever late).

**Once.** The key ``<prefix>:<pk>:due|overdue:<deadline>`` is recorded per user: running the job
again sends nothing more, and moving a deadline reminds again.

**Who.** Chosen by role from the scope rules, no role named here: the users holding a role that
may *change* the item's area (``longbien.org.scope.RULES``) on the nearest unit, from the
item's own unit up the tree, where anyone holds such a role: the people answerable for the
work, not every district-wide role above them. The app may add people tied to the item (the
one who assigned it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from longbien.core.notifications import notify, unit_holders
from longbien.org import scope


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str = ""


DUE_SOON = "due_soon"
OVERDUE = "overdue"
_KEY_KIND = {DUE_SOON: "due", OVERDUE: "overdue"}


def roles_that_change(area: str) -> list[str]:
    """Return the roles the scope rules allow to change records of ``area``."""
    return sorted(
        role for role, areas in scope.RULES.items() if scope.CHANGE in areas.get(area, ())
    )


def responsible_users(*, units: Iterable[Any], area: str) -> dict[int, list[Any]]:
    """Map each unit's id to the active users answerable for its records in ``area``.

    They hold a role with the change right in ``area`` on the nearest unit at or above it where
    anyone holds one. One query for all the units.
    """
    return unit_holders(units=units, roles=roles_that_change(area))


def deadline_reminders_send(
    *,
    items: Any,
    today: dt.date,
    working_days: int,
    area: str,
    key_prefix: str,
    unit_of: Callable[[Any], Any],
    message: Callable[[Any, str], Message],
    also_notify: Callable[[Any], Iterable[Any]] | None = None,
    catch_up_days: int = 7,
) -> dict[str, int]:
    """Remind of ``items`` due within ``working_days`` working days and of those overdue.

    ``items`` is a queryset of a :class:`~longbien.deadlines.DueDateQuerySetMixin` class;
    ``message(item, kind)`` gives the text for ``kind`` (``"due_soon"`` or ``"overdue"``).
    Returns how many notifications were made per kind; each item commits on its own.
    """
    items = items.all()  # a manager works too
    due_field = items.due_field
    batches = {
        DUE_SOON: items.due_soon(today, working_days),
        OVERDUE: items.overdue(today).filter(
            **{f"{due_field}__gte": today - dt.timedelta(days=catch_up_days)}
        ),
    }
    sent = {DUE_SOON: 0, OVERDUE: 0}
    for kind, batch in batches.items():
        batch = list(batch)
        recipients = responsible_users(units=[unit_of(item) for item in batch], area=area)
        for item in batch:
            users = {user.pk: user for user in recipients[unit_of(item).pk]}
            for extra in also_notify(item) if also_notify else ():
                if extra is not None and extra.is_active:
                    users.setdefault(extra.pk, extra)
            text = message(item, kind)
            due = getattr(item, due_field)
            with transaction.atomic():
                sent[kind] += notify(
                    users=users.values(),
                    key=f"{key_prefix}:{item.pk}:{_KEY_KIND[kind]}:{due.isoformat()}",
                    title=text.title,
                    body=text.body,
                    url=text.url,
                    record=item,  # a confidential record: its admitted readers only
                )
    return sent
