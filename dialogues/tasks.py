"""Celery tasks of the dialogues app: thin, idempotent, dates as arguments.

Commitments are reminded to the holders of the change right in ``Area.DIALOGUES`` on their
owner unit, opinion cases to those on the unit the case is assigned to (nearest first). The
messages carry no citizen's personal data: a case is named by its number and category only.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import reminders
from longbien.org.scope import Area

from .models import Commitment, OpinionCase


def _commitment_message(commitment: Commitment, kind: str) -> reminders.Message:
    facts = {
        "unit": commitment.owner_unit.name,
        "deadline": commitment.deadline.strftime("%d/%m/%Y"),
        "topic": commitment.issue.dialogue.topic[:150],
    }
    content = str(commitment.content)[:150]
    if kind == reminders.DUE_SOON:
        title = _("Cam kết sắp đến hạn: %(content)s") % {"content": content}
        body = _("Cam kết tại đối thoại (%(topic)s) của %(unit)s đến hạn ngày %(deadline)s.")
    else:
        title = _("Cam kết quá hạn: %(content)s") % {"content": content}
        body = _("Cam kết tại đối thoại (%(topic)s) của %(unit)s đã quá hạn từ ngày %(deadline)s.")
    return reminders.Message(title=title, body=body % facts, url=commitment.get_absolute_url())


def _case_message(case: OpinionCase, kind: str) -> reminders.Message:
    # The number, category and due date only: never the citizen's name, phone or address.
    facts = {
        "pk": case.pk,
        "category": case.get_category_display(),
        "deadline": case.due_on.strftime("%d/%m/%Y"),
    }
    if kind == reminders.DUE_SOON:
        title = _("Vụ việc #%(pk)s sắp đến hạn trả lời") % facts
        body = _("Vụ việc #%(pk)s (%(category)s) phải trả lời trước ngày %(deadline)s.") % facts
    else:
        title = _("Vụ việc #%(pk)s quá hạn trả lời") % facts
        body = _("Vụ việc #%(pk)s (%(category)s) đã quá hạn trả lời từ ngày %(deadline)s.") % facts
    return reminders.Message(title=title, body=body, url=case.get_absolute_url())


def commitment_reminders_send(*, today: dt.date, working_days: int) -> dict[str, int]:
    """Remind the owner units of commitments before and after their deadline."""
    return reminders.deadline_reminders_send(
        items=Commitment.objects.select_related("owner_unit", "issue__dialogue"),
        today=today,
        working_days=working_days,
        area=Area.DIALOGUES,
        key_prefix="dialogue-commitment",
        unit_of=lambda commitment: commitment.owner_unit,
        message=_commitment_message,
    )


def case_reminders_send(*, today: dt.date, working_days: int) -> dict[str, int]:
    """Remind the units answering opinion cases whose due date comes up or has passed."""
    return reminders.deadline_reminders_send(
        items=OpinionCase.objects.filter(assigned_unit__isnull=False).select_related(
            "assigned_unit"
        ),
        today=today,
        working_days=working_days,
        area=Area.DIALOGUES,
        key_prefix="opinion-case",
        unit_of=lambda case: case.assigned_unit,
        message=_case_message,
    )


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(
    name="dialogues.send_commitment_reminders_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def send_commitment_reminders_task(today: str | None = None) -> dict[str, int]:
    """Send the commitment reminders due today; running it twice sends nothing more."""
    days = getattr(settings, "COMMITMENT_REMINDER_DAYS", settings.TASK_REMINDER_DAYS)
    return commitment_reminders_send(today=_day(today), working_days=days)


@shared_task(
    name="dialogues.send_case_reminders_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def send_case_reminders_task(today: str | None = None) -> dict[str, int]:
    """Send the opinion cases' due-date reminders due today (a date is the only argument)."""
    days = getattr(settings, "OPINION_CASE_REMINDER_DAYS", settings.TASK_REMINDER_DAYS)
    return case_reminders_send(today=_day(today), working_days=days)


@shared_task(
    name="dialogues.send_reminders_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=900,
    soft_time_limit=840,
)
def send_reminders_task(today: str | None = None) -> dict[str, dict[str, int]]:
    """Both reminders of the app (one beat entry): commitments, then opinion cases."""
    return {
        "commitments": send_commitment_reminders_task(today),
        "cases": send_case_reminders_task(today),
    }
