"""The dialogues API around the cases: critique conferences and supervisions with their
recommendations, feedback (Decision 218), citizen reception sessions with the cases opened
there, skilful mass mobilisation models. Scoped per role (ward B's records are "not found" for
ward A's roles), writes through the services with their reason in the audit trail, clear
Vietnamese 400s, filters."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry

from dialogues.models import Critique, Feedback, MobilisationModel, OpinionCase, Reception
from tests.permissions import check_matrix

from .route_data import build
from .test_api import API, REASON, VIEW, login, patch, post, text


@pytest.fixture
def sides(tree, users):
    """Ward A's records (in the ward roles' scope) and ward B's (out of it)."""
    staff = users["staff"]
    return {
        "a": build("a", tree.ward_a, tree.cell_a1, staff),
        "b": build("b", tree.ward_b, tree.cell_b1, staff),
    }


RESOURCES = [
    ("critiques", "critique"),
    ("recommendations", "recommendation_open"),
    ("feedback", "feedback_open"),
    ("receptions", "reception"),
    ("models", "model"),
]


def test_lists_per_role(client, users, sides):
    for name, _attr in RESOURCES:
        check_matrix(client, users, f"{API}/{name}/", VIEW, anonymous=401)


@pytest.mark.parametrize(("name", "attr"), RESOURCES)
def test_details_in_and_out_of_scope(client, users, sides, name, attr):
    inside = getattr(sides["a"], attr).pk
    outside = getattr(sides["b"], attr).pk
    check_matrix(client, users, f"{API}/{name}/{inside}/", VIEW, anonymous=401)
    ward_out = {"ward_secretary": 404, "ward_staff": 404}
    check_matrix(client, users, f"{API}/{name}/{outside}/", {**VIEW, **ward_out}, anonymous=401)


def test_a_ward_reads_only_its_own_records(users, sides):
    client = login(users["ward_staff"])
    for name, _attr in RESOURCES:
        body = client.get(f"{API}/{name}/").json()
        units = {row.get("unit") for row in body["results"]}
        if name == "recommendations":
            units = {Critique.objects.get(pk=row["critique"]).unit.code for row in body["results"]}
        assert body["count"] >= 1 and units == {"P-A"}, name
    # Ward B's records cannot be written either: 404, nothing changed.
    b = sides["b"]
    response = post(client, f"{API}/recommendations/{b.recommendation_open.pk}/respond/",
                    {"response": "Đã tiếp thu", "responded_on": "2026-04-20"})  # fmt: skip
    assert response.status_code == 404
    response = post(client, f"{API}/feedback/{b.feedback_open.pk}/respond/",
                    {"response": "Đã trả lời", "responded_on": "2026-04-20"})  # fmt: skip
    assert response.status_code == 404
    assert patch(client, f"{API}/models/{b.model.pk}/", {"name": "X"}).status_code == 404
    b.recommendation_open.refresh_from_db()
    b.feedback_open.refresh_from_db()
    assert b.recommendation_open.responded_on is None and b.feedback_open.responded_on is None


# --- critiques and recommendations ------------------------------------------------------------


