import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from cadres import services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation, EvaluationRevision
from tests.conftest import make_user

from .conftest import make_person, self_assessed_month


def test_the_full_workflow_is_audited_with_actors(approved, users, cadre):
    approved.refresh_from_db()
    assert approved.status == EvaluationStatus.APPROVED
    assert approved.rating == Rating.GOOD
    assert approved.approved_by == users["staff"]
    assert approved.assessed_by == users["ward_secretary"]
    actors = [e.actor for e in LogEntry.objects.get_for_object(approved).order_by("timestamp")]
    assert actors == [users["staff"], cadre, users["ward_secretary"], users["staff"]]


def test_the_unit_is_the_persons_unit_at_the_time(evaluation, people, tree):
    assert evaluation.unit == tree.cell_a1
    people["a"].unit = tree.cell_b1
    people["a"].save()
    evaluation.refresh_from_db()
    assert evaluation.unit == tree.cell_a1


def test_a_second_evaluation_for_the_same_month_is_refused(evaluation, users, people):
    with pytest.raises(ValidationError) as info:
        services.evaluation_create(actor=users["staff"], person=people["a"], year=2026, month=3)
    assert "đã có phiếu đánh giá tháng 03/2026" in str(info.value)
    assert Evaluation.objects.count() == 1


def test_a_cadre_may_open_their_own_month_but_not_anothers(cadre, people):
    own = services.evaluation_create(actor=cadre, person=people["a"], year=2026, month=4)
    assert own.person == people["a"]
    with pytest.raises(PermissionDenied):
        services.evaluation_create(actor=cadre, person=people["a2"], year=2026, month=4)
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize("bad", ["", "xuat sac", "EXCELLENT", "very_good"])
def test_a_rating_outside_the_four_is_refused_in_vietnamese(evaluation, cadre, bad):
    with pytest.raises(ValidationError) as info:
        services.evaluation_self_assess(
            actor=cadre, evaluation=evaluation, self_assessment="x", self_rating=bad
        )
    assert "không hợp lệ; chỉ chọn một trong bốn mức" in str(info.value)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.self_rating == ""


def test_approving_your_own_evaluation_is_refused(assessed, people, users, cadre):
    cadre.person = None
    cadre.save()
    users["staff"].person = people["a"]
    users["staff"].save()
    with pytest.raises(PermissionDenied) as info:
        services.evaluation_approve(actor=users["staff"], evaluation=assessed)
    assert "Không được tự phê duyệt" in str(info.value)
    assessed.refresh_from_db()
    assert assessed.status == EvaluationStatus.ASSESSED


@pytest.mark.parametrize("role", ["ward_secretary", "ward_staff", "leadership", "inspection"])
def test_evaluating_someone_outside_your_scope_is_refused(users, people, role):
    with pytest.raises(PermissionDenied) as info:
        services.evaluation_create(actor=users[role], person=people["b"], year=2026, month=3)
    assert "Bạn không có quyền" in str(info.value)
    assert not Evaluation.objects.exists()


def test_a_ward_secretary_cannot_assess_another_wards_cadre(users, people):
    other = services.evaluation_create(actor=users["staff"], person=people["b"], year=2026, month=3)
    services.evaluation_self_assess(
        actor=users["staff"], evaluation=other, self_assessment="x", self_rating=Rating.GOOD
    )
    with pytest.raises(PermissionDenied):
        services.evaluation_assess(
            actor=users["ward_secretary"], evaluation=other, superior_assessment="",
            proposed_rating=Rating.GOOD,
        )  # fmt: skip
    other.refresh_from_db()
    assert other.status == EvaluationStatus.SELF_ASSESSED


def test_only_the_cadre_or_staff_may_self_assess(evaluation, people):
    stranger = make_user("stranger", person=people["a2"])
    with pytest.raises(PermissionDenied):
        services.evaluation_self_assess(
            actor=stranger, evaluation=evaluation, self_assessment="x", self_rating=Rating.GOOD
        )


def test_editing_a_locked_month_is_refused(approved, cadre, users):
    for call in (
        lambda: services.evaluation_self_assess(
            actor=cadre, evaluation=approved, self_assessment="x", self_rating=Rating.EXCELLENT
        ),
        lambda: services.evaluation_assess(
            actor=users["staff"], evaluation=approved, superior_assessment="x",
            proposed_rating=Rating.EXCELLENT,
        ),
        lambda: services.evaluation_return(actor=users["staff"], evaluation=approved, reason="x"),
        lambda: services.evaluation_approve(actor=users["staff"], evaluation=approved),
    ):  # fmt: skip
        with pytest.raises(ValidationError) as info:
            call()
        assert "đã được phê duyệt và khóa" in str(info.value)
    approved.refresh_from_db()
    assert approved.rating == Rating.GOOD and approved.self_rating == Rating.GOOD


