from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation
from longbien.core import io

from .conftest import make_person

HEADER = "Mã cán bộ,Năm,Tháng,Xếp loại\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_import_of_a_month_with_a_bad_row_changes_nothing(users, tree, people):
    data = _csv(
        "CBA,2026,4,HTXSNV", "CBA2,2026,4,Xuất sắc lắm", "CBB,2026,4,HTTNV", "KHONGCO,2026,4,HTNV"
    )
    outcome = io.import_register(
        user=users["ward_secretary"], name="evaluations", data=data, fmt="csv", dry_run=False
    )
    assert not outcome.applied
    # Lines count the header row, as in the spreadsheet.
    messages = {e.line: " ".join(e.messages) for e in outcome.errors}
    assert "không hợp lệ" in messages[3]
    assert "ngoài phạm vi" in messages[4]
    assert "Không tìm thấy" in messages[5]
    assert not Evaluation.objects.exists()


def test_import_of_a_month_approves_every_row(users, tree, people):
    data = _csv("CBA,2026,4,HTXSNV", "CBA2,2026,4,Hoàn thành tốt nhiệm vụ")
    outcome = io.import_register(
        user=users["ward_secretary"], name="evaluations", data=data, fmt="csv", dry_run=False
    )
    assert outcome.applied and outcome.new == 2
    rows = {e.person.code: e for e in Evaluation.objects.select_related("person")}
    assert rows["CBA"].rating == Rating.EXCELLENT
    assert all(e.status == EvaluationStatus.APPROVED for e in rows.values())
    assert rows["CBA"].approved_by == users["ward_secretary"]


def test_import_cannot_change_a_locked_month(users, approved):
    data = _csv("CBA,2026,3,HTXSNV")
    outcome = io.import_register(user=users["staff"], name="evaluations", data=data, fmt="csv")
    assert not outcome.ok
    assert "đã được phê duyệt và khóa" in " ".join(outcome.errors[0].messages)
    approved.refresh_from_db()
    assert approved.rating == Rating.GOOD


def test_export_is_scoped_and_in_vietnamese(users, tree):
    a = make_person("EXA", tree.cell_a1)
    b = make_person("EXB", tree.cell_b1)
    for person in (a, b):
        Evaluation.objects.create(
            person=person, unit=person.unit, year=2026, month=1, rating=Rating.GOOD,
            status=EvaluationStatus.APPROVED,
        )  # fmt: skip
    text = io.export_register(user=users["ward_staff"], name="evaluations", fmt="csv").decode(
        "utf-8-sig"
    )
    assert text.splitlines()[0].startswith("Mã cán bộ,Họ và tên,Mã đơn vị,Năm,Tháng")
    assert "EXA" in text and "EXB" not in text
    assert "Hoàn thành tốt nhiệm vụ" in text