def test_a_critique_is_recorded_with_its_recommendations_and_the_reason(users, sides):
    client = login(users["ward_secretary"])
    payload = {
        "kind": "critique", "unit": "P-A", "organiser": "youth", "held_on": "2026-05-04",
        "subject": "Dự thảo đề án sân chơi thanh thiếu niên", "findings": "Cần thêm sân bóng",
        "recommendations": [
            {"content": "Bố trí sân bóng mini", "addressee": "UBND phường A"},
            {"content": "Mở cửa buổi tối", "addressee": "UBND phường A"},
        ],
    }  # fmt: skip
    response = post(client, f"{API}/critiques/", payload, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit"], body["organiser"], body["kind"]) == ("P-A", "youth", "critique")
    assert (body["recommendation_count"], body["responded_count"]) == (2, 0)
    assert [r["content"] for r in body["recommendations"]] == [
        "Bố trí sân bóng mini", "Mở cửa buổi tối",
    ]  # fmt: skip
    critique = Critique.objects.get(pk=body["id"])
    assert critique.subject_folded == "du thao de an san choi thanh thieu nien"
    entry = LogEntry.objects.get_for_object(critique).get()
    assert entry.actor == users["ward_secretary"]
    assert entry.additional_data == {"reason": "Theo Quyết định số 12"}
    # Clear Vietnamese errors, nothing saved.
    count = Critique.objects.count()
    future = post(client, f"{API}/critiques/", {**payload, "held_on": "2099-01-01"})
    assert future.status_code == 400
    assert future.json()["held_on"] == ["Ngày tổ chức không được sau hôm nay."]
    empty = post(client, f"{API}/critiques/", {**payload, "recommendations": [
        {"content": "Có nội dung", "addressee": " "}]})  # fmt: skip
    assert empty.status_code == 400, empty.content
    outside = post(client, f"{API}/critiques/", {**payload, "unit": "P-B"})
    assert outside.status_code == 400 and "P-B" in outside.json()["unit"][0]
    unknown = post(client, f"{API}/critiques/", {**payload, "budget": 5})
    assert unknown.status_code == 400 and "budget" in unknown.json()
    assert "không được hỗ trợ" in unknown.json()["budget"][0]
    assert Critique.objects.count() == count
    assert post(login(users["leadership"]), f"{API}/critiques/", payload).status_code == 403


def test_a_critique_is_corrected_and_given_a_recommendation(users, sides):
    client = login(users["ward_staff"])
    critique = sides["a"].critique
    url = f"{API}/critiques/{critique.pk}/"
    response = patch(client, url, {"subject": "Dự thảo quy hoạch sửa"})
    assert response.status_code == 200 and response.json()["subject"] == "Dự thảo quy hoạch sửa"
    # A response was given on 20/04: the conference cannot move after it.
    late = patch(client, url, {"held_on": "2026-04-25"})
    assert late.status_code == 400 and "Đã có kiến nghị được phản hồi" in text(late)
    assert patch(client, url, {"unit": "P-B"}).status_code == 400  # no such field to change
    added = post(client, f"{url}recommend/", {"content": "Lắp camera", "addressee": "Công an"})
    assert added.status_code == 201, added.content
    assert added.json()["recommendation_count"] == 3
    assert added.json()["recommendations"][-1]["addressee"] == "Công an"
    missing = post(client, f"{url}recommend/", {"content": "Không gửi ai", "addressee": ""})
    assert missing.status_code == 400 and "addressee" in missing.json()


def test_a_recommendation_is_responded_to(users, sides):
    client = login(users["ward_secretary"])
    item = sides["a"].recommendation_open
    url = f"{API}/recommendations/{item.pk}/respond/"
    early = post(client, url, {"response": "Đã tiếp thu", "responded_on": "2026-04-01"})
    assert early.status_code == 400
    assert early.json()["responded_on"] == [
        "Ngày phản hồi không được trước ngày tổ chức (08/04/2026)."
    ]
    blank = post(client, url, {"response": "   ", "responded_on": "2026-04-20"})
    assert blank.status_code == 400
    response = post(client, url, {"response": "Đã bố trí bãi đỗ xe", "responded_on": "2026-04-22"},
                    HTTP_X_CHANGE_REASON=REASON)  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["responded_on"] == "2026-04-22"
    item.refresh_from_db()
    assert (item.response, item.responded_on) == ("Đã bố trí bãi đỗ xe", dt.date(2026, 4, 22))
    assert LogEntry.objects.get_for_object(item).latest("pk").actor == users["ward_secretary"]
    detail = client.get(f"{API}/critiques/{item.critique_id}/").json()
    assert (detail["recommendation_count"], detail["responded_count"]) == (2, 2)
    assert client.get(f"{API}/recommendations/?responded=false").json()["count"] == 0
    assert client.get(f"{API}/recommendations/?responded=true").json()["count"] == 2


def test_critique_filters(users, sides):
    client = login(users["staff"])

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"{API}/critiques/?{query}").json()["results"]}

    a, b = sides["a"], sides["b"]
    everything = {a.critique.pk, a.supervision.pk, b.critique.pk, b.supervision.pk}
    assert ids("") == everything
    assert ids("kind=supervision") == {a.supervision.pk, b.supervision.pk}
    assert ids("organiser=women") == {a.supervision.pk, b.supervision.pk}
    assert ids("unit=P-B") == {b.critique.pk, b.supervision.pk}
    assert ids("unit=QU") == everything  # the subtree
    assert ids("year=2026") == everything and ids("year=2025") == set()
    assert ids("q=ho ngheo phuong a") == {a.supervision.pk}
    assert client.get(f"{API}/critiques/?year=20.5").status_code == 400
    assert client.get(f"{API}/critiques/?kind=other").status_code == 400


# --- feedback ---------------------------------------------------------------------------------


