"""Import/export of plan items, inspections and discipline; cases exported only, and logged."""

from __future__ import annotations

import csv
import datetime as dt
import io as std_io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inspections import services
from inspections.choices import Activity, InspectionStatus, PlanItemStatus, SubjectType
from inspections.models import Discipline, Inspection, Plan, PlanItem
from longbien.core import io
from longbien.core.models import AccessEntry

from .conftest import add_item, concluded_inspection, received_case

PLAN_HEADER = [
    "ID", "Mã cơ quan lập kế hoạch", "Năm", "Hoạt động", "Đối tượng", "Nội dung",
    "Mã đơn vị được kiểm tra, giám sát", "Mã đảng viên", "Từ tháng", "Đến tháng",
    "Mã cơ quan chủ trì đoàn",
]  # fmt: skip
INSPECTION_HEADER = [
    "ID", "Hoạt động", "Đối tượng", "Loại", "Nội dung", "Mã đơn vị được kiểm tra, giám sát",
    "Mã đảng viên", "Mã cơ quan tiến hành", "ID nội dung kế hoạch", "Ngày bắt đầu",
    "Kết luận", "Ngày kết luận", "Ngày kết thúc", "Trạng thái",
]  # fmt: skip
DISCIPLINE_HEADER = [
    "ID", "Đối tượng", "Hình thức kỷ luật", "Mã đơn vị", "Mã đảng viên", "Số quyết định",
    "Ngày quyết định", "Mã cơ quan quyết định", "ID cuộc kiểm tra",
]  # fmt: skip


def _csv(rows) -> bytes:
    buffer = std_io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _import(user, name, rows, dry_run=False):
    return io.import_register(user=user, name=name, data=_csv(rows), fmt="csv", dry_run=dry_run)


def _messages(outcome) -> str:
    return " | ".join(" ".join(e.messages) for e in outcome.errors)


def test_the_registers_are_registered_with_their_areas():
    assert io.get_register("plan_items").area == "inspection_plans"
    assert io.get_register("inspections").area == "inspections"
    assert io.get_register("disciplines").area == "inspections"
    cases = io.get_register("cases")
    assert cases.area == "confidential"
    assert not issubclass(cases.resource, io.ServiceResource)  # export only


