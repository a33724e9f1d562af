"""Import/export of public-opinion cases and dialogues: through the services, all or nothing,
Vietnamese errors per row, and the citizen's data masked for whoever may not see it."""

from __future__ import annotations

import csv
import datetime as dt
import io as std_io

from dialogues.models import Dialogue, OpinionCase
from dialogues.resources import MASK
from longbien.core import io

from .conftest import dialogue, receive

CASE_HEADER = [
    "ID", "Nguồn", "Ngày tiếp nhận", "Nội dung phản ánh", "Mã đơn vị liên quan", "Lĩnh vực",
    "Mức độ", "Họ tên người phản ánh", "Điện thoại người phản ánh", "Địa chỉ người phản ánh",
]  # fmt: skip
DIALOGUE_HEADER = [
    "ID", "Cấp", "Mã đơn vị tổ chức", "Ngày đối thoại", "Người chủ trì", "Chủ đề",
    "Số người tham dự",
]  # fmt: skip


def _csv(rows) -> bytes:
    buffer = std_io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _import(user, name, rows, dry_run=False):
    return io.import_register(user=user, name=name, data=_csv(rows), fmt="csv", dry_run=dry_run)


def _messages(outcome) -> str:
    return " | ".join(" ".join(e.messages) for e in outcome.errors)


def test_the_registers_are_registered_with_their_area():
    assert io.get_register("opinion_cases").area == "dialogues"
    assert io.get_register("dialogues").area == "dialogues"


def test_case_rows_go_through_the_service_all_or_nothing(users, tree):
    staff = users["staff"]
    good = ["", "Đường dây nóng", "02/03/2026", "Đường Nguyễn Văn Cừ ngập nước", "P-A",
            "Trật tự đô thị, giao thông", "Khẩn", "Nguyễn Văn A", "0912345678", "Tổ 3"]  # fmt: skip
    preview = _import(staff, "opinion_cases", [CASE_HEADER, good], dry_run=True)
    assert preview.ok and preview.new == 1 and not OpinionCase.objects.exists(), preview.errors
    bad = [
        CASE_HEADER,
        good,
        ["", "Bồ câu", "02/03/2026", "Nguồn sai", "P-A", "Lĩnh vực khác", "", "", "", ""],
        ["", "Đường dây nóng", "02/03/2099", "Ngày sau hôm nay", "P-A", "Lĩnh vực khác", "", "",
         "", ""],
        ["", "Đường dây nóng", "02/03/2026", "Không có mã", "P-ZZ", "Lĩnh vực khác", "", "", "",
         ""],
    ]  # fmt: skip
    refused = _import(staff, "opinion_cases", bad)
    assert not refused.applied and [e.line for e in refused.errors] == [3, 4, 5]
    text = _messages(refused)
    assert "Báo chí" in text  # the allowed labels
    assert "không được sau hôm nay" in text and "P-ZZ" in text
    assert not OpinionCase.objects.exists()  # all or nothing
    outcome = _import(staff, "opinion_cases", [CASE_HEADER, good])
    assert outcome.applied, outcome.errors
    case = OpinionCase.objects.get()
    assert (case.urgency, case.citizen_phone, case.status) == ("urgent", "0912345678", "received")
    assert "ngap" in case.words and case.content_folded.startswith("duong nguyen van cu")


