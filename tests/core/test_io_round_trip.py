"""Every register: an export imported back unchanged changes nothing; one changed cell, one row.

The export is localised (sheet named after the register, real Excel dates shown dd/mm/yyyy,
units and people by name beside their codes, Có/Không, choices by label) and the import
still reads it back exactly: a document topic holding a comma or a semicolon stays whole.
"""

from __future__ import annotations

import datetime as dt
import io as std_io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from auditlog.models import LogEntry
from django.utils import timezone

from cadres import services as cadre_services
from cadres.choices import DecisionKind, Rating
from cadres.models import PersonnelDecision
from longbien.core import io
from longbien.org.choices import UnitKind
from longbien.org.models import Position
from resolutions import services as res_services
from resolutions.models import Document
from tests.cadres.conftest import make_person, self_assessed_month
from tests.conftest import make_unit
from tests.resolutions.factories import make_document, make_tasks

REASON = "Sửa theo biên bản số 12"
TOPICS = ["học tập, làm theo Bác", "nêu gương; tự phê bình", "chuyển đổi số"]


@pytest.fixture
def data(tree, users):
    """A few records in every register, as the pages would have made them."""
    staff = users["staff"]
    head = Position.objects.create(name="Bí thư chi bộ", is_head=True, rank=1)
    people = [
        make_person("CBA", tree.cell_a1, "Lê Thị Ánh", birth_date=dt.date(1980, 2, 1)),
        make_person("CBA2", tree.cell_a1, "Phạm Văn Bình", is_active=False),
        make_person("HEADA", tree.cell_a1, "Trần Văn Chính", head),
    ]
    document = make_document(
        staff, tree.root, topics=TOPICS, summary="Dòng một\nDòng hai", signer="Nguyễn Văn A"
    )
    make_document(staff, tree.ward_a, symbol="03-NQ/ĐU", kind="thematic_resolution")
    make_tasks(staff, document, [tree.ward_a, tree.ward_b])
    res_services.conference_record(
        actor=staff, document=document, unit=tree.ward_a, held_on=dt.date(2026, 2, 3),
        expected_attendees=30, present_attendees=28, learning_reports=25,
    )  # fmt: skip
    self_assessed_month(staff, people[:2], year=2026, month=3)
    cadre_services.decision_create(
        actor=staff, person=people[0], kind=DecisionKind.APPOINTMENT, symbol="12-QĐ/QU",
        decision_date=dt.date(2026, 1, 5), to_position=head, to_unit=tree.cell_a1,
        note="Bổ nhiệm",
    )  # fmt: skip
    test = cadre_services.test_create(
        actor=staff, unit=tree.ward_a, subject="Lý luận chính trị",
        held_on=timezone.localdate() - dt.timedelta(days=2), pass_mark=Decimal(60),
    )  # fmt: skip
    cadre_services.test_add_participants(actor=staff, test=test, people=people[:2])
    cadre_services.test_result_record(actor=staff, test=test, person=people[0], score="85,5")
    _inspections(tree, users, people)
    _dialogues(tree, users)
    return people


def _inspections(tree, users, people):
    """A plan item, a concluded inspection and a discipline decision (the inspections app)."""
    from inspections import services as insp_services

    staff, inspector = users["staff"], users["inspection"]
    body = make_unit("HDND", UnitKind.PEOPLES_COUNCIL, tree.root, "Hội đồng nhân dân quận")
    plan = insp_services.plan_create(actor=staff, body=body, year=2026)
    insp_services.plan_item_add(
        actor=staff, plan=plan, activity="supervision", subject_type="organisation",
        topic="Quy chế dân chủ ở cơ sở", target_unit=tree.ward_a, start_month=3, end_month=4,
    )  # fmt: skip
    inspection = insp_services.inspection_create(
        actor=inspector, activity="inspection", subject_type="organisation", kind="thematic",
        topic="Thực hiện Quy định 08", conducting_body=tree.root, unit=tree.ward_a,
        starts_on=dt.date(2026, 3, 2), team="Đoàn số 1",
    )  # fmt: skip
    insp_services.inspection_start(actor=inspector, inspection=inspection)
    insp_services.inspection_conclude(
        actor=inspector, inspection=inspection, conclusion="Thực hiện tốt",
        concluded_on=dt.date(2026, 4, 10),
    )  # fmt: skip
    insp_services.discipline_create(
        actor=inspector, subject_type="member", form="reprimand", symbol="01-QĐ/UBKT",
        decided_on=dt.date(2026, 5, 5), deciding_body=tree.root, person=people[0],
        inspection=inspection,
    )  # fmt: skip


