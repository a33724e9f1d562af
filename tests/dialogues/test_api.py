"""The dialogues API: every resource per role in and out of scope, writes through the services
with their reason in the audit trail, the workflow steps' refusals, the duplicate suggestion,
and the citizen's personal data shown only to whom may see it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dialogues import services
from dialogues.choices import CaseStatus, CommitmentStatus, Outcome
from dialogues.models import Commitment, Dialogue, OpinionCase
from dialogues.workflows import CASE_WORKFLOW
from tests.permissions import check_matrix
from tests.route_data import rolled_back

from .conftest import receive
from .route_data import build

API = "/api/v1/dialogues"
REASON = "Theo%20Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20s%E1%BB%91%2012"  # "Theo Quyết định số 12"
VIEW = dict.fromkeys(
    ["admin", "staff", "leadership", "mass_mobilisation", "ward_secretary", "ward_staff"], 200
)
CHANGERS = ["admin", "staff", "mass_mobilisation", "ward_secretary", "ward_staff"]


@pytest.fixture
def sides(tree, users):
    """Ward A's records (in the ward roles' scope) and ward B's (out of it)."""
    staff = users["staff"]
    return {
        "a": build("a", tree.ward_a, tree.cell_a1, staff),
        "b": build("b", tree.ward_b, tree.cell_b1, staff),
    }


def login(user):
    client = Client()
    client.force_login(user, backend="longbien.org.backends.PersonModelBackend")
    return client


def post(client, url, data=None, **extra):
    return client.post(url, json.dumps(data or {}), content_type="application/json", **extra)


def patch(client, url, data, **extra):
    return client.patch(url, json.dumps(data), content_type="application/json", **extra)


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


# --- reads per role, in and out of scope ------------------------------------------------------


def test_lists_per_role(client, users, sides):
    for name in ("dialogues", "commitments", "cases"):
        check_matrix(client, users, f"{API}/{name}/", VIEW, anonymous=401)


@pytest.mark.parametrize(
    ("name", "attr"),
    [("dialogues", "dialogue"), ("commitments", "commitment"), ("cases", "case_received")],
)
def test_details_in_and_out_of_scope(client, users, sides, name, attr):
    inside = getattr(sides["a"], attr).pk
    outside = getattr(sides["b"], attr).pk
    check_matrix(client, users, f"{API}/{name}/{inside}/", VIEW, anonymous=401)
    ward_out = {"ward_secretary": 404, "ward_staff": 404}
    check_matrix(client, users, f"{API}/{name}/{outside}/", {**VIEW, **ward_out}, anonymous=401)


def test_a_ward_lists_only_its_records(users, sides):
    client = login(users["ward_staff"])
    dialogues = client.get(f"{API}/dialogues/").json()
    assert [row["unit"] for row in dialogues["results"]] == ["P-A"]
    cases = client.get(f"{API}/cases/").json()
    assert cases["count"] == 6 and {row["unit"] for row in cases["results"]} == {"P-A"}
    assert client.get(f"{API}/commitments/").json()["count"] == 1


def test_a_dialogue_shows_its_issues_and_commitments(users, sides):
    client = login(users["leadership"])
    body = client.get(f"{API}/dialogues/{sides['a'].dialogue.pk}/").json()
    assert body["level"] == "ward" and body["unit"] == "P-A" and body["participants"] == 120
    answered, committed = body["issues"]
    assert answered["answer"] == "Đã trả lời tại hội nghị" and answered["commitment"] is None
    promise = committed["commitment"]
    assert promise["owner_unit"] == "CB-A1" and promise["deadline"] == "2026-05-04"
    assert promise["status"] == CommitmentStatus.OPEN and promise["progress"] == 0


def test_dialogue_filters_and_search(users, sides, tree):
    services.dialogue_create(
        actor=users["staff"], level="district", unit=tree.root, held_on=dt.date(2025, 6, 1),
        chair="Bí thư Quận ủy", topic="Giải phóng mặt bằng", participants=300,
    )  # fmt: skip
    client = login(users["staff"])

    def count(query: str) -> int:
        return client.get(f"{API}/dialogues/?{query}").json()["count"]

    assert count("") == 3
    assert count("level=district") == 1 and count("level=ward") == 2
    assert count("unit=P-A") == 1 and count("unit=QU") == 3 and count("unit=KHONG-CO") == 0
    assert count("year=2026") == 2 and count("year=2025") == 1
    assert count("q=giai phong MAT BANG") == 1
    assert count("q=doi thoai phuong a") == 1


