import datetime as dt
import json

import pytest
from django.utils import timezone

from cadres import services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation
from tests.permissions import check_matrix

from .conftest import make_person, self_assessed_month

VIEWERS = ["admin", "staff", "leadership", "ward_secretary", "ward_staff"]
CHANGERS = ["admin", "staff", "ward_secretary"]
ROLES = [*VIEWERS, "inspection", "mass_mobilisation", "no_role"]
BASE = "/api/v1/cadres/"


def test_list_endpoints_matrix(client, users, people):
    for name in ("evaluations", "decisions", "tests", "plans", "assignments", "trainings"):
        check_matrix(client, users, f"{BASE}{name}/", dict.fromkeys(VIEWERS, 200), anonymous=401)


def test_detail_outside_the_ward_is_not_found(client, users, people):
    other = services.evaluation_create(actor=users["staff"], person=people["b"], year=2026, month=3)
    check_matrix(
        client, users, f"{BASE}evaluations/{other.pk}/",
        {"admin": 200, "staff": 200, "leadership": 200, "ward_secretary": 404, "ward_staff": 404},
        anonymous=401,
    )  # fmt: skip


def _assessed(users, person):
    evaluation = services.evaluation_create(actor=users["staff"], person=person, year=2026, month=7)
    services.evaluation_self_assess(
        actor=users["staff"], evaluation=evaluation, self_assessment="x", self_rating=Rating.GOOD
    )
    return services.evaluation_assess(
        actor=users["staff"], evaluation=evaluation, superior_assessment="",
        proposed_rating=Rating.GOOD,
    )  # fmt: skip


def test_approve_action_matrix(client_for, users, tree):
    for role in ROLES:
        evaluation = _assessed(
            users, make_person(f"AP-{role.upper().replace('_', '-')}", tree.cell_a1)
        )
        response = client_for(users[role]).post(
            f"{BASE}evaluations/{evaluation.pk}/approve/", {}, content_type="application/json"
        )
        want = 200 if role in CHANGERS else 403
        assert response.status_code == want, (role, response.content)
        evaluation.refresh_from_db()
        assert (evaluation.status == EvaluationStatus.APPROVED) == (role in CHANGERS)


