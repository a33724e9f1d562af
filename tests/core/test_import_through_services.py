"""Importing a row has exactly the effects of calling the service that makes the same change.

Each test makes one change twice, each time inside a transaction that is rolled back: once by
calling the app's service, once by importing a file row; the records it leaves (tree paths,
position histories, roll-ups, progress reports) and the audit rows must be the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as std_io
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import transaction

from longbien.audit import audited
from longbien.core import io
from longbien.org import services as org_services
from longbien.org.choices import UnitKind
from longbien.org.models import OrgUnit, Person, Position, PositionHistory
from longbien.service import batch
from resolutions import services as res_services
from resolutions.models import Conference, Task, TaskUpdate
from tests.conftest import make_unit
from tests.resolutions.factories import make_document, make_tasks

REASON = "Nhập từ tệp"


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = std_io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


VOLATILE = {"id", "created_at", "updated_at", "reported_at", "task", "person"}  # new ids


def _audit() -> list[tuple]:
    return [
        (
            entry.content_type.model,
            entry.action,
            entry.actor_id,
            # The values too, but for what differs between two runs: ids and times.
            sorted(
                (field, tuple(values))
                for field, values in (entry.changes_dict or {}).items()
                if field not in VOLATILE
            ),
            (entry.additional_data or {}).get("reason", ""),
        )
        for entry in LogEntry.objects.select_related("content_type").order_by("id")
    ]


def _effects(change: Callable[[], Any], capture: Callable[[], Any]) -> Any:
    """Return what ``change`` leaves behind, then undo it."""
    audit_before = LogEntry.objects.count()
    # One transaction, undone at the end, around the services the change calls.
    with batch():
        change()
        state = capture(), _audit()[audit_before:]
        transaction.set_rollback(True)
    return state


def _import(user, register: str, rows: list[list[Any]]) -> None:
    outcome = io.import_register(
        user=user, name=register, data=_csv(rows), fmt="csv", dry_run=False
    )
    assert outcome.ok and outcome.applied, outcome.errors


UNIT_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
]
PERSON_HEADER = [
    "Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Mã đơn vị", "Chức vụ",
    "Diện quản lý", "Đang công tác",
]  # fmt: skip
TASK_HEADER = [
    "ID", "ID văn bản", "Số hiệu văn bản", "ID nhiệm vụ cấp trên", "Nội dung nhiệm vụ",
    "Yêu cầu cụ thể", "Mã đơn vị chủ trì", "Thời hạn", "Trạng thái", "Tiến độ (%)",
    "Ngày hoàn thành",
]  # fmt: skip


def _units() -> list[tuple]:
    return list(
        OrgUnit.objects.order_by("code").values_list(
            "code", "name", "parent__code", "path", "depth", "valid_to"
        )
    )


def test_moving_a_ward_by_import_repaths_its_cells_as_the_service_does(tree, users):
    admin = users["admin"]
    make_unit("CB-A2", parent=tree.ward_a, name="Chi bộ A2")
    bloc = make_unit("KHOI", UnitKind.ENTERPRISE_BLOC, tree.root, "Khối doanh nghiệp")
    ward = OrgUnit.objects.get(code="P-A")

    by_service = _effects(
        lambda: org_services.unit_update(actor=admin, unit=ward, parent=bloc, reason=REASON),
        _units,
    )
    by_import = _effects(
        lambda: _import(
            admin,
            "units",
            [UNIT_HEADER, ["P-A", ward.name, "Đảng ủy phường", "KHOI", "", ""]],
        ),
        _units,
    )
    assert by_import == by_service
    units = dict((code, path) for code, _n, _p, path, _d, _v in by_import[0])
    assert units["CB-A1"] == "QU/KHOI/P-A/CB-A1/"  # the cells moved with their ward
    assert units["CB-A2"] == "QU/KHOI/P-A/CB-A2/"


def _people() -> tuple[list[tuple], list[tuple]]:
    return (
        list(
            Person.objects.order_by("code").values_list(
                "code", "full_name", "unit__code", "position__name", "is_active"
            )
        ),
        list(
            PositionHistory.objects.order_by("person__code", "start_date").values_list(
                "person__code", "unit__code", "position__name", "start_date", "end_date"
            )
        ),
    )


def test_a_person_imported_with_a_position_gets_the_position_history_row(tree, users):
    staff = users["staff"]
    secretary = Position.objects.create(name="Bí thư chi bộ")
    by_service = _effects(
        lambda: org_services.person_create(
            actor=staff,
            code="LB9001",
            full_name="Trần Văn Nam",
            sex="male",
            unit=tree.cell_a1,
            position=secretary,
            reason=REASON,
        ),  # fmt: skip
        _people,
    )
    by_import = _effects(
        lambda: _import(
            staff,
            "people",
            [
                PERSON_HEADER,
                ["LB9001", "Trần Văn Nam", "", "Nam", "", "CB-A1", "Bí thư chi bộ", "", "1"],
            ],
        ),
        _people,
    )
    assert by_import == by_service
    assert [row[:3] for row in by_import[0][1]] == [("LB9001", "CB-A1", "Bí thư chi bộ")]


def test_a_new_position_by_import_closes_the_old_one_as_the_service_does(tree, users):
    staff = users["staff"]
    deputy = Position.objects.create(name="Phó Bí thư")
    head = Position.objects.create(name="Bí thư")
    person = org_services.person_create(
        actor=staff, code="LB9002", full_name="Lê Thị Hoa", sex="female", unit=tree.cell_a1,
        position=deputy,
    )  # fmt: skip
    PositionHistory.objects.filter(person=person).update(start_date=dt.date(2020, 1, 1))
    row = ["LB9002", "Lê Thị Hoa", "", "Nữ", "", "CB-A1", "Bí thư", "", "1"]
    by_service = _effects(
        lambda: org_services.person_update(
            actor=staff, person=Person.objects.get(pk=person.pk), position=head, reason=REASON
        ),
        _people,
    )
    by_import = _effects(lambda: _import(staff, "people", [PERSON_HEADER, row]), _people)
    assert by_import == by_service
    assert len(by_import[0][1]) == 2 and by_import[0][1][0][4] is not None


def _tasks() -> tuple[list[tuple], list[tuple]]:
    return (
        list(
            Task.objects.order_by("unit__code").values_list(
                "title", "unit__code", "parent__unit__code", "status", "progress", "completed_on"
            )
        ),
        list(
            TaskUpdate.objects.order_by("task__unit__code").values_list(
                "task__unit__code", "progress"
            )
        ),
    )


def test_a_child_task_imported_as_done_rolls_its_parent_up_as_the_service_does(tree, users):
    staff = users["staff"]
    document = make_document(staff, tree.root)
    (parent,) = make_tasks(staff, document, [tree.ward_a])
    done_on = dt.date(2026, 2, 2)

    def by_services():
        with audited(actor=staff, reason=REASON):
            (child,) = res_services.task_cascade(actor=staff, task=parent, units=[tree.cell_a1])
            res_services.task_report_progress(
                actor=staff, task=child, progress=100, note="Cập nhật từ tệp nhập.", on=done_on
            )

    row = [
        "", document.pk, "", parent.pk, parent.title, "", "CB-A1", "01/03/2026", "Hoàn thành",
        "100", "02/02/2026",
    ]  # fmt: skip
    by_service = _effects(by_services, _tasks)
    by_import = _effects(lambda: _import(staff, "tasks", [TASK_HEADER, row]), _tasks)
    assert by_import[0] == by_service[0]
    # The parent rolled up to done (it stayed at 0 % when the import saved rows itself).
    parent_row = next(row for row in by_import[0][0] if row[1] == "P-A")
    assert parent_row[3:5] == ("done", 100)
    # The same audit rows (the batch service writes them in bulk), in the same order.
    assert by_import[1] == by_service[1]


def test_task_progress_changed_by_import_is_a_progress_report(tree, users):
    staff = users["staff"]
    document = make_document(staff, tree.root)
    (task,) = make_tasks(staff, document, [tree.ward_a])
    rows = [
        TASK_HEADER,
        [task.pk, document.pk, "", "", task.title, "", "P-A", "01/03/2026", "Đang thực hiện", "40", ""],
    ]  # fmt: skip
    by_service = _effects(
        lambda: res_services.task_report_progress(
            actor=staff,
            task=Task.objects.get(pk=task.pk),
            progress=40,
            note="Cập nhật từ tệp nhập.",
        ),  # fmt: skip
        _tasks,
    )
    by_import = _effects(lambda: _import(staff, "tasks", rows), _tasks)
    assert by_import[0] == by_service[0]
    assert by_import[0][1] == [("P-A", 40)]


def test_a_tasks_unit_cannot_be_changed_by_import(tree, users):
    staff = users["staff"]
    document = make_document(staff, tree.root)
    (task,) = make_tasks(staff, document, [tree.ward_a])
    rows = [
        TASK_HEADER,
        [task.pk, document.pk, "", "", task.title, "", "P-B", "01/03/2026", "Chưa thực hiện", "0", ""],
    ]  # fmt: skip
    outcome = io.import_register(
        user=staff, name="tasks", data=_csv(rows), fmt="csv", dry_run=False
    )
    assert not outcome.applied
    assert "Mã đơn vị chủ trì" in " ".join(outcome.errors[0].messages)
    task.refresh_from_db()
    assert task.unit == tree.ward_a


CONF_HEADER = [
    "ID", "ID văn bản", "Số hiệu văn bản", "Mã đơn vị tổ chức", "Ngày tổ chức",
    "Số người phải dự", "Số người dự", "Số bài thu hoạch", "Người chưa nộp bài thu hoạch",
]  # fmt: skip


def test_a_conference_imported_equals_one_recorded(tree, users):
    staff = users["staff"]
    document = make_document(staff, tree.root)

    def capture():
        return list(
            Conference.objects.values_list(
                "document_id", "unit__code", "held_on", "expected_attendees",
                "present_attendees", "learning_reports",
            )
        )  # fmt: skip

    by_service = _effects(
        lambda: res_services.conference_record(
            actor=staff,
            document=document,
            unit=tree.ward_a,
            held_on=dt.date(2026, 2, 1),
            expected_attendees=30,
            present_attendees=29,
            learning_reports=28,
            missing_reports_note="",
            reason=REASON,
        ),  # fmt: skip
        capture,
    )
    row = ["", document.pk, "", "P-A", "01/02/2026", "30", "29", "28", ""]
    by_import = _effects(lambda: _import(staff, "conferences", [CONF_HEADER, row]), capture)
    assert by_import == by_service


@pytest.mark.parametrize("register", ["units", "people", "documents", "tasks", "conferences"])
def test_an_export_imported_back_unchanged_changes_nothing(tree, users, register):
    staff = users["admin"]
    document = make_document(staff, tree.root)
    (task,) = make_tasks(staff, document, [tree.ward_a])
    res_services.task_report_progress(actor=staff, task=task, progress=50, note="Một nửa")
    res_services.conference_record(
        actor=staff, document=document, unit=tree.ward_a, held_on=dt.date(2026, 2, 1),
        expected_attendees=10, present_attendees=9, learning_reports=9,
    )  # fmt: skip
    org_services.person_create(
        actor=staff, code="LB9003", full_name="Ngô Văn Bình", sex="male", unit=tree.cell_b1
    )
    data = io.export_register(user=staff, name=register, fmt="xlsx")
    entries = LogEntry.objects.count()
    outcome = io.import_register(user=staff, name=register, data=data, fmt="xlsx", dry_run=False)
    assert outcome.ok and outcome.new == 0 and outcome.updated == 0, outcome.errors
    assert LogEntry.objects.count() == entries


DOC_HEADER = [
    "ID", "Số hiệu", "Loại văn bản", "Mã đơn vị ban hành", "Cơ quan ban hành (cấp trên)",
    "Trích yếu", "Tóm tắt", "Chủ đề", "Ngày ký", "Người ký", "Trạng thái",
]  # fmt: skip


def test_a_document_imported_equals_one_registered(tree, users):
    from resolutions.models import Document

    staff = users["staff"]

    def capture():
        return list(
            Document.objects.values_list(
                "symbol", "number", "kind_code", "issuer_code", "issuer_level", "kind",
                "issuing_unit__code", "title", "topics", "signed_date", "year", "status",
                "title_folded",
            )
        )  # fmt: skip

    by_service = _effects(
        lambda: res_services.document_create(
            actor=staff,
            symbol="12-NQ/QU",
            kind="resolution",
            issuing_unit=tree.root,
            title="Về công tác cán bộ",
            topics=["cán bộ", "nêu gương"],
            signed_date=dt.date(2026, 3, 2),
            reason=REASON,
        ),  # fmt: skip
        capture,
    )
    row = ["", "12-NQ/QU", "Nghị quyết", "QU", "", "Về công tác cán bộ", "", "cán bộ\nnêu gương",
           "02/03/2026", "", "Đã ban hành"]  # fmt: skip
    by_import = _effects(lambda: _import(staff, "documents", [DOC_HEADER, row]), capture)
    assert by_import == by_service
    assert by_import[0][0][4] == "district"  # the parsed, derived columns as the service sets them


def test_an_unknown_or_out_of_scope_id_is_not_found_and_creates_nothing(tree, users):
    staff, secretary = users["staff"], users["ward_secretary"]
    document = make_document(staff, tree.root)
    (own, foreign) = make_tasks(staff, document, [tree.ward_a, tree.ward_b])
    for user, task_id in ((staff, 999999), (secretary, foreign.pk)):
        row = [
            task_id,
            document.pk,
            "",
            "",
            "Sửa",
            "",
            "P-A",
            "01/03/2026",
            "Chưa thực hiện",
            "0",
            "",
        ]
        outcome = io.import_register(
            user=user, name="tasks", data=_csv([TASK_HEADER, row]), fmt="csv", dry_run=False
        )
        assert not outcome.applied
        assert f"Không tìm thấy bản ghi có ID “{task_id}”" in " ".join(outcome.errors[0].messages)
    assert Task.objects.count() == 2


# --- Inspections: plan items, inspections and supervisions, discipline decisions -------------

PLAN_ITEM_HEADER = [
    "ID", "Mã cơ quan lập kế hoạch", "Năm", "Hoạt động", "Đối tượng", "Nội dung",
    "Mã đơn vị được kiểm tra, giám sát", "Mã đảng viên", "Từ tháng", "Đến tháng",
    "Mã cơ quan chủ trì đoàn",
]  # fmt: skip
INSPECTION_HEADER = [
    "ID", "Hoạt động", "Đối tượng", "Loại", "Nội dung", "Mã đơn vị được kiểm tra, giám sát",
    "Mã đảng viên", "Mã cơ quan tiến hành", "Đoàn kiểm tra, giám sát", "Ngày bắt đầu",
    "Kết quả kiểm tra, giám sát", "Kết luận", "Ngày kết luận", "Ngày kết thúc", "Trạng thái",
]  # fmt: skip
DISCIPLINE_HEADER = [
    "ID", "Đối tượng", "Hình thức kỷ luật", "Mã đơn vị", "Mã đảng viên", "Số quyết định",
    "Ngày quyết định", "Mã cơ quan quyết định", "ID cuộc kiểm tra",
]  # fmt: skip


def test_a_plan_item_imported_equals_one_added(tree, users):
    from inspections import services as insp_services
    from inspections.models import Plan, PlanItem

    staff = users["staff"]
    body = make_unit("HDND", UnitKind.PEOPLES_COUNCIL, tree.root, "Hội đồng nhân dân quận")

    def capture():
        return (
            list(Plan.objects.values_list("body__code", "year", "title")),
            list(
                PlanItem.objects.values_list(
                    "plan__body__code", "activity", "subject_type", "topic", "topic_folded",
                    "target_unit__code", "starts_on", "ends_on", "lead_body__code", "status",
                )
            ),
        )  # fmt: skip

    def by_services():
        plan = insp_services.plan_create(actor=staff, body=body, year=2026, reason=REASON)
        insp_services.plan_item_add(
            actor=staff, plan=plan, activity="supervision", subject_type="organisation",
            topic="Quy chế dân chủ ở cơ sở", target_unit=tree.ward_a, start_month=3,
            end_month=4, reason=REASON,
        )  # fmt: skip

    row = ["", "HDND", "2026", "Giám sát", "Tổ chức đảng", "Quy chế dân chủ ở cơ sở", "P-A", "",
           "3", "4", ""]  # fmt: skip
    by_service = _effects(by_services, capture)
    by_import = _effects(lambda: _import(staff, "plan_items", [PLAN_ITEM_HEADER, row]), capture)
    assert by_import[0] == by_service[0]

    def without_plan_id(audit):  # the plan's new id differs between the two runs
        return [(*e[:3], [(f, v) for f, v in e[3] if f != "plan"], e[4]) for e in audit]

    assert without_plan_id(by_import[1]) == without_plan_id(by_service[1])


def test_an_inspection_imported_as_concluded_equals_the_workflows_steps(tree, users):
    from inspections import services as insp_services
    from inspections.models import Inspection

    inspector = users["inspection"]

    def capture():
        return list(
            Inspection.objects.values_list(
                "activity", "subject_type", "kind", "topic", "topic_folded", "unit__code",
                "conducting_body__code", "team", "starts_on", "findings", "conclusion",
                "concluded_on", "closed_on", "status",
            )
        )  # fmt: skip

    def by_services():
        inspection = insp_services.inspection_create(
            actor=inspector, activity="inspection", subject_type="organisation", kind="thematic",
            topic="Thực hiện Quy định 08", conducting_body=tree.root, unit=tree.ward_a,
            starts_on=dt.date(2026, 3, 2), team="Đoàn số 1", reason=REASON,
        )  # fmt: skip
        insp_services.inspection_start(actor=inspector, inspection=inspection, reason=REASON)
        insp_services.inspection_conclude(
            actor=inspector, inspection=inspection, conclusion="Thực hiện tốt",
            findings="Đã làm việc với Đảng ủy", concluded_on=dt.date(2026, 4, 10), reason=REASON,
        )  # fmt: skip
        insp_services.inspection_close(
            actor=inspector, inspection=inspection, closed_on=dt.date(2026, 4, 20), reason=REASON
        )

    row = ["", "Kiểm tra", "Tổ chức đảng", "Chuyên đề", "Thực hiện Quy định 08", "P-A", "", "QU",
           "Đoàn số 1", "02/03/2026", "Đã làm việc với Đảng ủy", "Thực hiện tốt", "10/04/2026",
           "20/04/2026", "Đã kết thúc"]  # fmt: skip
    by_service = _effects(by_services, capture)
    by_import = _effects(
        lambda: _import(inspector, "inspections", [INSPECTION_HEADER, row]), capture
    )
    assert by_import == by_service
    assert by_import[0][0][-1] == "closed"


def test_a_discipline_decision_imported_equals_one_recorded(tree, users):
    from inspections import services as insp_services
    from inspections.models import Discipline

    inspector = users["inspection"]
    member = Person.objects.create(code="DV-A1", full_name="Nguyễn Văn Kiểm", unit=tree.cell_a1)

    def capture():
        return list(
            Discipline.objects.values_list(
                "subject_type", "form", "unit__code", "person__code", "symbol", "decided_on",
                "deciding_body__code", "inspection_id",
            )
        )  # fmt: skip

    by_service = _effects(
        lambda: insp_services.discipline_create(
            actor=inspector,
            subject_type="member",
            form="warning",
            symbol="12-QĐ/UBKT",
            decided_on=dt.date(2026, 5, 5),
            deciding_body=tree.root,
            person=member,
            reason=REASON,
        ),  # fmt: skip
        capture,
    )
    row = ["", "Đảng viên", "Cảnh cáo", "", "dv-a1", "12-QĐ/UBKT", "05/05/2026", "QU", ""]
    by_import = _effects(
        lambda: _import(inspector, "disciplines", [DISCIPLINE_HEADER, row]), capture
    )
    assert by_import == by_service
    assert by_import[0][0][2] == "CB-A1"  # the member's unit, as the service derives it


# --- Dialogues: public-opinion cases and dialogues ---------------------------------------------

CASE_HEADER = [
    "ID", "Nguồn", "Ngày tiếp nhận", "Nội dung phản ánh", "Mã đơn vị liên quan", "Lĩnh vực",
    "Mức độ", "Họ tên người phản ánh", "Điện thoại người phản ánh", "Địa chỉ người phản ánh",
]  # fmt: skip
DIALOGUE_HEADER = [
    "ID", "Cấp", "Mã đơn vị tổ chức", "Ngày đối thoại", "Người chủ trì", "Chủ đề",
    "Số người tham dự",
]  # fmt: skip


def test_an_opinion_case_imported_equals_one_received(tree, users):
    from dialogues import services as dlg_services
    from dialogues.models import OpinionCase

    staff = users["staff"]

    def capture():
        return list(
            OpinionCase.objects.values_list(
                "source", "received_on", "content", "content_folded", "words", "unit__code",
                "category", "urgency", "citizen_name", "citizen_phone", "citizen_address",
                "status", "assigned_unit", "due_on",
            )
        )  # fmt: skip

    by_service = _effects(
        lambda: dlg_services.case_receive(
            actor=staff,
            source="hotline",
            received_on=dt.date(2026, 3, 2),
            content="Đường Nguyễn Văn Cừ ngập nước",
            unit=tree.ward_a,
            category="urban",
            urgency="urgent",
            citizen_name="Nguyễn Văn Dân",
            citizen_phone="0912345678",
            citizen_address="Tổ 3",
            reason=REASON,
        ),  # fmt: skip
        capture,
    )
    row = ["", "Đường dây nóng", "02/03/2026", "Đường Nguyễn Văn Cừ ngập nước", "P-A",
           "Trật tự đô thị, giao thông", "Khẩn", "Nguyễn Văn Dân", "0912345678", "Tổ 3"]  # fmt: skip
    by_import = _effects(lambda: _import(staff, "opinion_cases", [CASE_HEADER, row]), capture)
    assert by_import == by_service
    assert "ngap" in by_import[0][0][4]  # the words, derived as the service derives them


def test_a_dialogue_imported_equals_one_created_and_a_correction_equals_the_update(tree, users):
    from dialogues import services as dlg_services
    from dialogues.models import Dialogue

    secretary = users["ward_secretary"]

    def capture():
        return list(
            Dialogue.objects.values_list(
                "level", "unit__code", "held_on", "chair", "topic", "topic_folded", "participants"
            )
        )

    by_service = _effects(
        lambda: dlg_services.dialogue_create(
            actor=secretary,
            level="ward",
            unit=tree.ward_a,
            held_on=dt.date(2026, 3, 10),
            chair="Đồng chí Bí thư",
            topic="Trật tự đô thị",
            participants=120,
            reason=REASON,
        ),  # fmt: skip
        capture,
    )
    row = ["", "Cấp phường", "P-A", "10/03/2026", "Đồng chí Bí thư", "Trật tự đô thị", "120"]
    by_import = _effects(lambda: _import(secretary, "dialogues", [DIALOGUE_HEADER, row]), capture)
    assert by_import == by_service

    made = dlg_services.dialogue_create(
        actor=secretary, level="ward", unit=tree.ward_a, held_on=dt.date(2026, 3, 10),
        chair="Đồng chí Bí thư", topic="Trật tự đô thị", participants=120,
    )  # fmt: skip
    by_service = _effects(
        lambda: dlg_services.dialogue_update(
            actor=secretary,
            dialogue=Dialogue.objects.get(pk=made.pk),
            participants=130,
            reason=REASON,
        ),  # fmt: skip
        capture,
    )
    row = [made.pk, *row[1:6], "130"]
    by_import = _effects(lambda: _import(secretary, "dialogues", [DIALOGUE_HEADER, row]), capture)
    assert by_import == by_service and by_import[0][0][-1] == 130
