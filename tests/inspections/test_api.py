"""The inspections API: every resource per role in and out of scope, writes through the
services with their reason in the audit trail, the workflow steps' refusals, the overlap
check, and the confidential cases (nothing for anyone but the inspection role; no identity)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspections import services
from inspections.choices import (
    CaseStatus,
    FollowUpStatus,
    InspectionStatus,
    PlanItemStatus,
)
from inspections.models import Case, Discipline, FollowUp, Inspection, Plan, PlanItem
from longbien.core.models import AccessEntry
from longbien.org.models import Person
from tests.conftest import make_user
from tests.permissions import check_matrix

from .conftest import add_item
from .route_data import build

API = "/api/v1/inspections"
REASON = "Theo%20Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20s%E1%BB%91%2012"  # "Theo Quyết định số 12"
PLANS_VIEW = dict.fromkeys(
    ["admin", "staff", "leadership", "inspection", "mass_mobilisation", "ward_secretary",
     "ward_staff"], 200,
)  # fmt: skip
INSP_VIEW = dict.fromkeys(["admin", "staff", "leadership", "inspection", "ward_secretary"], 200)


@pytest.fixture
def sides(tree, users):
    """Ward A's records (in the ward roles' scope) and ward B's (out of it)."""
    staff, inspector = users["staff"], users["inspection"]
    result = {}
    for letter, ward, cell in (("a", tree.ward_a, tree.cell_a1), ("b", tree.ward_b, tree.cell_b1)):
        person = Person.objects.create(
            code=f"DV-{letter.upper()}9", full_name=f"Đảng viên {letter}", unit=cell
        )
        result[letter] = build(letter, ward, cell, person, staff, inspector)
    return result


def login(user):
    """A client of its own for ``user`` (``client_for`` logs the one shared client in)."""
    client = Client()
    client.force_login(user, backend="longbien.org.backends.PersonModelBackend")
    return client


def post(client, url, data=None, **extra):
    return client.post(url, json.dumps(data or {}), content_type="application/json", **extra)


def patch(client, url, data, **extra):
    return client.patch(url, json.dumps(data), content_type="application/json", **extra)


# --- reads per role, in and out of scope ------------------------------------------------------


def test_lists_per_role(client, users, sides):
    for name in ("plans", "plan-items"):
        check_matrix(client, users, f"{API}/{name}/", PLANS_VIEW, anonymous=401)
    for name in ("records", "follow-ups", "discipline", "cases"):
        check_matrix(client, users, f"{API}/{name}/", INSP_VIEW, anonymous=401)


@pytest.mark.parametrize(
    ("name", "attr", "view"),
    [
        ("plans", "plan", PLANS_VIEW),
        ("plan-items", "item_draft", PLANS_VIEW),
        ("records", "inspection_planned", INSP_VIEW),
        ("follow-ups", "follow_up", INSP_VIEW),
        ("discipline", "discipline", INSP_VIEW),
    ],
)
def test_details_in_and_out_of_scope(client, users, sides, name, attr, view):
    inside = getattr(sides["a"], attr).pk
    outside = getattr(sides["b"], attr).pk
    check_matrix(client, users, f"{API}/{name}/{inside}/", view, anonymous=401)
    ward_out = {role: 404 for role in ("ward_secretary", "ward_staff") if role in view}
    check_matrix(client, users, f"{API}/{name}/{outside}/", {**view, **ward_out}, anonymous=401)


def test_a_ward_lists_only_its_records(client_for, users, sides):
    client = client_for(users["ward_secretary"])
    records = client.get(f"{API}/records/").json()
    assert records["count"] == 3
    assert {row["unit"] for row in records["results"]} == {"CB-A1"}
    assert client.get(f"{API}/follow-ups/").json()["count"] == 1
    assert client.get(f"{API}/discipline/").json()["count"] == 1
    plans = client.get(f"{API}/plans/").json()
    assert [row["body"] for row in plans["results"]] == ["P-A"]
    assert len(plans["results"][0]["items"]) == 2


