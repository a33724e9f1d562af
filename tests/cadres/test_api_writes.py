"""Who may write through the cadres API: every create endpoint and every workflow action.

Each role's write is distinct (the matrix's ``data`` is a function of the role); for a workflow
step the function also puts the record back in the state the step starts from, so every role
meets the same record in the same state.
"""

import datetime as dt

import pytest
from django.utils import timezone

from cadres import services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation
from tests.conftest import make_user
from tests.permissions import ROLES, check_matrix

from .conftest import make_person

BASE = "/api/v1/cadres/"
CHANGERS = ["admin", "staff", "ward_secretary"]
CREATED = dict.fromkeys(CHANGERS, 201)
DONE = dict.fromkeys(CHANGERS, 200)
DISTRICT_ONLY = {"admin": 201, "staff": 201}
# A ward naming another ward's person or unit gets the unknown-code answer (a 400), never a
# 403 that would tell it the code exists.
OUTSIDE = {**DISTRICT_ONLY, "ward_secretary": 400}
JSON = {"content_type": "application/json"}
LAST_YEAR = timezone.localdate().year - 1
HELD = timezone.localdate() - dt.timedelta(days=2)


def _n(role: str) -> int:
    return ROLES.index(role) + 1 if role in ROLES else 99


def _post(client, users, url, expected, data):
    check_matrix(client, users, url, expected, method="post", data=data, anonymous=401, **JSON)


@pytest.fixture
def member_a(tree):
    return make_person("DVA", tree.cell_a1, "Đảng viên A", party_member_since=dt.date(2000, 1, 1))


@pytest.fixture
def member_b(tree):
    return make_person("DVB", tree.cell_b1, "Đảng viên B", party_member_since=dt.date(2000, 1, 1))


# --- Create endpoints ----------------------------------------------------------------------


def test_create_evaluation_matrix(client, users, people):
    _post(client, users, f"{BASE}evaluations/", CREATED,
          lambda role: {"person": "CBA", "year": 2025, "month": _n(role)})  # fmt: skip
    _post(client, users, f"{BASE}evaluations/", OUTSIDE,
          lambda role: {"person": "CBB", "year": 2025, "month": _n(role)})  # fmt: skip
    assert Evaluation.objects.filter(person=people["a"]).count() == 3
    assert Evaluation.objects.filter(person=people["b"]).count() == 2


def test_create_decision_matrix(client, users, people):
    def data(person):
        return lambda role: {
            "person": person, "kind": "appointment", "symbol": f"{_n(role)}-QĐ/QU",
            "decision_date": "2025-03-01",
        }  # fmt: skip

    _post(client, users, f"{BASE}decisions/", CREATED, data("CBA"))
    _post(client, users, f"{BASE}decisions/", OUTSIDE, data("CBB"))


def test_create_test_session_matrix(client, users):
    def data(unit):
        return lambda role: {"unit": unit, "subject": f"Kỳ {role}", "held_on": "2025-04-01"}

    _post(client, users, f"{BASE}tests/", CREATED, data("P-A"))
    _post(client, users, f"{BASE}tests/", OUTSIDE, data("P-B"))


def test_create_plan_matrix(client, users, people):
    _post(client, users, f"{BASE}plans/", CREATED,
          lambda role: {"person": "CBA", "year": 2010 + _n(role), "commitments": role})  # fmt: skip
    _post(client, users, f"{BASE}plans/", OUTSIDE,
          lambda role: {"person": "CBB", "year": 2010 + _n(role), "commitments": role})  # fmt: skip


def test_create_assignment_matrix(client, users, member_a, member_b):
    _post(client, users, f"{BASE}assignments/", CREATED,
          lambda role: {"person": "DVA", "year": 2025, "task": f"Việc của {role}"})  # fmt: skip
    _post(client, users, f"{BASE}assignments/", OUTSIDE,
          lambda role: {"person": "DVB", "year": 2025, "task": f"Việc của {role}"})  # fmt: skip


def test_create_training_matrix(client, users):
    def data(unit):
        return lambda role: {
            "unit": unit, "name": f"Lớp {role}", "start_date": "2025-05-01",
            "end_date": "2025-05-05",
        }  # fmt: skip

    _post(client, users, f"{BASE}trainings/", CREATED, data("P-A"))
    _post(client, users, f"{BASE}trainings/", OUTSIDE, data("P-B"))


# --- Evaluation workflow actions -----------------------------------------------------------


def _reset(evaluation, payload, **state):
    """Put the evaluation back in ``state`` before each role's request (test setup only)."""

    def data(role):
        Evaluation.objects.filter(pk=evaluation.pk).update(**state)
        return payload

    return data


DRAFT = {"status": EvaluationStatus.DRAFT, "self_rating": "", "proposed_rating": "", "rating": ""}
SELF_ASSESSED = {**DRAFT, "status": EvaluationStatus.SELF_ASSESSED, "self_rating": Rating.GOOD}
ASSESSED = {**SELF_ASSESSED, "status": EvaluationStatus.ASSESSED, "proposed_rating": Rating.GOOD}
STEPS = [
    ("self-assess", {"self_assessment": "Đã làm", "self_rating": "good"}, DRAFT),
    ("assess", {"proposed_rating": "good"}, SELF_ASSESSED),
    ("approve", {}, ASSESSED),
    ("return", {"reason": "Bổ sung"}, SELF_ASSESSED),
]


