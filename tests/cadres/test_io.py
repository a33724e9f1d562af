"""Import and export of evaluations, decisions and test results: the services' rules hold."""

import csv
import datetime as dt
import io as textio
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from cadres import choices, models, services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation, PersonnelDecision
from longbien.core import io

from .conftest import make_person, self_assessed_month

HEADER = "Mã cán bộ,Năm,Tháng,Tự xếp loại,Xếp loại\n"
# Words of Python, Django or PostgreSQL errors: none may reach the user from an import.
ENGLISH = re.compile(
    r"\b(the|is|not|invalid|value|field|must|expected|null|constraint|violates|duplicate|key|"
    r"object|does|exist|returned|literal|decimal|integer|conversion|syntax|class|error)\b",
    re.IGNORECASE,
)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def _table(rows: list[list]) -> bytes:
    out = textio.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _import(user, name, data, *, dry_run=False):
    return io.import_register(user=user, name=name, data=data, fmt="csv", dry_run=dry_run)


def _lines(outcome) -> dict[int, str]:
    return {e.line: " ".join(e.messages) for e in outcome.errors}


def _assert_vietnamese(outcome) -> None:
    for error in outcome.errors:
        for message in error.messages:
            assert not ENGLISH.search(message), message


# --- Evaluations ---------------------------------------------------------------------------


def test_import_of_a_month_with_a_bad_row_changes_nothing(users, tree, people):
    data = _csv(
        "CBA,2026,4,HTXSNV,HTXSNV",
        "CBA2,2026,4,HTTNV,Xuất sắc lắm",
        "CBB,2026,4,HTTNV,HTTNV",
        "KHONGCO,2026,4,HTNV,HTNV",
        "HEADA,hai nghìn,4,HTNV,HTNV",
        "HEADA,2026,13,HTNV,HTNV",
    )
    outcome = _import(users["ward_secretary"], "evaluations", data)
    assert not outcome.applied
    # Lines count the header row, as in the spreadsheet.
    messages = _lines(outcome)
    assert set(messages) == {3, 4, 5, 6, 7}
    assert "không hợp lệ" in messages[3]
    # Another ward's cadre reads exactly as an unknown code: no name, nothing else.
    assert messages[4] == "Mã cán bộ: Không có cán bộ mã “CBB”."
    assert messages[5] == "Mã cán bộ: Không có cán bộ mã “KHONGCO”."
    assert "“hai nghìn” không phải là số nguyên" in messages[6]
    assert "Tháng phải từ 1 đến 12" in messages[7]
    assert "Đỗ Thị Bé" not in str(outcome.errors)
    _assert_vietnamese(outcome)
    assert not Evaluation.objects.exists()


def test_import_of_a_month_approves_rows_that_carry_the_self_rating(users, tree, people):
    header = "Mã cán bộ,Năm,Tháng,Tự xếp loại,Cấp trên đề xuất,Xếp loại\n"
    data = _csv(
        "CBA,2026,4,HTXSNV,HTXSNV,HTXSNV",
        "CBA2,2026,4,Hoàn thành tốt nhiệm vụ,,Hoàn thành tốt nhiệm vụ",
        "HEADA,2026,4,HTNV,,",
        header=header,
    )
    outcome = _import(users["ward_secretary"], "evaluations", data)
    assert outcome.applied and outcome.new == 3, outcome.errors
    rows = {e.person.code: e for e in Evaluation.objects.select_related("person")}
    assert rows["CBA"].rating == Rating.EXCELLENT
    assert rows["CBA"].status == rows["CBA2"].status == EvaluationStatus.APPROVED
    assert rows["CBA"].approved_by == rows["CBA"].assessed_by == users["ward_secretary"]
    assert rows["CBA2"].assessed_by is None and rows["CBA2"].self_assessed_at is not None
    assert rows["HEADA"].status == EvaluationStatus.SELF_ASSESSED
    assert rows["HEADA"].rating == "" and rows["HEADA"].approved_at is None


