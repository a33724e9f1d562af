"""Export → import of documents, tasks and conferences into an empty database."""

import csv
import io as std_io

import tablib

from longbien.core import io
from longbien.org.models import RoleAssignment
from resolutions.models import Conference, Document, Task

from .factories import make_document, make_tasks

DOC_HEADER = [
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
TASK_HEADER = [
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


def test_documents_round_trip_into_an_empty_register(tree, users):
    """Documents exported and imported into an empty register come back as they were.

    An ID names a stored record: a file whose IDs are not found is refused (never new
    records under a typo). With the ID column emptied, the rows are new: the services give
    them new ids, so the comparison leaves the ids out; tasks and conferences refer to
    documents by id and are re-imported unchanged in tests/core/test_import_through_services.py.
    """
    staff = users["staff"]
    make_document(staff, tree.root, topics=["sinh hoạt chi bộ", "nêu gương"])
    make_document(staff, tree.ward_a, symbol="03-NQ/ĐU", kind="thematic_resolution")
    data = io.export_register(user=users["admin"], name="documents", fmt="xlsx")
    before = [row[1:] for row in _snapshot()[0]]
    Document.objects.all().delete()
    refused = io.import_register(
        user=users["admin"], name="documents", data=data, fmt="xlsx", dry_run=False
    )
    assert not refused.applied and "Không tìm thấy bản ghi có ID" in refused.errors[0].messages[0]
    outcome = io.import_register(
        user=users["admin"], name="documents", data=_without_ids(data), fmt="xlsx",
        dry_run=False,
    )  # fmt: skip
    assert outcome.applied and outcome.ok and outcome.new == 2, outcome.errors
    assert sorted(row[1:] for row in _snapshot()[0]) == sorted(before)


def _without_ids(data: bytes) -> bytes:
    dataset = tablib.Dataset().load(data, format="xlsx")
    dataset = tablib.Dataset(*[["", *row[1:]] for row in dataset], headers=dataset.headers)
    return dataset.export("xlsx")


def _csv(rows):
    buffer = std_io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_a_bad_row_blocks_the_import_with_its_reason(tree, users):
    data = _csv([
        DOC_HEADER,
        ["", "01-NQ/QU", "Nghị quyết", "QU", "", "Một", "", "", "05/01/2026", "", "Đã ban hành"],
        ["", "01-NQ/QU", "Nghị quyết", "QU", "", "Trùng", "", "", "06/02/2026", "", "Đã ban hành"],
        ["", "NQ-01", "Nghị quyết chuyên đề", "P-A", "", "Sai", "", "", "06/02/2026", "", "Đã ban hành"],
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
    # Another ward's unit is "not found", as an unknown code: its existence is not disclosed.
    assert "Không tìm thấy đơn vị “P-B”" in lines[5]
    assert not Document.objects.exists()


def test_duplicate_symbols_within_one_file_are_caught(tree, users):
    data = _csv([
        DOC_HEADER,
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
    data = _csv([
        TASK_HEADER,
        ["", document.pk, "", "", "Sớm", "", "P-A", "01/01/2026", "Chưa thực hiện", "0", ""],
        ["", document.pk, "", "", "Quá trăm", "", "P-A", "01/03/2026", "Đang thực hiện", "120", ""],
        ["", document.pk, "", "", "Đúng", "", "P-A", "01/03/2026", "Chưa thực hiện", "0", ""],
    ])  # fmt: skip
    outcome = io.import_register(
        user=users["staff"], name="tasks", data=data, fmt="csv", dry_run=False
    )
    assert [e.line for e in outcome.errors] == [2, 3]
    assert not Task.objects.exists()


def test_imports_cannot_reach_outside_the_scope(tree, users):
    """A ward cannot move its document to the district, nor hang a task under another ward's."""
    from django.db import connection

    staff, secretary = users["staff"], users["ward_secretary"]
    own = make_document(staff, tree.ward_a, symbol="04-NQ/ĐU", kind="thematic_resolution")
    district = make_document(staff, tree.root)
    (foreign,) = make_tasks(staff, district, [tree.ward_b])
    moved = _csv(
        [
            DOC_HEADER,
            [
                own.pk,
                "99-NQ/QU",
                "Nghị quyết",
                "QU",
                "",
                "Chuyển lên quận",
                "",
                "",
                "10/01/2026",
                "",
                "Đã ban hành",
            ],
        ]
    )
    outcome = io.import_register(
        user=secretary, name="documents", data=moved, fmt="csv", dry_run=False
    )
    # The district is outside a ward's scope: "not found", as an unknown code would be.
    assert not outcome.applied
    assert "Không tìm thấy đơn vị “QU”" in " ".join(outcome.errors[0].messages)
    own.refresh_from_db()
    assert own.issuing_unit == tree.ward_a
    child = _csv(
        [
            TASK_HEADER,
            [
                "",
                district.pk,
                "",
                foreign.pk,
                "Con",
                "",
                "CB-A1",
                "01/03/2026",
                "Chưa thực hiện",
                "0",
                "",
            ],
        ]
    )
    outcome = io.import_register(user=secretary, name="tasks", data=child, fmt="csv", dry_run=False)
    assert not outcome.applied
    assert "ID nhiệm vụ cấp trên: Không tìm thấy" in " ".join(outcome.errors[0].messages)
    assert Task.objects.count() == 1
    # An empty database's id sequence starts again at 1: the import must move it past the ids.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('resolutions_document', 'id'), 1, false)"
        )
    data = io.export_register(user=users["admin"], name="documents", fmt="xlsx")
    Task.objects.all().delete()
    Document.objects.all().delete()
    assert io.import_register(
        user=users["admin"], name="documents", data=_without_ids(data), fmt="xlsx",
        dry_run=False,
    ).applied  # fmt: skip
    make_document(
        staff, tree.root, symbol="10-NQ/QU"
    )  # would collide with an imported id otherwise


def test_api_implements_only_visible_upper_documents(client_for, users, tree):
    other_ward = make_document(
        users["staff"], tree.ward_b, symbol="05-NQ/ĐU", kind="thematic_resolution"
    )
    client = client_for(users["ward_secretary"])
    payload = {
        "symbol": "06-NQ/ĐU",
        "kind": "thematic_resolution",
        "issuing_unit": "P-A",
        "title": "X",
        "signed_date": "2026-02-01",
        "implements": [other_ward.pk],
    }
    response = client.post(
        "/api/v1/resolutions/documents/", payload, content_type="application/json"
    )
    assert response.status_code == 400 and "implements" in response.json()
    assert not Document.objects.filter(symbol="06-NQ/ĐU").exists()


def test_document_register_counts_only_visible_tasks(client_for, users, tree):
    district = make_document(users["staff"], tree.root)
    make_tasks(users["staff"], district, [tree.ward_a, tree.ward_b, tree.cell_b1])
    from resolutions import selectors

    assert selectors.document_list(user=users["ward_secretary"]).get(pk=district.pk).task_count == 1
    assert selectors.document_list(user=users["staff"]).get(pk=district.pk).task_count == 3
