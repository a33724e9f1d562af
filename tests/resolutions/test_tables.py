"""The registers' tables (longbien/core/tables.py, filters.py): sort, filters, count, columns,
exports of what is filtered, and bulk actions through the services."""

from __future__ import annotations

import csv
import datetime as dt
import io as stdio

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from resolutions import services
from resolutions.choices import TaskStatus
from resolutions.models import Task

from .factories import make_document, make_tasks

TASKS = "/nghi-quyet/nhiem-vu/"
DOCUMENTS = "/nghi-quyet/"


@pytest.fixture
def documents(users, tree):
    first = make_document(users["staff"], tree.root, symbol="01-NQ/QU", signed=dt.date(2025, 3, 2))
    second = make_document(
        users["staff"],
        tree.root,
        symbol="02-NQ/QU",
        signed=dt.date(2026, 5, 4),
        title="Chuyển đổi số",
    )
    third = make_document(users["staff"], tree.root, symbol="03-NQ/QU", signed=dt.date(2026, 8, 9))
    return first, second, third


@pytest.fixture
def tasks(users, tree, documents):
    document = documents[0]
    early = make_tasks(
        users["staff"], document, [tree.ward_a, tree.ward_b], deadline=dt.date(2026, 3, 1)
    )
    late = make_tasks(
        users["staff"], document, [tree.ward_a], deadline=dt.date(2026, 9, 1), title="Sơ kết"
    )
    return {"a_early": early[0], "b_early": early[1], "a_late": late[0]}


def _rows(response) -> list:
    return [row.record for row in response.context["table"].rows]


def test_sorting_by_a_column_orders_the_rows_in_the_database(client_for, users, documents):
    client = client_for(users["staff"])
    ascending = client.get(DOCUMENTS, {"sort": "signed_date"})
    assert [d.symbol for d in _rows(ascending)] == ["01-NQ/QU", "02-NQ/QU", "03-NQ/QU"]
    descending = client.get(DOCUMENTS, {"sort": "-signed_date"})
    assert [d.symbol for d in _rows(descending)] == ["03-NQ/QU", "02-NQ/QU", "01-NQ/QU"]
    # The header links keep the filters and flip the sort; an unknown column is ignored.
    page = client.get(DOCUMENTS, {"sort": "signed_date", "year": "2026"}).content.decode()
    assert "?sort=-signed_date&amp;year=2026" in page or "?year=2026&amp;sort=-signed_date" in page
    assert client.get(DOCUMENTS, {"sort": "password"}).status_code == 200


def test_filters_in_the_url_narrow_the_rows_and_the_count(client_for, users, documents):
    client = client_for(users["staff"])
    everything = client.get(DOCUMENTS)
    assert everything.context["result_count"] == 3
    in_2026 = client.get(DOCUMENTS, {"year": "2026"})
    assert in_2026.context["result_count"] == 2
    assert 'data-count="2"' in in_2026.content.decode()
    second_quarter = client.get(DOCUMENTS, {"year": "2026", "quarter": "2"})
    assert [d.symbol for d in _rows(second_quarter)] == ["02-NQ/QU"]
    august = client.get(DOCUMENTS, {"year": "2026", "month": "8"})
    assert [d.symbol for d in _rows(august)] == ["03-NQ/QU"]
    searched = client.get(DOCUMENTS, {"q": "chuyen doi"})
    assert [d.symbol for d in _rows(searched)] == ["02-NQ/QU"]
    invalid = client.get(DOCUMENTS, {"year": "20x6"})
    assert "Năm “20x6” không hợp lệ" in invalid.content.decode()
    assert invalid.context["result_count"] == 3  # the invalid value is said, not applied


def test_task_filters_keep_their_parameters_and_the_unit_is_a_subtree(
    client_for, users, tree, tasks
):
    client = client_for(users["staff"])
    assert client.get(TASKS).context["result_count"] == 3
    ward_a = client.get(TASKS, {"unit": "P-A"})
    assert {t.pk for t in _rows(ward_a)} == {tasks["a_early"].pk, tasks["a_late"].pk}
    overdue = client.get(TASKS, {"overdue": "1"})
    expected = set(Task.objects.overdue(timezone.localdate()).values_list("pk", flat=True))
    assert {t.pk for t in _rows(overdue)} == expected
    assert client.get(TASKS, {"status": TaskStatus.DONE}).context["result_count"] == 0
    # Paging keeps the filters: the pagination links carry them.
    page = client.get(TASKS, {"unit": "P-A", "sort": "deadline"}).content.decode()
    assert 'name="sort" value="deadline"' in page  # the filter form keeps the sort


def test_the_unit_filter_lists_only_the_units_in_scope(client_for, users, tasks):
    page = client_for(users["ward_secretary"]).get(TASKS)
    choices = [code for code, _label in page.context["filterset"].form.fields["unit"].choices]
    codes = {str(code) for code in choices if code}
    assert codes == {"P-A", "CB-A1"}
    # Another ward's unit is not a choice: the filter says so and shows nothing more.
    refused = client_for(users["ward_secretary"]).get(TASKS, {"unit": "P-B"})
    assert {t.pk for t in _rows(refused)} == {tasks["a_early"].pk, tasks["a_late"].pk}
    assert refused.context["filterset"].form.errors["unit"]