def test_record_filters_and_search(client_for, users, sides):
    client = client_for(users["inspection"])

    def count(query: str) -> int:
        return client.get(f"{API}/records/?{query}").json()["count"]

    assert count("") == 6
    assert count("unit=P-A") == 3
    assert count("unit=KHONG-CO") == 0
    assert count("status=concluded") == 2
    assert count("activity=inspection&subject_type=organisation&kind=regular") == 6
    assert count("year=2026") == 6 and count("year=2025") == 0
    assert count("q=da ket luan") == 2
    assert count("q=DANG KIEM TRA a") == 1


# --- plans, items and the overlap check ---------------------------------------------------------


def test_plan_create_and_item_add_through_the_services_with_the_reason(client_for, users, tree):
    client = client_for(users["ward_secretary"])
    response = post(client, f"{API}/plans/", {"body": "P-A", "year": 2027},
                    HTTP_X_CHANGE_REASON=REASON)  # fmt: skip
    assert response.status_code == 201, response.content
    plan = Plan.objects.get(pk=response.json()["id"])
    assert plan.title.startswith("Kế hoạch kiểm tra, giám sát năm 2027")
    entry = LogEntry.objects.get_for_object(plan).get()
    assert entry.actor == users["ward_secretary"]
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    # Another ward is out of scope: exactly the answer of a code that does not exist.
    other = post(client, f"{API}/plans/", {"body": "P-B", "year": 2027})
    unknown = post(client, f"{API}/plans/", {"body": "KHONG-CO", "year": 2027})
    assert other.status_code == unknown.status_code == 400
    assert other.json()["body"] == [m.replace("KHONG-CO", "P-B") for m in unknown.json()["body"]]
    again = post(client, f"{API}/plans/", {"body": "P-A", "year": 2027})
    assert again.status_code == 400 and "đã có kế hoạch" in json.dumps(again.json(),
                                                                         ensure_ascii=False)  # fmt: skip

    item = {"activity": "inspection", "subject_type": "organisation", "topic": "Thu chi đảng phí",
            "target_unit": "CB-A1", "start_month": 3, "end_month": 5}  # fmt: skip
    added = post(client, f"{API}/plans/{plan.pk}/items/", item, HTTP_X_CHANGE_REASON=REASON)
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["target_unit"] == "CB-A1" and body["lead_body"] == "P-A"
    assert (body["starts_on"], body["ends_on"]) == ("2027-03-01", "2027-05-31")
    entry = LogEntry.objects.get_for_object(PlanItem.objects.get(pk=body["id"])).get()
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    backwards = post(client, f"{API}/plans/{plan.pk}/items/", {**item, "end_month": 2})
    assert backwards.status_code == 400
    assert backwards.json()["end_month"] == ["Tháng kết thúc phải sau tháng bắt đầu."]
    outside = post(client, f"{API}/plans/{plan.pk}/items/", {**item, "target_unit": "CB-B1"})
    assert outside.status_code == 400 and "target_unit" in outside.json()
    assert PlanItem.objects.filter(plan=plan).count() == 1
    # Leadership reads plans but changes none.
    refused = post(login(users["leadership"]), f"{API}/plans/{plan.pk}/items/", item)
    assert refused.status_code == 403
    assert PlanItem.objects.filter(plan=plan).count() == 1


@pytest.fixture
def crowded(users, tree, bodies):
    """The district inspection committee's plan with items on ward A; and the ward's plan."""
    staff = users["staff"]
    district = services.plan_create(actor=staff, body=bodies["ubkt"], year=2026)
    ward = services.plan_create(actor=staff, body=tree.ward_a, year=2026)
    add_item(staff, district, tree.ward_a, 4, 6, topic="Công tác phát triển đảng viên")
    return {"district": district, "ward": ward}


