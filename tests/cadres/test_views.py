import pytest
from django.urls import reverse
from django.utils import timezone

from cadres import services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation
from longbien.org.models import Position
from tests.permissions import check_matrix

from .conftest import make_person, self_assessed_month

VIEWERS = ["admin", "staff", "leadership", "ward_secretary", "ward_staff"]
CHANGERS = ["admin", "staff", "ward_secretary"]
ALL_VIEW = dict.fromkeys(VIEWERS, 200)
ALL_CHANGE = dict.fromkeys(CHANGERS, 200)
DISTRICT_VIEW = dict.fromkeys(["admin", "staff", "leadership"], 200)
WARD_404 = {"ward_secretary": 404, "ward_staff": 404}


@pytest.fixture
def evaluation_b(users, people):
    return services.evaluation_create(actor=users["staff"], person=people["b"], year=2026, month=3)


def test_list_pages_matrix(client, users, people):
    for name in (
        "evaluation_list", "distribution", "decision_list", "test_list", "plan_list",
        "assignment_list", "training_list",
    ):  # fmt: skip
        check_matrix(client, users, reverse(f"cadres:{name}"), ALL_VIEW)
    check_matrix(client, users, reverse("cadres:assignment_list") + "?missing=1", ALL_VIEW)


def test_change_pages_matrix(client, users, people):
    for name in ("evaluation_create", "evaluation_grid", "decision_create"):
        check_matrix(client, users, reverse(f"cadres:{name}"), ALL_CHANGE)


def test_other_wards_unit_is_not_found_on_grid_and_distribution(client, users, tree):
    # Another ward's code reads as an unknown one (404 for both): its existence is not told.
    check_matrix(
        client, users, reverse("cadres:evaluation_grid") + "?unit=P-B",
        {"admin": 200, "staff": 200, "ward_secretary": 404},
    )  # fmt: skip
    check_matrix(
        client, users, reverse("cadres:distribution") + "?unit=P-B",
        {**DISTRICT_VIEW, "ward_secretary": 404, "ward_staff": 404},
    )  # fmt: skip
    check_matrix(
        client, users, reverse("cadres:evaluation_grid") + "?unit=KHONG-CO",
        {"admin": 404, "staff": 404, "ward_secretary": 404},
    )  # fmt: skip


def test_detail_and_history_outside_the_ward_are_not_found(client, users, evaluation_b, people):
    check_matrix(
        client, users, reverse("cadres:evaluation_detail", args=[evaluation_b.pk]),
        {**DISTRICT_VIEW, **WARD_404},
    )  # fmt: skip
    check_matrix(
        client, users, reverse("cadres:person_history", args=[people["b"].pk]),
        {**DISTRICT_VIEW, **WARD_404},
    )  # fmt: skip


def test_detail_inside_the_ward(client, users, evaluation):
    # A colleague's evaluation is not the ward staff's to read: unknown to them (404).
    check_matrix(
        client, users, reverse("cadres:evaluation_detail", args=[evaluation.pk]),
        {**ALL_VIEW, "ward_staff": 404},
    )  # fmt: skip


def test_workflow_step_pages_matrix(client, users, evaluation):
    for name in ("evaluation_self_assess", "evaluation_assess", "evaluation_approve",
                 "evaluation_return", "evaluation_revise",
                 "evaluation_rate_unassessed"):  # fmt: skip
        check_matrix(
            client, users, reverse(f"cadres:{name}", args=[evaluation.pk]),
            {**ALL_CHANGE, "leadership": 403, "ward_staff": 404},
        )  # fmt: skip


def test_public_plans_page_needs_no_login_and_lists_only_heads(client, users, people, tree):
    services.plan_create(
        actor=users["staff"], person=people["head_a"], year=2026, commitments="Nêu gương"
    )
    services.plan_create(
        actor=users["staff"], person=people["a"], year=2026, commitments="Riêng tư"
    )
    url = reverse("cadres:public_plans", args=["P-A"]) + "?year=2026"
    check_matrix(
        client,
        users,
        url,
        dict.fromkeys([*VIEWERS, "inspection", "mass_mobilisation", "no_role"], 200),
        anonymous=200,
    )
    text = client.get(url).content.decode()
    assert "Trần Văn Chính" in text and "Nêu gương" in text
    assert "Lê Thị Ánh" not in text and "Riêng tư" not in text
    assert "CBA" not in text  # no codes or other personal data


