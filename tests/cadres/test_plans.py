"""Self-improvement plans: the services, their pages, the public posting and the API action."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres import services
from cadres.models import PlanReview, SelfImprovementPlan
from tests.conftest import make_user
from tests.permissions import check_matrix

from .conftest import make_person

CHANGERS = ["admin", "staff", "ward_secretary"]
VIEWERS = [*CHANGERS, "leadership", "ward_staff"]
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def plan(users, people):
    return services.plan_create(
        actor=users["staff"], person=people["a"], year=LAST_YEAR, commitments="Học tập suốt đời"
    )


@pytest.fixture
def plan_b(users, people):
    return services.plan_create(
        actor=users["staff"], person=people["b"], year=LAST_YEAR, commitments="Gương mẫu"
    )


# --- Services ------------------------------------------------------------------------------


def test_a_cadre_writes_their_own_plan_and_it_is_audited(cadre, people):
    plan = services.plan_create(
        actor=cadre, person=people["a"], year=LAST_YEAR, commitments="  Rèn luyện  "
    )
    assert (plan.unit, plan.commitments) == (people["a"].unit, "Rèn luyện")
    assert LogEntry.objects.get_for_object(plan).get().actor == cadre


def test_a_cadre_cannot_write_someone_elses_plan(cadre, people):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=cadre, person=people["a2"], year=LAST_YEAR, commitments="x")
    assert not SelfImprovementPlan.objects.exists()


@pytest.mark.parametrize("role", ["ward_secretary", "ward_staff", "leadership"])
def test_a_plan_outside_your_scope_is_refused(users, people, role):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=users[role], person=people["b"], year=LAST_YEAR, commitments="x")
    assert not SelfImprovementPlan.objects.exists()


@pytest.mark.parametrize(
    ("year", "commitments", "field", "message"),
    [
        (LAST_YEAR, "   ", "commitments", "Hãy ghi nội dung cam kết."),
        (1999, "x", "year", "Năm không hợp lệ."),
        ("năm nay", "x", "year", "Năm không hợp lệ."),
    ],
)
def test_bad_plans_are_refused_in_vietnamese(users, people, year, commitments, field, message):
    with pytest.raises(ValidationError) as info:
        services.plan_create(
            actor=users["staff"], person=people["a"], year=year, commitments=commitments
        )
    assert info.value.message_dict[field] == [message]
    assert not SelfImprovementPlan.objects.exists()


def test_a_second_plan_for_the_same_year_is_refused(plan, users, people):
    with pytest.raises(ValidationError) as info:
        services.plan_create(
            actor=users["staff"], person=people["a"], year=LAST_YEAR, commitments="Lần hai"
        )
    assert "đã có kế hoạch tu dưỡng năm" in info.value.message_dict["year"][0]
    assert SelfImprovementPlan.objects.count() == 1


def test_the_cell_records_one_review_a_month(plan, users):
    review = services.plan_review(
        actor=users["ward_secretary"], plan=plan, month=3, note=" Thực hiện tốt "
    )
    assert (review.month, review.note) == (3, "Thực hiện tốt")
    with pytest.raises(ValidationError) as info:
        services.plan_review(actor=users["staff"], plan=plan, month=3, note="Lần hai")
    assert info.value.message_dict["month"] == ["Tháng này đã có nhận xét."]
    assert PlanReview.objects.count() == 1


@pytest.mark.parametrize(
    ("month", "note", "field", "message"),
    [
        (13, "x", "month", "Tháng phải từ 1 đến 12."),
        ("ba", "x", "month", "Tháng phải từ 1 đến 12."),
        (4, "  ", "note", "Hãy ghi nhận xét."),
    ],
)
def test_bad_reviews_are_refused_in_vietnamese(plan, users, month, note, field, message):
    with pytest.raises(ValidationError) as info:
        services.plan_review(actor=users["staff"], plan=plan, month=month, note=note)
    assert info.value.message_dict[field] == [message]
    assert not PlanReview.objects.exists()


def test_a_month_that_has_not_begun_cannot_be_reviewed(users, people):
    next_year = timezone.localdate().year + 1
    plan = services.plan_create(
        actor=users["staff"], person=people["a2"], year=next_year, commitments="x"
    )
    with pytest.raises(ValidationError) as info:
        services.plan_review(actor=users["staff"], plan=plan, month=1, note="Sớm quá")
    assert "chưa đến" in info.value.message_dict["month"][0]
    assert not PlanReview.objects.exists()


def test_reviews_need_change_rights_in_scope_and_not_on_your_own_plan(plan, plan_b, users, cadre):
    for actor in (users["ward_staff"], users["leadership"], cadre):
        with pytest.raises(PermissionDenied):
            services.plan_review(actor=actor, plan=plan, month=1, note="x")
    with pytest.raises(PermissionDenied):
        services.plan_review(actor=users["ward_secretary"], plan=plan_b, month=1, note="x")
    secretary = users["ward_secretary"]
    secretary.person = plan.person.unit.people.get(code="CBA2")
    secretary.save()
    own = services.plan_create(
        actor=secretary, person=secretary.person, year=LAST_YEAR, commitments="x"
    )
    with pytest.raises(PermissionDenied) as info:
        services.plan_review(actor=secretary, plan=own, month=1, note="Tự khen")
    assert "chính mình" in str(info.value)
    assert not PlanReview.objects.exists()


# --- Pages ---------------------------------------------------------------------------------


def test_plan_pages_matrix(client, users, plan, plan_b):
    check_matrix(client, users, reverse("cadres:plan_create"), dict.fromkeys(CHANGERS, 200))
    check_matrix(client, users, plan.get_absolute_url(), dict.fromkeys(VIEWERS, 200))
    check_matrix(
        client, users, plan_b.get_absolute_url(),
        {"admin": 200, "staff": 200, "leadership": 200, "ward_secretary": 404, "ward_staff": 404},
    )  # fmt: skip
    check_matrix(
        client, users, reverse("cadres:plan_review", args=[plan.pk]), dict.fromkeys(CHANGERS, 200)
    )
    check_matrix(
        client, users, reverse("cadres:plan_review", args=[plan_b.pk]),
        {"admin": 200, "staff": 200, "ward_secretary": 404},
    )  # fmt: skip


def test_a_cadre_without_a_role_writes_and_reads_their_own_plan(client_for, cadre, people, plan_b):
    client = client_for(cadre)
    form = client.get(reverse("cadres:plan_create"))
    assert form.status_code == 200 and 'value="CBA"' in form.content.decode()
    response = client.post(
        reverse("cadres:plan_create"),
        {"person": "CBA", "year": LAST_YEAR, "commitments": "Đọc sách mỗi ngày"},
    )
    plan = SelfImprovementPlan.objects.get(person=people["a"])
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    listing = client.get(reverse("cadres:plan_list"), {"year": LAST_YEAR}).content.decode()
    assert plan.get_absolute_url() in listing and "Gương mẫu" not in listing
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Đọc sách mỗi ngày" in detail
    assert reverse("cadres:plan_review", args=[plan.pk]) not in detail
    assert client.get(plan_b.get_absolute_url()).status_code == 404
    assert client.get(reverse("cadres:plan_review", args=[plan.pk])).status_code == 403
    other = client.post(
        reverse("cadres:plan_create"), {"person": "CBA2", "year": LAST_YEAR, "commitments": "x"}
    )
    # A colleague's code reads as unknown to a cadre without a role.
    assert other.status_code == 200 and "Không có cán bộ mã “CBA2”." in other.content.decode()
    assert SelfImprovementPlan.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"person": "KHONGCO", "year": LAST_YEAR, "commitments": "x"}, "Không có cán bộ mã"),
        ({"person": "CBA", "year": 1990, "commitments": "x"}, "2000"),
        ({"person": "CBA", "year": LAST_YEAR, "commitments": ""}, "bắt buộc"),
        ({"person": "CBA", "year": LAST_YEAR, "commitments": "x"}, "đã có kế hoạch tu dưỡng"),
    ],
)
def test_bad_plan_form_shows_a_vietnamese_error_and_saves_nothing(
    client_for, users, plan, data, message
):
    response = client_for(users["staff"]).post(reverse("cadres:plan_create"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Chưa lưu được" in text and message in text
    assert SelfImprovementPlan.objects.count() == 1


def test_the_review_form_records_a_month_and_refuses_a_second(client_for, users, plan):
    client = client_for(users["ward_secretary"])
    url = reverse("cadres:plan_review", args=[plan.pk])
    response = client.post(url, {"month": 5, "note": "Chi bộ ghi nhận tiến bộ"})
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    again = client.post(url, {"month": 5, "note": "Lần hai"})
    assert again.status_code == 200 and "Tháng này đã có nhận xét." in again.content.decode()
    bad = client.post(url, {"month": 0, "note": "x"})
    assert bad.status_code == 200 and "Chưa lưu được" in bad.content.decode()
    assert list(plan.reviews.values_list("month", "note")) == [(5, "Chi bộ ghi nhận tiến bộ")]
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Chi bộ ghi nhận tiến bộ" in detail and "Lịch sử thay đổi" in detail


def test_plan_pages_link_to_each_other(client_for, users, people, plan):
    client = client_for(users["staff"])
    listing = client.get(reverse("cadres:plan_list"), {"year": LAST_YEAR}).content.decode()
    assert reverse("cadres:plan_create") in listing and plan.get_absolute_url() in listing
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("cadres:plan_review", args=[plan.pk]) in detail
    history = client.get(reverse("cadres:person_history", args=[people["a"].pk])).content.decode()
    assert plan.get_absolute_url() in history
    assert f"{reverse('cadres:plan_create')}?person=CBA" in history


def test_a_heads_plan_page_links_to_the_public_posting(client_for, users, people):
    plan = services.plan_create(
        actor=users["staff"], person=people["head_a"], year=LAST_YEAR, commitments="Nêu gương"
    )
    text = client_for(users["ward_staff"]).get(plan.get_absolute_url()).content.decode()
    assert reverse("cadres:public_plans", args=["CB-A1"]) in text


# --- The public posting --------------------------------------------------------------------


def test_the_public_page_shows_only_name_position_unit_and_plan(client, users, people, tree):
    head = people["head_a"]
    head.birth_date = dt.date(1971, 4, 30)
    head.party_member_since = dt.date(1995, 9, 2)
    head.save()
    plan = services.plan_create(
        actor=users["staff"], person=head, year=LAST_YEAR, commitments="Nêu gương, sâu sát dân"
    )
    services.plan_review(actor=users["staff"], plan=plan, month=2, note="Nhận xét nội bộ kín")
    services.evaluation_create(actor=users["staff"], person=head, year=LAST_YEAR, month=2)
    other_head = make_person("HEADB", tree.cell_b1, "Vũ Văn Khác", head.position)
    services.plan_create(
        actor=users["staff"], person=other_head, year=LAST_YEAR, commitments="Phường khác"
    )
    retired = make_person("HEADR", tree.cell_a1, "Hà Văn Nghỉ", head.position, is_active=False)
    services.plan_create(
        actor=users["staff"], person=retired, year=LAST_YEAR, commitments="Đã nghỉ"
    )
    services.plan_create(
        actor=users["staff"], person=people["a"], year=LAST_YEAR, commitments="Riêng tư"
    )
    response = client.get(
        reverse("cadres:public_plans", args=["P-A"]), {"year": LAST_YEAR}
    )  # anonymous
    assert response.status_code == 200
    text = response.content.decode()
    for shown in ("Trần Văn Chính", "Bí thư chi bộ", "Chi bộ A1", "Nêu gương, sâu sát dân"):
        assert shown in text
    hidden = [
        "HEADA", "1971", "30/04", "1995", "02/09", "Nhận xét nội bộ kín", "Lê Thị Ánh",
        "Riêng tư", "Vũ Văn Khác", "Phường khác", "Hà Văn Nghỉ", "Đã nghỉ",
        reverse("cadres:person_history", args=[head.pk]), plan.get_absolute_url(),
        "Đăng xuất", "Phiếu đánh giá",
    ]  # fmt: skip
    assert [item for item in hidden if item in text] == []


def test_the_public_page_of_an_unknown_unit_or_year_is_not_found(client, tree):
    assert client.get(reverse("cadres:public_plans", args=["KHONGCO"])).status_code == 404
    url = reverse("cadres:public_plans", args=["P-A"])
    assert client.get(url, {"year": 1800}).status_code == 404


# --- API -----------------------------------------------------------------------------------


def test_the_api_records_a_review_and_lists_it_with_the_plan(client_for, users, plan):
    client = client_for(users["ward_secretary"])
    url = f"/api/v1/cadres/plans/{plan.pk}/review/"
    response = client.post(url, {"month": 2, "note": "Tốt"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["reviews"] == [{"month": 2, "note": "Tốt"}]
    bad = client.post(url, {"month": 14, "note": "x"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json() == {"month": ["Tháng phải từ 1 đến 12."]}
    listed = client.get("/api/v1/cadres/plans/").json()["results"]
    assert listed[0]["reviews"] == [{"month": 2, "note": "Tốt"}]


def test_a_cadre_creates_their_plan_through_the_api_but_cannot_review_it(client_for, people):
    cadre = make_user("canbo_api", person=people["a"])
    client = client_for(cadre)
    created = client.post(
        "/api/v1/cadres/plans/",
        {"person": "CBA", "year": LAST_YEAR, "commitments": "Học ngoại ngữ"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    review = client.post(
        f"/api/v1/cadres/plans/{created.json()['id']}/review/",
        {"month": 1, "note": "Tự khen"},
        content_type="application/json",
    )
    assert review.status_code == 403
    assert not PlanReview.objects.exists()
