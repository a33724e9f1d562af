"""The evaluation's workflow is declared once and drives the page, the API and the services.

For every state and every kind of user, the buttons on the evaluation page, the API actions
that succeed and the service calls that succeed are the same set: the table's
``available(user, evaluation)``. An invalid move is a clear Vietnamese error that changes
nothing; the import reaches only states the table reaches.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadres import services
from cadres.choices import EvaluationStatus as S
from cadres.choices import Rating
from cadres.models import Evaluation
from cadres.workflows import EVALUATION_WORKFLOW as WORKFLOW
from cadres.workflows import OWN_ACTIONS
from longbien.org.choices import Role
from tests.conftest import make_user

BASE = "/api/v1/cadres/"
JSON = {"content_type": "application/json"}

# The record put back in each state before every attempt (test setup only).
STATES = {
    S.DRAFT: {"status": S.DRAFT, "self_rating": "", "proposed_rating": "", "rating": ""},
    S.SELF_ASSESSED: {
        "status": S.SELF_ASSESSED,
        "self_rating": Rating.GOOD,
        "proposed_rating": "",
        "rating": "",
    },  # fmt: skip
    S.ASSESSED: {
        "status": S.ASSESSED,
        "self_rating": Rating.GOOD,
        "proposed_rating": Rating.GOOD,
        "rating": "",
    },  # fmt: skip
    S.APPROVED: {
        "status": S.APPROVED,
        "self_rating": Rating.GOOD,
        "proposed_rating": Rating.GOOD,
        "rating": Rating.GOOD,
    },  # fmt: skip
}
# Every role, the cadre themself (no role, person A) and a staff member on their own month
# (person A2).
WHO = ["admin", "staff", "leadership", "inspection", "mass_mobilisation", "ward_secretary",
       "ward_staff", "no_role", "the_cadre", "staff_on_own_month"]  # fmt: skip
STAFF_LIKE = {"admin", "staff", "ward_secretary"}
# The table, written out: what each kind of user may do in each state.
EXPECTED = {
    S.DRAFT: {
        **{who: {"self_assess", "rate_unassessed"} for who in STAFF_LIKE},
        "the_cadre": {"self_assess"}, "staff_on_own_month": {"self_assess"},
    },
    S.SELF_ASSESSED: {
        **{who: {"assess", "return", "bulk_approve"} for who in STAFF_LIKE},
        "staff_on_own_month": {"return"},
    },
    S.ASSESSED: {
        **{who: {"approve", "return", "bulk_approve"} for who in STAFF_LIKE},
        "staff_on_own_month": {"return"},
    },
    S.APPROVED: {who: {"revise"} for who in STAFF_LIKE},
}  # fmt: skip
# The API's workflow actions (existing URLs) and each step's valid input.
API = {
    "self_assess": ("self-assess", {"self_assessment": "Đã làm", "self_rating": "good"}),
    "assess": ("assess", {"proposed_rating": "good"}),
    "approve": ("approve", {}),
    "return": ("return", {"reason": "Bổ sung"}),
}


def _service_calls(evaluation):
    """Each transition's service with valid input (a changed rating where one must change)."""
    return {
        "self_assess": lambda actor: services.evaluation_self_assess(
            actor=actor, evaluation=evaluation, self_assessment="Đã làm", self_rating=Rating.GOOD
        ),
        "assess": lambda actor: services.evaluation_assess(
            actor=actor, evaluation=evaluation, superior_assessment="", proposed_rating=Rating.GOOD
        ),
        "approve": lambda actor: services.evaluation_approve(actor=actor, evaluation=evaluation),
        "return": lambda actor: services.evaluation_return(
            actor=actor, evaluation=evaluation, reason="Bổ sung"
        ),
        "rate_unassessed": lambda actor: services.evaluation_rate_unassessed(
            actor=actor, evaluation=evaluation, rating=Rating.GOOD, reason="Nghỉ ốm"
        ),
        "revise": lambda actor: services.evaluation_revise(
            actor=actor, evaluation=evaluation, rating=Rating.EXCELLENT, reason="Kết luận"
        ),
        "bulk_approve": lambda actor: (
            services.evaluation_bulk_approve(
                actor=actor,
                unit=evaluation.unit,
                year=evaluation.year,
                month=evaluation.month,
                ratings={evaluation.person_id: Rating.EXCELLENT},
            )  # fmt: skip
            or None
        ),  # nothing approved is no move
    }