def test_case_filters_and_search(users, sides):
    client = login(users["staff"])

    def count(query: str) -> int:
        return client.get(f"{API}/cases/?{query}").json()["count"]

    # Each side: five hotline cases and one received at a citizen reception session.
    assert count("") == 12
    assert count("unit=P-A") == 6
    assert count("assigned_unit=CB-A1") == 1 and count("assigned_unit=P-A") == 4
    assert count("status=answered") == 2 and count("outcome=resolved") == 4
    assert count("source=hotline&category=urban&urgency=normal") == 10
    assert count("source=reception&category=land") == 2
    assert count("source=press") == 0
    assert count("year=2026") == 12 and count("year=2025") == 0
    # Due on 23/03/2026 and not answered: late today.
    assert count("overdue=true") == 4 and count("overdue=false") == 8
    assert count("q=DEN DUONG hong") == 2 and count("q=ngap nuoc phuong a") == 1


# --- citizen's personal data ----------------------------------------------------------------


def test_the_citizens_data_are_shown_only_to_whom_may_see_them(users, sides):
    received = f"{API}/cases/{sides['a'].case_received.pk}/"
    assigned = f"{API}/cases/{sides['a'].case_assigned.pk}/"

    def citizen(role: str, url: str):
        body = login(users[role]).get(url).json()
        return body["citizen_name"], body["citizen_phone"], body["citizen_address"]

    # The mass-mobilisation role sees them on every case of its units.
    assert citizen("mass_mobilisation", received) == ("Người dân A", "0912345678", "")
    # The unit a case is assigned to sees them; before the assignment, nobody else does.
    for role in ("admin", "staff", "leadership", "ward_secretary", "ward_staff"):
        assert citizen(role, received) == (None, None, None), role
    for role in ("staff", "ward_secretary", "ward_staff"):
        assert citizen(role, assigned)[0] == "Người dân A", role
    # Leadership reads the case but changes nothing: masked.
    assert citizen("leadership", assigned) == (None, None, None)
    rows = login(users["leadership"]).get(f"{API}/cases/").json()["results"]
    assert {row["citizen_name"] for row in rows} == {None}
    assert "0912345678" not in json.dumps(rows)


# --- dialogues: writes ----------------------------------------------------------------------


