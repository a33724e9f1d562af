"""Send in-app notifications and e-mails, once per user and key.

Two ways in, one delivery: :func:`notify` tells given users about one event;
:func:`notify_unit_holders` tells the users holding given roles on units (a new task reaches
the secretary of the ward it was assigned to), after the transaction commits and in one batch
for a whole write (an import of 500 tasks for three wards makes three notices, not 500).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from longbien import confidential
from longbien.org.models import RoleAssignment, User
from longbien.org.scope import is_confidential

from .models import Notification


@dataclass(frozen=True)
class Notice:
    """What the holders of roles on one unit are told (see :func:`notify_unit_holders`)."""

    unit: Any
    key: str
    title: str
    body: str = ""
    url: str = ""


def notify(
    *,
    users: Iterable[Any],
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    record: models.Model | None = None,
) -> int:
    """Notify each user once for ``key``; return how many new notifications were made.

    One query finds who was already notified, one insert adds the rest; e-mails are queued
    after the transaction commits, through Celery, so a mail server fault loses nothing here.
    About a confidential ``record`` only users admitted to it are notified, and the e-mail
    (and the task's arguments) carry no content, only the link.
    """
    users = [u for u in users if u is not None]
    if record is not None and is_confidential(record):
        users = confidential.recipients(users, record)
        mail = (
            gettext("Thông báo mới trên Cổng công tác"),
            gettext("Bạn có thông báo mới về một hồ sơ mật; hãy đăng nhập để xem."),
        )
        return _send([(users, Notice(None, key, title, body, url))], email=email, mail=mail)
    return _send([(users, Notice(None, key, title, body, url))], email=email)


def notify_unit_holders(
    *,
    notices: Iterable[Notice],
    roles: Iterable[str],
    exclude: Iterable[Any] = (),
    email: bool = True,
) -> None:
    """After the transaction commits, tell the holders of ``roles`` on each notice's unit.

    The holders of a unit are the active users holding one of ``roles`` on it or, where nobody
    does, on the nearest unit above it where someone does (a task for a party cell reaches its
    ward's secretary). ``exclude`` (the author of the write) is not told. Delivery runs once
    the write is committed, so a refused or rolled-back write tells nobody, with a fixed number
    of queries for all the notices: one for the holders, one for who was already told, one
    insert. Not for confidential records: use :func:`notify` with ``record``.
    """
    notices = list(notices)
    if not notices:
        return
    wanted = sorted(set(roles))
    excluded = {u.pk for u in exclude if u is not None}
    transaction.on_commit(lambda: _deliver(notices, wanted, excluded, email=email), robust=True)


def unit_holders(*, units: Iterable[Any], roles: Iterable[str]) -> dict[int, list[Any]]:
    """Map each unit's id to the active users holding one of ``roles`` on it (or nearest above)."""
    units = list({unit.pk: unit for unit in units}.values())
    paths = {path for unit in units for path in _ancestors(unit.path)}
    holders: dict[str, dict[int, Any]] = {}
    assignments = RoleAssignment.objects.filter(
        role__in=list(roles),
        unit__path__in=paths,
        unit__valid_to__isnull=True,
        user__is_active=True,
    ).select_related("user", "unit")
    for assignment in assignments.order_by("user_id"):
        holders.setdefault(assignment.unit.path, {})[assignment.user_id] = assignment.user
    result: dict[int, list[Any]] = {}
    for unit in units:
        nearest = next((holders[p] for p in _ancestors(unit.path) if p in holders), {})
        result[unit.pk] = list(nearest.values())
    return result


def _ancestors(path: str) -> list[str]:
    """Return a unit's path and its ancestors' paths, nearest first ("A/B/" → ["A/B/", "A/"])."""
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[:end]) + "/" for end in range(len(parts), 0, -1)]


def _deliver(notices: list[Notice], roles: list[str], excluded: set[int], *, email: bool) -> int:
    with transaction.atomic():
        holders = unit_holders(units=[n.unit for n in notices], roles=roles)
        return _send(
            [([u for u in holders[n.unit.pk] if u.pk not in excluded], n) for n in notices],
            email=email,
        )


def _send(
    batch: Sequence[tuple[list[Any], Notice]],
    *,
    email: bool,
    mail: tuple[str, str] | None = None,
) -> int:
    """Add each notice for its users who do not have its key yet; queue the e-mails on commit.

    ``mail`` replaces the e-mail's title and body (a confidential record's content stays in
    the portal).
    """
    keys = {notice.key for _users, notice in batch}
    everyone = {user.pk for users, _notice in batch for user in users}
    done = set(
        Notification.objects.filter(key__in=keys, user__in=everyone).values_list("user_id", "key")
    )
    rows: list[Notification] = []
    mails: list[tuple[str, str, list[str]]] = []
    for users, notice in batch:
        fresh = [u for u in {u.pk: u for u in users}.values() if (u.pk, notice.key) not in done]
        done.update((u.pk, notice.key) for u in fresh)
        rows += [
            Notification(
                user=u, key=notice.key, title=notice.title[:300], body=notice.body, url=notice.url
            )
            for u in fresh
        ]
        addresses = [u.email for u in fresh if u.email]
        if email and addresses:
            title, body = mail or (notice.title, notice.body)
            link = f"{settings.PORTAL_BASE_URL}{notice.url}" if notice.url else ""
            mails.append((title, f"{body}\n\n{link}".strip(), addresses))
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if mails:
        from .tasks import send_mail_task  # the tasks import this module: a real cycle

        for title, message, addresses in mails:
            transaction.on_commit(
                functools.partial(send_mail_task.delay, title, message, addresses)
            )
    return len(rows)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread(user: Any, limit: int = 5) -> list[Notification]:
    """Return the user's newest unread notifications."""
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])


def account_facts(user: Any) -> dict[str, Any]:
    """Return, in one query, what every page's header and menu need about the account.

    ``unread``: the unread notifications (the bell); ``api_token``: whether the account holds
    an API token (the menu's API docs link). The token answer is kept on the user object for
    :func:`longbien.core.navigation.uses_api`.
    """
    facts = getattr(user, "_account_facts", None)
    if facts is None:
        unread_rows = (
            Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("id"))
            .values("n")
        )
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(
                unread=Subquery(unread_rows),
                api_token=Exists(Token.objects.filter(user=OuterRef("pk"))),
            )
            .values("unread", "api_token")
            .first()
        ) or {"unread": 0, "api_token": False}
        facts = {"unread": row["unread"] or 0, "api_token": row["api_token"]}
        user._account_facts = facts
    return facts
