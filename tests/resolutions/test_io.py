"""Export → import of documents, tasks and conferences into an empty database."""

import csv
import datetime as dt
import io as std_io

from longbien.core import io
from longbien.org.models import RoleAssignment
from resolutions import services
from resolutions.models import Conference, Document, Task

from .factories import make_document, make_tasks


def _snapshot():
    return (
        list(
            Document.objects.order_by("id").values_list(
                "id",
                "symbol",
                "kind",
                "issuing_unit__code",
                "title",
                "signed_date",
                "status",
                "topics",
            )
        ),
        list(
            Task.objects.order_by("id").values_list(
                "id",
                "document_id",
                "parent_id",
                "title",
                "unit__code",
                "deadline",
                "status",
                "progress",
                "completed_on",
            )
        ),
        list(
            Conference.objects.order_by("id").values_list(
                "id",
                "document_id",
                "unit__code",
                "held_on",
                "expected_attendees",
                "present_attendees",
                "learning_reports",
            )
        ),
    )


def test_round_trip_into_an_empty_database_gives_the_same_records(tree, users):
    staff = users["staff"]
    document = make_document(staff, tree.root, topics=["sinh hoạt chi bộ", "nêu gương"])
    make_document(staff, tree.ward_a, symbol="03-NQ/ĐU", kind="thematic_resolution")
    task_a, _task_b = make_tasks(staff, document, [tree.ward_a, tree.ward_b])
    services.task_cascade(actor=staff, task=task_a, units=[tree.cell_a1])
    services.task_report_progress(
        actor=staff, task=task_a.children.get(), progress=100, note="x", on=dt.date(2026, 2, 1)
    )
    services.conference_record(
        actor=staff,
        document=document,
        unit=tree.ward_a,
        held_on=dt.date(2026, 2, 1),
        expected_attendees=30,
        present_attendees=29,
        learning_reports=29,
    )
    files = {
        name: io.export_register(user=users["admin"], name=name, fmt="xlsx")
        for name in ("documents", "tasks", "conferences")
    }
    before = _snapshot()

    Conference.objects.all().delete()
    Task.objects.filter(parent__isnull=False).delete()
    Task.objects.all().delete()
    Document.objects.all().delete()
    assert _snapshot() == ([], [], [])
    admin = users["admin"]
    for name in ("documents", "tasks", "conferences"):
        outcome = io.import_register(
            user=admin, name=name, data=files[name], fmt="xlsx", dry_run=False
        )
        assert outcome.applied and outcome.ok, (name, outcome.errors)
    assert _snapshot() == before
    # The id sequence moved past the imported ids: new records do not collide.
    make_document(staff, tree.root, symbol="09-NQ/QU")


def _csv(rows):
    buffer = std_io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_a_bad_row_blocks_the_import_with_its_reason(tree, users):
    header = [
        "ID",
        "Số hiệu",
        "Loại văn bản",
        "Mã đơn vị ban hành",
        "Cơ quan ban hành (cấp trên)",
        "Trích yếu",
        "Tóm tắt",
        "Chủ đề",
        "Ngày ký",
        "Người ký",
        "Trạng thái",
    ]
    data = _csv([
        header,
        ["", "01-NQ/QU", "Nghị quyết", "QU", "", "Một", "", "", "05/01/2026", "", "Đã ban hành"],
        ["", "01-NQ/QU", "Nghị quyết", "QU", "", "Trùng", "", "", "06/02/2026", "", "Đã ban hành"],
        ["", "NQ-01", "Nghị quyết", "QU", "", "Sai", "", "", "06/02/2026", "", "Đã ban hành"],
        ["", "02-NQ/ĐU", "Nghị quyết chuyên đề", "P-B", "", "Phường khác", "", "", "06/02/2026", "", "Đã ban hành"],
    ])  # fmt: skip
    RoleAssignment.objects.filter(user=users["ward_secretary"]).update(role="staff")
    outcome = io.import_register(
        user=type(users["ward_secretary"]).objects.get(pk=users["ward_secretary"].pk),
        name="documents",
        data=data,
        fmt="csv",
        dry_run=False,
    )
    assert not outcome.applied
    lines = {e.line: " ".join(e.messages) for e in outcome.errors}
    assert set(lines) == {2, 3, 4, 5}  # a ward user cannot issue for the district either
    assert "không đúng dạng" in lines[4]
    assert "ngoài phạm vi" in lines[5]
    assert not Document.objects.exists()


def test_duplicate_symbols_within_one_file_are_caught(tree, users):
    header = [
        "ID",
        "Số hiệu",
        "Loại văn bản",
        "Mã đơn vị ban hành",
        "Cơ quan ban hành (cấp trên)",
        "Trích yếu",
        "Tóm tắt",
        "Chủ đề",
        "Ngày ký",
        "Người ký",
        "Trạng thái",
    ]
    data = _csv([
        header,
        ["", "01-NQ/QU", "Nghị quyết", "QU", "", "Một", "", "", "05/01/2026", "", "Đã ban hành"],
        ["", "01-NQ/QU", "Nghị quyết", "QU", "", "Trùng", "", "", "06/02/2026", "", "Đã ban hành"],
    ])  # fmt: skip
    outcome = io.import_register(
        user=users["staff"], name="documents", data=data, fmt="csv", dry_run=False
    )
    assert [e.line for e in outcome.errors] == [3]
    assert "đã có trong năm 2026" in outcome.errors[0].messages[0]
    assert not Document.objects.exists()


def test_task_import_rejects_early_deadline_and_bad_progress(tree, users):
    document = make_document(users["staff"], tree.root)
    header = [
        "ID",
        "ID văn bản",
        "Số hiệu văn bản",
        "ID nhiệm vụ cấp trên",
        "Nội dung nhiệm vụ",
        "Yêu cầu cụ thể",
        "Mã đơn vị chủ trì",
        "Thời hạn",
        "Trạng thái",
        "Tiến độ (%)",
        "Ngày hoàn thành",
    ]
    data = _csv([
        header,
        ["", document.pk, "", "", "Sớm", "", "P-A", "01/01/2026", "Chưa thực hiện", "0", ""],
        ["", document.pk, "", "", "Quá trăm", "", "P-A", "01/03/2026", "Đang thực hiện", "120", ""],
        ["", document.pk, "", "", "Đúng", "", "P-A", "01/03/2026", "Chưa thực hiện", "0", ""],
    ])  # fmt: skip
    outcome = io.import_register(
        user=users["staff"], name="tasks", data=data, fmt="csv", dry_run=False
    )
    assert [e.line for e in outcome.errors] == [2, 3]
    assert not Task.objects.exists()