def _dialogues(tree, users):
    """A dialogue and a public-opinion case with a citizen's data (the dialogues app)."""
    from dialogues import services as dlg_services

    staff, mass = users["staff"], users["mass_mobilisation"]
    dlg_services.dialogue_create(
        actor=staff, level="ward", unit=tree.ward_a, held_on=dt.date(2026, 3, 10),
        chair="Đồng chí Bí thư", topic="Trật tự đô thị", participants=120,
        issues=[{"content": "Ngập nước", "answer": "Đã trả lời tại hội nghị"}],
    )  # fmt: skip
    dlg_services.case_receive(
        actor=mass, source="hotline", received_on=dt.date(2026, 3, 2),
        content="Đường Nguyễn Văn Cừ ngập nước", unit=tree.ward_a, category="urban",
        citizen_name="Nguyễn Văn Dân", citizen_phone="0912345678", citizen_address="Tổ 3",
    )  # fmt: skip
    dlg_services.feedback_create(
        actor=staff, unit=tree.ward_a, sender="front", received_on=dt.date(2026, 3, 5),
        content="Góp ý dự thảo nghị quyết", addressee="Đảng ủy phường",
        response="Đã tiếp thu", responded_on=dt.date(2026, 3, 19),
    )  # fmt: skip


#: For each register: a cell to change (column, the row's key column and value, new value).
CHANGES = {
    "units": ("Tên đơn vị", "Mã đơn vị", "CB-A1", "Chi bộ Ánh Dương 1"),
    "people": ("Họ và tên", "Mã cán bộ", "CBA2", "Phạm Văn Bính"),
    "documents": ("Người ký", "Số hiệu", "01-NQ/QU", "Trần Thị B"),
    "tasks": ("Thời hạn", "Mã đơn vị chủ trì", "P-B", dt.date(2026, 4, 30)),
    "conferences": ("Số người dự", "Mã đơn vị tổ chức", "P-A", 29),
    "evaluations": ("Cấp trên đề xuất", "Mã cán bộ", "CBA2", "Hoàn thành tốt nhiệm vụ"),
    "decisions": ("Ghi chú", "Mã cán bộ", "CBA", "Bổ nhiệm theo đề nghị"),
    "test-results": ("Điểm", "Mã cán bộ", "CBA", 90),
    "plan_items": ("Nội dung", "Mã đơn vị được kiểm tra, giám sát", "P-A", "Quy chế dân chủ"),
    "inspections": (
        "Đoàn kiểm tra, giám sát",
        "Mã đơn vị được kiểm tra, giám sát",
        "P-A",
        "Đoàn số 2",
    ),
    "disciplines": ("Số quyết định", "Mã đảng viên", "CBA", "02-QĐ/UBKT"),
    "opinion_cases": ("Nội dung phản ánh", "Mã đơn vị liên quan", "P-A", "Đường Cừ ngập nước"),
    "dialogues": ("Số người tham dự", "Mã đơn vị tổ chức", "P-A", 130),
    "feedback": ("Cơ quan được góp ý", "Mã đơn vị", "P-A", "Ủy ban nhân dân phường"),
}
#: Who imports each register (the staff role imports all but the inspection role's).
IMPORTER = {"inspections": "inspection", "disciplines": "inspection"}
#: Registers whose stored rows no import may change (no correcting service): a changed cell
#: is refused with the column's name.
CREATE_ONLY = {"disciplines"}


def test_every_register_with_an_import_is_covered():
    importable = {r.name for r in io.registers() if issubclass(r.resource, io.ServiceResource)}
    assert importable == set(CHANGES)


def _sheet(data: bytes) -> tablib.Dataset:
    return tablib.Dataset().load(data, format="xlsx")


def _changed(data: bytes, name: str) -> tuple[bytes, str]:
    column, key_column, key, value = CHANGES[name]
    dataset = _sheet(data)
    headers = dataset.headers
    rows = [list(row) for row in dataset]
    (row,) = [r for r in rows if r[headers.index(key_column)] == key]
    before = row[headers.index(column)]
    row[headers.index(column)] = value
    book = openpyxl.load_workbook(std_io.BytesIO(data))
    sheet = book.active
    line = rows.index(row) + 2
    sheet.cell(row=line, column=headers.index(column) + 1, value=value)
    out = std_io.BytesIO()
    book.save(out)
    return out.getvalue(), before


@pytest.mark.parametrize("name", sorted(CHANGES))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imported_back_changes_nothing(name, fmt, data, users):
    user = users[IMPORTER.get(name, "staff")]
    exported = io.export_register(user=user, name=name, fmt=fmt)
    assert len(io.read_dataset(exported, fmt)) >= 1
    audit = LogEntry.objects.count()
    outcome = io.import_register(
        user=user, name=name, data=exported, fmt=fmt, dry_run=False, reason=REASON
    )
    assert outcome.ok, outcome.errors
    assert (outcome.new, outcome.updated, outcome.changes) == (0, 0, [])
    assert LogEntry.objects.count() == audit  # not one audit row
    assert io.export_register(user=user, name=name, fmt=fmt) == exported or fmt == "xlsx"


