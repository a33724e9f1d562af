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
    *,
    user: Any,
    unit: Any,
    today: dt.date,
    limit: int,
    watch: bool = False,
    keys: worklist.Keys = worklist.ALL,
) -> list[worklist.Section]:
    """The tasks in the user's scope (within ``unit``) overdue, and due within the reminder days.

    The counts are those of the task register with ``?overdue=1`` and ``?due_soon=1``: the
    same selector, the same unit, the same deadline rules (:mod:`longbien.deadlines`).
    """
    if not scope.has_area(user, scope.Area.RESOLUTIONS):
        return []
    days = settings.TASK_REMINDER_DAYS
    tasks = selectors.task_list(user=user, within=unit)
    register = reverse("resolutions:task_list")
    sections = []
    if keys.wants("tasks.overdue"):
        overdue = tasks.overdue(today)
        sections.append(
            worklist.Section(
                key="tasks.overdue",
                title=_("Nhiệm vụ quá hạn"),
                count=overdue.count(),
                entries=[
                    _entry(
                        task,
                        ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", late)
                        % {"days": late},
                        "red",
                    )
                    for task in overdue[:limit]
                    for late in [days_overdue(task.deadline, today)]
                ],
                url=f"{register}?overdue=1",
                empty=_("Không có nhiệm vụ quá hạn."),
                tone="red",
                order=10,
            )
        )
    if keys.wants("tasks.due_soon"):
        soon = tasks.due_soon(today, days)
        sections.append(
            worklist.Section(
                key="tasks.due_soon",
                title=ngettext(
                    "Nhiệm vụ đến hạn trong %(days)d ngày làm việc",
                    "Nhiệm vụ đến hạn trong %(days)d ngày làm việc",
                    days,
                )
                % {"days": days},
                count=soon.count(),
                entries=[
                    _entry(
                        task,
                        _("Hạn %(date)s") % {"date": task.deadline.strftime("%d/%m/%Y")},
                        "amber",
                    )
                    for task in soon[:limit]
                ],  # fmt: skip
                url=f"{register}?due_soon=1",
                empty=_("Không có nhiệm vụ sắp đến hạn."),
                tone="amber",
                order=11,
            )
        )
    return sections


def register() -> None:
    worklist.register(provide)
    worklist.register_key_figures(
        "tasks.total", "tasks.done", "tasks.overdue", "tasks.on_time_share", "conferences.held",
        "conferences.attendance", order=10,
    )  # fmt: skip