@pytest.fixture
def actors(users, people, tree):
    staff_on_own_month = make_user("staff_own", Role.STAFF, tree.root, person=people["a2"])
    return {
        **users,
        "the_cadre": make_user("cadre_own", person=people["a"]),
        "staff_on_own_month": staff_on_own_month,
    }


def _fresh(actor):
    """The user as a request would load it (no cached scope)."""
    return type(actor).objects.get(pk=actor.pk)


def _put(evaluation, state):
    Evaluation.objects.filter(pk=evaluation.pk).update(**STATES[state])
    return Evaluation.objects.select_related("person", "unit").get(pk=evaluation.pk)


def test_the_table_is_complete():
    assert {t.name for t in WORKFLOW} == {
        "self_assess", "assess", "approve", "return", "rate_unassessed", "revise", "bulk_approve",
    }  # fmt: skip
    assert OWN_ACTIONS == ("self_assess",)
    assert set(WORKFLOW.as_dict()) == set(STATES)


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("who", WHO)
def test_buttons_api_and_services_all_follow_the_table(client, actors, people, state, who):
    actor = actors[who]
    # The month evaluated is the actor's own for the cadre and the staff member on their own.
    person = people["a2"] if who == "staff_on_own_month" else people["a"]
    evaluation = services.evaluation_create(
        actor=actors["staff"], person=person, year=2026, month=5
    )
    evaluation = _put(evaluation, state)
    available = {t.name for t in WORKFLOW.available(_fresh(actor), evaluation)}
    assert available == EXPECTED[state].get(who, set()), (state, who)

    # The page: one button per step offered on the page.
    client.force_login(actor, backend="longbien.org.backends.PersonModelBackend")
    page = client.get(evaluation.get_absolute_url())
    html = page.content.decode() if page.status_code == 200 else ""
    shown = {
        t.name for t in WORKFLOW if t.url_name
        and f'href="{reverse(t.url_name, args=[evaluation.pk])}"' in html
    }  # fmt: skip
    assert shown == {t.name for t in WORKFLOW.available(_fresh(actor), evaluation, buttons=True)}

    # The API: the workflow actions that succeed.
    permitted = set()
    for name, (path, payload) in API.items():
        _put(evaluation, state)
        response = client.post(f"{BASE}evaluations/{evaluation.pk}/{path}/", payload, **JSON)
        assert response.status_code in (200, 400, 403, 404), response.content
        if response.status_code == 200:
            permitted.add(name)
            assert Evaluation.objects.get(pk=evaluation.pk).status == WORKFLOW[name].target
        else:
            assert Evaluation.objects.get(pk=evaluation.pk).status == state  # nothing changed
    assert permitted == available & set(API)

    # The services: the calls that succeed.
    allowed = set()
    for name in WORKFLOW.transitions:
        evaluation = _put(evaluation, state)
        try:
            done = _service_calls(evaluation)[name](_fresh(actor))
        except (ValidationError, PermissionDenied):
            assert Evaluation.objects.get(pk=evaluation.pk).status == state  # nothing changed
            continue
        if done is not None:
            allowed.add(name)
            assert Evaluation.objects.get(pk=evaluation.pk).status == WORKFLOW[name].target
    assert allowed == available


