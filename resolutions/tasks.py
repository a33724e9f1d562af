"""Celery tasks of the resolutions app: thin, idempotent, ids or dates as arguments."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services


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
    return services.deadline_reminders_send(today=day, days_before=settings.TASK_REMINDER_DAYS)
