"""Task assignments to Party members: the year-end result and the "without assignment" list."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres import selectors, services
from cadres.choices import Rating
from cadres.indicators import provide
from cadres.models import TaskAssignment
from tests.conftest import make_user
from tests.permissions import check_matrix

from .conftest import make_person

CHANGERS = ["admin", "staff", "ward_secretary"]
VIEWERS = [*CHANGERS, "leadership", "ward_staff"]
YEAR = timezone.localdate().year
JOINED = dt.date(2001, 5, 19)


@pytest.fixture
def members(tree):
    return {
        "a": make_person("MA", tree.cell_a1, "Đảng viên A", party_member_since=JOINED),
        "a2": make_person("MA2", tree.cell_a1, "Đảng viên A hai", party_member_since=JOINED),
        "b": make_person("MB", tree.cell_b1, "Đảng viên B", party_member_since=JOINED),
    }


@pytest.fixture
def assignment(users, members):
    return services.assignment_create(
        actor=users["ward_secretary"], person=members["a"], year=YEAR, task="Phụ trách tổ dân phố 5"
    )


@pytest.fixture
def assignment_b(users, members):
    return services.assignment_create(
        actor=users["staff"], person=members["b"], year=YEAR, task="Tuyên truyền"
    )


# --- The result service --------------------------------------------------------------------


def test_the_year_end_result_is_recorded_and_audited(users, assignment):
    updated = services.assignment_record_result(
        actor=users["ward_secretary"], assignment=assignment, result=Rating.GOOD,
        result_note="  Hoàn thành đúng hạn ",
    )  # fmt: skip
    assignment.refresh_from_db()
    assert (assignment.result, assignment.result_note) == (Rating.GOOD, "Hoàn thành đúng hạn")
    assert updated.result == Rating.GOOD
    entry = LogEntry.objects.get_for_object(assignment).order_by("-timestamp").first()
    assert entry.actor == users["ward_secretary"] and "result" in entry.changes_dict


def test_a_result_can_be_corrected(users, assignment):
    services.assignment_record_result(actor=users["staff"], assignment=assignment, result="good")
    services.assignment_record_result(
        actor=users["staff"], assignment=assignment, result="excellent"
    )
    assignment.refresh_from_db()
    assert assignment.result == Rating.EXCELLENT


@pytest.mark.parametrize("bad", ["", "tot", "GOOD", "HTTNV"])
def test_a_result_outside_the_four_ratings_is_refused(users, assignment, bad):
    with pytest.raises(ValidationError) as info:
        services.assignment_record_result(actor=users["staff"], assignment=assignment, result=bad)
    assert "chỉ chọn một trong bốn mức" in info.value.message_dict["result"][0]
    assignment.refresh_from_db()
    assert assignment.result == ""


def test_a_too_long_note_is_refused(users, assignment):
    with pytest.raises(ValidationError) as info:
        services.assignment_record_result(
            actor=users["staff"], assignment=assignment, result="good", result_note="x" * 301
        )
    assert info.value.message_dict["result_note"] == ["Ghi chú kết quả dài tối đa 300 ký tự."]
    assignment.refresh_from_db()
    assert assignment.result == ""


def test_a_result_before_the_year_has_come_is_refused(users, members):
    later = services.assignment_create(
        actor=users["staff"], person=members["a2"], year=YEAR + 1, task="Kế hoạch năm sau"
    )
    with pytest.raises(ValidationError) as info:
        services.assignment_record_result(actor=users["staff"], assignment=later, result="good")
    assert "chưa đến" in str(info.value)
    later.refresh_from_db()
    assert later.result == ""


def test_results_need_change_rights_in_scope_and_not_on_your_own(
    users, assignment, assignment_b, members
):
    for role in ("ward_staff", "leadership", "inspection", "no_role"):
        with pytest.raises(PermissionDenied):
            services.assignment_record_result(
                actor=users[role], assignment=assignment, result="good"
            )
    with pytest.raises(PermissionDenied):
        services.assignment_record_result(
            actor=users["ward_secretary"], assignment=assignment_b, result="good"
        )
    users["ward_secretary"].person = members["a"]
    users["ward_secretary"].save()
    with pytest.raises(PermissionDenied) as info:
        services.assignment_record_result(
            actor=users["ward_secretary"], assignment=assignment, result="excellent"
        )
    assert "chính mình" in str(info.value)
    assert not TaskAssignment.objects.exclude(result="").exists()


def test_only_members_admitted_by_that_year_are_assigned(users, people, members):
    with pytest.raises(ValidationError) as info:
        services.assignment_create(actor=users["staff"], person=people["a"], year=YEAR, task="x")
    assert info.value.message_dict["person"] == ["Chỉ phân công nhiệm vụ cho đảng viên."]
    with pytest.raises(ValidationError) as info:
        services.assignment_create(actor=users["staff"], person=members["a"], year=2000, task="x")
    assert "vào Đảng năm 2001" in info.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as info:
        services.assignment_create(actor=users["staff"], person=members["a"], year=YEAR, task=" ")
    assert info.value.message_dict["task"] == ["Hãy ghi nhiệm vụ được phân công."]
    assert not TaskAssignment.objects.exists()


# --- Members without an assignment ---------------------------------------------------------


def test_members_without_assignment_is_correct(users, tree, members, assignment):
    services.assignment_create(
        actor=users["staff"], person=members["a2"], year=YEAR - 1, task="Năm trước"
    )
    make_person("MNEW", tree.cell_a1, "Mới vào Đảng", party_member_since=dt.date(YEAR + 1, 1, 1))
    make_person("MOLD", tree.cell_a1, "Đã chuyển", party_member_since=JOINED, is_active=False)
    make_person("NOTM", tree.cell_a1, "Quần chúng")
    missing = selectors.members_without_assignment(user=users["staff"], year=YEAR)
    # Assigned last year only (MA2) still lacks this year's task; MB is in ward B.
    assert {p.code for p in missing} == {"MA2", "MB"}
    earlier = selectors.members_without_assignment(user=users["staff"], year=YEAR - 1)
    assert {p.code for p in earlier} == {"MA", "MB"}
    joined_later = selectors.members_without_assignment(user=users["staff"], year=2000)
    assert list(joined_later) == []


def test_members_without_assignment_is_scoped(users, tree, members, cadre):
    for role in ("ward_secretary", "ward_staff"):
        missing = selectors.members_without_assignment(user=users[role], year=YEAR)
        assert {p.code for p in missing} == {"MA", "MA2"}
    in_b = selectors.members_without_assignment(
        user=users["ward_staff"], year=YEAR, unit=tree.ward_b
    )
    assert list(in_b) == []
    assert list(selectors.members_without_assignment(user=cadre, year=YEAR)) == []
    assert list(selectors.members_without_assignment(user=users["inspection"], year=YEAR)) == []


def test_the_members_counts_match_the_list(users, tree, members, assignment):
    counts = provide(unit=tree.root, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    missing = selectors.members_without_assignment(user=users["staff"], year=YEAR)
    assert counts["cadres.members_unassigned"] == missing.count() == 2
    assert counts["cadres.members_assigned"] == 1


def test_the_missing_page_lists_members_and_links_to_the_assignment_form(
    client_for, users, members, assignment
):
    text = (
        client_for(users["ward_staff"])
        .get(reverse("cadres:assignment_list"), {"year": YEAR, "missing": 1})
        .content.decode()
    )
    assert "Đảng viên A hai" in text and "Đảng viên B" not in text
    assert ">Đảng viên A<" not in text
    assert reverse("cadres:assignment_create") not in text  # view only
    secretary = client_for(users["ward_secretary"])
    text = secretary.get(
        reverse("cadres:assignment_list"), {"year": YEAR, "missing": 1}
    ).content.decode()
    assert f"{reverse('cadres:assignment_create')}?person=MA2&amp;year={YEAR}" in text


# --- Pages ---------------------------------------------------------------------------------


def test_assignment_pages_matrix(client, users, assignment, assignment_b):
    check_matrix(client, users, reverse("cadres:assignment_create"), dict.fromkeys(CHANGERS, 200))
    check_matrix(
        client, users, reverse("cadres:assignment_result", args=[assignment.pk]),
        dict.fromkeys(CHANGERS, 200),
    )  # fmt: skip
    check_matrix(
        client, users, reverse("cadres:assignment_result", args=[assignment_b.pk]),
        {"admin": 200, "staff": 200, "ward_secretary": 404},
    )  # fmt: skip


def test_the_result_form_records_the_result(client_for, users, assignment):
    client = client_for(users["ward_secretary"])
    listing = client.get(reverse("cadres:assignment_list"), {"year": YEAR}).content.decode()
    url = reverse("cadres:assignment_result", args=[assignment.pk])
    assert url in listing
    page = client.get(url).content.decode()
    assert "Phụ trách tổ dân phố 5" in page
    response = client.post(url, {"result": "excellent", "result_note": "Vượt chỉ tiêu"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.result, assignment.result_note) == ("excellent", "Vượt chỉ tiêu")
    listing = client.get(reverse("cadres:assignment_list"), {"year": YEAR}).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in listing and "Sửa kết quả" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"result": "tuyet", "result_note": ""}, "Chưa lưu được"),
        ({"result": "", "result_note": ""}, "bắt buộc"),
        ({"result": "good", "result_note": "x" * 301}, "300"),
    ],
)
def test_a_bad_result_on_the_form_shows_a_vietnamese_error_and_saves_nothing(
    client_for, users, assignment, data, message
):
    response = client_for(users["staff"]).post(
        reverse("cadres:assignment_result", args=[assignment.pk]), data
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chưa lưu được" in text and message in text
    assignment.refresh_from_db()
    assert assignment.result == ""


def test_a_ward_viewer_sees_results_without_the_record_link(client_for, users, assignment):
    text = (
        client_for(users["ward_staff"])
        .get(reverse("cadres:assignment_list"), {"year": YEAR})
        .content.decode()
    )
    assert "Phụ trách tổ dân phố 5" in text
    assert reverse("cadres:assignment_result", args=[assignment.pk]) not in text


def test_the_assignment_form_is_prefilled_and_refuses_a_non_member(client_for, users, people):
    make_person("MC", people["a"].unit, "Đảng viên C", party_member_since=JOINED)
    client = client_for(users["ward_secretary"])
    form = client.get(reverse("cadres:assignment_create"), {"person": "MC", "year": YEAR})
    assert 'value="MC"' in form.content.decode()
    bad = client.post(
        reverse("cadres:assignment_create"), {"person": "CBA", "year": YEAR, "task": "x"}
    )
    assert "Chỉ phân công nhiệm vụ cho đảng viên." in bad.content.decode()
    ok = client.post(
        reverse("cadres:assignment_create"), {"person": "mc", "year": YEAR, "task": "Tổ 3"}
    )
    assert ok.status_code == 302
    assert TaskAssignment.objects.get().person.code == "MC"


def test_a_member_cannot_record_their_own_result_through_the_page(client_for, users, members):
    secretary = make_user("bithu_ma", person=members["a"])
    own = services.assignment_create(
        actor=users["staff"], person=members["a"], year=YEAR, task="Tự làm"
    )
    response = client_for(secretary).get(reverse("cadres:assignment_result", args=[own.pk]))
    assert response.status_code == 403  # no cadres role at all
    history = (
        client_for(users["ward_secretary"])
        .get(reverse("cadres:person_history", args=[members["a"].pk]))
        .content.decode()
    )
    assert reverse("cadres:assignment_result", args=[own.pk]) in history


# --- API -----------------------------------------------------------------------------------


def test_the_api_records_a_result(client_for, users, assignment, assignment_b):
    client = client_for(users["ward_secretary"])
    url = f"/api/v1/cadres/assignments/{assignment.pk}/result/"
    ok = client.post(url, {"result": "good"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["result"] == "good"
    bad = client.post(url, {"result": "rat tot"}, content_type="application/json")
    assert bad.status_code == 400 and "chỉ chọn một trong bốn mức" in bad.json()["result"][0]
    other = client.post(
        f"/api/v1/cadres/assignments/{assignment_b.pk}/result/", {"result": "good"},
        content_type="application/json",
    )  # fmt: skip
    assert other.status_code == 404
    assignment_b.refresh_from_db()
    assert assignment_b.result == ""
