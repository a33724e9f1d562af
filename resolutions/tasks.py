"""Celery tasks of the resolutions app: thin, idempotent, ids or dates as arguments."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import reminders
from longbien.org.scope import Area

from .models import Task


def _message(task: Task, kind: str) -> reminders.Message:
    facts = {
        "unit": task.unit.name,
        "symbol": task.document.symbol,
        "deadline": task.deadline.strftime("%d/%m/%Y"),
        "progress": task.progress,
    }
    if kind == reminders.DUE_SOON:
        title = _("Sắp đến hạn: %(title)s") % {"title": task.title[:200]}
        body = _(
            "Nhiệm vụ của %(unit)s (văn bản %(symbol)s) đến hạn ngày %(deadline)s; tiến độ %(progress)s%%."
        )
    else:
        title = _("Quá hạn: %(title)s") % {"title": task.title[:200]}
        body = _(
            "Nhiệm vụ của %(unit)s (văn bản %(symbol)s) đã quá hạn từ ngày %(deadline)s; tiến độ %(progress)s%%."
        )
    return reminders.Message(title=title, body=body % facts, url=task.get_absolute_url())


def task_reminders_send(*, today: dt.date, working_days: int) -> dict[str, int]:
    """Remind the units answerable for a task (and its assigner) before and after its deadline."""
    return reminders.deadline_reminders_send(
        items=Task.objects.select_related("unit", "document", "assigned_by"),
        today=today,
        working_days=working_days,
        area=Area.RESOLUTIONS,
        key_prefix="task",
        unit_of=lambda task: task.unit,
        message=_message,
        also_notify=lambda task: [task.assigned_by],
    )


@shared_task(
    name="resolutions.send_deadline_reminders_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def send_deadline_reminders_task(today: str | None = None) -> dict[str, int]:
    """Send the reminders due today; running it twice sends nothing more."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return task_reminders_send(today=day, working_days=settings.TASK_REMINDER_DAYS)