def test_a_locked_month_changes_only_through_a_revision_with_a_reason(approved, users):
    with pytest.raises(ValidationError) as info:
        services.evaluation_revise(
            actor=users["staff"], evaluation=approved, rating=Rating.EXCELLENT, reason=" "
        )
    assert "phải có lý do" in str(info.value)
    revision = services.evaluation_revise(
        actor=users["staff"], evaluation=approved, rating=Rating.EXCELLENT,
        reason="Kết luận 12-KL/QU",
    )  # fmt: skip
    approved.refresh_from_db()
    assert approved.rating == Rating.EXCELLENT
    assert (revision.old_rating, revision.new_rating) == (Rating.GOOD, Rating.EXCELLENT)
    assert revision.revised_by == users["staff"]
    entry = LogEntry.objects.get_for_object(approved).order_by("-timestamp").first()
    assert entry.additional_data == {"reason": "Kết luận 12-KL/QU"}


def test_an_open_month_cannot_be_revised(assessed, users):
    with pytest.raises(ValidationError):
        services.evaluation_revise(
            actor=users["staff"], evaluation=assessed, rating=Rating.EXCELLENT, reason="x"
        )
    assert not EvaluationRevision.objects.exists()


def test_return_needs_a_reason_and_goes_back_to_draft(self_assessed, users):
    with pytest.raises(ValidationError):
        services.evaluation_return(
            actor=users["ward_secretary"], evaluation=self_assessed, reason=""
        )
    returned = services.evaluation_return(
        actor=users["ward_secretary"], evaluation=self_assessed, reason="Bổ sung kết quả"
    )
    assert returned.status == EvaluationStatus.DRAFT
    assert returned.returned_reason == "Bổ sung kết quả"


def test_skipping_a_step_is_a_clear_error(evaluation, users):
    with pytest.raises(ValidationError) as info:
        services.evaluation_approve(actor=users["staff"], evaluation=evaluation)
    assert "Không thể chuyển từ trạng thái" in str(info.value)


def _unit_people(tree, count):
    return [make_person(f"G{n:03d}", tree.cell_a1, f"Cán bộ số {n}") for n in range(count)]


def test_bulk_approve_saves_a_whole_unit_month(users, tree):
    people = _unit_people(tree, 55)
    self_assessed_month(users["staff"], people, year=2026, month=5)
    ratings = {p.pk: Rating.GOOD for p in people}
    saved = services.evaluation_bulk_approve(
        actor=users["ward_secretary"], unit=tree.ward_a, year=2026, month=5, ratings=ratings
    )
    assert len(saved) == 55
    assert Evaluation.objects.filter(status=EvaluationStatus.APPROVED, month=5).count() == 55


def test_bulk_approve_is_all_or_nothing(users, tree, people):
    crowd = _unit_people(tree, 52)
    self_assessed_month(users["staff"], crowd, year=2026, month=5)
    ratings = {p.pk: Rating.GOOD for p in crowd}
    ratings[crowd[10].pk] = "tot"
    ratings[people["b"].pk] = Rating.GOOD  # outside ward A
    with pytest.raises(ValidationError) as info:
        services.evaluation_bulk_approve(
            actor=users["ward_secretary"], unit=tree.ward_a, year=2026, month=5, ratings=ratings
        )
    errors = info.value.message_dict
    assert set(errors) == {str(crowd[10].pk), str(people["b"].pk)}
    assert "không hợp lệ" in errors[str(crowd[10].pk)][0]
    assert not Evaluation.objects.filter(status=EvaluationStatus.APPROVED).exists()


