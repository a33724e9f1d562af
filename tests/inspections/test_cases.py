"""Confidential cases: the services' rules (time limits, extensions, closing) and the pages,
which only the inspection role reaches; everyone else, a superuser too, gets the 404 page."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections import services
from inspections.choices import CaseKind, CaseLevel, CaseOutcome, CaseStatus, DayCount, SubjectType
from inspections.models import Case, CaseExtension, CaseTimeLimit
from longbien import deadlines
from longbien.attachments.models import Attachment
from longbien.org.choices import Role
from tests.conftest import make_user
from tests.inspections.conftest import received_case
from tests.route_data import PDF

RECEIVED = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture
def inspector(users):
    return users["inspection"]


@pytest.fixture
def superuser(tree):
    return make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def case(inspector, tree):
    return received_case(inspector, tree.cell_a1, received=RECEIVED, summary="Nội dung tố cáo")


def _state(case: Case) -> dict:
    return {
        "case": Case.objects.filter(pk=case.pk).values().first(),
        "extensions": CaseExtension.objects.count(),
        "audit": LogEntry.objects.count(),
    }


# --- Services ----------------------------------------------------------------------------------


def test_time_limit_defaults_count_calendar_days_from_receipt(case):
    # A Party denunciation at district level: 90 days by default, calendar days.
    assert services.time_limit(CaseKind.DENUNCIATION, CaseLevel.DISTRICT) == (90, DayCount.CALENDAR)
    assert case.due_on == RECEIVED + dt.timedelta(days=90)


def test_time_limit_in_working_days_when_the_rule_says_so(inspector, tree):
    services.case_time_limit_set(
        actor=inspector, kind=CaseKind.COMPLAINT, level=CaseLevel.DISTRICT, days=10,
        day_count=DayCount.WORKING,
    )  # fmt: skip
    case = services.case_receive(
        actor=inspector, kind=CaseKind.COMPLAINT, level=CaseLevel.DISTRICT, received_on=RECEIVED,
        paper_reference="KN-01/2026", subject_type=SubjectType.ORGANISATION, unit=tree.cell_a1,
        summary="Khiếu nại kỷ luật", handling_body=tree.root,
    )  # fmt: skip
    assert case.due_on == deadlines.add_working_days(RECEIVED, 10)
    assert case.due_on == dt.date(2026, 3, 16)  # two weekends skipped
    # A calendar rule of the same length ends earlier.
    services.case_time_limit_set(
        actor=inspector, kind=CaseKind.COMPLAINT, level=CaseLevel.DISTRICT, days=10,
        day_count=DayCount.CALENDAR,
    )  # fmt: skip
    assert services.due_date(CaseKind.COMPLAINT, CaseLevel.DISTRICT, RECEIVED) == dt.date(
        2026, 3, 12
    )


def test_time_limit_is_set_by_the_district_inspection_role_only(users, tree):
    ward_inspector = make_user("kt-phuong", Role.INSPECTION, tree.ward_a)
    for actor in (users["admin"], users["staff"], ward_inspector):
        with pytest.raises(PermissionDenied):
            services.case_time_limit_set(
                actor=actor, kind=CaseKind.COMPLAINT, level=CaseLevel.DISTRICT, days=30,
                day_count=DayCount.CALENDAR,
            )  # fmt: skip
    assert not CaseTimeLimit.objects.exists()


@pytest.mark.parametrize(
    ("days", "reason", "field"),
    [
        (30, "", "reason"),  # no reason
        (30, "   ", "reason"),  # blank reason
        (-1, "Cần xác minh thêm", "new_due_on"),  # earlier than the current time limit
        (0, "Cần xác minh thêm", "new_due_on"),  # the same date
    ],
)
def test_extension_is_refused_without_reason_or_to_an_earlier_date(
    case, inspector, days, reason, field
):
    before = _state(case)
    with pytest.raises(ValidationError) as error:
        services.case_extend(
            actor=inspector, case=case, new_due_on=case.due_on + dt.timedelta(days=days),
            reason=reason,
        )  # fmt: skip
    assert field in error.value.message_dict
    message = " ".join(error.value.message_dict[field])
    assert "Hãy ghi lý do gia hạn" in message or "Hạn mới phải sau hạn hiện tại" in message
    case.refresh_from_db()
    assert _state(case) == before


def test_extension_records_reason_who_and_new_date(case, inspector):
    old = case.due_on
    extension = services.case_extend(
        actor=inspector, case=case, new_due_on=old + dt.timedelta(days=30), reason="Cần xác minh"
    )
    case.refresh_from_db()
    assert case.due_on == old + dt.timedelta(days=30)
    assert (extension.previous_due_on, extension.extended_by) == (old, inspector)
    assert LogEntry.objects.get_for_object(case).filter(actor=inspector).exists()


@pytest.mark.parametrize("steps", [(), ("accept",), ("accept", "verify")])
def test_closing_without_a_conclusion_is_refused(case, inspector, steps):
    for step in steps:
        getattr(services, f"case_{step}")(actor=inspector, case=case)
    case.refresh_from_db()
    before = _state(case)
    with pytest.raises(ValidationError) as error:
        services.case_close(actor=inspector, case=case)
    assert "Chỉ kết thúc được đơn đã có kết luận" in " ".join(error.value.messages)
    case.refresh_from_db()
    assert _state(case) == before


def test_conclusion_needs_text_and_outcome(case, inspector):
    services.case_verify(actor=inspector, case=services.case_accept(actor=inspector, case=case))
    case.refresh_from_db()
    before = _state(case)
    with pytest.raises(ValidationError) as error:
        services.case_conclude(
            actor=inspector, case=case, conclusion=" ", outcome="", concluded_on=RECEIVED
        )
    assert {"conclusion", "outcome"} <= set(error.value.message_dict)
    case.refresh_from_db()
    assert _state(case) == before


# --- Pages of the inspection role --------------------------------------------------------------


def test_register_lists_without_the_summary_and_searches_it_folded(case, inspector, client_for):
    client = client_for(inspector)
    url = reverse("inspections:case_list")
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert case.paper_reference in body
    assert "Nội dung tố cáo" not in body  # no summary in the register
    assert case.paper_reference in client.get(url, {"q": "noi dung to cao"}).content.decode()
    assert case.paper_reference in client.get(url, {"q": "HS-01"}).content.decode()
    assert case.paper_reference not in client.get(url, {"q": "khong co"}).content.decode()
    assert client.get(url, {"overdue": "1", "kind": "denunciation"}).status_code == 200


def test_record_page_shows_time_limit_extensions_and_reads(case, inspector, client_for):
    services.case_extend(
        actor=inspector, case=case, new_due_on=case.due_on + dt.timedelta(days=10),
        reason="Chờ kết quả giám định",
    )  # fmt: skip
    client = client_for(inspector)
    body = client.get(case.get_absolute_url()).content.decode()
    assert "Nội dung tố cáo" in body
    assert "Chờ kết quả giám định" in body
    assert "Lượt xem hồ sơ" in body and "Xem chi tiết" in body
    assert "quá hạn" in body  # received in March, 100 days: overdue by now
    assert reverse("inspections:case_accept", args=[case.pk]) in body


def test_create_form_has_no_identity_field_and_receives_a_case(inspector, tree, client_for):
    client = client_for(inspector)
    url = reverse("inspections:case_create")
    body = client.get(url).content.decode()
    assert "Danh tính người tố cáo được giữ bí mật trên hồ sơ giấy" in body
    for name in ("name", "full_name", "address", "phone", "id_number", "denouncer"):
        assert f'name="{name}"' not in body
    response = client.post(
        url,
        {
            "kind": CaseKind.DENUNCIATION, "level": CaseLevel.DISTRICT, "received_on": "02/03/2026",
            "paper_reference": "TC-09/2026", "subject_type": SubjectType.ORGANISATION,
            "unit": tree.cell_a1.pk, "summary": "Nội dung mới", "handling_body": tree.root.pk,
        },
    )  # fmt: skip
    created = Case.objects.get(paper_reference="TC-09/2026")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.due_on == RECEIVED + dt.timedelta(days=90)


def test_create_with_a_file_attaches_it(inspector, tree, client_for):
    client = client_for(inspector)
    response = client.post(
        reverse("inspections:case_create"),
        {
            "kind": CaseKind.DENUNCIATION, "level": CaseLevel.DISTRICT, "received_on": "02/03/2026",
            "paper_reference": "TC-10/2026", "subject_type": SubjectType.ORGANISATION,
            "unit": tree.cell_a1.pk, "summary": "Nội dung mới", "handling_body": tree.root.pk,
            "file": SimpleUploadedFile("ho-so.pdf", PDF, content_type="application/pdf"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    created = Case.objects.get(paper_reference="TC-10/2026")
    assert Attachment.objects.filter(object_id=created.pk).count() == 1


def test_workflow_through_the_pages(case, inspector, client_for):
    client = client_for(inspector)

    def step(name, **data):
        response = client.post(reverse(f"inspections:case_{name}", args=[case.pk]), data)
        assert response.status_code == 302
        case.refresh_from_db()

    step("accept")
    assert case.status == CaseStatus.ACCEPTED
    step("verify")
    assert case.status == CaseStatus.VERIFYING
    conclude = reverse("inspections:case_conclude", args=[case.pk])
    assert client.get(conclude).status_code == 200
    response = client.post(
        conclude,
        {"conclusion": "Tố cáo đúng một phần.", "outcome": CaseOutcome.PARTLY,
         "concluded_on": "15/04/2026"},
    )  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CONCLUDED, CaseOutcome.PARTLY)
    step("close")
    assert case.status == CaseStatus.CLOSED


def test_reject_needs_a_reason(case, inspector, client_for):
    client = client_for(inspector)
    url = reverse("inspections:case_reject", args=[case.pk])
    client.post(url, {"reason": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    client.post(url, {"reason": "Đơn nặc danh"})
    case.refresh_from_db()
    assert (case.status, case.not_accepted_reason) == (CaseStatus.NOT_ACCEPTED, "Đơn nặc danh")


def test_extend_page_says_the_refusal_and_changes_nothing(case, inspector, client_for):
    client = client_for(inspector)
    url = reverse("inspections:case_extend", args=[case.pk])
    before = _state(case)
    earlier = (case.due_on - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(url, {"new_due_on": earlier, "reason": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hãy ghi lý do gia hạn." in body and "Hạn mới phải sau hạn hiện tại" in body
    assert _state(case) == before
    later = (case.due_on + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    assert client.post(url, {"new_due_on": later, "reason": "Bổ sung"}).status_code == 302
    assert CaseExtension.objects.filter(case=case).count() == 1


def test_time_limits_page_shows_defaults_and_sets_a_rule(inspector, client_for):
    client = client_for(inspector)
    url = reverse("inspections:time_limits")
    body = client.get(url).content.decode()
    assert "Mặc định" in body and ">90<" in body.replace(" ", "")
    bad = client.post(url, {"kind": "complaint", "level": "district", "days": "0",
                            "day_count": "calendar"})  # fmt: skip
    assert bad.status_code == 200 and not CaseTimeLimit.objects.exists()
    ok = client.post(url, {"kind": "complaint", "level": "district", "days": "45",
                           "day_count": "working"})  # fmt: skip
    assert ok.status_code == 302
    assert services.time_limit(CaseKind.COMPLAINT, CaseLevel.DISTRICT) == (45, DayCount.WORKING)


# --- Everyone else: 404 ------------------------------------------------------------------------


def _case_urls(case: Case) -> list[tuple[str, str]]:
    gets = ["case_list", "case_create", "time_limits", "access_log"]
    on_case = ["case_detail", "case_update", "case_conclude", "case_extend"]
    posts = ["case_accept", "case_reject", "case_verify", "case_close"]
    return [
        *(("get", reverse(f"inspections:{name}")) for name in gets),
        *(("post", reverse(f"inspections:{name}")) for name in gets),
        *(("get", reverse(f"inspections:{name}", args=[case.pk])) for name in on_case),
        *(("post", reverse(f"inspections:{name}", args=[case.pk])) for name in on_case + posts),
    ]


OTHERS = ["admin", "staff", "leadership", "mass_mobilisation", "ward_secretary", "ward_staff",
          "no_role"]  # fmt: skip


@pytest.mark.parametrize("who", [*OTHERS, "superuser"])
def test_every_case_url_is_not_found_for_every_other_role(case, users, superuser, who, client_for):
    user = superuser if who == "superuser" else users[who]
    client = client_for(user)
    before = _state(case)
    for method, url in _case_urls(case):
        response = getattr(client, method)(url, {"reason": "x", "summary": "y"})
        assert response.status_code == 404, f"{who} {method.upper()} {url}: {response.status_code}"
        assert "Nội dung tố cáo" not in response.content.decode()
    case.refresh_from_db()
    assert _state(case) == before


@pytest.mark.parametrize("who", [*OTHERS, "superuser"])
def test_attachments_of_a_case_are_not_found_for_others(
    case, users, superuser, inspector, who, client_for
):
    from longbien.attachments.services import attachment_add

    attachment = attachment_add(
        actor=inspector, record=case,
        upload=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    user = superuser if who == "superuser" else users[who]
    client = client_for(user)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("attachment_delete", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachment_of_a_case_downloads_for_the_inspection_role(case, inspector, client_for):
    from longbien.attachments.services import attachment_add

    attachment = attachment_add(
        actor=inspector, record=case,
        upload=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    response = client_for(inspector).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