@pytest.mark.parametrize("name", sorted(set(CHANGES) - CREATE_ONLY))
def test_one_changed_cell_changes_one_row_with_the_reason(name, data, users):
    staff = users[IMPORTER.get(name, "staff")]
    changed, before = _changed(io.export_register(user=staff, name=name), name)
    column, _key_column, _key, value = CHANGES[name]

    preview = io.import_register(user=staff, name=name, data=changed, fmt="xlsx", dry_run=True)
    assert preview.ok and preview.updated == 1 and preview.new == 0, preview.errors
    (row,) = preview.changes
    labels = {f.label: (f.before, f.after) for f in row.fields}
    assert column in labels, labels
    shown_before, shown_after = labels[column]
    if isinstance(value, dt.date):
        assert (shown_before, shown_after) == (before.strftime("%d/%m/%Y"), "30/04/2026")
    elif name == "test-results":
        assert (shown_before, shown_after) == ("85,5", "90,0")
    else:
        assert (shown_before, shown_after) == (str(before or "—"), str(value))

    audit = LogEntry.objects.order_by("-id").first().pk
    outcome = io.import_register(
        user=staff, name=name, data=changed, fmt="xlsx", dry_run=False, reason=REASON
    )
    assert outcome.applied and outcome.updated == 1, outcome.errors
    # One audit row, on the record of the changed line, with the reason; no other record.
    (entry,) = LogEntry.objects.filter(pk__gt=audit)
    assert entry.additional_data == {"reason": REASON}
    resource = io.get_register(name).resource()
    attribute = next(f.attribute for f in resource.fields.values() if f.column_name == column)
    assert attribute in entry.changes_dict, entry.changes_dict
    # Imported back again, the changed file now changes nothing.
    again = io.import_register(user=staff, name=name, data=changed, fmt="xlsx", dry_run=True)
    assert again.ok and again.updated == 0 and again.changes == []


@pytest.mark.parametrize("name", sorted(CREATE_ONLY))
def test_a_changed_cell_of_a_create_only_register_is_refused(name, data, users):
    user = users[IMPORTER.get(name, "staff")]
    changed, _before = _changed(io.export_register(user=user, name=name), name)
    column = CHANGES[name][0]
    audit = LogEntry.objects.count()
    outcome = io.import_register(user=user, name=name, data=changed, fmt="xlsx", dry_run=False)
    assert not outcome.applied
    assert column in " ".join(m for e in outcome.errors for m in e.messages)
    assert LogEntry.objects.count() == audit


def test_a_topic_with_a_comma_or_a_semicolon_comes_back_whole(data, users):
    exported = io.export_register(user=users["staff"], name="documents", fmt="csv")
    document = Document.objects.get(symbol="01-NQ/QU")
    Document.objects.filter(pk=document.pk).update(topics=["khác"])
    outcome = io.import_register(
        user=users["staff"], name="documents", data=exported, fmt="csv", dry_run=False
    )
    assert outcome.applied and outcome.updated == 1, outcome.errors
    document.refresh_from_db()
    assert document.topics == TOPICS


def test_text_that_cleans_to_the_stored_value_is_unchanged(data, users):
    exported = _sheet(io.export_register(user=users["staff"], name="people"))
    headers = exported.headers
    rows = [list(row) for row in exported]
    name = headers.index("Họ và tên")
    for row in rows:
        row[name] = f"  {row[name]}\u200b\t"  # spaces, a zero-width space and a tab
    sheet = tablib.Dataset(*rows, headers=headers)
    outcome = io.import_register(
        user=users["staff"], name="people", data=sheet.export("xlsx"), fmt="xlsx", dry_run=True
    )
    assert outcome.ok and outcome.updated == 0 and outcome.changes == [], outcome.changes


def test_the_reason_goes_only_onto_the_row_that_changes(data, users):
    staff = users["staff"]
    changed, _before = _changed(io.export_register(user=staff, name="decisions"), "decisions")
    last = LogEntry.objects.order_by("-id").first().pk
    assert io.import_register(
        user=staff, name="decisions", data=changed, fmt="xlsx", dry_run=False, reason=REASON
    ).applied
    decision = PersonnelDecision.objects.get(symbol="12-QĐ/QU")
    reasons = {
        (e.content_type.model, e.object_pk): (e.additional_data or {}).get("reason")
        for e in LogEntry.objects.filter(pk__gt=last)
    }
    assert reasons == {("personneldecision", str(decision.pk)): REASON}