def test_bulk_approve_refuses_missing_and_draft_months_per_row(users, tree, people, evaluation):
    """Self-assessment is not optional: the grid approves self-assessed and assessed months only."""
    self_assessed, assessed = _unit_people(tree, 2)
    _, to_assess = self_assessed_month(
        users["staff"], [self_assessed, assessed], year=2026, month=3
    )
    services.evaluation_assess(
        actor=users["staff"], evaluation=to_assess, superior_assessment="",
        proposed_rating=Rating.GOOD,
    )  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.evaluation_bulk_approve(
            actor=users["ward_secretary"], unit=tree.ward_a, year=2026, month=3,
            ratings={
                people["a"].pk: Rating.GOOD,  # a draft month
                people["a2"].pk: Rating.GOOD,  # no evaluation at all
                self_assessed.pk: Rating.GOOD,
                assessed.pk: Rating.GOOD,
            },
        )  # fmt: skip
    errors = info.value.message_dict
    assert set(errors) == {str(people["a"].pk), str(people["a2"].pk)}
    assert "chưa tự đánh giá" in errors[str(people["a"].pk)][0]
    assert "chưa có phiếu đánh giá" in errors[str(people["a2"].pk)][0]
    assert not Evaluation.objects.filter(status=EvaluationStatus.APPROVED).exists()
    assert Evaluation.objects.count() == 3  # nothing created for the missing month
    saved = services.evaluation_bulk_approve(
        actor=users["ward_secretary"], unit=tree.ward_a, year=2026, month=3,
        ratings={self_assessed.pk: Rating.EXCELLENT, assessed.pk: Rating.GOOD},
    )  # fmt: skip
    assert {e.person_id: e.rating for e in saved} == {
        self_assessed.pk: Rating.EXCELLENT, assessed.pk: Rating.GOOD,
    }  # fmt: skip
    assert all(e.status == EvaluationStatus.APPROVED for e in saved)


def test_a_month_never_self_assessed_is_rated_only_explicitly_with_a_reason(
    evaluation, users, people
):
    with pytest.raises(ValidationError) as info:
        services.evaluation_rate_unassessed(
            actor=users["staff"], evaluation=evaluation, rating=Rating.NOT_COMPLETED, reason=" "
        )
    assert "phải có lý do" in str(info.value)
    rated = services.evaluation_rate_unassessed(
        actor=users["staff"], evaluation=evaluation, rating=Rating.NOT_COMPLETED,
        reason="Không nộp bản tự đánh giá dù đã nhắc hai lần",
    )  # fmt: skip
    rated.refresh_from_db()
    assert (rated.status, rated.rating) == (EvaluationStatus.APPROVED, Rating.NOT_COMPLETED)
    assert rated.unassessed_reason == "Không nộp bản tự đánh giá dù đã nhắc hai lần"
    assert rated.approved_by == users["staff"] and rated.self_assessed_at is None
    entry = LogEntry.objects.get_for_object(rated).order_by("-timestamp").first()
    assert entry.actor == users["staff"]
    assert entry.additional_data == {"reason": "Không nộp bản tự đánh giá dù đã nhắc hai lần"}


def test_the_explicit_rating_is_only_for_drafts_in_scope_and_not_ones_own(
    self_assessed, users, people
):
    with pytest.raises(ValidationError) as info:  # self-assessed: the normal steps apply
        services.evaluation_rate_unassessed(
            actor=users["staff"], evaluation=self_assessed, rating=Rating.GOOD, reason="x"
        )
    assert "Không thể chuyển từ trạng thái" in str(info.value)
    other = services.evaluation_create(actor=users["staff"], person=people["b"], year=2026, month=3)
    with pytest.raises(PermissionDenied):
        services.evaluation_rate_unassessed(
            actor=users["ward_secretary"], evaluation=other, rating=Rating.GOOD, reason="x"
        )
    users["staff"].person = people["b"]
    users["staff"].save()
    with pytest.raises(PermissionDenied):
        services.evaluation_rate_unassessed(
            actor=users["staff"], evaluation=other, rating=Rating.GOOD, reason="x"
        )
    assert not Evaluation.objects.filter(status=EvaluationStatus.APPROVED).exists()


def test_bulk_approve_refuses_your_own_row_and_a_locked_change(approved, users, tree, people):
    users["ward_secretary"].person = people["a2"]
    users["ward_secretary"].save()
    with pytest.raises(ValidationError) as info:
        services.evaluation_bulk_approve(
            actor=users["ward_secretary"], unit=tree.ward_a, year=2026, month=3,
            ratings={people["a2"].pk: Rating.GOOD, people["a"].pk: Rating.EXCELLENT},
        )  # fmt: skip
    errors = info.value.message_dict
    assert "Không được tự phê duyệt" in errors[str(people["a2"].pk)][0]
    assert "đã được phê duyệt và khóa" in errors[str(people["a"].pk)][0]
    assert Evaluation.objects.count() == 1


def test_ward_staff_cannot_bulk_approve(users, tree):
    with pytest.raises(PermissionDenied):
        services.evaluation_bulk_approve(
            actor=users["ward_staff"], unit=tree.ward_a, year=2026, month=5, ratings={}
        )