def test_the_stored_history_of_the_people_in_a_file_costs_no_query_per_row(
    users, tree, people, django_assert_max_num_queries
):
    """The loader matches a file's rows to stored months by ids: a person's years of stored
    evaluations are neither fetched one by one nor loaded outside the file's months."""
    from longbien.org.models import Person

    person = Person.objects.get(code="CBA")
    Evaluation.objects.bulk_create(
        Evaluation(person=person, unit=person.unit, year=year, month=month)
        for year in range(2000, 2020)
        for month in range(1, 13)
    )
    data = _csv("CBA,2026,4,HTXSNV,HTXSNV", "CBA2,2026,4,HTTNV,HTTNV")
    with django_assert_max_num_queries(60) as counted:
        outcome = _import(users["ward_secretary"], "evaluations", data)
    assert outcome.applied and outcome.new == 2, outcome.errors
    loaded = [q["sql"] for q in counted.captured_queries if 'FROM "cadres_evaluation"' in q["sql"]]
    assert loaded and all('"year" IN' in sql for sql in loaded if '"person_id" IN' in sql)


def test_import_cannot_skip_the_self_assessment(users, tree, people):
    """As on the grid: a final rating or a proposal needs the cadre's self-rating."""
    header = "Mã cán bộ,Năm,Tháng,Cấp trên đề xuất,Xếp loại\n"
    data = _csv("CBA,2026,4,,HTXSNV", "CBA2,2026,4,HTTNV,", header=header)
    outcome = _import(users["ward_secretary"], "evaluations", data)
    messages = _lines(outcome)
    assert "Xếp loại: Chưa có tự xếp loại: chỉ phê duyệt phiếu đã qua tự đánh giá" in messages[2]
    assert "Cấp trên đề xuất: Chưa có tự xếp loại" in messages[3]
    assert not Evaluation.objects.exists()


def test_import_cannot_change_a_locked_month(users, approved):
    for row in (
        "CBA,2026,3,HTTNV,HTXSNV",  # the final rating
        "CBA,2026,3,HTXSNV,HTTNV",  # the self-rating only: was allowed before
    ):
        outcome = _import(users["staff"], "evaluations", _csv(row))
        assert not outcome.applied
        message = " ".join(outcome.errors[0].messages)
        assert "đã được phê duyệt và khóa; nhập tệp không sửa được" in message
        assert "phiếu điều chỉnh có lý do" in message
    header = "Mã cán bộ,Năm,Tháng,Cấp trên đề xuất\n"
    outcome = _import(users["staff"], "evaluations", _csv("CBA,2026,3,HTXSNV", header=header))
    assert "đã được phê duyệt và khóa" in " ".join(outcome.errors[0].messages)
    approved.refresh_from_db()
    assert (approved.self_rating, approved.proposed_rating, approved.rating) == (
        Rating.GOOD, Rating.GOOD, Rating.GOOD,
    )  # fmt: skip
    assert not approved.revisions.exists()


def test_an_export_of_locked_months_imports_back_unchanged(users, approved):
    data = io.export_register(user=users["staff"], name="evaluations", fmt="csv")
    outcome = _import(users["staff"], "evaluations", data)
    assert outcome.applied and outcome.new == outcome.updated == 0, outcome.errors


def test_import_keeps_what_the_workflow_recorded(users, assessed):
    """An open month: recorded ratings change only by returning the record; blanks keep them."""
    header = "Mã cán bộ,Năm,Tháng,Tự xếp loại,Cấp trên đề xuất,Xếp loại\n"
    changed = _import(users["staff"], "evaluations", _csv("CBA,2026,3,HTXSNV,,", header=header))
    assert "Tự xếp loại: Mức này đã được ghi theo quy trình" in _lines(changed)[2]
    changed = _import(users["staff"], "evaluations", _csv("CBA,2026,3,,HTNV,", header=header))
    assert "Cấp trên đề xuất: Mức này đã được ghi theo quy trình" in _lines(changed)[2]
    outcome = _import(users["staff"], "evaluations", _csv("CBA,2026,3,,,HTTNV", header=header))
    assert outcome.applied and outcome.updated == 1, outcome.errors
    assessed.refresh_from_db()
    assert (assessed.status, assessed.rating) == (EvaluationStatus.APPROVED, Rating.GOOD)
    assert (assessed.self_rating, assessed.proposed_rating) == (Rating.GOOD, Rating.GOOD)
    assert assessed.assessed_by == users["ward_secretary"]  # the superior's step stays theirs
    assert assessed.approved_by == users["staff"]