def test_overlap_check_returns_the_conflicts_without_saving(client_for, users, tree, crowded):
    client = client_for(users["ward_secretary"])
    before = PlanItem.objects.count()
    payload = {"plan": crowded["ward"].pk, "target_unit": "CB-A1", "start_month": 5,
               "end_month": 5, "topic": "Khác"}  # fmt: skip
    response = post(client, f"{API}/plans/overlap-check/", payload)
    assert response.status_code == 200, response.content
    (conflict,) = response.json()
    assert conflict["body"] == "UBKT" and conflict["target_unit"] == "P-A"
    assert conflict["reasons"] == ["above"]
    assert conflict["reason_labels"] == ["đơn vị cấp trên, trùng thời gian"]
    assert post(client, f"{API}/plans/overlap-check/", {**payload, "start_month": 8,
                                                          "end_month": 9}).json() == []  # fmt: skip
    bad = post(client, f"{API}/plans/overlap-check/", {**payload, "end_month": 1})
    assert bad.status_code == 400
    assert PlanItem.objects.count() == before
    # A plan one may not see is "not found" in the input, as an unknown one.
    hidden = services.plan_create(actor=users["staff"], body=tree.ward_b, year=2026)
    response = post(client, f"{API}/plans/overlap-check/", {**payload, "plan": hidden.pk})
    assert response.status_code == 400 and "plan" in response.json()


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = post(client, url, data) if method == "post" else client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_overlap_queries_do_not_grow_with_the_plan(client_for, users, tree, crowded, bodies):
    staff = users["staff"]
    client = client_for(staff)
    other = services.plan_create(actor=staff, body=bodies["hdnd"], year=2026)
    for month in range(1, 3):
        add_item(staff, crowded["ward"], tree.cell_a1, month, month + 1, topic=f"Nội dung {month}")
        add_item(staff, other, tree.ward_a, month, month, topic=f"Giám sát {month}")
    check = {"plan": crowded["ward"].pk, "target_unit": "CB-A1", "start_month": 1,
             "end_month": 12, "topic": "Nội dung 1"}  # fmt: skip
    few_check = _queries(client, "post", f"{API}/plans/overlap-check/", check)
    few_overlaps = _queries(client, "get", f"{API}/plans/{crowded['ward'].pk}/overlaps/")
    for month in range(3, 203):
        add_item(staff, crowded["ward"], tree.cell_a1, month % 12 + 1, month % 12 + 1,
                 topic=f"Nội dung {month}")  # fmt: skip
        add_item(staff, other, tree.ward_a, month % 12 + 1, month % 12 + 1, topic="Giám sát")
    assert PlanItem.objects.filter(plan=crowded["ward"]).count() == 202
    response = post(client, f"{API}/plans/overlap-check/", check)
    assert len(response.json()) > 200
    assert _queries(client, "post", f"{API}/plans/overlap-check/", check) == few_check
    overlaps = client.get(f"{API}/plans/{crowded['ward'].pk}/overlaps/").json()
    assert len(overlaps) == 202 and all(row["conflicts"] for row in overlaps)
    assert _queries(client, "get", f"{API}/plans/{crowded['ward'].pk}/overlaps/") == few_overlaps


