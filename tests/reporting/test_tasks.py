"""The quarterly reports' task: the quarter just ended opened for every reporting unit in the
first days of the next one, and the deadline's reminders to the wards that have not sent
their report (before the deadline and after it), each once, not to the ward that sent it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from longbien.core.models import Notification
from longbien.reporting import services, tasks
from longbien.reporting.choices import ReportStatus
from longbien.reporting.models import QuarterlyReport
from tests.conftest import make_user

TEXTS = {"results": "Hoàn thành các chỉ tiêu.", "limitations": "Còn chậm.",
         "next_tasks": "Tiếp tục."}  # fmt: skip


def notified(prefix: str = "quarterly-report:") -> set[str]:
    return set(
        Notification.objects.filter(key__startswith=prefix).values_list("user__username", flat=True)
    )


def test_the_quarter_just_ended_is_opened_in_the_first_days_only(tree, users):
    assert tasks.quarter_just_ended(dt.date(2026, 1, 3)) == (2025, 4)
    assert tasks.quarter_just_ended(dt.date(2026, 7, 1)) == (2026, 2)
    result = tasks.send_report_reminders_task(today="2026-07-02")
    assert result["opened"] == 2  # wards A and B (the cells do not report)
    opened = QuarterlyReport.objects.filter(year=2026, quarter=2)
    assert set(opened.values_list("unit__code", flat=True)) == {"P-A", "P-B"}
    assert set(opened.values_list("status", flat=True)) == {ReportStatus.NOT_STARTED}
    assert set(opened.values_list("due_on", flat=True)) == {dt.date(2026, 7, 15)}
    # Idempotent; and later in the quarter nothing is opened.
    assert tasks.send_report_reminders_task(today="2026-07-03")["opened"] == 0
    assert tasks.send_report_reminders_task(today="2026-08-20")["opened"] == 0
    assert QuarterlyReport.objects.filter(year=2026, quarter=3).count() == 0
    assert QuarterlyReport.objects.count() == 2


def test_reminders_reach_the_ward_that_has_not_sent_once(
    tree, users, django_capture_on_commit_callbacks
):
    secretary_b = make_user("secretary_b", "ward_secretary", tree.ward_b)
    # Ward A sends its Q2 report in time; ward B does not.
    tasks.send_report_reminders_task(today="2026-07-01")
    sent_a = QuarterlyReport.objects.get(unit=tree.ward_a, year=2026, quarter=2)
    services.report_save(actor=users["ward_secretary"], report=sent_a, version=sent_a.version,
                         **TEXTS)  # fmt: skip
    services.report_submit(actor=users["ward_secretary"], report=sent_a, version=sent_a.version)
    Notification.objects.all().delete()
    # 15 July 2026 is a Wednesday: five working days before is 8 July.
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_report_reminders_task(today="2026-07-08")
    assert first["due_soon"] >= 1 and first["overdue"] == 0
    soon = notified()
    assert "secretary_b" in soon
    assert not {"secretary_a", "wardstaff_a"} & soon
    assert not {"inspection", "leadership", "mass_mobilisation"} & soon
    notice = Notification.objects.filter(user=secretary_b).get()
    assert "sắp đến hạn" in notice.title and "15/07/2026" in notice.body
    assert (
        notice.url == f"/bao-cao-quy/{QuarterlyReport.objects.get(unit=tree.ward_b, quarter=2).pk}/"
    )
    # Not twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.send_report_reminders_task(today="2026-07-09")
    assert again == {"opened": 0, "due_soon": 0, "overdue": 0}
    # After the deadline: once more, as overdue, to ward B only.
    with django_capture_on_commit_callbacks(execute=True):
        late = tasks.send_report_reminders_task(today="2026-07-17")
    assert late["overdue"] >= 1
    overdue = Notification.objects.filter(key__contains=":overdue:")
    assert set(overdue.values_list("user__username", flat=True)) & {"secretary_b"}
    assert not {"secretary_a", "wardstaff_a"} & set(
        overdue.values_list("user__username", flat=True)
    )
    assert "quá hạn" in overdue.get(user=secretary_b).title
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_report_reminders_task(today="2026-07-18")["overdue"] == 0
    assert Notification.objects.filter(user=secretary_b).count() == 2


def test_the_beat_runs_the_task():
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "reporting.send_report_reminders_task" in entries
    assert settings.QUARTERLY_REPORT_REMIND_DAYS == 5
