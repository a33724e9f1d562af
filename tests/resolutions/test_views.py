import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resolutions import services
from resolutions.choices import DocumentKind
from resolutions.models import Conference, Document, Task
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
WRITERS = ["admin", "staff", "ward_secretary", "ward_staff"]


@pytest.fixture
def records(tree, users):
    district = make_document(users["staff"], tree.root)
    ward_b_doc = make_document(
        users["staff"], tree.ward_b, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
    )
    task_a, task_b = make_tasks(users["staff"], district, [tree.ward_a, tree.ward_b])
    briefing = services.briefing_record(
        actor=users["staff"],
        unit=tree.root,
        kind="thematic",
        held_on=dt.date(2026, 2, 1),
        attendees="x",
        issues=[{"text": "Vấn đề"}],
    )
    return {
        "district": district,
        "ward_b_doc": ward_b_doc,
        "task_a": task_a,
        "task_b": task_b,
        "briefing": briefing,
    }


def test_register_and_lists_matrix(client, users, records):
    for url in [
        "/nghi-quyet/",
        "/nghi-quyet/nhiem-vu/",
        "/nghi-quyet/qua-han/",
        "/nghi-quyet/hoi-nghi/",
        "/nghi-quyet/giao-ban/",
    ]:
        check_matrix(client, users, url, dict.fromkeys(ALL, 200))


def test_document_pages_matrix(client, users, records):
    check_matrix(
        client, users, f"/nghi-quyet/van-ban/{records['district'].pk}/", dict.fromkeys(ALL, 200)
    )
    check_matrix(
        client, users, f"/nghi-quyet/van-ban/{records['ward_b_doc'].pk}/",
        {**dict.fromkeys(ALL, 200), "ward_secretary": 404, "ward_staff": 404},
    )  # fmt: skip
    check_matrix(
        client,
        users,
        f"/nghi-quyet/van-ban/{records['district'].pk}/sua/",
        {"admin": 200, "staff": 200, "ward_secretary": 403, "ward_staff": 403},
    )
    check_matrix(client, users, "/nghi-quyet/van-ban/them/", dict.fromkeys(WRITERS, 200))
    check_matrix(
        client,
        users,
        f"/nghi-quyet/van-ban/{records['district'].pk}/giao-viec/",
        dict.fromkeys(WRITERS, 200),
    )


def test_task_pages_matrix(client, users, records):
    check_matrix(
        client, users, f"/nghi-quyet/nhiem-vu/{records['task_a'].pk}/", dict.fromkeys(ALL, 200)
    )
    check_matrix(
        client, users, f"/nghi-quyet/nhiem-vu/{records['task_b'].pk}/",
        {**dict.fromkeys(ALL, 200), "ward_secretary": 404, "ward_staff": 404},
    )  # fmt: skip


def test_progress_post_matrix(client, users, records):
    def data(role):
        return {
            "progress": 10 + ALL.index(role) if role in ALL else 5,
            "note": f"Báo cáo của {role}",
        }

    check_matrix(
        client, users, f"/nghi-quyet/nhiem-vu/{records['task_a'].pk}/", dict.fromkeys(WRITERS, 302) | {"leadership": 403, "inspection": 403, "mass_mobilisation": 403},
        method="post", data=data,
    )  # fmt: skip
    assert records["task_a"].updates.count() == 4


def test_ward_secretary_reports_progress_with_evidence(client_for, users, records):
    client = client_for(users["ward_secretary"])
    pdf = SimpleUploadedFile(
        "bien-ban.pdf",
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        "application/pdf",
    )
    response = client.post(
        f"/nghi-quyet/nhiem-vu/{records['task_a'].pk}/",
        {"progress": 60, "note": "Đã họp chi bộ", "evidence": pdf},
    )
    assert response.status_code == 302
    page = client.get(f"/nghi-quyet/nhiem-vu/{records['task_a'].pk}/").content.decode()
    assert "bien-ban.pdf" in page and "60%" in page


def test_bad_progress_and_bad_evidence_save_nothing(client_for, users, records):
    client = client_for(users["ward_secretary"])
    response = client.post(
        f"/nghi-quyet/nhiem-vu/{records['task_a'].pk}/", {"progress": 140, "note": "x"}
    )
    assert response.status_code == 200 and "100" in response.content.decode()
    fake = SimpleUploadedFile("gia.pdf", b"khong phai pdf", "application/pdf")
    response = client.post(
        f"/nghi-quyet/nhiem-vu/{records['task_a'].pk}/",
        {"progress": 50, "note": "x", "evidence": fake},
    )
    assert response.status_code == 200 and "Chỉ nhận tệp PDF" in response.content.decode()
    records["task_a"].refresh_from_db()
    assert records["task_a"].progress == 0 and not records["task_a"].updates.exists()


