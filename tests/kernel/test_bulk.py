"""``longbien.bulk.insert``: the records an import creates by thousands written through COPY,
as ``bulk_create`` would write them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from longbien import bulk
from longbien.core.models import ImportJob
from resolutions.models import Task, TaskUpdate
from tests.resolutions.factories import make_document

pytestmark = pytest.mark.django_db

# Text COPY's format would read otherwise if it were written as it is.
AWKWARD = ["tab\there", "two\nlines", "back\\slash", "\\N", "", "dấu “ngoặc”, phẩy", "cr\r"]


def _jobs(user) -> list[ImportJob]:
    return [
        ImportJob(
            user=user,
            register="people",
            fmt="csv",
            filename=f"tệp {n}.csv",
            reason=text,
            dry_run=n % 2 == 0,
            total=n,
            errors=[{"line": n, "messages": [text]}] if n else [],
            changes={"nested": {"text": text, "none": None, "true": True}},
            finished_at=dt.datetime(2026, 1, n + 1, 8, 30, tzinfo=dt.UTC) if n % 3 else None,
        )  # fmt: skip
        for n, text in enumerate(AWKWARD)
    ]


def _stored(model, pks, *, leave_out=("id", "created_at")) -> list[dict]:
    rows = model.objects.filter(pk__in=pks).order_by("pk").values()
    return [{k: v for k, v in row.items() if k not in leave_out} for row in rows]


def test_rows_read_back_as_bulk_create_writes_them(users) -> None:
    """Every kind of value (text with tabs, line breaks and backslashes, an empty string and
    a literal \\N, booleans, JSON, dates and times, NULLs) reads back as bulk_create's."""
    by_django, by_copy = _jobs(users["admin"]), _jobs(users["admin"])
    ImportJob.objects.bulk_create(by_django)
    before = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        bulk.insert(by_copy)
    # One query for the ids (the COPY goes past Django's cursor wrapper, unseen here).
    assert len(captured) == 1 and "nextval" in captured.captured_queries[0]["sql"]
    assert _stored(ImportJob, [j.pk for j in by_copy]) == _stored(
        ImportJob, [j.pk for j in by_django]
    )
    stored = ImportJob.objects.get(pk=by_copy[3].pk)
    assert stored.reason == "\\N" and stored.changes["nested"]["text"] == "\\N"
    assert ImportJob.objects.get(pk=by_copy[4].pk).reason == ""
    # The instances are saved ones now: their ids, their creation time (auto_now_add).
    assert all(not j._state.adding and j.pk for j in by_copy)
    assert len({j.pk for j in by_copy}) == len(by_copy)
    assert all(
        j.created_at >= before for j in ImportJob.objects.filter(pk__in=[j.pk for j in by_copy])
    )


def test_rows_pointing_to_rows_inserted_before_take_their_ids(tree, users) -> None:
    """A progress report made for a task before the task had its id (as the task import
    makes them) points to the task once both are inserted; the tasks read back as
    bulk_create's."""
    document = make_document(users["admin"], tree.root)

    def tasks() -> list[Task]:
        return [
            Task(document=document, unit=tree.ward_a, title=text, title_folded=text,
                 description=text, deadline=dt.date(2026, 3, n + 1), assigned_by=users["admin"])
            for n, text in enumerate(AWKWARD)
        ]  # fmt: skip

    by_django, by_copy = tasks(), tasks()
    Task.objects.bulk_create(by_django)
    updates = [TaskUpdate(task=task, progress=50, note="Nhập từ tệp") for task in by_copy]
    bulk.insert(by_copy)
    bulk.insert(updates)
    assert [u.task_id for u in updates] == [t.pk for t in by_copy]
    assert _stored(Task, [t.pk for t in by_copy]) == _stored(Task, [t.pk for t in by_django])
    assert TaskUpdate.objects.filter(task__in=by_copy, progress=50).count() == len(AWKWARD)


def test_instances_with_ids_of_their_own_go_through_bulk_create(users) -> None:
    jobs = _jobs(users["admin"])[:2]
    jobs[0].pk, jobs[1].pk = 900_001, 900_002
    bulk.insert(jobs)
    assert set(ImportJob.objects.values_list("pk", flat=True)) >= {900_001, 900_002}
    bulk.insert([])  # nothing to write: no query, no error


def _entry_changes(obj) -> dict:
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(obj).order_by("pk").last()
    return {k: v for k, v in entry.changes_dict.items() if k not in ("id", "created_at")}


def test_the_audit_rows_of_a_batch_are_the_ones_auditlog_writes_one_by_one(tree, users) -> None:
    """A task created and then changed one at a time (auditlog's own entries) and the same
    task inserted and changed in a batch (``log_created_in_bulk``, ``log_updated_in_bulk``)
    leave the same changes: every field's before and after as text, defaults included."""
    import copy

    from longbien.audit import audited, log_created_in_bulk, log_updated_in_bulk

    document = make_document(users["admin"], tree.root)

    def task() -> Task:
        return Task(document=document, unit=tree.ward_a, title="Xây dựng kế hoạch",
                    title_folded="xay dung ke hoach", deadline=dt.date(2026, 3, 1),
                    assigned_by=users["admin"])  # fmt: skip

    one, batch = task(), task()
    with audited(actor=users["admin"], reason="một"):
        one.save()
    with audited(actor=users["admin"], reason="lô"):
        bulk.insert([batch])
        log_created_in_bulk([batch])
    created = _entry_changes(one)
    assert created == _entry_changes(batch)
    assert created["title"] == ["None", "Xây dựng kế hoạch"] and "completed_on" not in created
    before = copy.copy(batch)
    for record in (one, batch):
        record.progress, record.status, record.completed_on = 100, "done", dt.date(2026, 2, 1)
    with audited(actor=users["admin"], reason="một"):
        one.save()
    with audited(actor=users["admin"], reason="lô"):
        Task.objects.bulk_update([batch], ["progress", "status", "completed_on"])
        log_updated_in_bulk([(before, batch)])
    changed = _entry_changes(one)
    assert changed == _entry_changes(batch)
    assert changed["completed_on"] == ["None", "2026-02-01"] and changed["progress"] == ["0", "100"]
