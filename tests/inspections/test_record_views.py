"""The pages of inspection records, follow-ups and discipline decisions, through the client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services
from inspections.choices import (
    Activity,
    DisciplineForm,
    FollowUpStatus,
    InspectionKind,
    InspectionStatus,
    SubjectType,
)
from inspections.models import Discipline, FollowUp, Inspection
from tests.inspections.conftest import add_item, concluded_inspection, received_case

pytestmark = pytest.mark.django_db


def _inspection(actor, unit, **extra):
    return services.inspection_create(
        actor=actor, activity=Activity.INSPECTION, subject_type=SubjectType.ORGANISATION,
        kind=InspectionKind.REGULAR, topic=extra.pop("topic", "Công tác phát triển đảng viên"),
        conducting_body=unit.parent or unit, unit=unit, starts_on=dt.date(2026, 3, 2), **extra,
    )  # fmt: skip


@pytest.fixture
def running(users, tree):
    inspection = _inspection(users["inspection"], tree.cell_a1)
    return services.inspection_start(actor=users["inspection"], inspection=inspection)


def test_register_pages_answer_the_inspections_roles(users, tree, running, client_for):
    urls = [reverse(f"inspections:{name}") for name in
            ("inspection_list", "follow_up_list", "follow_up_board", "discipline_list")]  # fmt: skip
    for role in ("admin", "staff", "leadership", "inspection", "ward_secretary"):
        client = client_for(users[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    for role in ("mass_mobilisation", "ward_staff", "no_role"):
        client = client_for(users[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)


def test_the_register_filters_and_searches(users, tree, running, client_for):
    other = _inspection(users["inspection"], tree.cell_b1, topic="Thu nộp đảng phí")
    client = client_for(users["inspection"])
    url = reverse("inspections:inspection_list")
    rows = client.get(url, {"q": "dang phi"}).context["page_obj"].object_list
    assert list(rows) == [other]
    rows = client.get(url, {"status": InspectionStatus.IN_PROGRESS}).context["page_obj"]
    assert list(rows.object_list) == [running]
    rows = client.get(url, {"unit": tree.ward_b.code, "year": "2026", "quarter": "1"})
    assert list(rows.context["page_obj"].object_list) == [other]
    # The ward's secretary sees ward A's record only.
    rows = client_for(users["ward_secretary"]).get(url).context["page_obj"].object_list
    assert list(rows) == [running]


def test_create_page_records_an_inspection_under_the_plan(users, tree, client_for):
    secretary = users["ward_secretary"]
    plan = services.plan_create(actor=secretary, body=tree.ward_a, year=2026)
    item = services.plan_item_approve(
        actor=secretary, item=add_item(secretary, plan, tree.cell_a1, 3, 4)
    )
    client = client_for(secretary)
    response = client.post(reverse("inspections:inspection_create"), {
        "activity": Activity.SUPERVISION, "subject_type": SubjectType.ORGANISATION,
        "kind": InspectionKind.THEMATIC, "topic": "Giám sát sinh hoạt chi bộ",
        "unit": tree.cell_a1.pk, "conducting_body": tree.ward_a.pk, "starts_on": "02/03/2026",
        "plan_item": item.pk,
    })  # fmt: skip
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inspection.get_absolute_url()
    assert inspection.activity == Activity.SUPERVISION
    assert inspection.starts_on == dt.date(2026, 3, 2)
    assert inspection.plan_item == item
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert item.topic in html


def test_a_unit_outside_the_secretarys_ward_is_refused(users, tree, client_for):
    client = client_for(users["ward_secretary"])
    response = client.post(reverse("inspections:inspection_create"), {
        "activity": Activity.INSPECTION, "subject_type": SubjectType.ORGANISATION,
        "kind": InspectionKind.REGULAR, "topic": "Kiểm tra", "unit": tree.cell_b1.pk,
        "conducting_body": tree.ward_a.pk, "starts_on": "02/03/2026",
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not Inspection.objects.exists()


def test_detail_shows_buttons_of_the_state_and_the_timeline(users, running, client_for):
    html = client_for(users["inspection"]).get(running.get_absolute_url()).content.decode()
    assert reverse("inspections:inspection_conclude", args=[running.pk]) in html
    assert reverse("inspections:inspection_start", args=[running.pk]) not in html
    assert "Theo kế hoạch" in html and "Đang tiến hành" in html
    html = client_for(users["staff"]).get(running.get_absolute_url()).content.decode()
    assert reverse("inspections:inspection_conclude", args=[running.pk]) not in html


def test_conclusion_with_two_recommendations_creates_two_follow_ups(
    users, tree, running, client_for
):
    client = client_for(users["ward_secretary"])
    url = reverse("inspections:inspection_conclude", args=[running.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "findings": "Hồ sơ chưa đầy đủ.", "conclusion": "Cần bổ sung hồ sơ.",
        "concluded_on": "10/04/2026",
        "rec1_content": "Bổ sung lý lịch", "rec1_owner_unit": tree.cell_a1.pk,
        "rec1_deadline": "10/05/2026",
        "rec2_content": "Rà soát đảng phí", "rec2_owner_unit": tree.ward_a.pk,
        "rec2_deadline": "10/06/2026",
    })  # fmt: skip
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == InspectionStatus.CONCLUDED
    follow_ups = list(running.follow_ups.order_by("deadline"))
    assert [(f.content, f.owner_unit, f.deadline) for f in follow_ups] == [
        ("Bổ sung lý lịch", tree.cell_a1, dt.date(2026, 5, 10)),
        ("Rà soát đảng phí", tree.ward_a, dt.date(2026, 6, 10)),
    ]


def test_conclusion_errors_are_in_vietnamese_and_save_nothing(users, tree, running, client_for):
    client = client_for(users["inspection"])
    url = reverse("inspections:inspection_conclude", args=[running.pk])
    response = client.post(url, {"conclusion": "Kết luận", "concluded_on": "01/02/2026"})
    assert response.status_code == 200
    assert (
        "Ngày kết luận không được trước ngày bắt đầu (02/03/2026)."
        in (response.context["form"].errors["concluded_on"])
    )
    response = client.post(url, {
        "conclusion": "Kết luận", "concluded_on": "10/04/2026",
        "rec1_content": "Đúng hạn", "rec1_owner_unit": tree.cell_a1.pk, "rec1_deadline": "10/05/2026",
        "rec2_content": "Trễ", "rec2_owner_unit": tree.cell_a1.pk, "rec2_deadline": "01/04/2026",
    })  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["rec2_deadline"] == ["Thời hạn không được trước ngày kết luận (10/04/2026)."]
    assert "rec1_deadline" not in errors
    running.refresh_from_db()
    assert running.status == InspectionStatus.IN_PROGRESS and not running.conclusion
    assert not FollowUp.objects.exists()


def test_a_half_filled_recommendation_says_what_is_missing(users, running, client_for):
    client = client_for(users["inspection"])
    url = reverse("inspections:inspection_conclude", args=[running.pk])
    response = client.post(
        url, {"conclusion": "Kết luận", "concluded_on": "10/04/2026", "rec1_content": "Việc"}
    )
    errors = response.context["form"].errors
    assert errors["rec1_owner_unit"] == ["Hãy chọn đơn vị thực hiện."]
    assert errors["rec1_deadline"] == ["Hãy ghi thời hạn."]
    running.refresh_from_db()
    assert running.status == InspectionStatus.IN_PROGRESS


def test_start_and_close_buttons_move_the_record(users, tree, client_for):
    inspection = _inspection(users["inspection"], tree.cell_a1)
    client = client_for(users["ward_secretary"])
    response = client.post(reverse("inspections:inspection_start", args=[inspection.pk]))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
    # Staff read but do not act: a message, nothing changed.
    concluded = concluded_inspection(users["inspection"], tree.cell_a1)
    client_for(users["staff"]).post(reverse("inspections:inspection_close", args=[concluded.pk]))
    concluded.refresh_from_db()
    assert concluded.status == InspectionStatus.CONCLUDED
    client_for(users["inspection"]).post(
        reverse("inspections:inspection_close", args=[concluded.pk])
    )
    concluded.refresh_from_db()
    assert concluded.status == InspectionStatus.CLOSED


def test_update_page_changes_the_record_with_its_reason(users, running, client_for):
    client = client_for(users["inspection"])
    url = reverse("inspections:inspection_update", args=[running.pk])
    assert "conclusion" not in client.get(url).context["form"].fields
    response = client.post(url, {"topic": "Nội dung mới", "kind": InspectionKind.SIGNS,
                                 "starts_on": "02/03/2026", "reason": "Đính chính"})  # fmt: skip
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.topic == "Nội dung mới" and running.kind == InspectionKind.SIGNS


def test_an_overdue_follow_up_appears_on_the_wards_board(users, tree, client_for):
    today = timezone.localdate()
    inspection = concluded_inspection(
        users["inspection"], tree.cell_a1, started=today - dt.timedelta(days=90),
        concluded=today - dt.timedelta(days=60),
    )  # fmt: skip
    late = services.follow_up_add(
        actor=users["inspection"], inspection=inspection, content="Bổ sung hồ sơ",
        owner_unit=tree.cell_a1, deadline=today - dt.timedelta(days=30),
    )  # fmt: skip
    later = services.follow_up_add(
        actor=users["inspection"], inspection=inspection, content="Rà soát danh sách",
        owner_unit=tree.cell_a1, deadline=today + dt.timedelta(days=30),
    )  # fmt: skip
    client = client_for(users["ward_secretary"])
    response = client.get(reverse("inspections:follow_up_board"))
    assert response.context["unit"] == tree.ward_a
    assert [f.pk for f in response.context["overdue"]] == [late.pk]
    assert response.context["overdue"][0].days_late >= 28
    assert [f.pk for f in response.context["open"]] == [later.pk]
    assert "Bổ sung hồ sơ" in response.content.decode()
    # Ward B's board is not the ward secretary's to see.
    response = client.get(reverse("inspections:follow_up_board"), {"don-vi": tree.ward_b.code})
    assert response.status_code == 404
    # The register's overdue filter holds the same follow-up, marked.
    response = client.get(reverse("inspections:follow_up_list"), {"overdue": "1"})
    assert list(response.context["page_obj"].object_list) == [late]
    assert "Quá hạn" in response.content.decode()


def test_the_owner_units_secretary_completes_a_follow_up(users, tree, client_for):
    inspection = concluded_inspection(users["inspection"], tree.cell_a1)
    follow_up = services.follow_up_add(
        actor=users["inspection"], inspection=inspection, content="Bổ sung hồ sơ",
        owner_unit=tree.cell_a1, deadline=dt.date(2026, 5, 10),
    )  # fmt: skip
    url = reverse("inspections:follow_up_complete", args=[follow_up.pk])
    assert client_for(users["staff"]).get(url).status_code == 403
    client = client_for(users["ward_secretary"])
    response = client.post(url, {"completed_on": "01/05/2026", "evidence": "Đã bổ sung đủ."})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.completed_on == dt.date(2026, 5, 1)


def test_discipline_form_must_fit_the_subject(users, tree, client_for):
    client = client_for(users["ward_secretary"])
    url = reverse("inspections:discipline_create")
    data = {
        "subject_type": SubjectType.ORGANISATION, "form": DisciplineForm.EXPULSION,
        "unit": tree.cell_a1.pk, "symbol": "12-QĐ/ĐU", "decided_on": "20/04/2026",
        "deciding_body": tree.ward_a.pk,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["form"] == [
        "Hình thức “Khai trừ” không áp dụng cho tổ chức đảng."
    ]
    assert not Discipline.objects.exists()
    response = client.post(url, {**data, "form": DisciplineForm.DISSOLUTION})
    assert response.status_code == 302
    assert Discipline.objects.get().form == DisciplineForm.DISSOLUTION


def test_the_discipline_page_shows_the_case_only_to_those_admitted(users, tree, member, client_for):
    inspector = users["inspection"]
    case = received_case(inspector, tree.cell_a1)
    services.case_accept(actor=inspector, case=case)
    services.case_verify(actor=inspector, case=case)
    services.case_conclude(actor=inspector, case=case, conclusion="Đúng một phần.",
                           outcome="partly", concluded_on=dt.date(2026, 4, 1))  # fmt: skip
    discipline = services.discipline_create(
        actor=inspector, subject_type=SubjectType.MEMBER, form=DisciplineForm.WARNING,
        symbol="5-QĐ/UBKT", decided_on=dt.date(2026, 4, 20), deciding_body=tree.root,
        person=member, case=case,
    )  # fmt: skip
    html = client_for(inspector).get(discipline.get_absolute_url()).content.decode()
    assert case.get_absolute_url() in html and case.paper_reference in html
    for role in ("admin", "staff", "ward_secretary"):
        response = client_for(users[role]).get(discipline.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert case.get_absolute_url() not in html, role
        assert case.paper_reference not in html, role
        assert "Đơn tố cáo" not in html, role


def _person_section(html: str) -> str:
    match = re.search(
        r'<section class="card person-section" id="person-disciplines">.*?</section>', html, re.S
    )
    return match.group(0) if match else ""


def test_the_person_page_lists_the_persons_discipline(users, tree, member, client_for):
    discipline = services.discipline_create(
        actor=users["inspection"], subject_type=SubjectType.MEMBER,
        form=DisciplineForm.REPRIMAND, symbol="7-QĐ/UBKT", decided_on=dt.date(2026, 4, 20),
        deciding_body=tree.root, person=member,
    )  # fmt: skip
    for role in ("inspection", "staff", "ward_secretary"):
        html = client_for(users[role]).get(member.get_absolute_url()).content.decode()
        section = _person_section(html)
        assert discipline.get_absolute_url() in section, role
        assert "7-QĐ/UBKT" in section
    # Ward staff read people but not the inspections area: no section at all.
    html = client_for(users["ward_staff"]).get(member.get_absolute_url()).content.decode()
    assert _person_section(html) == ""
    # The link lists the person's decisions in the register.
    url = reverse("inspections:discipline_list") + f"?person={member.pk}"
    rows = client_for(users["staff"]).get(url).context["page_obj"].object_list
    assert list(rows) == [discipline]


def test_home_work_list_counts_equal_the_registers(users, tree, client_for):
    today = timezone.localdate()
    inspector = users["inspection"]
    for unit in (tree.cell_a1, tree.cell_b1):
        inspection = concluded_inspection(
            inspector, unit, started=today - dt.timedelta(days=90),
            concluded=today - dt.timedelta(days=60),
        )  # fmt: skip
        services.follow_up_add(
            actor=inspector, inspection=inspection, content=f"Việc trễ {unit.code}",
            owner_unit=unit, deadline=today - dt.timedelta(days=20),
        )  # fmt: skip
        services.inspection_start(actor=inspector, inspection=_inspection(inspector, unit))
    for role, expected in (("ward_secretary", 1), ("inspection", 2)):
        client = client_for(users[role])
        work = {s.key: s for s in client.get("/").context["work"]}
        for key in ("inspections.follow_ups_overdue", "inspections.in_progress"):
            section = work[key]
            assert section.count == expected, (role, key)
            register = client.get(section.url).context["page_obj"].paginator.count
            assert register == section.count, (role, key)
    work = {s.key for s in client_for(users["staff"]).get("/").context["work"]}
    assert "inspections.follow_ups_overdue" not in work


def test_overdue_cases_wait_on_the_inspection_roles_home_page_only(users, tree, client_for):
    """Named by kind and paper reference, never content; the rows shown are a logged read."""
    from longbien.core.models import AccessEntry

    from .conftest import received_case

    inspector = users["inspection"]
    late = received_case(inspector, tree.cell_a1, received=timezone.localdate() - dt.timedelta(days=200),
                         summary="Nội dung kín XYZ")  # fmt: skip
    received_case(inspector, tree.cell_b1)  # received long ago too: overdue as well
    client = client_for(inspector)
    entries = AccessEntry.objects.count()
    response = client.get("/")
    section = {s.key: s for s in response.context["work"]}["inspections.cases_overdue"]
    register = client.get(section.url).context["page_obj"].paginator.count
    assert section.count == register == 2
    assert str(late) in response.content.decode() and "XYZ" not in response.content.decode()
    assert AccessEntry.objects.count() == entries + 2  # the home page's rows, then the register
    for role in ("admin", "staff", "leadership", "ward_secretary"):
        work = {s.key for s in client_for(users[role]).get("/").context["work"]}
        assert "inspections.cases_overdue" not in work, role
