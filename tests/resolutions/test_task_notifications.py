"""A new task reaches the secretary of the unit it is assigned to, once, after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from longbien.core import io
from longbien.core.models import Notification
from longbien.org.choices import Role
from resolutions import services
from resolutions.choices import TaskStatus
from tests.conftest import make_unit, make_user

from .factories import make_document, make_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretaries(tree, users):
    """Ward A's secretary (of the shared fixture, with an e-mail) and ward B's."""
    secretary_a = users["ward_secretary"]
    secretary_a.email = "bithu.a@longbien.local"
    secretary_a.save()
    return {"a": secretary_a, "b": make_user("secretary_b", Role.WARD_SECRETARY, tree.ward_b)}


@pytest.fixture
def document(tree, users):
    return make_document(users["staff"], tree.root)


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_a_task_for_ward_a_notifies_ward_as_secretary_and_not_ward_bs(
    tree, users, secretaries, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (task,) = make_tasks(users["staff"], document, [tree.ward_a], title="Lập kế hoạch")

    (notice,) = Notification.objects.filter(user=secretaries["a"])
    assert notice.title == "Nhiệm vụ mới: Lập kế hoạch"
    assert notice.url == task.get_absolute_url()
    assert "01-NQ/QU" in notice.body and "01/03/2026" in notice.body
    assert _titles(secretaries["b"]) == []
    # Nobody else: ward staff, district roles and the author are not told.
    assert Notification.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["bithu.a@longbien.local"]]


def test_nothing_is_sent_before_the_commit_nor_for_a_refused_assignment(
    tree, users, secretaries, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_tasks(users["staff"], document, [tree.ward_a])
    assert Notification.objects.count() == 0
    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017, PT011
        # Ward A's secretary may not assign to ward B: refused, nothing is told.
        make_tasks(secretaries["a"], document, [tree.ward_b])
    assert Notification.objects.count() == 0


def test_a_task_for_a_party_cell_reaches_its_wards_secretary_but_not_its_author(
    tree, users, secretaries, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_tasks(users["staff"], document, [tree.cell_a1], title="Việc của chi bộ")
    assert _titles(secretaries["a"]) == ["Nhiệm vụ mới: Việc của chi bộ"]

    (parent,) = make_tasks(users["staff"], document, [tree.ward_a], title="Việc của phường")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        # The secretary passes the ward's task on to a cell: they are not told of their own act.
        services.task_cascade(actor=secretaries["a"], task=parent, units=[tree.cell_a1])
    assert Notification.objects.count() == 0


def test_one_assignment_to_two_wards_tells_each_secretary_of_their_own_task(
    tree, users, secretaries, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks = make_tasks(users["staff"], document, [tree.ward_a, tree.ward_b])
    by_unit = {task.unit_id: task for task in tasks}
    assert Notification.objects.get(user=secretaries["a"]).url == (
        by_unit[tree.ward_a.pk].get_absolute_url()
    )
    assert Notification.objects.get(user=secretaries["b"]).url == (
        by_unit[tree.ward_b.pk].get_absolute_url()
    )


def _rows(document, units, count):
    return [
        {
            "document": document,
            "unit": units[index % len(units)],
            "parent": None,
            "title": f"Nhiệm vụ nhập {index}",
            "description": "",
            "deadline": dt.date(2026, 4, 1),
            "progress": 0,
            "status": TaskStatus.NOT_STARTED,
            "completed_on": None,
        }  # fmt: skip
        for index in range(count)
    ]


def _import(actor, rows, capture) -> int:
    """Import the rows; return the queries the after-commit delivery ran."""
    with capture(execute=False) as callbacks:
        errors = services.task_import_many(actor=actor, rows=rows)
    assert not any(errors)
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        for callback in callbacks:  # the e-mails it queues on its own commit run too
            callback()
    return len(queries)


def test_an_import_tells_each_unit_once_with_a_bounded_number_of_queries(
    tree, users, secretaries, document, django_capture_on_commit_callbacks
):
    cell_a2 = make_unit("CB-A2", parent=tree.ward_a, name="Chi bộ A2")
    units = [tree.ward_a, tree.ward_b, tree.cell_a1, cell_a2]
    few = _import(users["staff"], _rows(document, units, 8), django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    mail.outbox.clear()
    many = _import(users["staff"], _rows(document, units, 200), django_capture_on_commit_callbacks)

    assert many <= few <= 6, (few, many)
    # One notice per unit of the import: ward A's secretary hears of A and its two cells.
    titles_a = sorted(_titles(secretaries["a"]))
    assert titles_a == [
        "50 nhiệm vụ mới được giao cho Chi bộ A1",
        "50 nhiệm vụ mới được giao cho Chi bộ A2",
        "50 nhiệm vụ mới được giao cho Đảng ủy phường Ánh Dương",
    ]
    assert _titles(secretaries["b"]) == ["50 nhiệm vụ mới được giao cho Đảng ủy phường Bình Minh"]
    assert Notification.objects.count() == 4
    # One e-mail per notice to a secretary with an address, not one per task.
    assert len(mail.outbox) == 3


def _task_file(document, count: int) -> bytes:
    rows = [
        ["ID", "ID văn bản", "Số hiệu văn bản", "ID nhiệm vụ cấp trên", "Nội dung nhiệm vụ",
         "Yêu cầu cụ thể", "Mã đơn vị chủ trì", "Thời hạn", "Trạng thái", "Tiến độ (%)",
         "Ngày hoàn thành"],
    ] + [
        ["", document.pk, "", "", f"Việc nhập {n}", "", "P-A", "01/03/2026", "Chưa thực hiện", "0", ""]
        for n in range(count)
    ]  # fmt: skip
    return "\n".join(",".join(str(cell) for cell in row) for row in rows).encode()


def test_a_dry_run_tells_nobody_and_the_applied_file_tells_the_secretary_once(
    tree, users, secretaries, document, django_capture_on_commit_callbacks
):
    data = _task_file(document, 30)
    with django_capture_on_commit_callbacks(execute=True):
        checked = io.import_register(
            user=users["staff"], name="tasks", data=data, fmt="csv", dry_run=True
        )
    assert checked.ok and not checked.applied
    assert Notification.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        applied = io.import_register(
            user=users["staff"], name="tasks", data=data, fmt="csv", dry_run=False
        )
    assert applied.applied
    assert _titles(secretaries["a"]) == ["30 nhiệm vụ mới được giao cho Đảng ủy phường Ánh Dương"]
    assert Notification.objects.count() == 1
