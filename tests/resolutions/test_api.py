import datetime as dt

import pytest
from django.utils import timezone

from resolutions.choices import DocumentKind
from resolutions.models import Document, Task
from tests.permissions import check_matrix

from .factories import make_document, make_tasks

ALL = [
    "admin",
    "staff",
    "leadership",
    "inspection",
    "mass_mobilisation",
    "ward_secretary",
    "ward_staff",
]


@pytest.fixture
def records(tree, users):
    district = make_document(users["staff"], tree.root)
    task_a, task_b = make_tasks(users["staff"], district, [tree.ward_a, tree.ward_b])
    return {"district": district, "task_a": task_a, "task_b": task_b}


def test_list_endpoints_matrix(client, users, records):
    for url in [
        "/api/v1/resolutions/documents/",
        "/api/v1/resolutions/tasks/",
        "/api/v1/resolutions/conferences/",
        "/api/v1/resolutions/briefings/",
        "/api/v1/procedures/",
    ]:
        check_matrix(client, users, url, dict.fromkeys(ALL, 200), anonymous=401)


def test_task_detail_matrix(client, users, records):
    check_matrix(
        client, users, f"/api/v1/resolutions/tasks/{records['task_b'].pk}/",
        {**dict.fromkeys(ALL, 200), "ward_secretary": 404, "ward_staff": 404}, anonymous=401,
    )  # fmt: skip


def test_progress_action(client_for, users, records):
    client = client_for(users["ward_staff"])
    url = f"/api/v1/resolutions/tasks/{records['task_a'].pk}/progress/"
    response = client.post(
        url, {"progress": 100, "note": "Hoàn thành"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    response = client.post(url, {"progress": 101, "note": "x"}, content_type="application/json")
    assert response.status_code == 400 and "progress" in response.json()
    other = client.post(
        f"/api/v1/resolutions/tasks/{records['task_b'].pk}/progress/",
        {"progress": 10, "note": "x"},
        content_type="application/json",
    )
    assert other.status_code == 404
    leadership = client_for(users["leadership"]).post(
        url, {"progress": 10, "note": "x"}, content_type="application/json"
    )
    assert leadership.status_code == 403


def test_assign_through_the_api_checks_scope(client_for, users, records, tree):
    client = client_for(users["ward_secretary"])
    payload = {
        "document": records["district"].pk,
        "units": ["CB-A1", "CB-B1"],
        "title": "Việc",
        "deadline": "2026-03-01",
    }
    response = client.post("/api/v1/resolutions/tasks/", payload, content_type="application/json")
    # A unit out of scope is "not found", exactly as an unknown code: nothing leaks.
    assert response.status_code == 400
    unknown = client.post(
        "/api/v1/resolutions/tasks/",
        {**payload, "units": ["CB-A1", "KHONG-CO"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert response.json()["units"] == [
        m.replace("KHONG-CO", "CB-B1") for m in unknown.json()["units"]
    ]
    assert Task.objects.count() == 2
    payload["units"] = ["CB-A1"]
    response = client.post("/api/v1/resolutions/tasks/", payload, content_type="application/json")
    assert response.status_code == 201 and response.json()[0]["unit"] == "CB-A1"


def test_document_create_via_api_and_bad_input(client_for, users, tree):
    client = client_for(users["staff"])
    good = {
        "symbol": "02-KL/QU",
        "kind": DocumentKind.CONCLUSION,
        "issuing_unit": "QU",
        "title": "Kết luận",
        "signed_date": "2026-02-01",
    }
    response = client.post("/api/v1/resolutions/documents/", good, content_type="application/json")
    assert response.status_code == 201 and response.json()["kind_code"] == "KL"
    dup = client.post("/api/v1/resolutions/documents/", good, content_type="application/json")
    assert dup.status_code == 400 and "đã có trong năm 2026" in dup.json()["symbol"][0]
    bad = client.post(
        "/api/v1/resolutions/documents/",
        {**good, "symbol": "KL-02"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "không đúng dạng" in bad.json()["symbol"][0]
    assert Document.objects.count() == 1


def test_conference_via_api_rejects_over_attendance(client_for, users, records):
    client = client_for(users["staff"])
    payload = {
        "document": records["district"].pk,
        "unit": "P-A",
        "held_on": "2026-02-01",
        "expected_attendees": 10,
        "present_attendees": 12,
    }
    response = client.post(
        "/api/v1/resolutions/conferences/", payload, content_type="application/json"
    )
    assert response.status_code == 400 and "present_attendees" in response.json()


def test_filters(client_for, users, records):
    client = client_for(users["staff"])
    assert client.get("/api/v1/resolutions/tasks/?unit=P-A").json()["count"] == 1
    with_overdue = client.get("/api/v1/resolutions/tasks/?overdue=true").json()["count"]
    assert with_overdue == (2 if timezone.localdate() > dt.date(2026, 3, 1) else 0)
    assert client.get("/api/v1/resolutions/documents/?q=nghi quyet").json()["count"] == 1


def test_endpoint_query_counts_are_bounded(
    client_for, users, records, tree, django_assert_max_num_queries
):
    for number in range(2, 32):
        make_document(users["staff"], tree.root, symbol=f"{number:02d}-NQ/QU")
    make_tasks(
        users["staff"],
        records["district"],
        [tree.ward_a, tree.ward_b, tree.cell_a1, tree.cell_b1] * 5,
    )
    client = client_for(users["staff"])
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/resolutions/documents/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/resolutions/tasks/").status_code == 200