def test_feedback_is_recorded_corrected_and_answered(users, sides):
    client = login(users["ward_staff"])
    payload = {
        "unit": "P-A", "sender": "labour", "received_on": "2026-05-02",
        "content": "Góp ý việc tiếp dân ngoài giờ", "addressee": "UBND phường A",
    }  # fmt: skip
    response = post(client, f"{API}/feedback/", payload, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["answered"], body["responded_on"], body["sender"]) == (False, None, "labour")
    feedback = Feedback.objects.get(pk=body["id"])
    assert feedback.content_folded == "gop y viec tiep dan ngoai gio"
    assert LogEntry.objects.get_for_object(feedback).get().additional_data == {
        "reason": "Theo Quyết định số 12"
    }
    # Answered at once: the date is required, and not before the feedback.
    no_date = post(client, f"{API}/feedback/", {**payload, "response": "Đã trả lời"})
    assert no_date.status_code == 400 and no_date.json()["responded_on"] == [
        "Hãy ghi ngày trả lời."
    ]
    early = post(client, f"{API}/feedback/", {**payload, "response": "Đã trả lời",
                                               "responded_on": "2026-05-01"})  # fmt: skip
    assert early.status_code == 400
    assert "không được trước ngày góp ý (02/05/2026)" in text(early)
    wrong = post(client, f"{API}/feedback/", {**payload, "sender": "pigeons"})
    assert wrong.status_code == 400 and "sender" in wrong.json()
    url = f"{API}/feedback/{feedback.pk}/"
    changed = patch(client, url, {"addressee": "Đảng ủy phường A"})
    assert changed.status_code == 200 and changed.json()["addressee"] == "Đảng ủy phường A"
    refused = patch(client, url, {"response": "Trả lời qua sửa"})
    assert refused.status_code == 400 and "response" in refused.json()
    answered = post(client, f"{url}respond/", {"response": "Đã bố trí trực thứ Bảy",
                                               "responded_on": "2026-05-09"})  # fmt: skip
    assert answered.status_code == 200, answered.content
    assert answered.json()["answered"] is True
    feedback.refresh_from_db()
    assert feedback.responded_on == dt.date(2026, 5, 9)
    later = post(client, f"{url}respond/", {"response": "x", "responded_on": "2099-05-09"})
    assert later.status_code == 400 and "không được sau hôm nay" in text(later)
    assert Feedback.objects.filter(unit__code="P-A").count() == 3


def test_feedback_filters(users, sides):
    client = login(users["staff"])

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"{API}/feedback/?{query}").json()["results"]}

    a, b = sides["a"], sides["b"]
    assert ids("answered=true") == {a.feedback_answered.pk, b.feedback_answered.pk}
    assert ids("answered=false") == {a.feedback_open.pk, b.feedback_open.pk}
    assert ids("sender=veterans&unit=P-A") == {a.feedback_open.pk}
    assert ids("year=2026&unit=P-B") == {b.feedback_open.pk, b.feedback_answered.pk}
    assert ids("year=2025") == set()
    assert ids("q=tac phong can bo") == {a.feedback_open.pk, b.feedback_open.pk}
    assert client.get(f"{API}/feedback/?year=twenty").status_code == 400


# --- receptions and the cases opened there ----------------------------------------------------


def test_a_reception_lists_the_cases_opened_there_as_the_caller_sees_them(users, sides, tree):
    staff = login(users["staff"])
    reception = sides["a"].reception
    url = f"{API}/receptions/{reception.pk}/"
    body = staff.get(url).json()
    assert body["case_count"] == 1 and body["leader"] == "Bí thư phường A"
    (case,) = body["cases"]
    assert case["id"] == sides["a"].reception_case.pk
    assert case["url"].endswith(f"{API}/cases/{case['id']}/")
    assert "citizen_name" not in case  # no personal data here
    # A case received from the session through the API: its source is the reception.
    payload = {
        "received_on": "2026-03-16", "content": "Xin sửa ngõ 8 sau buổi tiếp", "unit": "P-A",
        "category": "urban", "reception": reception.pk,
    }  # fmt: skip
    created = post(staff, f"{API}/cases/", payload)
    assert created.status_code == 201, created.content
    assert (created.json()["source"], created.json()["reception"]) == ("reception", reception.pk)
    early = post(staff, f"{API}/cases/", {**payload, "received_on": "2026-03-14"})
    assert early.status_code == 400
    assert "không được trước buổi tiếp công dân (15/03/2026)" in text(early)
    no_source = post(staff, f"{API}/cases/", {k: v for k, v in payload.items()
                                               if k != "reception"})  # fmt: skip
    assert no_source.status_code == 400 and "source" in no_source.json()
    # A case of the district raised at ward A's session: ward A sees the session, not that case.
    services_case = post(staff, f"{API}/cases/", {**payload, "unit": "QU"})
    assert services_case.status_code == 201, services_case.content
    body = staff.get(url).json()
    assert body["case_count"] == 3 and len(body["cases"]) == 3
    ward = login(users["ward_staff"]).get(url).json()
    assert ward["case_count"] == 3
    assert {c["id"] for c in ward["cases"]} == {
        sides["a"].reception_case.pk, created.json()["id"]
    }  # fmt: skip
    # Ward B's session cannot be named by ward A's roles.
    foreign = post(login(users["ward_staff"]), f"{API}/cases/",
                   {**payload, "reception": sides["b"].reception.pk})  # fmt: skip
    assert foreign.status_code == 400
    assert "Không tìm thấy buổi tiếp công dân" in foreign.json()["reception"][0]
    assert OpinionCase.objects.filter(reception=sides["b"].reception).count() == 1


