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

    # Whoever may not see the citizen may not write over them: any cell but the mask is
    # refused, the stored value typed back included (the refusal tells nothing).
    for typed_value in ("Tên mới", "", "Trần Thị Bí Mật"):
        typed = text.replace(MASK, typed_value, 1).encode()
        refused = io.import_register(
            user=staff, name="opinion_cases", data=typed, fmt="csv", dry_run=False
        )
        assert not refused.applied and [e.line for e in refused.errors] == [2], typed_value
        assert "Họ tên người phản ánh" in _messages(refused) and MASK in _messages(refused)
    case.refresh_from_db()
    assert (case.citizen_name, case.citizen_phone, case.citizen_address) == (
        "Trần Thị Bí Mật", "0987654321", "Số 1 ngõ 5",
    )  # fmt: skip
    # Whoever may see them corrects them through the file.
    seen_typed = seen.replace("Trần Thị Bí Mật", "Trần Thị Bí").encode()
    outcome = io.import_register(
        user=mass, name="opinion_cases", data=seen_typed, fmt="csv", dry_run=False
    )
    assert outcome.applied and outcome.updated == 1, outcome.errors
    case.refresh_from_db()
    assert case.citizen_name == "Trần Thị Bí"


def test_a_mask_is_never_stored_as_a_citizens_data(users, tree):
    """A new row copied from a masked export keeps no "(ẩn)": the citizen is left blank."""
    staff = users["staff"]
    row = ["", "Đường dây nóng", "02/03/2026", "Rác thải tồn đọng", "P-A", "Lĩnh vực khác", "",
           MASK, MASK, f" {MASK} "]  # fmt: skip
    outcome = _import(staff, "opinion_cases", [CASE_HEADER, row])
    assert outcome.applied, outcome.errors
    case = OpinionCase.objects.get()
    assert (case.citizen_name, case.citizen_phone, case.citizen_address) == ("", "", "")


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


FEEDBACK_HEADER = [
    "ID", "Mã đơn vị", "Tổ chức góp ý", "Ngày góp ý", "Nội dung góp ý", "Cơ quan được góp ý",
    "Nội dung tiếp thu, trả lời", "Ngày trả lời",
]  # fmt: skip


def test_feedback_rows_go_through_the_services_all_or_nothing(users, tree):
    from dialogues.models import Feedback

    secretary = users["ward_secretary"]
    answered = ["", "P-A", "Ủy ban Mặt trận Tổ quốc", "05/03/2026", "Góp ý dự thảo nghị quyết",
                "Đảng ủy phường", "Đã tiếp thu", "19/03/2026"]  # fmt: skip
    waiting = ["", "P-A", "Hội Cựu chiến binh", "02/04/2026", "Góp ý tác phong cán bộ",
               "UBND phường", "", ""]  # fmt: skip
    preview = _import(secretary, "feedback", [FEEDBACK_HEADER, answered, waiting], dry_run=True)
    assert preview.ok and preview.new == 2 and not Feedback.objects.exists(), preview.errors
    bad = [
        FEEDBACK_HEADER, answered,
        ["", "P-B", "Hội Nông dân", "02/04/2026", "Ngoài phạm vi", "UBND", "", ""],
        ["", "P-A", "Hội Bồ câu", "02/04/2026", "Tổ chức sai", "UBND", "", ""],
        ["", "P-A", "Hội Nông dân", "02/04/2026", "Trả lời trước", "UBND", "Đã trả lời",
         "01/04/2026"],
        ["", "P-A", "Hội Nông dân", "02/04/2026", "Trả lời không ngày", "UBND", "Đã trả lời",
         ""],
        ["", "P-A", "Hội Nông dân", "02/04/2099", "Ngày sau hôm nay", "UBND", "", ""],
    ]  # fmt: skip
    refused = _import(secretary, "feedback", bad)
    assert not refused.applied and [e.line for e in refused.errors] == [3, 4, 5, 6, 7]
    text = _messages(refused)
    assert "P-B" in text and "Hội Nông dân" in text  # the allowed labels
    assert "không được trước ngày góp ý (02/04/2026)" in text
    assert "Hãy ghi ngày trả lời" in text and "không được sau hôm nay" in text
    assert not Feedback.objects.exists()  # all or nothing
    outcome = _import(secretary, "feedback", [FEEDBACK_HEADER, answered, waiting])
    assert outcome.applied and outcome.new == 2, outcome.errors
    done, open_ = Feedback.objects.order_by("received_on")
    assert (done.responded_on, done.response) == (dt.date(2026, 3, 19), "Đã tiếp thu")
    assert done.content_folded == "gop y du thao nghi quyet"
    assert open_.responded_on is None and open_.sender == "veterans"
    # Answered through the file: feedback_respond; a changed addressee: feedback_update.
    exported = io.export_register(user=secretary, name="feedback", fmt="csv").decode("utf-8-sig")
    assert exported.count("\n") == 3 and "Hội Cựu chiến binh" in exported
    changed = exported.replace("UBND phường,,", "Ủy ban phường,Đã chấn chỉnh,10/04/2026")
    outcome = io.import_register(user=secretary, name="feedback", data=changed.encode(),
                                 fmt="csv", dry_run=False)  # fmt: skip
    assert outcome.applied and outcome.updated == 1, outcome.errors
    open_.refresh_from_db()
    assert (open_.addressee, open_.response, open_.responded_on) == (
        "Ủy ban phường", "Đã chấn chỉnh", dt.date(2026, 4, 10),
    )  # fmt: skip
    # The unit is fixed; an answer is not erased by a file.
    moved = changed.replace(",P-A,", ",P-B,", 1).encode()
    assert "Mã đơn vị" in _messages(
        io.import_register(user=secretary, name="feedback", data=moved, fmt="csv")
    )
    erased = changed.replace("Đã chấn chỉnh,10/04/2026", ",")
    outcome = io.import_register(user=secretary, name="feedback", data=erased.encode(),
                                 fmt="csv", dry_run=False)  # fmt: skip
    assert not outcome.applied and "Nội dung tiếp thu, trả lời" in _messages(outcome)
    open_.refresh_from_db()
    assert open_.responded_on == dt.date(2026, 4, 10)