def test_nobody_imports_their_own_month(users, people):
    users["ward_secretary"].person = people["a"]
    users["ward_secretary"].save()
    outcome = _import(users["ward_secretary"], "evaluations", _csv("CBA,2026,4,HTXSNV,HTXSNV"))
    assert "Không được nhập phiếu đánh giá của chính mình." in _lines(outcome)[2]
    assert not Evaluation.objects.exists()


def test_import_checks_the_scope_of_the_stored_row(users, tree, people):
    """A month kept by another ward (the cadre moved since) is not this ward's to change."""
    people["a"].unit = tree.cell_b1
    people["a"].save()
    (stored,) = self_assessed_month(users["staff"], [people["a"]], year=2026, month=4)
    people["a"].unit = tree.cell_a1
    people["a"].save()
    outcome = _import(users["ward_secretary"], "evaluations", _csv("CBA,2026,4,,HTXSNV"))
    assert "thuộc đơn vị ngoài phạm vi của bạn" in _lines(outcome)[2]
    stored.refresh_from_db()
    assert stored.status == EvaluationStatus.SELF_ASSESSED and stored.unit == tree.cell_b1


def test_export_is_scoped_and_in_vietnamese(users, tree):
    a = make_person("EXA", tree.cell_a1)
    b = make_person("EXB", tree.cell_b1)
    for person in (a, b):
        Evaluation.objects.create(
            person=person, unit=person.unit, year=2026, month=1, rating=Rating.GOOD,
            status=EvaluationStatus.APPROVED,
        )  # fmt: skip
    # The ward's secretary (above its cadres in the evaluation chain) exports the ward's.
    text = io.export_register(user=users["ward_secretary"], name="evaluations", fmt="csv").decode(
        "utf-8-sig"
    )
    assert text.splitlines()[0].startswith("Mã cán bộ,Họ và tên,Đơn vị,Mã đơn vị,Năm,Tháng")
    assert "EXA" in text and "EXB" not in text
    assert "Hoàn thành tốt nhiệm vụ" in text


# --- Personnel decisions -------------------------------------------------------------------

DECISION_HEADER = [
    "Mã cán bộ", "Loại quyết định", "Số quyết định", "Ngày quyết định", "Chức vụ mới",
    "Mã đơn vị mới", "Ghi chú",
]  # fmt: skip


def test_decision_import_applies_the_rules_of_the_service(users, tree, people):
    data = _table(
        [
            DECISION_HEADER,
            ["CBA", "Bổ nhiệm", "12-QĐ/ĐU", "02/03/2026", "", "", "Đúng"],
            ["CBA2", "Điều động", "13-QĐ/ĐU", "02/03/2026", "", "", ""],  # no destination
            ["CBA2", "Điều động", "14-QĐ/ĐU", "02/03/2026", "", "P-B", ""],  # out of scope
            ["CBB", "Bổ nhiệm", "15-QĐ/ĐU", "02/03/2026", "", "", ""],
            ["HEADA", "Thăng chức", "quyết định 5", "31/02/2026", "Tổng thống", "", "x" * 301],
        ]
    )
    outcome = _import(users["ward_secretary"], "decisions", data)
    assert not outcome.applied
    messages = _lines(outcome)
    assert set(messages) == {3, 4, 5, 6}
    assert "Quyết định điều động phải có đơn vị mới." in messages[3]
    assert "Không có đơn vị mã “P-B” trong phạm vi của bạn." in messages[4]
    assert messages[5] == "Mã cán bộ: Không có cán bộ mã “CBB”."
    for part in ("Giá trị “Thăng chức” không hợp lệ", "Ngày không hợp lệ", "Tổng thống"):
        assert part in messages[6], messages[6]
    _assert_vietnamese(outcome)
    assert not PersonnelDecision.objects.exists()
    good = _table([DECISION_HEADER, ["CBA", "Bổ nhiệm", "12-QĐ/ĐU", "02/03/2026", "", "", ""]])
    outcome = _import(users["ward_secretary"], "decisions", good)
    assert outcome.applied, outcome.errors
    decision = PersonnelDecision.objects.get()
    assert (decision.unit, decision.from_unit) == (tree.cell_a1, tree.cell_a1)


