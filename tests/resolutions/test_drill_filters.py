"""The register filters an indicator's drill-down needs: drafts left out, passed-down tasks
left out, and a task's result as it stood at the end of the period filtered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from resolutions import services

from .factories import make_document, make_tasks


def _listed(client, name: str, **params) -> set[str]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return {row.title for row in response.context["table"].data}


@pytest.fixture
def staff_client(client_for, users):
    return client_for(users["staff"])


def test_no_drafts_keeps_the_issued_documents_only(staff_client, users, tree):
    make_document(users["staff"], tree.root, title="Đã ban hành")
    make_document(users["staff"], tree.root, symbol="02-NQ/QU", title="Dự thảo", status="draft")
    name = "resolutions:document_list"
    assert _listed(staff_client, name) == {"Đã ban hành", "Dự thảo"}
    assert _listed(staff_client, name, issued="1") == {"Đã ban hành"}


@pytest.fixture
def tasks(users, tree):
    """Done on time, done late (in April), open and passed down to a cell, all due in Q1."""
    staff = users["staff"]
    document = make_document(staff, tree.root)
    made = {
        title: make_tasks(staff, document, [tree.ward_a], deadline=day, title=title)[0]
        for title, day in (
            ("Đúng hạn", dt.date(2026, 2, 20)),
            ("Trễ hạn", dt.date(2026, 3, 10)),
            ("Chưa xong", dt.date(2026, 3, 12)),
            ("Giao tiếp", dt.date(2026, 3, 20)),
        )
    }
    for title, day in (("Đúng hạn", dt.date(2026, 2, 18)), ("Trễ hạn", dt.date(2026, 4, 2))):
        services.task_report_progress(
            actor=staff, task=made[title], progress=100, note="Xong", on=day
        )
    services.task_cascade(actor=staff, task=made["Giao tiếp"], units=[tree.cell_a1])
    return made


def test_leaf_leaves_out_a_task_passed_down(staff_client, tasks):
    def units(**params) -> list[str]:
        response = staff_client.get(reverse("resolutions:task_list"), params)
        return sorted(t.unit.code for t in response.context["table"].data if t.title == "Giao tiếp")

    ward, cell = tasks["Giao tiếp"].unit.code, tasks["Giao tiếp"].children.get().unit.code
    assert units() == sorted([ward, cell])
    assert units(leaf="1") == [cell]  # the parent is left out, its cell's task kept
    assert len(_listed(staff_client, "resolutions:task_list", leaf="1")) == 4


def test_the_result_reads_the_end_of_the_period(staff_client, tasks):
    q1 = {"leaf": "1", "start": "2026-01-01", "end": "2026-03-31"}
    year = {"leaf": "1", "year": "2026"}
    name = "resolutions:task_list"
    # At the end of Q1 the late task was not done yet: overdue then, done within the year.
    assert _listed(staff_client, name, result="done", **q1) == {"Đúng hạn"}
    assert _listed(staff_client, name, result="done", **year) == {"Đúng hạn", "Trễ hạn"}
    assert _listed(staff_client, name, result="on_time", **year) == {"Đúng hạn"}
    overdue_then = {"Trễ hạn", "Chưa xong", "Giao tiếp"}  # the cell's task is open
    assert _listed(staff_client, name, result="overdue", **q1) == overdue_then
    assert _listed(staff_client, name, result="overdue", quarter="1", year="2026") == overdue_then
    # Today (30/11/2026 or later) the late task is done, the cell's task is overdue.
    assert "Trễ hạn" not in _listed(staff_client, name, result="overdue")
    assert _listed(staff_client, name, result="on_time") == {"Đúng hạn"}
