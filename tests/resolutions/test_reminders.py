"""Deadline reminders: the kernel's service, fed the resolutions' tasks by a thin Celery task."""

import datetime as dt

import pytest
from django.core import mail

from longbien.core.models import Notification
from longbien.org.choices import Role
from longbien.reminders import responsible_users, roles_that_change
from resolutions import services
from resolutions.tasks import send_deadline_reminders_task, task_reminders_send
from tests.conftest import make_user

from .factories import make_document, make_tasks


def _notified(key_part: str) -> set[str]:
    return set(
        Notification.objects.filter(key__contains=key_part).values_list("user__username", flat=True)
    )


def test_reminders_are_sent_once_before_and_after_the_deadline(
    tree, users, django_capture_on_commit_callbacks
):
    users["ward_secretary"].email = "bithu@example.vn"
    users["ward_secretary"].save()
    document = make_document(users["staff"], tree.root)
    (soon,) = make_tasks(
        users["staff"], document, [tree.ward_a], deadline=dt.date(2026, 3, 3), title="Sắp hạn"
    )
    (late,) = make_tasks(
        users["staff"], document, [tree.cell_a1], deadline=dt.date(2026, 2, 27), title="Đã quá hạn"
    )
    (done,) = make_tasks(
        users["staff"], document, [tree.ward_a], deadline=dt.date(2026, 2, 27), title="Đã xong"
    )
    services.task_report_progress(
        actor=users["staff"], task=done, progress=100, note="x", on=dt.date(2026, 2, 20)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = task_reminders_send(today=dt.date(2026, 3, 1), working_days=3)
    assert not mail.outbox  # e-mails leave only after the commit
    for callback in callbacks:
        callback()
    # The ward's secretary and staff (the cell has no one of its own) and the assigner.
    assert sent == {"due_soon": 3, "overdue": 3}
    assert _notified(f"task:{soon.pk}:due:") == {"secretary_a", "wardstaff_a", "staff"}
    assert _notified(f"task:{late.pk}:overdue:") == {"secretary_a", "wardstaff_a", "staff"}
    assert not _notified(f"task:{done.pk}:")
    titles = set(
        Notification.objects.filter(user=users["ward_secretary"]).values_list("title", flat=True)
    )
    assert titles == {"Sắp đến hạn: Sắp hạn", "Quá hạn: Đã quá hạn"}
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["bithu@example.vn"]
    assert "đến hạn ngày 03/03/2026" in mail.outbox[0].body
    again = task_reminders_send(today=dt.date(2026, 3, 1), working_days=3)
    assert again == {"due_soon": 0, "overdue": 0}
    assert Notification.objects.count() == 6
    # A new deadline is a new key: reminded again.
    services.task_update(
        actor=users["staff"], task=soon, reason="Lùi hạn", deadline=dt.date(2026, 3, 4)
    )
    assert task_reminders_send(today=dt.date(2026, 3, 1), working_days=3)["due_soon"] == 3


def test_recipients_are_the_holders_of_the_change_right_nearest_the_task(tree, users):
    assert roles_that_change("resolutions") == sorted(
        [Role.ADMIN, Role.STAFF, Role.WARD_SECRETARY, Role.WARD_STAFF]
    )
    other_ward = make_user("wardstaff_b", Role.WARD_STAFF, tree.ward_b)
    make_user("gone_a", Role.WARD_STAFF, tree.ward_a, is_active=False)
    make_user("reader_a", Role.LEADERSHIP, tree.ward_a)
    cell_staff = make_user("cellstaff_b1", Role.WARD_STAFF, tree.cell_b1)
    document = make_document(users["admin"], tree.root)
    deadline = dt.date(2026, 3, 3)
    ward_task, district_task, cell_task = (
        make_tasks(users["admin"], document, [unit], deadline=deadline, title=unit.code)[0]
        for unit in (tree.ward_a, tree.root, tree.cell_b1)
    )
    task_reminders_send(today=dt.date(2026, 3, 1), working_days=3)
    # Not district-wide roles, not read-only roles, not other wards, not inactive accounts;
    # the one who assigned the task is told as well.
    assert _notified(f"task:{ward_task.pk}:") == {"secretary_a", "wardstaff_a", "admin"}
    # A task of the district itself: those who may change the district's resolutions work.
    assert _notified(f"task:{district_task.pk}:") == {"admin", "staff"}
    # A cell with its own answerable user: that user, not the ward above.
    assert _notified(f"task:{cell_task.pk}:") == {"cellstaff_b1", "admin"}
    assert responsible_users(units=[tree.cell_b1, tree.ward_b], area="resolutions") == {
        tree.cell_b1.pk: [cell_staff],
        tree.ward_b.pk: [other_ward],
    }
    assert not Notification.objects.filter(user__username__in=["gone_a", "reader_a"]).exists()


def test_due_soon_counts_working_days(tree, users):
    document = make_document(users["staff"], tree.root)
    # Friday 28 August 2026: 31 August and 1–2 September are off, so three working days ahead
    # is Monday 7 September.
    in_window, beyond = (
        make_tasks(users["staff"], document, [tree.ward_a], deadline=day, title=str(day))[0]
        for day in (dt.date(2026, 9, 7), dt.date(2026, 9, 8))
    )
    sent = task_reminders_send(today=dt.date(2026, 8, 28), working_days=3)
    assert sent == {"due_soon": 3, "overdue": 0}
    assert _notified(f"task:{in_window.pk}:due:") and not _notified(f"task:{beyond.pk}:")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 30), {"due_soon": 3, "overdue": 0}),  # Monday: still on time
        (dt.date(2026, 12, 1), {"due_soon": 0, "overdue": 3}),  # Tuesday: overdue
    ],
)
def test_a_task_due_on_saturday_is_reminded_as_overdue_from_tuesday(tree, users, today, expected):
    document = make_document(users["staff"], tree.root)
    make_tasks(users["staff"], document, [tree.ward_a], deadline=dt.date(2026, 11, 28))
    assert task_reminders_send(today=today, working_days=3) == expected


def test_the_beat_task_runs_the_reminders(tree, users, settings):
    document = make_document(users["staff"], tree.root)
    make_tasks(users["staff"], document, [tree.ward_a], deadline=dt.date(2026, 3, 2))
    result = send_deadline_reminders_task.delay("2026-03-01").get()
    assert result == {"due_soon": 3, "overdue": 0}
    assert "resolutions.send_deadline_reminders_task" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
