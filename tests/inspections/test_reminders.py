"""Reminders of follow-ups (to the owner unit's answerable users) and of cases' time limits
(to the inspection role only, with no content in the e-mail); once each."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import mail

from inspections import services, tasks
from longbien.core.models import Notification

from .conftest import concluded_inspection, received_case


def test_an_overdue_follow_up_reminds_the_owner_units_holders_once(
    tree, users, django_capture_on_commit_callbacks
):
    inspector = users["inspection"]
    inspection = concluded_inspection(inspector, tree.ward_a)
    follow_up = services.follow_up_add(
        actor=inspector, inspection=inspection, content="Bổ sung hồ sơ đảng viên",
        owner_unit=tree.ward_a, deadline=dt.date(2026, 5, 4),
    )  # fmt: skip
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.send_follow_up_reminders_task(today="2026-05-07")
    assert sent["overdue"] >= 1
    notified = set(
        Notification.objects.filter(key__startswith="inspection-follow-up:").values_list(
            "user__username", flat=True
        )
    )
    assert "secretary_a" in notified  # the ward's secretary answers for the ward
    assert "staff" not in notified and "wardstaff_a" not in notified
    assert all(
        n.url == follow_up.get_absolute_url()
        for n in Notification.objects.filter(key__startswith="inspection-follow-up:")
    )
    again = tasks.send_follow_up_reminders_task(today="2026-05-07")
    assert again == {"due_soon": 0, "overdue": 0}


def test_a_case_reminds_only_the_inspection_role_and_the_mail_has_no_content(
    tree, users, django_capture_on_commit_callbacks
):
    inspector = users["inspection"]
    case = received_case(
        inspector, tree.ward_a, received=dt.date(2026, 1, 5), summary="CANARY-CASE-TEXT"
    )
    mail.outbox.clear()
    overdue_day = (case.due_on + dt.timedelta(days=3)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.send_case_reminders_task(today=overdue_day)
    assert sent["overdue"] == 1
    notices = Notification.objects.filter(key__startswith="inspection-case:")
    assert set(notices.values_list("user__username", flat=True)) == {"inspection"}
    for notice in notices:
        assert "CANARY" not in notice.title + notice.body
    for message in mail.outbox:
        assert "CANARY" not in message.subject + message.body
        assert case.paper_reference not in message.subject + message.body
    assert tasks.send_case_reminders_task(today=overdue_day) == {"due_soon": 0, "overdue": 0}


def test_the_beat_schedule_runs_both_reminders():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "inspections.send_follow_up_reminders_task",
        "inspections.send_case_reminders_task",
    } <= tasks_scheduled