@pytest.mark.parametrize(("step", "payload", "state"), STEPS, ids=[s[0] for s in STEPS])
def test_evaluation_action_matrix(client, users, people, step, payload, state):
    own = services.evaluation_create(actor=users["staff"], person=people["a"], year=2025, month=9)
    other = services.evaluation_create(actor=users["staff"], person=people["b"], year=2025, month=9)
    _post(client, users, f"{BASE}evaluations/{own.pk}/{step}/", DONE, _reset(own, payload, **state))
    _post(
        client, users, f"{BASE}evaluations/{other.pk}/{step}/",
        {"admin": 200, "staff": 200, "ward_secretary": 404}, _reset(other, payload, **state),
    )  # fmt: skip


@pytest.mark.parametrize(("step", "payload", "state"), STEPS, ids=[s[0] for s in STEPS])
def test_a_cadre_may_only_self_assess_their_own(client_for, people, cadre, step, payload, state):
    own = services.evaluation_create(actor=cadre, person=people["a"], year=2025, month=9)
    Evaluation.objects.filter(pk=own.pk).update(**state)
    response = client_for(cadre).post(f"{BASE}evaluations/{own.pk}/{step}/", payload, **JSON)
    assert response.status_code == (200 if step == "self-assess" else 403), response.content


# --- Actions on plans, tests, assignments and trainings -----------------------------------


def test_plan_review_matrix(client, users, people):
    plan = services.plan_create(
        actor=users["staff"], person=people["a"], year=LAST_YEAR, commitments="x"
    )
    plan_b = services.plan_create(
        actor=users["staff"], person=people["b"], year=LAST_YEAR, commitments="x"
    )
    _post(client, users, f"{BASE}plans/{plan.pk}/review/", CREATED,
          lambda role: {"month": _n(role), "note": role})  # fmt: skip
    _post(client, users, f"{BASE}plans/{plan_b.pk}/review/", {**DISTRICT_ONLY, "ward_secretary": 404},
          lambda role: {"month": _n(role), "note": role})  # fmt: skip
    assert plan.reviews.count() == 3


def test_test_session_action_matrix(client, users, tree):
    test = services.test_create(actor=users["staff"], unit=tree.ward_a, subject="x", held_on=HELD)
    for role in ROLES:
        make_person(f"TP{_n(role)}", tree.cell_a1)
    _post(client, users, f"{BASE}tests/{test.pk}/participants/", CREATED,
          lambda role: {"people": [f"TP{_n(role)}"]})  # fmt: skip
    _post(client, users, f"{BASE}tests/{test.pk}/scores/", DONE,
          lambda role: {"scores": {"TP1": str(50 + _n(role))}})  # fmt: skip
    assert test.participants.count() == 3
    district = services.test_create(actor=users["staff"], unit=tree.root, subject="y", held_on=HELD)
    services.test_add_participants(
        actor=users["staff"], test=district, people=[tree.cell_a1.people.get(code="TP1")]
    )
    # The ward sees the district session (its person takes part) but may not change it:
    # a change action finds it through restrict(user, "change"), so it is not found.
    _post(client, users, f"{BASE}tests/{district.pk}/scores/",
          {"admin": 200, "staff": 200, "ward_secretary": 404},
          lambda role: {"scores": {"TP1": "70"}})  # fmt: skip


def test_assignment_result_matrix(client, users, member_a, member_b):
    own = services.assignment_create(actor=users["staff"], person=member_a, year=2025, task="x")
    other = services.assignment_create(actor=users["staff"], person=member_b, year=2025, task="y")
    _post(client, users, f"{BASE}assignments/{own.pk}/result/", DONE, {"result": "good"})
    _post(client, users, f"{BASE}assignments/{other.pk}/result/",
          {"admin": 200, "staff": 200, "ward_secretary": 404}, {"result": "good"})  # fmt: skip


def test_training_action_matrix(client, users, tree, people):
    training = services.training_create(
        actor=users["staff"], unit=tree.ward_a, name="Lớp", start_date=HELD, end_date=HELD
    )
    for role in ROLES:
        make_person(f"HV{_n(role)}", tree.cell_a1)
    _post(client, users, f"{BASE}trainings/{training.pk}/participants/", CREATED,
          lambda role: {"people": [f"HV{_n(role)}"]})  # fmt: skip
    _post(client, users, f"{BASE}trainings/{training.pk}/completion/", DONE,
          lambda role: {"completed": {"HV1": _n(role) % 2 == 1}})  # fmt: skip
    assert training.participants.count() == 3


def test_no_write_endpoint_is_open_to_a_user_without_a_role(client_for, people):
    """A linked account without a role may create only its own evaluation and plan."""
    client = client_for(make_user("lone", person=people["a2"]))
    for url, payload in [
        (f"{BASE}decisions/", {"person": "CBA2", "kind": "appointment", "symbol": "1-QĐ/QU",
                               "decision_date": "2025-01-01"}),
        (f"{BASE}tests/", {"unit": "P-A", "subject": "x", "held_on": "2025-01-01"}),
        (f"{BASE}assignments/", {"person": "CBA2", "year": 2025, "task": "x"}),
        (f"{BASE}trainings/", {"unit": "P-A", "name": "x", "start_date": "2025-01-01",
                               "end_date": "2025-01-02"}),
    ]:  # fmt: skip
        assert client.post(url, payload, **JSON).status_code == 403, url
    other = client.post(f"{BASE}evaluations/", {"person": "CBA", "year": 2025, "month": 1}, **JSON)
    assert other.status_code == 400  # a colleague's code reads as unknown
    assert other.json() == {"person": ["Không có cán bộ mã “CBA”."]}
    own = client.post(f"{BASE}evaluations/", {"person": "CBA2", "year": 2025, "month": 1}, **JSON)
    assert own.status_code == 201
    plan = client.post(
        f"{BASE}plans/", {"person": "CBA2", "year": 2025, "commitments": "x"}, **JSON
    )
    assert plan.status_code == 201