def test_the_export_link_carries_the_filters_and_exports_exactly_those_rows(
    client_for, users, tasks
):
    client = client_for(users["staff"])
    page = client.get(TASKS, {"unit": "P-A", "page": "1", "sort": "deadline"})
    url = page.context["export_url"]
    assert url.startswith(reverse("io_export", args=["tasks"])) and "unit=P-A" in url
    assert "page=" not in url and "sort=" not in url
    response = client.get(url.replace("format=xlsx", "format=csv"))
    rows = list(csv.reader(stdio.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) - 1 == page.context["result_count"] == 2
    whole = client.get(reverse("io_export", args=["tasks"]), {"format": "csv"})
    assert len(whole.content.decode("utf-8-sig").strip().splitlines()) - 1 == 3


def test_the_column_chooser_is_kept_for_the_user(client_for, users, tasks):
    client = client_for(users["staff"])
    names = lambda r: [c.name for c in r.context["table"].columns if c.visible]  # noqa: E731
    assert "progress" in names(client.get(TASKS))
    response = client.post(
        reverse("table_columns"),
        {"table": "resolutions.tables.TaskTable", "columns": ["unit", "deadline"], "next": TASKS},
    )
    assert response.status_code == 302 and response["Location"] == TASKS
    shown = names(client.get(TASKS))
    assert shown == ["select", "title", "unit", "deadline"]
    assert "progress" not in names(client.get(TASKS, {"status": "not_started"}))
    client.post(reverse("table_columns"), {"table": "resolutions.tables.TaskTable", "reset": "1"})
    assert "progress" in names(client.get(TASKS))
    unknown = client.post(reverse("table_columns"), {"table": "no.such.Table", "next": TASKS})
    assert unknown.status_code == 404


def test_bulk_action_confirms_the_count_before_touching_anything(client_for, users, tasks):
    client = client_for(users["ward_secretary"])
    ids = [tasks["a_early"].pk, tasks["a_late"].pk]
    confirm = client.post(TASKS + "?unit=P-A", {"action": "complete", "select": ids})
    assert confirm.status_code == 200
    assert confirm.context["count"] == 2 and 'data-count="2"' in confirm.content.decode()
    assert not Task.objects.filter(pk__in=ids, status=TaskStatus.DONE).exists()


def test_bulk_action_with_nothing_selected_says_so(client_for, users, tasks):
    response = client_for(users["ward_secretary"]).post(TASKS, {"action": "complete"}, follow=True)
    assert "Chưa chọn dòng nào." in response.content.decode()


def test_bulk_action_goes_through_the_service_refuses_out_of_scope_and_is_audited(
    client_for, users, tasks
):
    secretary = users["ward_secretary"]
    client = client_for(secretary)
    ids = [tasks["a_early"].pk, tasks["a_late"].pk, tasks["b_early"].pk]  # ward B's: not theirs
    confirm = client.post(TASKS, {"action": "complete", "select": ids})
    assert confirm.context["count"] == 2 and confirm.context["missing"] == 1
    response = client.post(
        TASKS + "?unit=P-A",
        {"action": "complete", "select": ids, "confirm": "1", "note": "Đã hoàn thành"},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã báo hoàn thành 2 nhiệm vụ." in page
    assert "1 dòng không tìm thấy hoặc ngoài phạm vi của bạn." in page
    assert response.redirect_chain[-1][0] == TASKS + "?unit=P-A"
    for key in ("a_early", "a_late"):
        task = Task.objects.get(pk=tasks[key].pk)
        assert task.status == TaskStatus.DONE and task.progress == 100
        assert LogEntry.objects.get_for_object(task).filter(actor=secretary).exists()
    assert Task.objects.get(pk=tasks["b_early"].pk).status != TaskStatus.DONE


def test_bulk_action_reports_a_row_the_service_refuses(client_for, users, tree, tasks):
    parent = tasks["a_early"]
    services.task_cascade(
        actor=users["staff"], task=parent, units=[tree.cell_a1], deadline=parent.deadline
    )
    response = client_for(users["staff"]).post(
        TASKS,
        {"action": "complete", "select": [parent.pk, tasks["a_late"].pk], "confirm": "1",
         "note": "Xong"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert "Đã báo hoàn thành 1 nhiệm vụ." in page
    assert "đã phân giao cho đơn vị trực thuộc" in page
    assert Task.objects.get(pk=parent.pk).status != TaskStatus.DONE


def test_bulk_action_without_a_note_asks_for_it(client_for, users, tasks):
    response = client_for(users["ward_secretary"]).post(
        TASKS, {"action": "complete", "select": [tasks["a_early"].pk], "confirm": "1"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Task.objects.get(pk=tasks["a_early"].pk).status != TaskStatus.DONE
