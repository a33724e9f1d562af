"""The public-opinion cases' pages, through the client: roles, intake with the duplicate
suggestion then merge, the unit's page and its rate, errors, the citizen's data masked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.choices import CaseStatus, Outcome
from dialogues.models import CaseAssignment, OpinionCase
from longbien.org.choices import Role, UnitKind
from tests.conftest import make_unit, make_user

from .conftest import receive

pytestmark = pytest.mark.django_db

CONTENT = "Đường Nguyễn Văn Cừ ngập nước sau mưa lớn"


def _intake(unit, **extra):
    return {
        "source": "hotline", "received_on": "02/03/2026", "content": CONTENT, "unit": unit.pk,
        "category": "urban", "urgency": "normal", "citizen_name": "Nguyễn Thị Hoa",
        "citizen_phone": "0912345678", "citizen_address": "Số 5 ngõ 12", **extra,
    }  # fmt: skip


def test_register_and_unit_page_per_role(users, tree, client_for):
    receive(users["staff"], tree.ward_a)
    urls = [reverse("dialogues:case_list"), reverse("dialogues:unit_board", args=["P-A"])]
    for role in ("admin", "staff", "leadership", "mass_mobilisation", "ward_secretary",
                 "ward_staff"):  # fmt: skip
        client = client_for(users[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    for role in ("inspection", "no_role"):
        client = client_for(users[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    # Ward B is out of the ward roles' scope: its page is not found.
    client = client_for(users["ward_staff"])
    assert client.get(reverse("dialogues:unit_board", args=["P-B"])).status_code == 404
    assert client.get(reverse("dialogues:unit_board", args=["KHONG-CO"])).status_code == 404


def test_intake_shows_similar_open_cases_then_merges(users, tree, client_for):
    staff = users["staff"]
    first = receive(staff, tree.ward_a, CONTENT)
    client = client_for(staff)
    url = reverse("dialogues:case_create")
    response = client.post(url, _intake(tree.ward_a, content="Ngập nước đường Nguyễn Văn Cừ"))
    assert response.status_code == 200
    assert list(response.context["similar"]) == [first]
    assert "Vụ việc tương tự đang mở" in response.content.decode()
    assert OpinionCase.objects.count() == 1  # nothing saved yet
    response = client.post(
        url, _intake(tree.ward_a, content="Ngập nước đường Nguyễn Văn Cừ", decision=first.pk)
    )
    assert response.status_code == 302
    new = OpinionCase.objects.exclude(pk=first.pk).get()
    assert new.merged_into == first and new.status == CaseStatus.CLOSED
    page = client.get(first.get_absolute_url()).content.decode()
    assert f"#{new.pk}" in page


def test_intake_saves_a_new_case_when_asked(users, tree, client_for):
    staff = users["staff"]
    first = receive(staff, tree.ward_a, CONTENT)
    client = client_for(staff)
    response = client.post(reverse("dialogues:case_create"),
                           _intake(tree.ward_a, decision="new"))  # fmt: skip
    assert response.status_code == 302
    new = OpinionCase.objects.exclude(pk=first.pk).get()
    assert new.merged_into is None and new.status == CaseStatus.RECEIVED
    assert new.citizen_name == "Nguyễn Thị Hoa"


def test_intake_without_similar_cases_saves_at_once(users, tree, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from longbien.attachments.selectors import attachments_for
    from tests.route_data import PDF

    client = client_for(users["ward_staff"])
    upload = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("dialogues:case_create"), _intake(tree.ward_a, file=upload))
    assert response.status_code == 302
    case = OpinionCase.objects.get()
    assert case.unit == tree.ward_a
    assert response["Location"] == case.get_absolute_url()
    assert [a.original_name for a in attachments_for(user=users["staff"], obj=case)] == ["don.pdf"]


def test_bad_intake_errors_in_vietnamese_under_the_fields(users, tree, client_for):
    client = client_for(users["staff"])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(reverse("dialogues:case_create"),
                           _intake(tree.ward_a, received_on=tomorrow, content=""))  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert "content" in form.errors
    response = client.post(reverse("dialogues:case_create"),
                           _intake(tree.ward_a, received_on=tomorrow))  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == [
        "Ngày tiếp nhận không được sau hôm nay."
    ]
    response = client.post(reverse("dialogues:case_create"),
                           _intake(tree.ward_a, received_on="31/02/2026"))  # fmt: skip
    assert "dd/mm/yyyy" in response.context["form"].errors["received_on"][0]
    assert 'id="id_received_on_error"' in response.content.decode()
    assert OpinionCase.objects.count() == 0


def test_a_ward_cannot_take_in_a_case_of_another_ward(users, tree, client_for):
    client = client_for(users["ward_staff"])
    response = client.post(reverse("dialogues:case_create"), _intake(tree.ward_b))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert OpinionCase.objects.count() == 0


def test_workflow_through_the_pages(users, tree, client_for):
    staff = users["staff"]
    case = receive(staff, tree.ward_a, received=timezone.localdate() - dt.timedelta(days=1))
    client = client_for(staff)
    response = client.get(reverse("dialogues:case_assign", args=[case.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["due_on"] == services.due_date(
        case.urgency, timezone.localdate()
    )
    response = client.post(reverse("dialogues:case_assign", args=[case.pk]),
                           {"unit": tree.cell_a1.pk, "due_on": ""})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED and case.assigned_unit == tree.cell_a1
    # Reassigning needs a reason.
    url = reverse("dialogues:case_reassign", args=[case.pk])
    response = client.post(url, {"unit": tree.ward_a.pk, "due_on": "", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"unit": tree.ward_a.pk, "due_on": "", "reason": "Chi bộ bận"})
    assert response.status_code == 302
    client.post(reverse("dialogues:case_start", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    url = reverse("dialogues:case_answer", args=[case.pk])
    response = client.post(url, {"answer": "", "answered_on": "", "outcome": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"answer", "answered_on", "outcome"}
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(url, {"answer": "Đã khơi thông", "answered_on": today,
                                 "outcome": Outcome.EXPLAINED})  # fmt: skip
    assert response.status_code == 302
    client.post(reverse("dialogues:case_close", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    client.post(reverse("dialogues:case_reopen", args=[case.pk]), {"reason": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED  # a reason is required
    client.post(reverse("dialogues:case_reopen", args=[case.pk]), {"reason": "Phản ánh lại"})
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    kinds = list(CaseAssignment.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["assign", "reassign", "reopen"]
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Chi bộ bận" in page and "Phản ánh lại" in page
    response = client.post(reverse("dialogues:case_transfer", args=[case.pk]),
                           {"transferred_to": "Công an quận", "reason": ""})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED


def test_leadership_reads_but_cannot_step(users, tree, client_for):
    case = receive(users["staff"], tree.ward_a)
    client = client_for(users["leadership"])
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("dialogues:case_assign", args=[case.pk])).status_code == 403
    assert client.get(reverse("dialogues:case_create")).status_code == 403


def test_merge_page(users, tree, client_for):
    staff = users["staff"]
    first = receive(staff, tree.ward_a, CONTENT)
    second = receive(staff, tree.ward_a, "Ngập nước đường Nguyễn Văn Cừ")
    client = client_for(staff)
    url = reverse("dialogues:case_merge", args=[second.pk])
    response = client.get(url)
    assert [pk for pk, _ in response.context["form"].fields["into"].choices] == [first.pk]
    response = client.post(url, {"into_id": second.pk})
    assert response.status_code == 200
    assert "Không thể gộp vụ việc vào chính nó." in response.context["form"].errors["into"]
    response = client.post(url, {"into": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first


def test_a_late_answer_changes_the_units_rate(users, tree, client_for, monkeypatch):
    staff = users["staff"]
    today = {"day": dt.date(2026, 1, 20)}
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today["day"])
    received, due = dt.date(2026, 1, 5), dt.date(2026, 1, 26)
    on_time = receive(staff, tree.ward_a, "Vỉa hè lấn chiếm", received=received)
    services.case_assign(actor=staff, case=on_time, unit=tree.ward_a, due_on=due)
    services.case_answer(actor=staff, case=on_time, answer="Đã xử lý",
                         answered_on=dt.date(2026, 1, 20), outcome=Outcome.RESOLVED)  # fmt: skip
    late = receive(staff, tree.ward_a, "Tiếng ồn karaoke", received=received)
    services.case_assign(actor=staff, case=late, unit=tree.cell_a1, due_on=due)
    client = client_for(users["mass_mobilisation"])
    url = reverse("dialogues:unit_board", args=["P-A"])
    response = client.get(url)
    rate = response.context["rate"]
    # The second case has days left: not counted yet (neither settled nor late).
    assert (rate.due, rate.on_time, rate.late, rate.settled) == (1, 1, 0, 1)
    body = response.content.decode()
    assert "100,0%" in body and re.search(r'id="rate-late">\s*0\s*<', body)
    shown = {c.pk: c for c in response.context["cases"]}
    assert late.pk in shown and not shown[late.pk].days_late
    # Weeks later, the cell answers: late.
    today["day"] = dt.date(2026, 2, 10)
    response = client_for(users["ward_staff"]).post(
        reverse("dialogues:case_answer", args=[late.pk]),
        {"answer": "Đã nhắc nhở", "answered_on": "10/02/2026", "outcome": Outcome.RESOLVED},
    )  # fmt: skip
    assert response.status_code == 302
    client = client_for(users["mass_mobilisation"])
    response = client.get(url)
    rate = response.context["rate"]
    assert (rate.due, rate.on_time, rate.late, rate.settled) == (2, 1, 1, 2)
    body = response.content.decode()
    assert "100,0%" in body and re.search(r'id="rate-late">\s*1\s*<', body)
    assert late not in response.context["cases"]
    # Another year: nothing due, no rate (neither 0 % nor 100 %).
    response = client.get(url, {"nam": 2025})
    assert response.context["rate"].rate is None
    body = response.content.decode()
    assert "Không có vụ việc đến hạn" in body and "0,0%" not in body
    response = client.get(url, {"nam": 2026, "quy": 2})
    assert response.context["rate"].due == 0
    response = client.get(url, {"nam": "hai nghìn"})
    assert response.status_code == 200 and response.context["year"] == 2026


def test_citizen_data_masked_unless_mass_mobilisation_or_assigned_unit(users, tree, client_for):
    staff = users["staff"]
    case = receive(staff, tree.ward_b, CONTENT, citizen_name="Trần Văn Bình",
                   citizen_phone="0987654321")  # fmt: skip
    # Assigned to ward A: ward A's staff handle it and see the citizen.
    services.case_assign(actor=staff, case=case, unit=tree.ward_a)
    other_ward = make_unit("P-C", UnitKind.WARD_COMMITTEE, tree.root, "Đảng ủy phường C")
    ward_c_staff = make_user("wardstaff_c", Role.WARD_STAFF, other_ward)
    ward_b_staff = make_user("wardstaff_b", Role.WARD_STAFF, tree.ward_b)
    for user in (users["mass_mobilisation"], users["ward_staff"]):
        body = client_for(user).get(case.get_absolute_url()).content.decode()
        assert "Trần Văn Bình" in body and "0987654321" in body, user
    for user in (users["leadership"], ward_b_staff):
        body = client_for(user).get(case.get_absolute_url()).content.decode()
        assert "Trần Văn Bình" not in body and "0987654321" not in body, user
        assert "(ẩn)" in body
    # Another ward's staff do not even find the case.
    assert client_for(ward_c_staff).get(case.get_absolute_url()).status_code == 404


def test_register_filters_search_and_export_link(users, tree, client_for):
    staff = users["staff"]
    flood = receive(staff, tree.ward_a, CONTENT)
    noise = receive(staff, tree.ward_b, "Tiếng ồn karaoke ban đêm", received=dt.date(2026, 1, 5))
    services.case_assign(actor=staff, case=noise, unit=tree.ward_b, due_on=dt.date(2026, 1, 26))
    client = client_for(staff)
    url = reverse("dialogues:case_list")
    response = client.get(url, {"q": "ngap nuoc"})
    assert list(response.context["page_obj"].object_list) == [flood]
    assert response.context["export_url"].startswith(reverse("io_export", args=["opinion_cases"]))
    rows = client.get(url, {"overdue": "1"}).context["page_obj"].object_list
    assert list(rows) == [noise]
    assert "quá hạn" in client.get(url, {"overdue": "1"}).content.decode()
    rows = client.get(url, {"unit": "P-A"}).context["page_obj"].object_list
    assert list(rows) == [flood]
    rows = client.get(url, {"status": CaseStatus.ASSIGNED, "year": "2026", "quarter": "1"})
    assert list(rows.context["page_obj"].object_list) == [noise]
    # The ward's staff see only their ward's cases; the citizen's data is never a column.
    rows = client_for(users["ward_staff"]).get(url).context["page_obj"].object_list
    assert list(rows) == [flood]


def test_detail_shows_the_timeline_with_who_and_why(users, tree, client_for):
    staff = users["staff"]
    case = receive(staff, tree.ward_a)
    services.case_assign(actor=staff, case=case, unit=tree.cell_a1, due_on=dt.date(2026, 3, 23))
    services.case_reject(actor=staff, case=case, reason="Thuộc thẩm quyền tòa án")
    response = client_for(users["mass_mobilisation"]).get(case.get_absolute_url())
    labels = [step["label"] for step in response.context["timeline"]]
    assert labels == ["Tiếp nhận", "Đã giao xử lý", "Không thuộc thẩm quyền"]
    body = response.content.decode()
    assert "Thuộc thẩm quyền tòa án" in body and "Chi bộ A1" in body
    assert [a.name for a in response.context["workflow_actions"]] == ["reopen"]


def test_a_case_opened_from_a_dialogue_issue(users, tree, client_for):
    from .conftest import dialogue

    meeting = dialogue(users["staff"], tree.ward_a, issues=[
        {"content": "Cống thoát nước ngõ 8 bị tắc", "answer": "Sẽ kiểm tra"},
    ])  # fmt: skip
    issue = meeting.issues.get()
    client = client_for(users["ward_secretary"])
    url = reverse("dialogues:case_create")
    response = client.get(url, {"y-kien": issue.pk})
    initial = response.context["form"].initial
    assert initial["dialogue_issue"] == issue.pk and initial["source"] == "dialogue"
    data = _intake(tree.ward_a, content=issue.content, source="dialogue", received_on="10/03/2026",
                   dialogue_issue=issue.pk)  # fmt: skip
    assert client.post(url, data).status_code == 302
    case = OpinionCase.objects.get()
    assert case.dialogue_issue == issue
    assert issue.content in client.get(case.get_absolute_url()).content.decode()


def test_merging_into_a_finished_case_saves_nothing(users, tree, client_for):
    staff = users["staff"]
    first = receive(staff, tree.ward_a, CONTENT)
    other = receive(staff, tree.ward_a, "Ngập nước đường Nguyễn Văn Cừ khi mưa")
    services.case_reject(actor=staff, case=first, reason="Thuộc thẩm quyền khác")
    client = client_for(staff)
    response = client.post(reverse("dialogues:case_create"),
                           _intake(tree.ward_a, decision=first.pk))  # fmt: skip
    assert response.status_code == 200
    assert "Không thể gộp vào vụ việc đã kết thúc." in response.content.decode()
    assert [c.pk for c in response.context["similar"]] == [other.pk]
    assert OpinionCase.objects.count() == 2  # the new case was not left saved alone