def test_approving_an_overlap_needs_a_justification(client_for, users, tree, crowded):
    staff = users["staff"]
    item = add_item(staff, crowded["ward"], tree.cell_a1, 5, 5, topic="Khác")
    client = client_for(users["ward_secretary"])
    overlaps = client.get(f"{API}/plans/{crowded['ward'].pk}/overlaps/").json()
    assert [(row["item"], len(row["conflicts"])) for row in overlaps] == [(item.pk, 1)]
    url = f"{API}/plan-items/{item.pk}/approve/"
    refused = post(client, url, {})
    assert refused.status_code == 400
    assert "hãy ghi giải trình để duyệt" in refused.json()["justification"][0]
    assert post(login(users["leadership"]), url, {"justification": "x"}).status_code == 403
    done = post(client, url, {"justification": "Phối hợp với UBKT"}, HTTP_X_CHANGE_REASON=REASON)
    assert done.status_code == 200 and done.json()["status"] == PlanItemStatus.APPROVED
    item.refresh_from_db()
    assert item.justification == "Phối hợp với UBKT" and item.approved_by == users["ward_secretary"]
    again = post(client, url, {"justification": "x"})
    assert again.status_code == 400 and "Đã duyệt" in json.dumps(again.json(), ensure_ascii=False)
    # Reopen and cancel need their reason.
    assert post(client, f"{API}/plan-items/{item.pk}/reopen/", {}).status_code == 400
    reopened = post(client, f"{API}/plan-items/{item.pk}/reopen/", {"reason": "Đổi tháng"})
    assert reopened.status_code == 200 and reopened.json()["status"] == PlanItemStatus.DRAFT
    cancelled = post(client, f"{API}/plan-items/{item.pk}/cancel/", {"reason": "Lùi sang năm sau"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == PlanItemStatus.CANCELLED


def test_plan_item_steps_out_of_scope_are_not_found(client_for, users, sides):
    client = client_for(users["ward_secretary"])
    item = sides["b"].item_draft
    for step, data in (("approve", {}), ("cancel", {"reason": "x"})):
        assert post(client, f"{API}/plan-items/{item.pk}/{step}/", data).status_code == 404
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DRAFT


# --- inspections, follow-ups, discipline --------------------------------------------------------


def test_inspection_create_and_workflow(client_for, users, tree, sides):
    client = client_for(users["ward_secretary"])
    payload = {"activity": "inspection", "subject_type": "organisation", "kind": "thematic",
               "topic": "Sinh hoạt chi bộ", "conducting_body": "P-A", "unit": "CB-A1",
               "starts_on": "2026-05-04"}  # fmt: skip
    created = post(client, f"{API}/records/", payload, HTTP_X_CHANGE_REASON=REASON)
    assert created.status_code == 201, created.content
    record = created.json()
    assert record["status"] == InspectionStatus.PLANNED and record["unit"] == "CB-A1"
    inspection = Inspection.objects.get(pk=record["id"])
    entry = LogEntry.objects.get_for_object(inspection).get()
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    assert post(client, f"{API}/records/", {**payload, "unit": "CB-B1"}).status_code == 400
    # The steps, in order; a step out of order is a Vietnamese 400.
    url = f"{API}/records/{inspection.pk}"
    early = post(client, f"{url}/close/")
    assert early.status_code == 400
    assert "Theo kế hoạch" in json.dumps(early.json(), ensure_ascii=False)
    assert post(login(users["leadership"]), f"{url}/start/").status_code == 403
    assert post(client, f"{url}/start/").json()["status"] == InspectionStatus.IN_PROGRESS
    missing = post(client, f"{url}/conclude/", {"concluded_on": "2026-06-01"})
    assert missing.status_code == 400 and "conclusion" in missing.json()
    concluded = post(client, f"{url}/conclude/", {
        "conclusion": "Thực hiện tốt", "concluded_on": "2026-06-01",
        "recommendations": [{"content": "Bổ sung sổ sách", "owner_unit": "CB-A1",
                             "deadline": "2026-07-01"}],
    })  # fmt: skip
    assert concluded.status_code == 200, concluded.content
    assert concluded.json()["status"] == InspectionStatus.CONCLUDED
    follow_up = FollowUp.objects.get(inspection=inspection)
    assert follow_up.owner_unit == tree.cell_a1
    closed = post(client, f"{url}/close/", {"closed_on": "2026-06-10"})
    assert closed.json()["status"] == InspectionStatus.CLOSED and closed.json()["closed_on"]
    # Ward B's record: not found for any step.
    other = sides["b"].inspection_planned
    assert post(client, f"{API}/records/{other.pk}/start/").status_code == 404
    other.refresh_from_db()
    assert other.status == InspectionStatus.PLANNED


def test_follow_ups_filter_and_complete(client_for, users, sides):
    client = client_for(users["ward_secretary"])
    follow_up = sides["a"].follow_up
    assert client.get(f"{API}/follow-ups/?status=open").json()["count"] == 1
    assert client.get(f"{API}/follow-ups/?overdue=true").json()["count"] == 1  # due 04/05/2026
    assert client.get(f"{API}/follow-ups/?owner_unit=P-B").json()["count"] == 0
    url = f"{API}/follow-ups/{follow_up.pk}/complete/"
    future = post(client, url, {"completed_on": "2099-01-01", "evidence": "x"})
    assert future.status_code == 400
    assert future.json()["completed_on"] == ["Ngày hoàn thành không được sau hôm nay."]
    done = post(client, url, {"completed_on": "2026-05-02", "evidence": "Đã bổ sung"},
                HTTP_X_CHANGE_REASON=REASON)  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == FollowUpStatus.DONE
    entry = LogEntry.objects.get_for_object(follow_up).latest("pk")
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    assert post(client, url, {"completed_on": "2026-05-02", "evidence": "x"}).status_code == 400
    other = f"{API}/follow-ups/{sides['b'].follow_up.pk}/complete/"
    assert post(client, other, {"completed_on": "2026-05-02", "evidence": "x"}).status_code == 404
    assert post(login(users["staff"]), other, {}).status_code == 403


def test_discipline_create_checks_the_form_fits_the_subject(client_for, users, sides):
    client = client_for(users["inspection"])
    payload = {"subject_type": "member", "form": "dissolution", "symbol": "9-QĐ/UBKT",
               "decided_on": "2026-05-01", "deciding_body": "P-A", "person": "DV-A9"}  # fmt: skip
    refused = post(client, f"{API}/discipline/", payload)
    assert refused.status_code == 400
    assert refused.json()["form"] == ["Hình thức “Giải tán” không áp dụng cho đảng viên."]
    assert Discipline.objects.count() == 2
    created = post(client, f"{API}/discipline/", {**payload, "form": "warning"},
                   HTTP_X_CHANGE_REASON=REASON)  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["unit"] == "CB-A1" and created.json()["person"] == "DV-A9"
    assert post(login(users["staff"]), f"{API}/discipline/", payload).status_code == 403


def test_the_case_behind_a_discipline_is_shown_only_to_the_inspection_role(
    client_for, users, sides
):
    case = sides["a"].case_concluded
    discipline = services.discipline_create(
        actor=users["inspection"], subject_type="organisation", form="reprimand",
        symbol="77-QĐ/UBKT", decided_on=dt.date(2026, 5, 2), deciding_body=case.handling_body,
        unit=case.unit, case=case,
    )  # fmt: skip
    url = f"{API}/discipline/{discipline.pk}/"
    assert login(users["inspection"]).get(url).json()["case"] == case.pk
    assert login(users["admin"]).get(url).json()["case"] is None


# --- cases (confidential) -----------------------------------------------------------------------


CASE = {"kind": "denunciation", "received_on": "2026-05-04", "paper_reference": "HS-09/2026",
        "subject_type": "organisation", "unit": "CB-A1", "summary": "Nội dung tố cáo",
        "handling_body": "P-A"}  # fmt: skip


def test_cases_are_the_inspection_roles_only(client, client_for, users, sides):
    case = sides["a"].case_received
    detail = f"{API}/cases/{case.pk}/"
    everyone_else = dict.fromkeys(
        ["admin", "staff", "leadership", "mass_mobilisation", "ward_secretary", "ward_staff",
         "no_role"], 404,
    )  # fmt: skip
    check_matrix(client, users, detail, {**everyone_else, "inspection": 200}, anonymous=401)
    # Every route naming a case: "not found", even a step that takes no GET.
    check_matrix(client, users, f"{detail}accept/", {**everyone_else, "inspection": 405},
                 anonymous=401)  # fmt: skip
    check_matrix(client, users, f"{API}/cases/", INSP_VIEW, anonymous=401)
    superuser = make_user("root", is_superuser=True, is_staff=True)
    client = login(superuser)
    assert client.get(detail).status_code == 404
    assert client.get(f"{API}/cases/").json()["count"] == 0
    for role in ("admin", "staff", "leadership", "ward_secretary"):
        listed = login(users[role]).get(f"{API}/cases/").json()
        assert listed["count"] == 0, role
        assert post(login(users[role]), f"{detail}accept/").status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    # The inspection role's reads are logged, one entry per page or record.
    before = AccessEntry.objects.count()
    inspector = login(users["inspection"])
    assert inspector.get(f"{API}/cases/").json()["count"] == 6
    assert inspector.get(detail).json()["paper_reference"] == "HS-A-1"
    assert AccessEntry.objects.count() == before + 2


@pytest.mark.parametrize("field", ["denouncer_name", "address", "phone", "id_number", "nickname"])
def test_unknown_and_identity_fields_are_refused_and_nothing_is_saved(
    client_for, users, sides, field
):
    client = client_for(users["inspection"])
    before = Case.objects.count()
    response = post(client, f"{API}/cases/", {**CASE, field: "Nguyễn Văn A"})
    assert response.status_code == 400
    (message,) = response.json()[field]
    assert f"“{field}”" in message
    if field != "nickname":
        assert "không lưu danh tính" in message
    assert Case.objects.count() == before
    # With another error too: both are reported.
    both = post(client, f"{API}/cases/", {**CASE, "summary": "", field: "x"})
    assert both.status_code == 400 and {"summary", field} <= set(both.json())
    # A correction too.
    case = sides["a"].case_received
    fix = patch(client, f"{API}/cases/{case.pk}/", {"summary": "Sửa", field: "x"})
    assert fix.status_code == 400 and field in fix.json()
    case.refresh_from_db()
    assert case.summary == "Nội dung đơn HS-A-1"


def test_unknown_fields_are_refused_everywhere(client_for, users, sides):
    client = client_for(users["ward_secretary"])
    response = post(client, f"{API}/plans/", {"body": "P-A", "year": 2027, "id": 5})
    assert response.json() == {
        "id": ["Trường “id” không được hỗ trợ; hãy bỏ trường này khỏi dữ liệu gửi lên."]
    }
    step = post(client, f"{API}/records/{sides['a'].inspection_planned.pk}/start/", {"x": 1})
    assert step.status_code == 400 and list(step.json()) == ["x"]
    assert Plan.objects.filter(year=2027).count() == 0


def test_case_receive_and_workflow(client_for, users, sides):
    client = client_for(users["inspection"])
    created = post(client, f"{API}/cases/", CASE, HTTP_X_CHANGE_REASON=REASON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == CaseStatus.RECEIVED and body["due_on"] == "2026-08-02"
    case = Case.objects.get(pk=body["id"])
    entry = LogEntry.objects.get_for_object(case).get()
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    url = f"{API}/cases/{case.pk}"
    wrong = post(client, f"{url}/verify/")
    assert wrong.status_code == 400
    assert "Đã tiếp nhận" in json.dumps(wrong.json(), ensure_ascii=False)
    assert post(client, f"{url}/accept/").json()["status"] == CaseStatus.ACCEPTED
    extended = post(
        client, f"{url}/extend/", {"new_due_on": "2026-09-30", "reason": "Xác minh thêm"}
    )
    assert extended.status_code == 200, extended.content
    assert extended.json()["due_on"] == "2026-09-30"
    assert [e["previous_due_on"] for e in extended.json()["extensions"]] == ["2026-08-02"]
    shorter = post(client, f"{url}/extend/", {"new_due_on": "2026-09-01", "reason": "x"})
    assert shorter.status_code == 400 and "new_due_on" in shorter.json()
    assert post(client, f"{url}/verify/").json()["status"] == CaseStatus.VERIFYING
    bad = post(client, f"{url}/conclude/", {"conclusion": "Đúng", "outcome": "maybe",
                                            "concluded_on": "2026-06-01"})  # fmt: skip
    assert bad.status_code == 400 and "outcome" in bad.json()
    concluded = post(client, f"{url}/conclude/", {"conclusion": "Đúng một phần",
                                                  "outcome": "partly",
                                                  "concluded_on": "2026-06-01"})  # fmt: skip
    assert concluded.status_code == 200 and concluded.json()["outcome"] == "partly"
    assert post(client, f"{url}/close/").json()["status"] == CaseStatus.CLOSED


def test_case_reject_needs_a_reason(client_for, users, sides):
    client = client_for(users["inspection"])
    case = sides["a"].case_received
    missing = post(client, f"{API}/cases/{case.pk}/reject/", {"reason": ""})
    assert missing.status_code == 400 and "reason" in missing.json()
    done = post(client, f"{API}/cases/{case.pk}/reject/", {"reason": "Đơn nặc danh"})
    assert done.status_code == 200 and done.json()["not_accepted_reason"] == "Đơn nặc danh"
    # A ward inspector of another tree: out of scope.
    ward_inspector = login(make_user("ubkt_b", "inspection", sides["b"].plan.body))
    assert ward_inspector.get(f"{API}/cases/{case.pk}/").status_code == 404
    assert ward_inspector.get(f"{API}/cases/").json()["count"] == 3


# --- corrections (PATCH) ----------------------------------------------------------------------


def test_corrections_go_through_the_services_with_the_reason(client_for, users, sides):
    client = client_for(users["ward_secretary"])
    item = sides["a"].item_draft
    fixed = patch(client, f"{API}/plan-items/{item.pk}/", {"topic": "Đổi nội dung", "end_month": 11},
                  HTTP_X_CHANGE_REASON=REASON)  # fmt: skip
    assert fixed.status_code == 200, fixed.content
    assert (fixed.json()["topic"], fixed.json()["ends_on"]) == ("Đổi nội dung", "2026-11-30")
    entry = LogEntry.objects.get_for_object(item).latest("pk")
    assert entry.actor == users["ward_secretary"]
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    approved = sides["a"].item_approved
    refused = patch(client, f"{API}/plan-items/{approved.pk}/", {"topic": "x"})
    assert refused.status_code == 400 and "mở lại" in json.dumps(refused.json(), ensure_ascii=False)
    assert patch(login(users["ward_staff"]), f"{API}/plan-items/{item.pk}/", {"topic": "x"}
                 ).status_code == 403  # fmt: skip
    other = sides["b"].item_draft
    assert patch(client, f"{API}/plan-items/{other.pk}/", {"topic": "x"}).status_code == 404

    inspection = sides["a"].inspection_planned
    team = patch(client, f"{API}/records/{inspection.pk}/", {"team": "Đồng chí A, đồng chí B"})
    assert team.status_code == 200 and team.json()["team"] == "Đồng chí A, đồng chí B"
    early = patch(client, f"{API}/records/{inspection.pk}/", {"concluded_on": "2026-04-01"})
    assert early.status_code == 400
    assert early.json()["concluded_on"] == ["Cuộc kiểm tra, giám sát chưa kết luận."]
    assert patch(login(users["staff"]), f"{API}/records/{inspection.pk}/", {"team": "x"}
                 ).status_code == 403  # fmt: skip

    case = sides["a"].case_received
    inspector = login(users["inspection"])
    summary = patch(inspector, f"{API}/cases/{case.pk}/", {"summary": "Tóm tắt mới"},
                    HTTP_X_CHANGE_REASON=REASON)  # fmt: skip
    assert summary.status_code == 200 and summary.json()["summary"] == "Tóm tắt mới"
    entry = LogEntry.objects.get_for_object(case).latest("pk")
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    assert patch(login(users["admin"]), f"{API}/cases/{case.pk}/", {"summary": "x"}
                 ).status_code == 404  # fmt: skip
    case.refresh_from_db()
    assert case.summary == "Tóm tắt mới"