def test_decision_import_checks_the_symbol_and_the_stored_row(users, tree, people):
    services.decision_create(
        actor=users["staff"], person=people["a"], kind="transfer", symbol="7-QĐ/QU",
        decision_date=dt.date(2026, 1, 5), to_unit=tree.cell_b1,
    )  # fmt: skip
    data = _table(
        [
            DECISION_HEADER,
            ["CBA", "Điều động", "7-QĐ/QU", "05/01/2026", "", "CB-A1", ""],  # kept by ward B
            ["CBA2", "Bổ nhiệm", "quyết định năm", "05/01/2026", "", "", ""],
        ]
    )
    outcome = _import(users["ward_secretary"], "decisions", data)
    messages = _lines(outcome)
    assert "Quyết định này thuộc đơn vị ngoài phạm vi của bạn." in messages[2]
    assert "Số hiệu không hợp lệ" in messages[3]
    _assert_vietnamese(outcome)
    assert PersonnelDecision.objects.get().to_unit == tree.cell_b1


# --- Test results --------------------------------------------------------------------------

RESULT_HEADER = "Mã kỳ sát hạch,Mã cán bộ,Điểm\n"


@pytest.fixture
def held(users, tree, people):
    test = services.test_create(
        actor=users["ward_secretary"], unit=tree.ward_a, subject="Lý luận",
        held_on=timezone.localdate() - dt.timedelta(days=2), pass_mark=Decimal(60),
    )  # fmt: skip
    services.test_add_participants(
        actor=users["ward_secretary"], test=test, people=[people["a"], people["a2"]]
    )
    return test


def test_result_import_enters_scores_and_registers_newcomers(users, held, people):
    data = _csv(f'{held.pk},CBA,"85,5"', f"{held.pk},HEADA,40", header=RESULT_HEADER)
    outcome = _import(users["ward_secretary"], "test-results", data)
    assert outcome.applied and (outcome.new, outcome.updated) == (1, 1), outcome.errors
    rows = {r.person.code: r for r in models.TestParticipant.objects.select_related("person")}
    assert (rows["CBA"].score, rows["CBA"].result) == (Decimal("85.5"), choices.TestResult.PASSED)
    assert (rows["HEADA"].score, rows["HEADA"].result) == (Decimal(40), choices.TestResult.FAILED)
    assert rows["HEADA"].unit == people["head_a"].unit
    assert (rows["CBA2"].score, rows["CBA2"].result) == (None, "")


def test_nobody_imports_their_own_score(users, held, people):
    users["ward_secretary"].person = people["a"]
    users["ward_secretary"].save()
    outcome = _import(
        users["ward_secretary"], "test-results", _csv(f"{held.pk},CBA,99", header=RESULT_HEADER)
    )
    assert "Không được tự nhập điểm sát hạch của chính mình." in _lines(outcome)[2]
    assert models.TestParticipant.objects.get(person=people["a"]).score is None