@pytest.mark.parametrize(
    ("state", "step", "message"),
    [
        (S.DRAFT, "approve", "Không thể chuyển từ trạng thái “Chưa tự đánh giá” sang “Đã phê duyệt”."),
        (S.DRAFT, "return", "Không thực hiện được bước “Trả lại” ở trạng thái “Chưa tự đánh giá”."),
        (S.SELF_ASSESSED, "self_assess", "Không thực hiện được bước “Nhập bản tự đánh giá của cán bộ” ở trạng thái “Đã tự đánh giá”."),
        (S.ASSESSED, "assess", "Không thực hiện được bước “Nhận xét, đề xuất” ở trạng thái “Cấp trên đã nhận xét”."),
        (S.SELF_ASSESSED, "approve", "Không thể chuyển từ trạng thái “Đã tự đánh giá” sang “Đã phê duyệt”."),
        (S.APPROVED, "approve", "đã được phê duyệt và khóa"),
    ],
)  # fmt: skip
def test_an_invalid_move_is_a_vietnamese_error_and_changes_nothing(
    client_for, users, people, state, step, message
):
    evaluation = services.evaluation_create(
        actor=users["staff"], person=people["a"], year=2026, month=6
    )
    evaluation = _put(evaluation, state)
    before = (LogEntry.objects.count(), list(Evaluation.objects.values().order_by("pk")))
    with pytest.raises(ValidationError) as invalid:
        WORKFLOW.check(users["staff"], evaluation, step)
    assert message in invalid.value.messages[0]
    # The same error from the service and the API; nothing saved, nothing audited.
    call = _service_calls(evaluation)[step]
    with pytest.raises(ValidationError) as from_service:
        call(users["staff"])
    assert message in " ".join(from_service.value.messages)
    path, payload = API[step]
    response = client_for(users["staff"]).post(
        f"{BASE}evaluations/{evaluation.pk}/{path}/", payload, **JSON
    )
    assert response.status_code == 400
    assert message in response.json()["non_field_errors"][0]
    assert before == (LogEntry.objects.count(), list(Evaluation.objects.values().order_by("pk")))


def test_a_user_who_may_not_act_gets_the_tables_reason(client_for, users, people):
    users["staff"].person = people["a"]
    users["staff"].save()
    evaluation = services.evaluation_create(
        actor=users["ward_secretary"], person=people["a"], year=2026, month=7
    )
    evaluation = _put(evaluation, S.ASSESSED)
    response = client_for(users["staff"]).post(
        f"{BASE}evaluations/{evaluation.pk}/approve/", {}, **JSON
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Không được tự phê duyệt phiếu đánh giá của chính mình."
    page = client_for(users["staff"]).get(
        reverse("cadres:evaluation_approve", args=[evaluation.pk])
    )
    assert page.status_code == 403
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.ASSESSED


def test_the_cadre_sees_the_self_assessment_under_its_own_label(client_for, people, users):
    cadre = make_user("cadre_label", person=people["a"])
    evaluation = services.evaluation_create(actor=cadre, person=people["a"], year=2026, month=8)
    url = reverse("cadres:evaluation_self_assess", args=[evaluation.pk])
    own = client_for(cadre).get(evaluation.get_absolute_url()).content.decode()
    assert f'<a class="btn primary" href="{url}">Tự đánh giá</a>' in own
    staff = client_for(users["staff"]).get(evaluation.get_absolute_url()).content.decode()
    assert f'<a class="btn primary" href="{url}">Nhập bản tự đánh giá của cán bộ</a>' in staff


def test_the_import_reaches_only_the_tables_forward_steps():
    importable = lambda t: t.imports  # noqa: E731
    assert WORKFLOW.reachable_states(S.DRAFT, only=importable) == {
        S.SELF_ASSESSED, S.ASSESSED, S.APPROVED,
    }  # fmt: skip
    assert WORKFLOW.reachable_states(S.SELF_ASSESSED, only=importable) == {S.ASSESSED, S.APPROVED}
    assert WORKFLOW.reachable_states(S.ASSESSED, only=importable) == {S.APPROVED}
    assert WORKFLOW.reachable_states(S.APPROVED, only=importable) == set()  # no revision


def test_an_import_row_moves_along_the_table_and_stamps_each_step(users, people):
    evaluation = services.evaluation_record_paper(
        actor=users["ward_secretary"], person=people["a"], year=2026, month=9,
        self_rating=Rating.GOOD, proposed_rating=Rating.GOOD, rating=Rating.EXCELLENT,
    )  # fmt: skip
    assert evaluation.status == S.APPROVED
    assert evaluation.self_assessed_at and evaluation.assessed_at and evaluation.approved_at
    assert evaluation.assessed_by == users["ward_secretary"]
    assert evaluation.approved_by == users["ward_secretary"]
    skipped = services.evaluation_record_paper(
        actor=users["ward_secretary"], person=people["a"], year=2026, month=10,
        self_rating=Rating.GOOD, rating=Rating.GOOD,
    )  # fmt: skip
    assert skipped.status == S.APPROVED and skipped.assessed_at is None  # the grid's bulk step