def test_a_dialogue_is_created_with_its_issues_and_the_reason(users, tree):
    client = login(users["ward_secretary"])
    payload = {
        "level": "ward", "unit": "P-A", "held_on": "2026-03-10", "chair": "Bí thư phường",
        "topic": "Vệ sinh môi trường", "participants": 80,
        "issues": [
            {"content": "Rác thải ở chợ", "answer": "Phường sẽ thu gom hằng ngày"},
            {"content": "Đèn đường hỏng", "commitment": "Thay đèn", "owner_unit": "CB-A1",
             "deadline": "2026-04-30"},
        ],
    }  # fmt: skip
    response = post(client, f"{API}/dialogues/", payload, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [issue["commitment"] is None for issue in body["issues"]] == [True, False]
    dialogue = Dialogue.objects.get(pk=body["id"])
    entry = LogEntry.objects.get_for_object(dialogue).get()
    assert entry.actor == users["ward_secretary"]
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    # A commitment without a deadline, another ward: clear errors, nothing saved.
    bad = {**payload, "issues": [{"content": "Đường hỏng", "commitment": "Sửa đường",
                                   "owner_unit": "CB-A1"}]}  # fmt: skip
    response = post(client, f"{API}/dialogues/", bad)
    assert response.status_code == 400 and "Cam kết phải có thời hạn." in text(response)
    outside = post(client, f"{API}/dialogues/", {**payload, "unit": "P-B"})
    assert outside.status_code == 400 and "P-B" in outside.json()["unit"][0]
    crowded = post(client, f"{API}/dialogues/", {**payload, "participants": 100_000})
    assert crowded.status_code == 400 and "Số người tham dự không quá" in text(crowded)
    assert Dialogue.objects.count() == 1
    # Leadership reads but writes nothing.
    assert post(login(users["leadership"]), f"{API}/dialogues/", payload).status_code == 403


def test_unknown_fields_are_refused(users, sides):
    client = login(users["staff"])
    response = patch(client, f"{API}/dialogues/{sides['a'].dialogue.pk}/",
                     {"chair": "Ông B", "mood": "vui"})  # fmt: skip
    assert response.status_code == 400 and "mood" in response.json()
    response = post(client, f"{API}/cases/", {"source": "hotline", "email": "a@b.vn"})
    assert response.status_code == 400 and "email" in response.json()
    response = post(client, f"{API}/cases/{sides['a'].case_received.pk}/assign/",
                    {"unit": "CB-A1", "priority": 1})  # fmt: skip
    assert response.status_code == 400 and "priority" in response.json()
    assert OpinionCase.objects.get(pk=sides["a"].case_received.pk).status == CaseStatus.RECEIVED


def test_a_dialogue_update_and_a_commitment_report(users, sides):
    client = login(users["ward_staff"])
    url = f"{API}/dialogues/{sides['a'].dialogue.pk}/"
    response = patch(client, url, {"participants": 150}, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 200 and response.json()["participants"] == 150
    entry = LogEntry.objects.get_for_object(sides["a"].dialogue).latest("pk")
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    assert patch(client, f"{API}/dialogues/{sides['b'].dialogue.pk}/",
                 {"participants": 1}).status_code == 404  # fmt: skip

    report = f"{API}/commitments/{sides['a'].commitment.pk}/report/"
    missing = post(client, report, {"progress": 100})
    assert missing.status_code == 400
    assert missing.json()["evidence"] == ["Hãy ghi kết quả thực hiện."]
    done = post(client, report, {"progress": 100, "evidence": "Đã thay 12 bóng đèn",
                                 "completed_on": "2026-04-20"})  # fmt: skip
    assert done.status_code == 200, done.content
    assert done.json()["status"] == CommitmentStatus.DONE
    again = post(client, report, {"progress": 50})
    assert again.status_code == 400 and "đã thực hiện xong" in text(again)
    assert post(client, f"{API}/commitments/{sides['b'].commitment.pk}/report/",
                {"progress": 10}).status_code == 404  # fmt: skip
    assert Commitment.objects.get(pk=sides["b"].commitment.pk).progress == 0


# --- cases: intake, duplicates, steps ---------------------------------------------------------


def test_a_case_received_comes_with_its_similar_cases(users, tree):
    staff = users["staff"]
    flooded = receive(staff, tree.ward_a, "Đường Nguyễn Văn Cừ ngập nước sau mưa lớn")
    receive(staff, tree.ward_a, "Rác thải tồn đọng tại chợ Long Biên")
    client = login(users["mass_mobilisation"])
    payload = {"source": "press", "received_on": "2026-03-05",
               "content": "duong nguyen van cu ngap", "unit": "P-A", "category": "urban",
               "citizen_name": "Nguyễn Thị C", "citizen_phone": "0987654321"}  # fmt: skip
    response = post(client, f"{API}/cases/", payload, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [row["id"] for row in body["similar"]] == [flooded.pk]
    assert body["similar"][0]["content"] == flooded.content
    assert body["citizen_name"] == "Nguyễn Thị C" and body["status"] == CaseStatus.RECEIVED
    entry = LogEntry.objects.get_for_object(OpinionCase.objects.get(pk=body["id"])).get()
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    # Before saving: the same suggestion, without diacritics and in any order.
    found = client.get(f"{API}/cases/similar/", {"content": "ngập NƯỚC đường Cừ", "unit": "P-A"})
    assert found.status_code == 200
    assert {row["id"] for row in found.json()} == {flooded.pk, body["id"]}
    assert "0987654321" not in found.content.decode()
    nothing = client.get(f"{API}/cases/similar/", {"content": "tiếng ồn karaoke"})
    assert nothing.json() == []
    bad = client.get(f"{API}/cases/similar/", {"content": "ngập", "unit": "KHONG-CO"})
    assert bad.status_code == 400 and "unit" in bad.json()
    # A ward user is not offered the cases of another ward.
    receive(staff, tree.ward_b, "Đường Nguyễn Văn Cừ ngập nước")
    ward = login(users["ward_secretary"]).get(f"{API}/cases/similar/",
                                               {"content": "nguyen van cu ngap"})  # fmt: skip
    assert {row["unit"] for row in ward.json()} == {"P-A"}


def test_a_case_goes_through_its_steps(users, tree):
    staff, ward = login(users["staff"]), login(users["ward_staff"])
    case = receive(users["staff"], tree.ward_a, "Vỉa hè bị lấn chiếm")
    url = f"{API}/cases/{case.pk}"
    # Not assigned yet: nobody is the handler (403 with the table's reason), and a step the
    # state does not allow is a Vietnamese 400.
    early = post(ward, f"{url}/answer/", {"answer": "Đã xử lý", "answered_on": "2026-03-03",
                                          "outcome": "resolved"})  # fmt: skip
    assert early.status_code == 403
    assert early.json() == {"detail": "Vụ việc không được giao cho đơn vị của bạn."}
    closing = post(staff, f"{url}/close/")
    assert closing.status_code == 400
    assert closing.json() == {
        "non_field_errors": ["Không thể chuyển từ trạng thái “Tiếp nhận” sang “Đã kết thúc”."]
    }
    # Assign outside the assigner's scope: "not found" as an unknown code.
    outside = post(ward, f"{url}/assign/", {"unit": "CB-B1"})
    assert outside.status_code == 400 and "CB-B1" in outside.json()["unit"][0]
    assigned = post(ward, f"{url}/assign/", {"unit": "CB-A1", "due_on": "2026-03-20"},
                    HTTP_X_CHANGE_REASON=REASON)  # fmt: skip
    assert assigned.status_code == 200, assigned.content
    body = assigned.json()
    assert body["status"] == CaseStatus.ASSIGNED and body["assigned_unit"] == "CB-A1"
    assert [row["kind"] for row in body["assignments"]] == ["assign"]
    entry = LogEntry.objects.get_for_object(case).latest("pk")
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    before = post(ward, f"{url}/answer/", {"answer": "Đã xử lý", "answered_on": "2026-03-01",
                                           "outcome": "resolved"})  # fmt: skip
    assert before.status_code == 400
    assert "Ngày trả lời không được trước ngày tiếp nhận" in before.json()["answered_on"][0]
    apart = post(ward, f"{url}/answer/", {"answer": "Đã xử lý", "answered_on": "2026-03-10",
                                          "outcome": "transferred"})  # fmt: skip
    assert apart.status_code == 400 and "outcome" in apart.json()
    assert post(ward, f"{url}/start/").json()["status"] == CaseStatus.IN_PROGRESS
    answered = post(ward, f"{url}/answer/", {"answer": "Đã giải tỏa", "answered_on": "2026-03-10",
                                             "outcome": "resolved"})  # fmt: skip
    assert answered.status_code == 200 and answered.json()["outcome"] == Outcome.RESOLVED
    closed = post(staff, f"{url}/close/", {"closed_on": "2026-03-12"})
    assert closed.status_code == 200 and closed.json()["status"] == CaseStatus.CLOSED
    # Reopening needs a reason.
    silent = post(staff, f"{url}/reopen/", {})
    assert silent.status_code == 400 and "reason" in silent.json()
    reopened = post(staff, f"{url}/reopen/", {"reason": "Người dân phản ánh lại"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == CaseStatus.RECEIVED and reopened.json()["outcome"] == ""


def test_refusals_of_the_steps(users, sides):
    a, b = sides["a"], sides["b"]
    ward = login(users["ward_secretary"])
    # Another ward's case: not found, for every step.
    for step in ("assign", "start", "answer", "close", "reject", "transfer", "reopen",
                 "reassign", "merge"):  # fmt: skip
        assert post(ward, f"{API}/cases/{b.case_received.pk}/{step}/").status_code == 404, step
    # Leadership reads but takes no step; the inspection role has no dialogues area.
    for role in ("leadership", "inspection"):
        response = post(login(users[role]), f"{API}/cases/{a.case_received.pk}/reject/",
                        {"reason": "Không thuộc thẩm quyền"})  # fmt: skip
        assert response.status_code == 403
    # A state that does not allow the step: a Vietnamese 400.
    response = post(ward, f"{API}/cases/{a.case_closed.pk}/assign/", {"unit": "CB-A1"})
    assert response.status_code == 400
    assert any(ch in text(response) for ch in "ăâđêôơư")
    response = post(ward, f"{API}/cases/{a.case_received.pk}/close/")
    assert response.status_code == 400
    # Transfer and reject need what they say.
    response = post(ward, f"{API}/cases/{a.case_received.pk}/transfer/", {})
    assert response.status_code == 400 and "transferred_to" in response.json()
    response = post(ward, f"{API}/cases/{a.case_received.pk}/reject/", {})
    assert response.status_code == 400 and "reason" in response.json()
    assert OpinionCase.objects.get(pk=a.case_received.pk).status == CaseStatus.RECEIVED


def test_reassign_needs_a_reason_and_is_recorded(users, sides):
    # The intake side reassigns, with a reason; the due date stays.
    case = sides["a"].case_assigned
    staff = login(users["staff"])
    response = post(staff, f"{API}/cases/{case.pk}/reassign/", {"unit": "P-A"})
    assert response.status_code == 400 and response.json()["reason"]
    response = post(staff, f"{API}/cases/{case.pk}/reassign/",
                    {"unit": "P-A", "reason": "Phường trực tiếp xử lý"})  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assigned_unit"] == "P-A" and body["due_on"] == "2026-03-23"
    assert [row["kind"] for row in body["assignments"]] == ["assign", "reassign"]


def test_merge(users, sides):
    a = sides["a"]
    client = login(users["ward_staff"])
    url = f"{API}/cases/{a.case_received.pk}/merge/"
    itself = post(client, url, {"into": a.case_received.pk})
    assert itself.status_code == 400 and "chính nó" in text(itself)
    closed = post(client, url, {"into": a.case_closed.pk})
    assert closed.status_code == 400 and "đã kết thúc" in text(closed)
    # A case of another ward is "not found", as an unknown one.
    foreign = post(client, url, {"into": sides["b"].case_in_progress.pk})
    unknown = post(client, url, {"into": 999_999})
    assert foreign.status_code == unknown.status_code == 400
    assert "into" in foreign.json() and "into" in unknown.json()
    merged = post(client, url, {"into": a.case_in_progress.pk, "reason": "Trùng nội dung"})
    assert merged.status_code == 200, merged.content
    assert merged.json()["merged_into"] == a.case_in_progress.pk
    assert merged.json()["status"] == CaseStatus.CLOSED
    # The merged case keeps its own intake: source and content.
    assert merged.json()["source"] == "hotline" and "Đèn đường hỏng" in merged.json()["content"]


def test_case_update_and_out_of_scope(users, sides):
    client = login(users["ward_staff"])
    url = f"{API}/cases/{sides['a'].case_received.pk}/"
    response = patch(client, url, {"urgency": "urgent"}, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 200 and response.json()["urgency"] == "urgent"
    entry = LogEntry.objects.get_for_object(sides["a"].case_received).latest("pk")
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    closed = patch(client, f"{API}/cases/{sides['a'].case_closed.pk}/", {"urgency": "urgent"})
    assert closed.status_code == 400 and "mở lại" in text(closed)
    assert patch(client, f"{API}/cases/{sides['b'].case_received.pk}/",
                 {"urgency": "urgent"}).status_code == 404  # fmt: skip


@pytest.mark.parametrize("role", CHANGERS)
def test_every_changer_receives_a_case_in_scope(users, tree, role):
    payload = {"source": "hotline", "received_on": "2026-03-05", "content": f"Phản ánh {role}",
               "unit": "P-A", "category": "social"}  # fmt: skip
    response = post(login(users[role]), f"{API}/cases/", payload)
    assert response.status_code == 201, response.content
    assert response.json()["similar"] == []


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["dialogues", "commitments", "cases"])
def test_a_list_costs_the_same_queries_whatever_its_length(users, sides, tree, name):
    client = login(users["ward_secretary"])
    url = f"{API}/{name}/"
    before = _queries(client, url)
    more = build("c", tree.ward_a, tree.cell_a1, users["staff"])
    services.case_assign(actor=users["staff"], case=more.case_received, unit=tree.cell_a1)
    assert _queries(client, url) == before


def test_a_dialogue_issue_opens_a_case_linked_both_ways(users, sides):
    client = login(users["ward_secretary"])
    issue = sides["a"].issue_committed
    payload = {"source": "dialogue", "received_on": "2026-03-10", "content": "Đèn đường hỏng",
               "unit": "P-A", "category": "urban", "dialogue_issue": issue.pk}  # fmt: skip
    response = post(client, f"{API}/cases/", payload)
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    assert response.json()["dialogue_issue"] == issue.pk
    dialogue = client.get(f"{API}/dialogues/{sides['a'].dialogue.pk}/").json()
    assert dialogue["issues"][1]["cases"] == [case_id]
    # Another ward's issue is "not found", as an unknown one.
    foreign = {**payload, "dialogue_issue": sides["b"].issue_committed.pk}
    response = post(client, f"{API}/cases/", foreign)
    assert response.status_code == 400 and "dialogue_issue" in response.json()


STEP_DATA = {
    "assign": {"unit": "CB-A1"},
    "start": {},
    "answer": {"answer": "Đã xử lý", "answered_on": "2026-03-20", "outcome": "explained"},
    "close": {},
    "reject": {"reason": "Không thuộc thẩm quyền"},
    "transfer": {"transferred_to": "Công an quận"},
    "reopen": {"reason": "Người dân phản ánh lại"},
}
STATES = ["case_received", "case_assigned", "case_in_progress", "case_answered", "case_closed"]


@pytest.mark.parametrize("role", [*CHANGERS, "leadership"])
def test_api_steps_that_succeed_are_the_workflows_available_ones(users, sides, role):
    client = login(users[role])
    for attr in STATES:
        for step, data in STEP_DATA.items():
            case = OpinionCase.objects.get(pk=getattr(sides["a"], attr).pk)
            available = {t.name for t in CASE_WORKFLOW.available(users[role], case)}
            with rolled_back():
                response = post(client, f"{API}/cases/{case.pk}/{step}/", data)
            assert (response.status_code == 200) == (step in available), (attr, step, response)
            if step not in available:
                assert response.status_code in (400, 403), (attr, step, response)


def test_every_endpoint_is_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    ours = {path for path in paths if path.startswith(f"{API}/")}
    steps = ["assign", "reassign", "start", "answer", "close", "reject", "transfer", "reopen",
             "merge"]  # fmt: skip
    assert ours == {
        f"{API}/dialogues/", f"{API}/dialogues/{{id}}/", f"{API}/commitments/",
        f"{API}/commitments/{{id}}/", f"{API}/commitments/{{id}}/report/", f"{API}/cases/",
        f"{API}/cases/{{id}}/", f"{API}/cases/similar/",
        *(f"{API}/cases/{{id}}/{step}/" for step in steps),
        # Around the cases (tests/dialogues/test_api_outreach.py).
        f"{API}/critiques/", f"{API}/critiques/{{id}}/", f"{API}/critiques/{{id}}/recommend/",
        f"{API}/recommendations/", f"{API}/recommendations/{{id}}/",
        f"{API}/recommendations/{{id}}/respond/", f"{API}/feedback/", f"{API}/feedback/{{id}}/",
        f"{API}/feedback/{{id}}/respond/", f"{API}/receptions/", f"{API}/receptions/{{id}}/",
        f"{API}/models/", f"{API}/models/{{id}}/",
    }  # fmt: skip
    similar = paths[f"{API}/cases/similar/"]["get"]
    assert {p["name"] for p in similar["parameters"] if p["in"] == "query"} == {
        "content", "unit", "exclude"
    }  # fmt: skip
    assert similar["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    citizen = paths[f"{API}/cases/{{id}}/"]["get"]["responses"]["200"]
    assert citizen["content"]["application/json"]["schema"]["$ref"].endswith("/OpinionCase")
