"""What the resolutions app puts on a user's home page: tasks overdue and tasks due soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from longbien import worklist
from longbien.deadlines import days_overdue
from longbien.org import scope

from . import selectors
from .models import Task


def _entry(task: Task, badge: str, tone: str) -> worklist.Entry:
    return worklist.Entry(
        title=task.title,
        url=task.get_absolute_url(),
        detail=f"{task.unit.name} · {task.document.symbol}",
        badge=badge,
        tone=tone,
    )


def provide(
    *, user: Any, unit: Any, today: dt.date, limit: int, watch: bool = False
) -> list[worklist.Section]:
    """The tasks in the user's scope (within ``unit``) overdue, and due within the reminder days.

    The counts are those of the task register with ``?overdue=1`` and ``?due_soon=1``: the
    same selector, the same unit, the same deadline rules (:mod:`longbien.deadlines`).
    """
    if not scope.has_area(user, scope.Area.RESOLUTIONS):
        return []
    days = settings.TASK_REMINDER_DAYS
    tasks = selectors.task_list(user=user, within=unit)
    overdue = tasks.overdue(today)
    soon = tasks.due_soon(today, days)
    register = reverse("resolutions:task_list")
    overdue_entries = [
        _entry(
            task,
            ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", late) % {"days": late},
            "red",
        )
        for task in overdue[:limit]
        for late in [days_overdue(task.deadline, today)]
    ]
    soon_entries = [
        _entry(task, _("Hạn %(date)s") % {"date": task.deadline.strftime("%d/%m/%Y")}, "amber")
        for task in soon[:limit]
    ]
    return [
        worklist.Section(
            key="tasks.overdue",
            title=_("Nhiệm vụ quá hạn"),
            count=overdue.count(),
            entries=overdue_entries,
            url=f"{register}?overdue=1",
            empty=_("Không có nhiệm vụ quá hạn."),
            tone="red",
            order=10,
        ),
        worklist.Section(
            key="tasks.due_soon",
            title=ngettext(
                "Nhiệm vụ đến hạn trong %(days)d ngày làm việc",
                "Nhiệm vụ đến hạn trong %(days)d ngày làm việc",
                days,
            )
            % {"days": days},
            count=soon.count(),
            entries=soon_entries,
            url=f"{register}?due_soon=1",
            empty=_("Không có nhiệm vụ sắp đến hạn."),
            tone="amber",
            order=11,
        ),
    ]


def register() -> None:
    worklist.register(provide)
    worklist.register_key_figures(
        "tasks.total", "tasks.done", "tasks.overdue", "tasks.on_time_share", "conferences.held",
        "conferences.attendance", order=10,
    )  # fmt: skip
