"""Overdue tasks by the kernel's calendar: the board, a task's days, indicators and the register."""

import datetime as dt
from unittest import mock

import pytest

from longbien import indicators
from longbien.core.calendar_days import calendar_day_set
from resolutions import selectors, services
from resolutions.models import Task

from .factories import make_document, make_tasks

FRIDAY, SATURDAY = dt.date(2026, 11, 27), dt.date(2026, 11, 28)
MONDAY, TUESDAY = dt.date(2026, 11, 30), dt.date(2026, 12, 1)


@pytest.fixture
def weekend_tasks(tree, users):
    document = make_document(users["staff"], tree.root)
    (on_saturday,) = make_tasks(
        users["staff"], document, [tree.ward_a], deadline=SATURDAY, title="Hạn thứ Bảy"
    )
    (on_friday,) = make_tasks(
        users["staff"], document, [tree.ward_b], deadline=FRIDAY, title="Hạn thứ Sáu"
    )
    return document, on_saturday, on_friday


def _on(day):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def _board(user, day):
    return {
        task.title: task.days_late
        for group in selectors.overdue_board(user=user, today=day)
        for task in group["tasks"]
    }


def _overdue_indicator(unit, day):
    with _on(day):
        values = indicators.collect(
            viewer=indicators.SYSTEM,
            unit=unit,
            start=dt.date(2026, 11, 1),
            end=day,
            areas={"resolutions"},
        )
    return values["tasks.overdue"].count


def test_a_task_due_on_saturday_is_not_overdue_on_monday(users, tree, weekend_tasks):
    document, on_saturday, on_friday = weekend_tasks
    assert _board(users["staff"], MONDAY) == {"Hạn thứ Sáu": 3}
    assert list(Task.objects.overdue(MONDAY)) == [on_friday]
    assert not on_saturday.is_overdue_on(MONDAY) and on_friday.is_overdue_on(MONDAY)
    with _on(MONDAY):
        assert on_saturday.days_overdue == 0 and not on_saturday.is_overdue
        listed = selectors.document_list(user=users["staff"]).get(pk=document.pk)
    assert listed.overdue_count == 1
    assert _overdue_indicator(tree.root, MONDAY) == 1


def test_a_task_due_on_saturday_is_one_day_overdue_on_tuesday(users, tree, weekend_tasks):
    document, on_saturday, on_friday = weekend_tasks
    assert _board(users["staff"], TUESDAY) == {"Hạn thứ Bảy": 1, "Hạn thứ Sáu": 4}
    with _on(TUESDAY):
        assert on_saturday.days_overdue == 1 and on_saturday.is_overdue
        listed = selectors.document_list(user=users["staff"]).get(pk=document.pk)
    assert listed.overdue_count == 2
    assert _overdue_indicator(tree.root, TUESDAY) == 2
    # The ward sees its own overdue task only, with the same count everywhere.
    assert _board(users["ward_secretary"], TUESDAY) == {"Hạn thứ Bảy": 1}
    assert _overdue_indicator(tree.ward_a, TUESDAY) == 1


def test_a_day_off_recorded_by_staff_moves_the_overdue_board_and_the_indicator(
    users, tree, weekend_tasks
):
    calendar_day_set(actor=users["staff"], date=MONDAY, kind="day_off", note="Nghỉ bù")
    # Monday off: Saturday's deadline runs to Tuesday; Friday's task is as late as before
    # (days overdue are calendar days from the effective deadline, Friday).
    assert _board(users["staff"], TUESDAY) == {"Hạn thứ Sáu": 4}
    assert _overdue_indicator(tree.root, TUESDAY) == 1
    assert _board(users["staff"], dt.date(2026, 12, 2)) == {"Hạn thứ Bảy": 1, "Hạn thứ Sáu": 5}


def test_the_overdue_board_page_and_the_task_page_use_the_effective_deadline(
    client_for, users, weekend_tasks
):
    _document, on_saturday, _on_friday = weekend_tasks
    client = client_for(users["staff"])
    with _on(MONDAY):
        board = client.get("/nghi-quyet/qua-han/").content.decode()
        detail = client.get(on_saturday.get_absolute_url()).content.decode()
    assert "Hạn thứ Sáu" in board and "Hạn thứ Bảy" not in board
    assert 'class="badge red">quá hạn' not in detail
    with _on(TUESDAY):
        board = client.get("/nghi-quyet/qua-han/").content.decode()
        detail = client.get(on_saturday.get_absolute_url()).content.decode()
    assert "Hạn thứ Bảy" in board
    assert 'class="badge red">quá hạn 1 ngày' in detail


def test_work_finished_by_the_effective_deadline_is_on_time(users, tree, weekend_tasks):
    _document, on_saturday, on_friday = weekend_tasks
    for task in (on_saturday, on_friday):  # both finished on Monday
        services.task_report_progress(
            actor=users["staff"], task=task, progress=100, note="Xong", on=MONDAY
        )
        task.refresh_from_db()
    assert on_saturday.done_on_time and not on_friday.done_on_time
    with _on(TUESDAY):
        values = indicators.collect(
            viewer=users["staff"],
            unit=tree.root,
            start=dt.date(2026, 11, 1),
            end=TUESDAY,
            areas={"resolutions"},
        )
    assert values["tasks.done"].count == 2
    assert values["tasks.done_on_time"].count == 1
    assert values["tasks.overdue"].count == 0