def test_a_reception_is_recorded_and_corrected(users, sides):
    client = login(users["ward_secretary"])
    payload = {"unit": "P-A", "held_on": "2026-06-01", "leader": "Chủ tịch UBND phường",
               "place": "Trụ sở phường A", "citizens": 12}  # fmt: skip
    response = post(client, f"{API}/receptions/", payload, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 201, response.content
    assert (response.json()["case_count"], response.json()["cases"]) == (0, [])
    crowd = post(client, f"{API}/receptions/", {**payload, "citizens": 5000})
    assert crowd.status_code == 400 and "Số lượt công dân không quá 1.000." in text(crowd)
    url = f"{API}/receptions/{sides['a'].reception.pk}/"
    # A case was received there on 15/03: the session cannot move after it.
    moved = patch(client, url, {"held_on": "2026-03-20"})
    assert moved.status_code == 400 and "Đã có vụ việc tiếp nhận" in text(moved)
    fixed = patch(client, url, {"citizens": 8, "notes": "Bổ sung số lượt"})
    assert fixed.status_code == 200 and fixed.json()["citizens"] == 8
    assert Reception.objects.get(pk=sides["a"].reception.pk).notes == "Bổ sung số lượt"


def test_reception_filters(users, sides):
    client = login(users["staff"])
    rows = client.get(f"{API}/receptions/?unit=P-B").json()["results"]
    assert [r["id"] for r in rows] == [sides["b"].reception.pk]
    assert client.get(f"{API}/receptions/?year=2025").json()["count"] == 0


# --- models -----------------------------------------------------------------------------------


def test_a_model_is_registered_once_a_year_and_filtered(users, sides):
    client = login(users["ward_secretary"])
    payload = {"unit": "P-A", "year": 2026, "name": "Tổ dân phố không rác thải nhựa",
               "field": "urban", "recognition": "ward"}  # fmt: skip
    response = post(client, f"{API}/models/", payload, HTTP_X_CHANGE_REASON=REASON)
    assert response.status_code == 201, response.content
    made = MobilisationModel.objects.get(pk=response.json()["id"])
    assert made.name_folded == "to dan pho khong rac thai nhua"
    again = post(client, f"{API}/models/", {**payload, "name": "TỔ DÂN PHỐ không rác thải nhựa"})
    assert again.status_code == 400 and "Đơn vị đã có mô hình này trong năm." in text(again)
    early = post(client, f"{API}/models/", {**payload, "year": 1999})
    assert early.status_code == 400 and "Năm phải từ 2000" in text(early)
    changed = patch(client, f"{API}/models/{made.pk}/", {"recognition": "district"})
    assert changed.status_code == 200 and changed.json()["recognition"] == "district"
    staff = login(users["staff"])

    def names(query: str) -> list[str]:
        return [r["name"] for r in staff.get(f"{API}/models/?{query}").json()["results"]]

    assert names("year=2026") == ["Tổ dân phố không rác thải nhựa"]
    assert names("field=urban&year=2025") == [
        "Tuyến phố văn minh phường A", "Tuyến phố văn minh phường B",
    ]  # fmt: skip
    assert names("recognition=district&unit=P-B") == ["Tuyến phố văn minh phường B"]
    assert names("q=rac thai nhua") == ["Tổ dân phố không rác thải nhựa"]
    assert staff.get(f"{API}/models/?field=sports").status_code == 400


def test_the_new_endpoints_are_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    expected = {
        f"{API}/critiques/", f"{API}/critiques/{{id}}/", f"{API}/critiques/{{id}}/recommend/",
        f"{API}/recommendations/", f"{API}/recommendations/{{id}}/",
        f"{API}/recommendations/{{id}}/respond/", f"{API}/feedback/", f"{API}/feedback/{{id}}/",
        f"{API}/feedback/{{id}}/respond/", f"{API}/receptions/", f"{API}/receptions/{{id}}/",
        f"{API}/models/", f"{API}/models/{{id}}/",
    }  # fmt: skip
    assert expected <= set(paths)
    feedback = {p["name"] for p in paths[f"{API}/feedback/"]["get"]["parameters"]}
    assert {"sender", "unit", "year", "answered", "q"} <= feedback
    critiques = {p["name"] for p in paths[f"{API}/critiques/"]["get"]["parameters"]}
    assert {"kind", "organiser", "unit", "year", "q"} <= critiques
    models = {p["name"] for p in paths[f"{API}/models/"]["get"]["parameters"]}
    assert {"year", "field", "recognition", "unit"} <= models
    reception = json.dumps(paths[f"{API}/cases/"]["post"]["requestBody"])
    assert "OpinionCaseReceive" in reception