def test_result_import_with_bad_rows_is_refused_in_vietnamese(users, tree, held, people):
    district = services.test_create(
        actor=users["staff"], unit=tree.root, subject="Quận", held_on=held.held_on
    )
    # The ward sees the district session (one of its people takes part) but does not run it.
    services.test_add_participants(actor=users["staff"], test=district, people=[people["a"]])
    later = services.test_create(
        actor=users["ward_secretary"], unit=tree.ward_a, subject="Sắp tới",
        held_on=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    data = _csv(
        f"{held.pk},CBA,tám mươi",
        f"{held.pk},CBA2,101",
        f'{held.pk},CBA2,"85,55"',
        "abc,CBA,80",
        f"{district.pk},CBA,80",  # organised by the district: not the ward's to score
        f"{later.pk},CBA,80",
        f"{held.pk},CBB,80",
        header=RESULT_HEADER,
    )
    outcome = _import(users["ward_secretary"], "test-results", data)
    messages = _lines(outcome)
    assert set(messages) == set(range(2, 9))
    assert "Điểm “tám mươi” không phải là số." in messages[2]
    assert "nằm ngoài khoảng từ 0 đến 100" in messages[3]
    assert "quá một chữ số thập phân" in messages[4]
    assert "Không có kỳ sát hạch mã “abc” trong phạm vi của bạn." in messages[5]
    assert "Bạn không có quyền" in messages[6]
    assert "chưa diễn ra" in messages[7]
    assert messages[8] == "Mã cán bộ: Không có cán bộ mã “CBB”."
    _assert_vietnamese(outcome)
    assert not models.TestParticipant.objects.filter(score__isnull=False).exists()
    assert models.TestParticipant.objects.count() == 3


# --- Importing a row equals calling the service ---------------------------------------------


def _effects(change, capture):
    from auditlog.models import LogEntry
    from django.db import transaction

    from longbien.service import batch

    before = LogEntry.objects.count()
    # One transaction, undone at the end, around the services the change calls.
    with batch():
        change()
        state = (
            capture(),
            [
                (e.content_type.model, e.action, e.actor_id, sorted(e.changes_dict))
                for e in LogEntry.objects.order_by("id")[before:]
            ],
        )
        transaction.set_rollback(True)
    return state


def _applied(user, name, data):
    outcome = _import(user, name, data)
    assert outcome.applied, outcome.errors


def _evaluations():
    return list(
        Evaluation.objects.order_by("person__code", "year", "month").values_list(
            "person__code", "unit__code", "year", "month", "self_rating", "proposed_rating",
            "rating", "status", "assessed_by_id", "approved_by_id",
        )
    )  # fmt: skip


@pytest.mark.parametrize(
    "row",
    [
        ("CBA", 2026, 4, "HTTNV", "HTXSNV"),  # self-rated and approved: the grid's step
        ("CBA", 2026, 5, "HTTNV", ""),  # self-assessed only
    ],
)
def test_an_evaluation_row_imported_equals_one_recorded_by_the_service(users, people, row):
    secretary = users["ward_secretary"]
    code, year, month, self_rating, rating = row
    labels = {"HTTNV": Rating.GOOD, "HTXSNV": Rating.EXCELLENT, "": ""}
    by_service = _effects(
        lambda: services.evaluation_record_paper(
            actor=secretary,
            person=people["a"],
            year=year,
            month=month,
            self_rating=labels[self_rating],
            rating=labels[rating],
        ),  # fmt: skip
        _evaluations,
    )
    data = _csv(f"{code},{year},{month},{self_rating},{rating}\n")
    by_import = _effects(lambda: _applied(secretary, "evaluations", data), _evaluations)
    assert by_import == by_service
    assert by_import[0][0][7] in ("approved", "self_assessed")


def test_a_decision_row_imported_equals_one_recorded_by_the_service(users, people):
    staff = users["staff"]
    header = "Mã cán bộ,Loại quyết định,Số quyết định,Ngày quyết định,Chức vụ cũ,Mã đơn vị cũ,Chức vụ mới,Mã đơn vị mới,Ghi chú\n"

    def capture():
        return list(
            PersonnelDecision.objects.values_list(
                "person__code", "kind", "symbol", "decision_date", "from_unit__code",
                "to_unit__code", "unit__code",
            )
        )  # fmt: skip

    by_service = _effects(
        lambda: services.decision_create(
            actor=staff,
            person=people["a"],
            kind="appointment",
            symbol="15-QĐ/QU",
            decision_date=dt.date(2026, 2, 1),
        ),  # fmt: skip
        capture,
    )
    data = _csv("CBA,Bổ nhiệm,15-QĐ/QU,01/02/2026,,,,,\n", header=header)
    by_import = _effects(lambda: _applied(staff, "decisions", data), capture)
    assert by_import == by_service