def test_feedback_exports_import_back_unchanged(users, tree):
    from dialogues import services

    staff = users["staff"]
    services.feedback_create(
        actor=staff, unit=tree.ward_a, sender="front", received_on=dt.date(2026, 3, 5),
        content="Góp ý, dự thảo; nghị quyết", addressee="Đảng ủy phường",
        response="Đã tiếp thu", responded_on=dt.date(2026, 3, 19),
    )  # fmt: skip
    for user in (staff, users["ward_secretary"]):
        for fmt in ("xlsx", "csv"):
            data = io.export_register(user=user, name="feedback", fmt=fmt)
            outcome = io.import_register(
                user=user, name="feedback", data=data, fmt=fmt, dry_run=False
            )
            assert outcome.ok and (outcome.new, outcome.updated) == (0, 0), outcome.errors


def test_critiques_receptions_and_models_are_exported_only_and_scoped(users, tree):
    import pytest
    from django.core.exceptions import PermissionDenied

    from .route_data import build

    staff = users["staff"]
    build("a", tree.ward_a, tree.cell_a1, staff)
    build("b", tree.ward_b, tree.cell_b1, staff)
    secretary = users["ward_secretary"]
    for name in ("critiques", "receptions", "mobilisation_models"):
        assert not io.get_register(name).importable
        assert io.get_register(name).area == "dialogues"
        with pytest.raises(PermissionDenied):
            io.import_register(user=staff, name=name, data=b"ID\n1\n", fmt="csv")
    critiques = io.export_register(user=secretary, name="critiques", fmt="csv")
    rows = list(csv.DictReader(std_io.StringIO(critiques.decode("utf-8-sig"))))
    assert {r["Mã đơn vị"] for r in rows} == {"P-A"}  # ward B's are not theirs
    by_kind = {r["Hình thức"]: r for r in rows}
    conference = by_kind["Hội nghị phản biện xã hội"]
    assert (conference["Số kiến nghị"], conference["Số kiến nghị đã phản hồi"]) == ("2", "1")
    assert by_kind["Giám sát chuyên đề"]["Tổ chức chủ trì"] == "Hội Liên hiệp Phụ nữ"
    receptions = io.export_register(user=staff, name="receptions", fmt="csv")
    rows = list(csv.DictReader(std_io.StringIO(receptions.decode("utf-8-sig"))))
    assert sorted(r["Mã đơn vị"] for r in rows) == ["P-A", "P-B"]
    assert {r["Số vụ việc tiếp nhận"] for r in rows} == {"1"}
    assert {r["Lãnh đạo tiếp công dân"] for r in rows} == {"Bí thư phường A", "Bí thư phường B"}
    models = io.export_register(user=secretary, name="mobilisation_models", fmt="csv")
    rows = list(csv.DictReader(std_io.StringIO(models.decode("utf-8-sig"))))
    assert [(r["Năm"], r["Mã đơn vị"], r["Cấp công nhận"]) for r in rows] == [
        ("2025", "P-A", "Cấp quận")
    ]
    assert rows[0]["Lĩnh vực"] == "Trật tự đô thị, môi trường"
