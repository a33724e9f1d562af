"""Celery tasks of the inspections app: thin, idempotent, dates as arguments.

Follow-ups are reminded to the holders of the change right in ``Area.INSPECTIONS`` on their
owner unit (nearest first); cases to the holders of ``Area.CONFIDENTIAL`` (the inspection
role) only: the kernel's ``notify`` gets ``record=`` and keeps a confidential record to its
admitted readers, with an e-mail that carries no content. A case's reminder names it by its
kind and paper reference only, never by its content.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import reminders
from longbien.org.scope import Area

from .models import Case, FollowUp


def _follow_up_message(follow_up: FollowUp, kind: str) -> reminders.Message:
    facts = {
        "unit": follow_up.owner_unit.name,
        "deadline": follow_up.deadline.strftime("%d/%m/%Y"),
        "topic": follow_up.inspection.topic[:150],
    }
    content = str(follow_up.content)[:150]
    if kind == reminders.DUE_SOON:
        title = _("Kiến nghị sắp đến hạn: %(content)s") % {"content": content}
        body = _(
            "Kiến nghị sau kiểm tra, giám sát (%(topic)s) của %(unit)s đến hạn ngày %(deadline)s."
        )
    else:
        title = _("Kiến nghị quá hạn: %(content)s") % {"content": content}
        body = _(
            "Kiến nghị sau kiểm tra, giám sát (%(topic)s) của %(unit)s đã quá hạn từ ngày %(deadline)s."
        )
    return reminders.Message(title=title, body=body % facts, url=follow_up.get_absolute_url())


def _case_message(case: Case, kind: str) -> reminders.Message:
    # No content of the case: its kind, paper reference and time limit only.
    facts = {
        "case": str(case),
        "deadline": case.due_on.strftime("%d/%m/%Y"),
    }
    if kind == reminders.DUE_SOON:
        title = _("Đơn sắp hết thời hạn giải quyết: %(case)s") % facts
        body = _("Thời hạn giải quyết đơn %(case)s là ngày %(deadline)s.") % facts
    else:
        title = _("Đơn quá thời hạn giải quyết: %(case)s") % facts
        body = _("Đơn %(case)s đã quá thời hạn giải quyết từ ngày %(deadline)s.") % facts
    return reminders.Message(title=title, body=body, url=case.get_absolute_url())


def follow_up_reminders_send(*, today: dt.date, working_days: int) -> dict[str, int]:
    """Remind the units answerable for a follow-up before and after its deadline."""
    return reminders.deadline_reminders_send(
        items=FollowUp.objects.select_related("owner_unit", "inspection"),
        today=today,
        working_days=working_days,
        area=Area.INSPECTIONS,
        key_prefix="inspection-follow-up",
        unit_of=lambda follow_up: follow_up.owner_unit,
        message=_follow_up_message,
    )


def case_reminders_send(*, today: dt.date, working_days: int) -> dict[str, int]:
    """Remind the inspection role of cases whose time limit comes up or has passed."""
    return reminders.deadline_reminders_send(
        items=Case.objects.select_related("unit"),
        today=today,
        working_days=working_days,
        area=Area.CONFIDENTIAL,
        key_prefix="inspection-case",
        unit_of=lambda case: case.unit,
        message=_case_message,
    )


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(
    name="inspections.send_follow_up_reminders_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def send_follow_up_reminders_task(today: str | None = None) -> dict[str, int]:
    """Send the follow-up reminders due today; running it twice sends nothing more."""
    days = getattr(settings, "INSPECTION_REMINDER_DAYS", settings.TASK_REMINDER_DAYS)
    return follow_up_reminders_send(today=_day(today), working_days=days)


@shared_task(
    name="inspections.send_case_reminders_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def send_case_reminders_task(today: str | None = None) -> dict[str, int]:
    """Send the case time-limit reminders due today (a date is the only argument)."""
    days = getattr(settings, "CASE_REMINDER_DAYS", settings.TASK_REMINDER_DAYS)
    return case_reminders_send(today=_day(today), working_days=days)