def test_citizen_data_is_masked_for_those_who_may_not_see_it_and_a_mask_changes_nothing(
    users, tree
):
    mass, staff = users["mass_mobilisation"], users["staff"]
    receive(mass, tree.ward_a, citizen_name="Trần Thị Bí Mật", citizen_phone="0987654321",
            citizen_address="Số 1 ngõ 5")  # fmt: skip
    seen = io.export_register(user=mass, name="opinion_cases", fmt="csv").decode("utf-8-sig")
    assert "Trần Thị Bí Mật" in seen and "0987654321" in seen
    masked = io.export_register(user=staff, name="opinion_cases", fmt="csv")
    text = masked.decode("utf-8-sig")
    assert "Trần Thị Bí Mật" not in text and "0987654321" not in text and "Số 1 ngõ 5" not in text
    assert text.count(MASK) == 3
    outcome = io.import_register(
        user=staff, name="opinion_cases", data=masked, fmt="csv", dry_run=False
    )
    assert outcome.ok and (outcome.new, outcome.updated) == (0, 0), outcome.errors
    case = OpinionCase.objects.get()
    assert (case.citizen_name, case.citizen_phone) == ("Trần Thị Bí Mật", "0987654321")
    # A changed content with the masks left in place changes the content only; the preview
    # shows no masked value.
    changed = text.replace("Đường Nguyễn Văn Cừ ngập nước sau mưa", "Đường Cừ ngập").encode()
    preview = io.import_register(
        user=staff, name="opinion_cases", data=changed, fmt="csv", dry_run=True
    )
    assert preview.ok and preview.updated == 1, preview.errors
    assert [f.label for f in preview.changes[0].fields] == ["Nội dung phản ánh"]
    typed = text.replace(MASK, "Tên mới", 1).encode()
    shown = io.import_register(
        user=staff, name="opinion_cases", data=typed, fmt="csv", dry_run=True
    )
    assert shown.ok, shown.errors
    (field,) = shown.changes[0].fields
    assert (field.before, field.after) == (MASK, "Tên mới")


def test_the_intake_of_a_case_is_not_changed_by_a_file(users, tree):
    staff = users["staff"]
    case = receive(staff, tree.ward_a)
    text = io.export_register(user=staff, name="opinion_cases", fmt="csv").decode("utf-8-sig")
    moved = text.replace(",P-A,", ",P-B,").encode()
    outcome = io.import_register(user=staff, name="opinion_cases", data=moved, fmt="csv")
    assert not outcome.ok and "Mã đơn vị liên quan" in _messages(outcome)
    case.refresh_from_db()
    assert case.unit == tree.ward_a


def test_dialogue_rows_create_and_update_through_the_services(users, tree):
    secretary = users["ward_secretary"]
    row = ["", "Cấp phường", "P-A", "10/03/2026", "Đồng chí Bí thư", "Trật tự đô thị", "120"]
    outcome = _import(secretary, "dialogues", [DIALOGUE_HEADER, row])
    assert outcome.applied, outcome.errors
    made = Dialogue.objects.get()
    assert made.topic_folded == "trat tu do thi" and made.participants == 120
    bad = [
        DIALOGUE_HEADER,
        ["", "Cấp phường", "P-B", "10/03/2026", "Chủ trì", "Ngoài phạm vi", "50"],
        ["", "Cấp phường", "P-A", "10/03/2026", "Chủ trì", "Quá đông", "99999"],
        ["", "Cấp xã", "P-A", "10/03/2026", "Chủ trì", "Cấp sai", "50"],
        [made.pk, "Cấp phường", "P-A", "10/03/2026", "Đồng chí Bí thư", "Trật tự đô thị", "130"],
    ]
    refused = _import(secretary, "dialogues", bad)
    assert not refused.applied and [e.line for e in refused.errors] == [2, 3, 4]
    text = _messages(refused)
    assert "P-B" in text and "không quá 5.000" in text and "Cấp quận, Cấp phường" in text
    made.refresh_from_db()
    assert made.participants == 120  # the good row of a refused file was not applied
    update = _import(secretary, "dialogues", [DIALOGUE_HEADER, bad[-1]])
    assert update.applied and update.updated == 1, update.errors
    made.refresh_from_db()
    assert made.participants == 130


def test_exports_import_back_unchanged(users, tree):
    staff, secretary = users["staff"], users["ward_secretary"]
    dialogue(staff, tree.ward_a, issues=[{"content": "Ngập", "answer": "Đã trả lời"}])
    case = receive(staff, tree.root, "Vụ việc của quận", received=dt.date(2026, 3, 2))
    from dialogues import services

    services.case_assign(actor=staff, case=case, unit=tree.ward_a, due_on=dt.date(2026, 3, 20))
    receive(staff, tree.ward_a, "Vụ việc của phường")
    for user in (staff, secretary, users["mass_mobilisation"]):
        for name in ("opinion_cases", "dialogues"):
            for fmt in ("xlsx", "csv"):
                data = io.export_register(user=user, name=name, fmt=fmt)
                outcome = io.import_register(user=user, name=name, data=data, fmt=fmt)
                assert outcome.ok and (outcome.new, outcome.updated) == (0, 0), (
                    user, name, outcome.errors,
                )  # fmt: skip