def test_a_cadre_without_a_role_sees_only_their_own(client_for, cadre, people, users):
    own = services.evaluation_create(actor=cadre, person=people["a"], year=2026, month=1)
    other = services.evaluation_create(
        actor=users["staff"], person=people["a2"], year=2026, month=1
    )
    client = client_for(cadre)
    text = client.get(reverse("cadres:evaluation_list")).content.decode()
    assert reverse("cadres:evaluation_detail", args=[own.pk]) in text
    assert reverse("cadres:evaluation_detail", args=[other.pk]) not in text
    assert client.get(reverse("cadres:evaluation_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("cadres:evaluation_grid")).status_code == 403
    assert client.get(reverse("cadres:distribution")).status_code == 403
    response = client.post(
        reverse("cadres:evaluation_self_assess", args=[own.pk]),
        {"self_assessment": "Hoàn thành tốt", "self_rating": Rating.EXCELLENT},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == EvaluationStatus.SELF_ASSESSED
    history = client.get(reverse("cadres:person_history", args=[people["a"].pk]))
    assert history.status_code == 200
    assert client.get(reverse("cadres:person_history", args=[people["a2"].pk])).status_code == 404


def test_bad_rating_on_a_form_shows_a_vietnamese_error(client_for, users, evaluation):
    response = client_for(users["staff"]).post(
        reverse("cadres:evaluation_self_assess", args=[evaluation.pk]),
        {"self_assessment": "x", "self_rating": "tuyet_voi"},
    )
    assert response.status_code == 200
    assert "Chưa lưu được" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT


def test_duplicate_month_on_the_form_is_refused(client_for, users, evaluation, people):
    response = client_for(users["staff"]).post(
        reverse("cadres:evaluation_create"), {"person": "cba", "year": 2026, "month": 3}
    )
    assert response.status_code == 200
    assert "đã có phiếu đánh giá tháng 03/2026" in response.content.decode()
    assert Evaluation.objects.count() == 1


def test_detail_shows_timeline_and_audit_reason(client_for, users, approved):
    services.evaluation_revise(
        actor=users["staff"], evaluation=approved, rating=Rating.EXCELLENT, reason="Theo kết luận"
    )
    text = client_for(users["leadership"]).get(approved.get_absolute_url()).content.decode()
    assert "Điều chỉnh" in text and "Theo kết luận" in text
    assert "Lịch sử thay đổi" in text and "Tệp đính kèm" in text


def test_detail_shows_a_position_only_when_the_person_has_one(client_for, users, evaluation):
    person = evaluation.person
    person.position = None
    person.save(update_fields=["position"])
    url = reverse("cadres:evaluation_detail", args=[evaluation.pk])
    text = client_for(users["staff"]).get(url).content.decode()
    assert f"{person.full_name}</a> (" not in text
    person.position = Position.objects.get_or_create(name="Bí thư chi bộ")[0]
    person.save(update_fields=["position"])
    text = client_for(users["staff"]).get(url).content.decode()
    assert f"{person.full_name}</a> (Bí thư chi bộ)" in text


def _crowd(tree, count=55):
    return [make_person(f"G{n:03d}", tree.cell_a1, f"Cán bộ số {n}") for n in range(count)]


def test_grid_approves_55_ticked_rows_in_one_submit(client_for, users, tree):
    """The selection and its confirmation are pinned in tests/cadres/test_grid.py."""
    crowd = _crowd(tree)
    for evaluation in self_assessed_month(users["staff"], crowd, year=2026, month=6):
        services.evaluation_assess(
            actor=users["staff"], evaluation=evaluation, superior_assessment="Tốt",
            proposed_rating=Rating.GOOD,
        )  # fmt: skip
    client = client_for(users["ward_secretary"])
    url = reverse("cadres:evaluation_grid")
    page = client.get(url, {"unit": "P-A", "year": 2026, "month": 6})
    assert page.content.decode().count('class="grid-rating"') == 55
    ids = list(Evaluation.objects.filter(year=2026, month=6).values_list("pk", flat=True))
    data = {"unit": "P-A", "year": 2026, "month": 6, "selected": ids, "confirmed": "1"}
    first = Evaluation.objects.get(person=crowd[0], year=2026, month=6)
    data[f"rating-{first.pk}"] = Rating.EXCELLENT
    response = client.post(url, data)
    assert response.status_code == 302
    approved = Evaluation.objects.filter(year=2026, month=6, status=EvaluationStatus.APPROVED)
    assert approved.count() == 55
    assert approved.get(person=crowd[0]).rating == Rating.EXCELLENT
    again = client.get(url, {"unit": "P-A", "year": 2026, "month": 6}).content.decode()
    assert again.count(">đã khóa<") == 55


def test_grid_lists_missing_draft_and_unrated_months_without_a_box(client_for, users, people):
    """Such rows are shown, explained, and not approvable from the grid."""
    (open_row,) = self_assessed_month(users["staff"], [people["a2"]], year=2026, month=3)
    services.evaluation_create(actor=users["staff"], person=people["a"], year=2026, month=3)
    client = client_for(users["ward_secretary"])
    url = reverse("cadres:evaluation_grid")
    text = client.get(url, {"unit": "P-A", "year": 2026, "month": 3}).content.decode()
    assert 'class="grid-select"' not in text and 'class="grid-rating"' not in text
    assert "Cấp trên chưa nhận xét, đề xuất: chưa phê duyệt được trên bảng" in text
    assert "Cán bộ chưa tự đánh giá: chưa phê duyệt được trên bảng" in text
    assert "Cán bộ chưa có phiếu đánh giá tháng này" in text
    assert "Bảng này chỉ phê duyệt phiếu cấp trên đã nhận xét" in text
    assert "Xếp loại khi cán bộ không tự đánh giá" in text  # where the exception lies
    open_row.refresh_from_db()
    assert open_row.status == EvaluationStatus.SELF_ASSESSED


@pytest.mark.parametrize(
    ("year", "month", "message"),
    [
        ("2026", "13", "Tháng “13” không hợp lệ"),
        ("2026", "0", "Tháng “0” không hợp lệ"),
        ("2026", "ba", "Tháng “ba” không hợp lệ"),
        ("1999", "3", "Năm “1999” không hợp lệ"),
        ("hai nghìn", "3", "Năm “hai nghìn” không hợp lệ"),
    ],
)
def test_grid_with_an_invalid_period_is_a_400_and_approves_nothing(
    client_for, users, tree, year, month, message
):
    today = timezone.localdate()
    crowd = _crowd(tree, 3)
    # The current month is ready: the old fall back would have approved it.
    self_assessed_month(users["staff"], crowd, year=today.year, month=today.month)
    client = client_for(users["ward_secretary"])
    url = reverse("cadres:evaluation_grid")
    page = client.get(url, {"unit": "P-A", "year": year, "month": month})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert 'class="grid-rating"' not in page.content.decode()
    data = {"unit": "P-A", "year": year, "month": month}
    data.update({f"rating-{p.pk}": Rating.GOOD for p in crowd})
    posted = client.post(url, data)
    assert posted.status_code == 400
    assert message in posted.content.decode() and "không lưu gì" in posted.content.decode()
    assert not Evaluation.objects.filter(status=EvaluationStatus.APPROVED).exists()


def test_the_explicit_rating_page_needs_a_reason_and_shows_it(client_for, users, evaluation):
    client = client_for(users["staff"])
    detail = client.get(evaluation.get_absolute_url()).content.decode()
    url = reverse("cadres:evaluation_rate_unassessed", args=[evaluation.pk])
    assert url in detail
    missing = client.post(url, {"rating": Rating.NOT_COMPLETED, "reason": ""})
    assert missing.status_code == 200 and "Chưa lưu được" in missing.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    done = client.post(url, {"rating": Rating.NOT_COMPLETED, "reason": "Nghỉ ốm cả tháng"})
    assert done.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.APPROVED
    text = client.get(evaluation.get_absolute_url()).content.decode()
    assert "Xếp loại khi cán bộ không tự đánh giá (Nghỉ ốm cả tháng)" in text
    assert url not in text  # locked now: only a revision changes it


def test_distribution_page_total_reads_exactly_100(client_for, users, tree):
    """The article's 1,004 months: 28,0 + 70,2 + 1,2 + 0,6 and a total row of 100,0%."""
    ratings = (
        [Rating.EXCELLENT] * 281 + [Rating.GOOD] * 705 + [Rating.COMPLETED] * 12
        + [Rating.NOT_COMPLETED] * 6
    )  # fmt: skip
    crowd = _crowd(tree, 84)  # 84 cadres × 12 months = 1,008 slots
    slots = [(person, month) for person in crowd for month in range(1, 13)]
    Evaluation.objects.bulk_create(
        Evaluation(
            person=person, unit=person.unit, year=2025, month=month, self_rating=rating,
            proposed_rating=rating, rating=rating, status=EvaluationStatus.APPROVED,
        )
        for (person, month), rating in zip(slots, ratings, strict=False)
    )  # fmt: skip
    text = (
        client_for(users["leadership"])
        .get(reverse("cadres:distribution"), {"unit": "QU", "year": 2025})
        .content.decode()
    )
    table = text[text.index('id="distribution"') :]
    table = table[: table.index("</table>")]
    for share in ("28,0%", "70,2%", "1,2%", "0,6%", "100,0%"):
        assert share in table, share
    assert "1.004" in table


def test_list_pages_query_count_does_not_grow(
    client_for, users, tree, django_assert_max_num_queries
):
    crowd = _crowd(tree, 60)
    self_assessed_month(users["staff"], crowd, year=2026, month=2)
    services.evaluation_bulk_approve(
        actor=users["staff"], unit=tree.ward_a, year=2026, month=2,
        ratings={p.pk: Rating.GOOD for p in crowd},
    )  # fmt: skip
    client = client_for(users["staff"])
    for url in (
        reverse("cadres:evaluation_list"),
        reverse("cadres:evaluation_grid") + "?unit=P-A&year=2026&month=2",
        reverse("cadres:distribution") + "?unit=QU&year=2026",
        reverse("cadres:decision_list"),
        reverse("cadres:plan_list"),
        reverse("cadres:assignment_list") + "?missing=1",
        reverse("cadres:test_list"),
        reverse("cadres:training_list"),
    ):
        with django_assert_max_num_queries(14):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_grid_asks_for_a_smaller_unit_when_there_are_too_many_cadres(
    client_for, users, tree, settings
):
    from longbien.org.models import Person

    settings.EVALUATION_GRID_MAX_ROWS = 3
    for n in range(4):
        Person(code=f"GX{n}", full_name=f"Người {n}", sex="male", unit=tree.cell_a1).save()
    page = client_for(users["staff"]).get("/can-bo-danh-gia/bang-duyet/?unit=P-A&year=2026&month=3")
    text = page.content.decode()
    assert page.status_code == 200 and "quá nhiều cho một bảng duyệt" in text
    assert "grid-rating" not in text


def test_the_distribution_refuses_an_invalid_year_instead_of_showing_another(client_for, users):
    response = client_for(users["staff"]).get(
        "/can-bo-danh-gia/phan-bo/", {"unit": "QU", "year": "20x9"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Năm “20x9” không hợp lệ" in page and 'id="period-errors"' in page
    assert "phiếu đánh giá đã phê duyệt" not in page


def test_list_pages_say_an_invalid_year_or_month_is_invalid(client_for, users):
    client = client_for(users["staff"])
    page = client.get("/can-bo-danh-gia/", {"year": "2026", "month": "13"}).content.decode()
    assert "Tháng “13” không hợp lệ" in page
    page = client.get(reverse("cadres:plan_list"), {"year": "1899"}).content.decode()
    assert "Năm “1899” không hợp lệ" in page