def test_the_whole_workflow_through_the_api(client_for, users, cadre, people):
    client = client_for(cadre)
    created = client.post(
        f"{BASE}evaluations/", {"person": "CBA", "year": 2026, "month": 8},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    step = client.post(
        f"{BASE}evaluations/{pk}/self-assess/",
        {"self_assessment": "Đã xong", "self_rating": "excellent"},
        content_type="application/json",
    )
    assert step.json()["status"] == "self_assessed"
    secretary = client_for(users["ward_secretary"])
    returned = secretary.post(
        f"{BASE}evaluations/{pk}/return/", {"reason": "Bổ sung"}, content_type="application/json"
    )
    assert returned.json()["status"] == "draft"
    client = client_for(cadre)
    client.post(
        f"{BASE}evaluations/{pk}/self-assess/",
        {"self_assessment": "Đã bổ sung", "self_rating": "good"},
        content_type="application/json",
    )
    secretary = client_for(users["ward_secretary"])
    secretary.post(
        f"{BASE}evaluations/{pk}/assess/",
        {"proposed_rating": "good"},
        content_type="application/json",
    )
    done = secretary.post(f"{BASE}evaluations/{pk}/approve/", {}, content_type="application/json")
    assert done.json()["status"] == "approved" and done.json()["rating"] == "good"


def test_bad_input_through_the_api_is_rejected_in_vietnamese(client_for, users, cadre, evaluation):
    client = client_for(cadre)
    bad = client.post(
        f"{BASE}evaluations/{evaluation.pk}/self-assess/",
        {"self_assessment": "x", "self_rating": "super"}, content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert "chỉ chọn một trong bốn mức" in bad.json()["self_rating"][0]
    duplicate = client_for(users["staff"]).post(
        f"{BASE}evaluations/", {"person": "CBA", "year": 2026, "month": 3},
        content_type="application/json",
    )  # fmt: skip
    assert duplicate.status_code == 400
    assert "đã có phiếu đánh giá" in str(duplicate.json())
    outside = client_for(users["ward_secretary"]).post(
        f"{BASE}evaluations/", {"person": "CBB", "year": 2026, "month": 3},
        content_type="application/json",
    )  # fmt: skip
    # Outside the scope reads exactly as an unknown code: nothing about the person leaks.
    assert outside.status_code == 400
    assert outside.json() == {"person": ["Không có cán bộ mã “CBB”."]}
    assert Evaluation.objects.count() == 1


def test_a_cadre_lists_only_their_own(client_for, cadre, users, people):
    services.evaluation_create(actor=cadre, person=people["a"], year=2026, month=1)
    services.evaluation_create(actor=users["staff"], person=people["a2"], year=2026, month=1)
    data = client_for(cadre).get(f"{BASE}evaluations/").json()
    assert [row["person"] for row in data["results"]] == ["CBA"]


def test_decision_create_and_bad_symbol(client_for, users, people):
    client = client_for(users["staff"])
    ok = client.post(
        f"{BASE}decisions/",
        {
            "person": "CBA",
            "kind": "appointment",
            "symbol": "125-QĐ/QU",
            "decision_date": "2026-03-01",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    bad = client.post(
        f"{BASE}decisions/",
        {
            "person": "CBA",
            "kind": "appointment",
            "symbol": "quyet dinh 5",
            "decision_date": "2026-03-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "Số hiệu không hợp lệ" in str(bad.json())


@pytest.mark.parametrize("name", ["evaluations", "decisions", "plans", "assignments"])
def test_list_endpoints_query_count(client_for, users, tree, name, django_assert_max_num_queries):
    crowd = [
        make_person(f"Q{n:03d}", tree.cell_a1, party_member_since=dt.date(2000, 1, 1))
        for n in range(60)
    ]
    self_assessed_month(users["staff"], crowd, year=2026, month=2)
    services.evaluation_bulk_approve(
        actor=users["staff"], unit=tree.ward_a, year=2026, month=2,
        ratings={p.pk: Rating.GOOD for p in crowd},
    )  # fmt: skip
    for index, person in enumerate(crowd):
        services.decision_create(
            actor=users["staff"], person=person, kind="appointment", symbol=f"{index + 1}-QĐ/QU",
            decision_date="2026-01-05",
        )  # fmt: skip
        services.plan_create(actor=users["staff"], person=person, year=2026, commitments="Cam kết")
        services.assignment_create(
            actor=users["staff"], person=person, year=2026, task="Tổ dân phố"
        )
    client = client_for(users["staff"])
    with django_assert_max_num_queries(10):
        response = client.get(f"{BASE}{name}/")
    assert response.status_code == 200
    assert response.json()["count"] == 60


def test_codes_outside_the_scope_read_as_unknown_in_every_write_endpoint(
    client_for, users, people, tree
):
    """Person codes are sequential: a ward must not learn who (or whether) CBB is."""
    client = client_for(users["ward_secretary"])
    test = services.test_create(
        actor=users["ward_secretary"], unit=tree.ward_a, subject="x",
        held_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    training = services.training_create(
        actor=users["ward_secretary"], unit=tree.ward_a, name="Lớp",
        start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 2),
    )  # fmt: skip
    member_b = make_person(
        "DVB", tree.cell_b1, "Đảng viên Bí Mật", party_member_since=dt.date(2000, 1, 1)
    )
    for url, payload, field in [
        ("evaluations/", {"person": "{code}", "year": 2026, "month": 1}, "person"),
        ("decisions/", {"person": "{code}", "kind": "appointment", "symbol": "9-QĐ/QU",
                        "decision_date": "2026-01-02"}, "person"),
        ("plans/", {"person": "{code}", "year": 2026, "commitments": "x"}, "person"),
        ("assignments/", {"person": "{code}", "year": 2026, "task": "x"}, "person"),
        (f"tests/{test.pk}/participants/", {"people": ["{code}"]}, "people"),
        (f"trainings/{training.pk}/participants/", {"people": ["{code}"]}, "people"),
        (f"tests/{test.pk}/scores/", {"scores": {"{code}": "80"}}, "{code}"),
        (f"trainings/{training.pk}/completion/", {"completed": {"{code}": True}}, "{code}"),
    ]:  # fmt: skip
        answers = []
        for code in ("CBB", "DVB", "KHONGCO"):
            body = json.loads(json.dumps(payload).replace("{code}", code))
            response = client.post(f"{BASE}{url}", body, content_type="application/json")
            answers.append((response.status_code, response.json()))
            text = response.content.decode()
            assert "Đỗ Thị Bé" not in text and "Bí Mật" not in text, (url, text)
        unknown = {field.replace("{code}", "KHONGCO"): ["Không có cán bộ mã “KHONGCO”."]}
        if field == "people":
            unknown = {"people": ["Không có cán bộ mã “KHONGCO”."]}
        assert answers[2] == (400, unknown), (url, answers)
        for (status, body), code in zip(answers[:2], ("CBB", "DVB"), strict=True):
            assert status == 400, (url, code, body)
            assert body == json.loads(json.dumps(unknown).replace("KHONGCO", code)), (url, body)
    assert not member_b.assignments.exists()
    assert not test.participants.exists() and not training.participants.exists()


def test_units_outside_the_scope_read_as_unknown_in_the_api(client_for, users, people):
    client = client_for(users["ward_secretary"])
    for url, payload, field in [
        ("tests/", {"unit": "{code}", "subject": "x", "held_on": "2025-04-01"}, "unit"),
        ("trainings/", {"unit": "{code}", "name": "x", "start_date": "2025-05-01",
                        "end_date": "2025-05-05"}, "unit"),
        ("decisions/", {"person": "CBA", "kind": "transfer", "symbol": "8-QĐ/QU",
                        "decision_date": "2026-01-02", "to_unit": "{code}"}, "to_unit"),
    ]:  # fmt: skip
        for code in ("P-B", "KHONGCO"):
            body = json.loads(json.dumps(payload).replace("{code}", code))
            response = client.post(f"{BASE}{url}", body, content_type="application/json")
            assert response.status_code == 400, (url, code)
            assert response.json() == {
                field: [f"Không có đơn vị mã “{code}” trong phạm vi của bạn."]
            }