# --- Localised exports ----------------------------------------------------------------------


def test_the_sheet_is_named_after_the_register_and_dates_are_excel_dates(data, users):
    exported = io.export_register(user=users["staff"], name="people")
    sheet = openpyxl.load_workbook(std_io.BytesIO(exported)).active
    assert sheet.title == "Cán bộ, đảng viên"
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "CBA")
    birth = row[headers.index("Ngày sinh")]
    assert birth.is_date and birth.number_format == "DD/MM/YYYY"
    assert birth.value.date() == dt.date(1980, 2, 1)
    # The unit by name, its code beside it; yes/no and choices in words.
    assert row[headers.index("Đơn vị")].value == "Chi bộ A1"
    assert row[headers.index("Mã đơn vị")].value == "CB-A1"
    assert row[headers.index("Đang công tác")].value == "Có"
    assert row[headers.index("Giới tính")].value == "Nam"
    inactive = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "CBA2")
    assert inactive[headers.index("Đang công tác")].value == "Không"


def test_csv_dates_are_written_dd_mm_yyyy(data, users):
    exported = io.export_register(user=users["staff"], name="people", fmt="csv")
    text = exported.decode("utf-8-sig")
    assert "01/02/1980" in text and "1980-02-01" not in text


def test_every_register_names_units_and_people_beside_their_codes(data, users):
    pairs = {
        "units": ("Đơn vị cấp trên", "Mã đơn vị cấp trên"),
        "people": ("Đơn vị", "Mã đơn vị"),
        "documents": ("Đơn vị ban hành", "Mã đơn vị ban hành"),
        "tasks": ("Đơn vị chủ trì", "Mã đơn vị chủ trì"),
        "conferences": ("Đơn vị tổ chức", "Mã đơn vị tổ chức"),
        "evaluations": ("Họ và tên", "Mã cán bộ"),
        "decisions": ("Đơn vị mới", "Mã đơn vị mới"),
        "test-results": ("Họ và tên", "Mã cán bộ"),
        "plan_items": ("Đơn vị được kiểm tra, giám sát", "Mã đơn vị được kiểm tra, giám sát"),
        "inspections": ("Đơn vị được kiểm tra, giám sát", "Mã đơn vị được kiểm tra, giám sát"),
        "disciplines": ("Đảng viên", "Mã đảng viên"),
        "opinion_cases": ("Đơn vị liên quan", "Mã đơn vị liên quan"),
        "dialogues": ("Đơn vị tổ chức", "Mã đơn vị tổ chức"),
    }
    for name, (label, code) in pairs.items():
        book = openpyxl.load_workbook(
            std_io.BytesIO(io.export_register(user=users[IMPORTER.get(name, "staff")], name=name))
        )
        sheet = book.active
        assert sheet.title == io.sheet_title(str(io.get_register(name).label))
        headers = [c.value for c in sheet[1]]
        assert label in headers and code in headers, (name, headers)
        values = [(r[headers.index(label)].value, r[headers.index(code)].value) for r in
                  sheet.iter_rows(min_row=2)]  # fmt: skip
        assert any(n and c and n != c for n, c in values), (name, values)


def test_a_sheet_title_is_a_valid_excel_name():
    assert io.sheet_title("Đánh giá: tháng [3]/2026 * ?") == "Đánh giá tháng 3 2026"
    assert len(io.sheet_title("Hội nghị học tập, quán triệt nghị quyết của Đảng")) == 31


def test_evaluation_export_shows_the_rating_by_label(data, users):
    sheet = openpyxl.load_workbook(
        std_io.BytesIO(io.export_register(user=users["staff"], name="evaluations"))
    ).active
    headers = [c.value for c in sheet[1]]
    row = next(sheet.iter_rows(min_row=2))
    assert row[headers.index("Tự xếp loại")].value == dict(Rating.choices)[Rating.GOOD]


def test_the_import_page_lists_each_change_before_and_after(client_for, data, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    changed, _before = _changed(io.export_register(user=users["staff"], name="people"), "people")
    client = client_for(users["staff"])
    page = client.post(
        "/nhap/people/",
        {"file": SimpleUploadedFile("ds.xlsx", changed), "reason": REASON},
    ).content.decode()
    assert "1 bản ghi sẽ thay đổi" in page
    assert "<del>Phạm Văn Bình</del>" in page and "<ins>Phạm Văn Bính</ins>" in page
    assert "Họ và tên" in page and REASON in page
    assert client.post("/nhap/people/", {"confirm": "1"}).status_code == 302
    entries = LogEntry.objects.filter(additional_data__reason=REASON)
    assert [e.object_repr for e in entries] == ["Phạm Văn Bính"]
