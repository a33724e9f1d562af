"""Reminders of commitments (to the owner unit's answerable users) and of opinion cases (to the
assigned unit's), once each, with no citizen's personal data."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import mail

from dialogues import services, tasks
from longbien.core.models import Notification

from .conftest import dialogue, receive


def test_an_overdue_commitment_reminds_the_owner_units_holders_once(
    tree, users, django_capture_on_commit_callbacks
):
    record = dialogue(users["staff"], tree.ward_a, issues=[
        {"content": "Đèn đường", "commitment": "Thay bóng đèn", "owner_unit": tree.ward_a,
         "deadline": dt.date(2026, 5, 4)},
    ])  # fmt: skip
    promise = record.issues.get().commitment
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.send_commitment_reminders_task(today="2026-05-07")
    assert sent["overdue"] >= 1
    notices = Notification.objects.filter(key__startswith="dialogue-commitment:")
    notified = set(notices.values_list("user__username", flat=True))
    assert {"secretary_a", "wardstaff_a"} & notified
    assert "inspection" not in notified and "leadership" not in notified
    assert all(n.url == promise.get_absolute_url() for n in notices)
    assert tasks.send_commitment_reminders_task(today="2026-05-07") == {
        "due_soon": 0, "overdue": 0,
    }  # fmt: skip


def test_an_opinion_case_reminds_its_assigned_unit_without_personal_data(
    tree, users, django_capture_on_commit_callbacks
):
    staff = users["staff"]
    case = receive(staff, tree.ward_a, "Đường ngập nước", received=dt.date(2026, 3, 2),
                   citizen_name="Nguyễn Văn CANARY", citizen_phone="0987654321",
                   citizen_address="Số 9 ngõ CANARY")  # fmt: skip
    services.case_assign(actor=staff, case=case, unit=tree.cell_a1, due_on=dt.date(2026, 3, 23))
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.send_case_reminders_task(today="2026-03-26")
    assert sent["overdue"] >= 1
    notices = Notification.objects.filter(key__startswith="opinion-case:")
    assert notices.exists()
    assert "inspection" not in set(notices.values_list("user__username", flat=True))
    for notice in notices:
        text = notice.title + notice.body
        assert "CANARY" not in text and "0987654321" not in text
    for message in mail.outbox:
        assert "CANARY" not in message.subject + message.body
        assert "0987654321" not in message.subject + message.body
    assert tasks.send_case_reminders_task(today="2026-03-26") == {"due_soon": 0, "overdue": 0}


def test_the_beat_schedule_runs_the_reminders(db):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "dialogues.send_reminders_task" in scheduled
    assert tasks.send_reminders_task(today="2026-05-07") == {
        "commitments": {"due_soon": 0, "overdue": 0},
        "cases": {"due_soon": 0, "overdue": 0},
    }