def test_a_plan_item_row_opens_the_bodys_plan_and_goes_through_the_service(tree, users, bodies):
    staff = users["staff"]
    row = [
        "",
        "HDND",
        "2026",
        "Giám sát",
        "Tổ chức đảng",
        "Quy chế dân chủ",
        "P-A",
        "",
        "3",
        "4",
        "",
    ]
    preview = _import(staff, "plan_items", [PLAN_HEADER, row], dry_run=True)
    assert preview.ok and preview.new == 1, preview.errors
    assert not Plan.objects.exists()  # the dry run wrote nothing
    outcome = _import(staff, "plan_items", [PLAN_HEADER, row])
    assert outcome.applied, outcome.errors
    item = PlanItem.objects.get()
    assert (item.plan.body, item.plan.year) == (bodies["hdnd"], 2026)
    assert (item.starts_on, item.ends_on) == (dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert item.lead_body == bodies["hdnd"] and item.topic_folded == "quy che dan chu"
    assert item.status == PlanItemStatus.DRAFT


def test_bad_plan_rows_get_vietnamese_errors_and_nothing_is_saved(tree, users, bodies):
    secretary = users["ward_secretary"]
    rows = [
        PLAN_HEADER,
        ["", "P-A", "2026", "Kiểm tra", "Tổ chức đảng", "Đúng", "CB-A1", "", "3", "3", ""],
        ["", "P-A", "2026", "Kiểm tra", "Tổ chức đảng", "Ngoài phạm vi", "P-B", "", "3", "3", ""],
        ["", "P-A", "2026", "Kiểm tra", "Tổ chức đảng", "Tháng sai", "CB-A1", "", "13", "3", ""],
        ["", "P-A", "", "Kiểm tra", "Tổ chức đảng", "Không có năm", "CB-A1", "", "3", "3", ""],
        ["", "P-A", "2026", "Thanh tra", "Tổ chức đảng", "Sai loại", "CB-A1", "", "3", "3", ""],
    ]
    outcome = _import(secretary, "plan_items", rows)
    assert not outcome.applied
    assert [e.line for e in outcome.errors] == [3, 4, 5, 6]
    text = _messages(outcome)
    assert "P-B" in text and "phạm vi" in text
    assert "Tháng phải là số từ 1 đến 12" in text
    assert "Hãy ghi năm của kế hoạch" in text
    assert "Kiểm tra, Giám sát" in text  # the allowed labels
    assert not PlanItem.objects.exists() and not Plan.objects.exists()  # all or nothing


def test_an_inspection_row_can_arrive_concluded_through_the_workflow(tree, users):
    inspector = users["inspection"]
    row = ["", "Kiểm tra", "Tổ chức đảng", "Chuyên đề", "Quy định 08", "P-A", "", "QU", "",
           "02/03/2026", "Thực hiện tốt", "10/04/2026", "", "Đã kết luận"]  # fmt: skip
    outcome = _import(inspector, "inspections", [INSPECTION_HEADER, row])
    assert outcome.applied, outcome.errors
    inspection = Inspection.objects.get()
    assert inspection.status == InspectionStatus.CONCLUDED
    assert inspection.concluded_on == dt.date(2026, 4, 10)
    # A conclusion before the start is refused with the service's message.
    bad = [*row[:9], "02/03/2026", "Sớm", "01/03/2026", "", "Đã kết luận"]
    refused = _import(inspector, "inspections", [INSPECTION_HEADER, bad])
    assert not refused.applied and "không được trước ngày bắt đầu" in _messages(refused)
    assert Inspection.objects.count() == 1


def test_an_import_does_not_move_an_inspection_backwards(tree, users):
    inspector = users["inspection"]
    inspection = concluded_inspection(inspector, tree.ward_a)
    row = [inspection.pk, "Kiểm tra", "Tổ chức đảng", "Chuyên đề", inspection.topic, "P-A", "",
           "QU", "", "02/03/2026", inspection.conclusion, "10/04/2026", "", "Đang tiến hành"]  # fmt: skip
    outcome = _import(inspector, "inspections", [INSPECTION_HEADER, row])
    assert not outcome.applied and "bằng nhập tệp" in _messages(outcome)


def test_staff_read_inspections_but_may_not_import_them(tree, users):
    concluded_inspection(users["inspection"], tree.ward_a)
    assert io.export_register(user=users["staff"], name="inspections", fmt="csv")
    with pytest.raises(PermissionDenied):
        _import(users["staff"], "inspections", [INSPECTION_HEADER])


def test_a_discipline_row_equals_the_service_and_a_form_that_does_not_fit_is_refused(
    tree, users, member
):
    inspector = users["inspection"]
    rows = [
        DISCIPLINE_HEADER,
        ["", "Đảng viên", "Khiển trách", "", "DV-A1", "12-QĐ/UBKT", "05/05/2026", "QU", ""],
    ]
    outcome = _import(inspector, "disciplines", rows)
    assert outcome.applied, outcome.errors
    discipline = Discipline.objects.get()
    assert (discipline.person, discipline.unit) == (member, tree.cell_a1)
    bad = [
        DISCIPLINE_HEADER,
        ["", "Đảng viên", "Giải tán", "", "DV-A1", "13-QĐ/UBKT", "05/05/2026", "QU", ""],
    ]
    refused = _import(inspector, "disciplines", bad)
    assert not refused.applied and "không áp dụng cho đảng viên" in _messages(refused)
    # A recorded decision is not changed by a file.
    exported = io.export_register(user=inspector, name="disciplines", fmt="csv")
    changed = exported.decode("utf-8-sig").replace("12-QĐ/UBKT", "14-QĐ/UBKT").encode()
    again = io.import_register(
        user=inspector, name="disciplines", data=changed, fmt="csv", dry_run=True
    )
    assert not again.ok and "Số quyết định" in _messages(again)
    assert Discipline.objects.count() == 1


def test_cases_export_only_for_the_inspection_role_and_every_export_is_logged(
    tree, users, client_for
):
    inspector = users["inspection"]
    received_case(inspector, tree.ward_a, summary="CANARY-TEXT")
    entries = AccessEntry.objects.count()
    data = io.export_register(user=inspector, name="cases", fmt="csv").decode("utf-8-sig")
    assert "CANARY-TEXT" in data and "HS-01/2026" in data
    assert AccessEntry.objects.count() == entries + 1
    for role in ("staff", "leadership", "admin", "ward_secretary", "mass_mobilisation"):
        with pytest.raises(PermissionDenied):
            io.export_register(user=users[role], name="cases", fmt="csv")
    # Not importable: the file is refused as a whole, and there is no import page.
    with pytest.raises(PermissionDenied, match="chỉ xuất ra"):
        io.import_register(user=inspector, name="cases", data=data.encode(), fmt="csv")
    assert client_for(inspector).get(reverse("io_import", args=["cases"])).status_code == 404


def test_a_discipline_export_does_not_disclose_the_case_behind_it(tree, users):
    inspector = users["inspection"]
    case = received_case(inspector, tree.ward_a)
    services.case_accept(actor=inspector, case=case)
    services.case_verify(actor=inspector, case=case)
    services.case_conclude(actor=inspector, case=case, conclusion="Đúng", outcome="well_founded",
                           concluded_on=dt.date(2026, 4, 1))  # fmt: skip
    services.discipline_create(
        actor=inspector, subject_type=SubjectType.ORGANISATION, form="reprimand",
        symbol="15-QĐ/UBKT", decided_on=dt.date(2026, 4, 5), deciding_body=tree.root,
        unit=tree.ward_a, case=case,
    )  # fmt: skip
    exported = io.export_register(user=users["staff"], name="disciplines", fmt="csv")
    headers = io.read_dataset(exported, "csv").headers
    assert not any(
        word in h.lower() for h in headers for word in ("tố cáo", "khiếu nại", "đơn tố")
    ), headers
    assert "HS-01/2026" not in exported.decode("utf-8-sig")


def test_an_exported_plan_imports_back_unchanged(tree, users, bodies):
    staff = users["staff"]
    plan = services.plan_create(actor=staff, body=bodies["hdnd"], year=2026)
    add_item(staff, plan, tree.ward_a, 3, 4, activity=Activity.SUPERVISION)
    data = io.export_register(user=staff, name="plan_items", fmt="xlsx")
    outcome = io.import_register(
        user=staff, name="plan_items", data=data, fmt="xlsx", dry_run=False
    )
    assert outcome.ok and (outcome.new, outcome.updated) == (0, 0), outcome.errors


def test_a_ward_secretarys_exports_import_back_unchanged(tree, users, bodies):
    """Rows the ward reads but another body keeps (a district plan aimed at the ward, an
    inspection led by the district) come back unchanged, not as unknown codes."""
    staff, inspector, secretary = users["staff"], users["inspection"], users["ward_secretary"]
    plan = services.plan_create(actor=staff, body=bodies["hdnd"], year=2026)
    add_item(staff, plan, tree.ward_a, 3, 4, activity=Activity.SUPERVISION)
    own = services.plan_create(actor=secretary, body=tree.ward_a, year=2026)
    add_item(secretary, own, tree.cell_a1, 5, 5)
    concluded_inspection(inspector, tree.cell_a1)
    for name in ("plan_items", "inspections"):
        data = io.export_register(user=secretary, name=name, fmt="xlsx")
        assert len(io.read_dataset(data, "xlsx")) == 2 if name == "plan_items" else 1
        outcome = io.import_register(user=secretary, name=name, data=data, fmt="xlsx", dry_run=True)
        assert outcome.ok and (outcome.new, outcome.updated) == (0, 0), (name, outcome.errors)


def test_an_in_progress_inspection_is_concluded_by_a_file_row(tree, users):
    inspector = users["inspection"]
    inspection = services.inspection_create(
        actor=inspector, activity=Activity.INSPECTION, subject_type=SubjectType.ORGANISATION,
        kind="thematic", topic="Quy định 08", conducting_body=tree.root, unit=tree.ward_a,
        starts_on=dt.date(2026, 3, 2),
    )  # fmt: skip
    services.inspection_start(actor=inspector, inspection=inspection)
    row = [inspection.pk, "Kiểm tra", "Tổ chức đảng", "Chuyên đề", "Quy định 08", "P-A", "", "QU",
           "", "02/03/2026", "Thực hiện tốt", "10/04/2026", "", "Đã kết luận"]  # fmt: skip
    preview = _import(inspector, "inspections", [INSPECTION_HEADER, row], dry_run=True)
    assert preview.ok and preview.updated == 1, preview.errors
    labels = {f.label for change in preview.changes for f in change.fields}
    assert {"Trạng thái", "Kết luận", "Ngày kết luận"} <= labels
    outcome = _import(inspector, "inspections", [INSPECTION_HEADER, row])
    assert outcome.applied, outcome.errors
    inspection.refresh_from_db()
    assert (inspection.status, inspection.concluded_on) == ("concluded", dt.date(2026, 4, 10))
    assert inspection.conclusion == "Thực hiện tốt"