def test_document_form_errors_are_vietnamese_and_save_nothing(client_for, users, tree):
    client = client_for(users["staff"])
    response = client.post(
        "/nghi-quyet/van-ban/them/",
        {
            "symbol": "NQ-07",
            "kind": "resolution",
            "issuing_unit": tree.root.pk,
            "title": "X",
            "signed_date": "2026-01-05",
            "status": "issued",
        },
    )
    assert "không đúng dạng" in response.content.decode()
    assert not Document.objects.exists()


def test_assign_form_rejects_an_early_deadline(client_for, users, records, tree):
    client = client_for(users["staff"])
    response = client.post(
        f"/nghi-quyet/van-ban/{records['district'].pk}/giao-viec/",
        {"title": "Việc", "units": [tree.ward_a.pk], "deadline": "2025-12-01"},
    )
    assert "không được trước ngày ký" in response.content.decode()
    assert Task.objects.count() == 2


def test_conference_form_rejects_more_present_than_expected(client_for, users, records, tree):
    client = client_for(users["staff"])
    response = client.post(
        "/nghi-quyet/hoi-nghi/them/",
        {
            "document": records["district"].pk,
            "unit": tree.ward_a.pk,
            "held_on": "2026-02-01",
            "expected_attendees": 40,
            "present_attendees": 45,
            "learning_reports": 0,
        },
    )
    assert "không được nhiều hơn số người phải dự" in response.content.decode()
    assert not Conference.objects.exists()


def test_briefing_issue_to_task_page(client_for, users, records, tree):
    issue = records["briefing"].issues.get()
    client = client_for(users["staff"])
    response = client.post(
        f"/nghi-quyet/giao-ban/van-de/{issue.pk}/giao-viec/",
        {
            "document": records["district"].pk,
            "title": "Khắc phục",
            "units": [tree.ward_b.pk],
            "deadline": "2026-04-01",
        },
    )
    assert response.status_code == 302
    assert Task.objects.filter(source_briefing_issue=issue, unit=tree.ward_b).exists()
    check_matrix(
        client,
        users,
        f"/nghi-quyet/giao-ban/van-de/{issue.pk}/giao-viec/",
        {"admin": 200, "staff": 200, "ward_secretary": 404, "ward_staff": 404},
    )


def test_a_review_is_recorded_with_its_file_and_a_bad_file_saves_nothing(client_for, users, tree):
    from longbien.attachments.models import Attachment
    from resolutions.models import Review

    document = make_document(users["staff"], tree.root)
    client = client_for(users["staff"])
    url = f"/nghi-quyet/van-ban/{document.pk}/so-ket/"
    form = {"unit": tree.root.pk, "kind": "interim", "held_on": "2026-06-15", "level": "district",
            "outcome": "Đạt yêu cầu"}  # fmt: skip
    fake = SimpleUploadedFile("so-ket.pdf", b"khong phai pdf", "application/pdf")
    response = client.post(url, {**form, "file": fake})
    assert response.status_code == 200 and "Chỉ nhận tệp PDF" in response.content.decode()
    assert not Review.objects.exists() and not Attachment.objects.exists()  # one transaction
    pdf = SimpleUploadedFile(
        "so-ket.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "application/pdf"
    )
    response = client.post(url, {**form, "file": pdf})
    assert response.status_code == 302
    review = Review.objects.get()
    assert Attachment.objects.get().object_id == review.pk


def test_document_and_conference_lists_say_an_invalid_year_is_invalid(client_for, users):
    client = client_for(users["staff"])
    for url in ("/nghi-quyet/", "/nghi-quyet/hoi-nghi/"):
        page = client.get(url, {"year": "20x6"}).content.decode()
        assert "Năm “20x6” không hợp lệ" in page, url


def test_document_without_conferences_shows_no_attendance_share(client_for, users, tree):
    document = make_document(users["staff"], tree.root, symbol="98-NQ/QU")
    text = client_for(users["staff"]).get(f"/nghi-quyet/van-ban/{document.pk}/").content.decode()
    assert "0/0 người dự ·" in text
    assert "người dự (" not in text
