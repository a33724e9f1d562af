"""Who reads what a cadre's monthly evaluation says (issue 9, "privacy of evaluations").

The self-assessment, the superior's comment and the rating are read by the cadre, those above
them in the evaluation chain (who may comment and approve: the ward's secretary, the
district's organisation staff), and leadership; a ward's other staff get 404 on a colleague's
or their secretary's slip, as for a record that does not exist, on every read path (page,
print, API, list, export, the person's pages, the home work list). Counts stay visible.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from cadres import selectors, services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation, EvaluationRevision
from cadres.workflows import EVALUATION_WORKFLOW
from longbien.core import io
from longbien.core.checks import scoped_model_errors
from longbien.org import scope
from longbien.org.choices import Role
from tests.conftest import make_user
from tests.permissions import check_matrix

from .conftest import make_person

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
READERS = {"admin": 200, "staff": 200, "leadership": 200, "ward_secretary": 200}
# The ward's ordinary staff: the colleague's slip is unknown to them; inspection and mass
# mobilisation hold no cadres area at all (403, as before).
COLLEAGUE = {**READERS, "ward_staff": 404}


def _approved(users, person, *, month: int, note: str, rating: str = Rating.GOOD) -> Evaluation:
    staff = users["staff"]
    evaluation = services.evaluation_self_assess(
        actor=staff,
        evaluation=services.evaluation_create(actor=staff, person=person, year=2026, month=month),
        self_assessment=f"Tự nhận xét {note}", self_rating=rating,
    )  # fmt: skip
    evaluation = services.evaluation_assess(
        actor=staff, evaluation=evaluation, superior_assessment=f"Nhận xét {note}",
        proposed_rating=rating,
    )  # fmt: skip
    return services.evaluation_approve(actor=staff, evaluation=evaluation)


@pytest.fixture
def ward(users, tree):
    """Ward A: a colleague, the secretary and the ward staff (both linked to their person)."""
    colleague = make_person("DN01", tree.cell_a1, "Lê Thị Đồng Nghiệp")
    secretary = make_person("BT01", tree.ward_a, "Trần Văn Bí Thư")
    staff = make_person("CB01", tree.ward_a, "Phạm Thị Cán Bộ")
    other = make_person("PB01", tree.cell_b1, "Đỗ Văn Phường Bên")
    users["ward_secretary"].person = secretary
    users["ward_secretary"].save()
    users["ward_staff"].person = staff
    users["ward_staff"].save()
    return {
        "colleague": _approved(users, colleague, month=3, note="riêng của đồng nghiệp"),
        "secretary": _approved(users, secretary, month=3, note="riêng của bí thư"),
        "own": _approved(
            users, staff, month=3, note="của chính mình", rating=Rating.NOT_COMPLETED
        ),
        "other": _approved(users, other, month=3, note="phường bên"),
        "own_draft": services.evaluation_create(
            actor=users["staff"], person=staff, year=2026, month=4
        ),
        "colleague_self": services.evaluation_self_assess(
            actor=users["staff"],
            evaluation=services.evaluation_create(
                actor=users["staff"], person=colleague, year=2026, month=4
            ),
            self_assessment="Chờ nhận xét", self_rating=Rating.GOOD,
        ),
    }  # fmt: skip


# --- The rule: the readers are the chain that rates and approves, plus leadership --------------


def test_who_may_rate_or_approve_may_read_and_ward_staff_may_not():
    """Readers of the content are consistent with the workflow's SUPERIOR and APPROVER."""
    for step in ("assess", "approve", "rate_unassessed", "revise", "return"):
        who = EVALUATION_WORKFLOW[step].who
        assert (who.area, who.action) == (scope.Area.CADRES, scope.CHANGE)
    for role, areas in scope.RULES.items():
        rates = scope.CHANGE in areas.get(scope.Area.CADRES, ())
        reads = scope.VIEW in areas.get(scope.Area.EVALUATIONS, ())
        if rates:
            assert reads, f"{role} rates evaluations but may not read them"
        if reads:
            assert scope.VIEW in areas.get(scope.Area.CADRES, ()), role
    readers = {r for r, a in scope.RULES.items() if scope.VIEW in a.get(scope.Area.EVALUATIONS, ())}
    assert readers == {Role.ADMIN, Role.STAFF, Role.LEADERSHIP, Role.WARD_SECRETARY}
    assert scope.VIEW in scope.RULES[Role.WARD_STAFF][scope.Area.CADRES]  # counts, records


def test_everyone_who_may_comment_on_a_slip_may_read_it(users, ward):
    slip = ward["colleague_self"]
    for role, user in users.items():
        may_comment = EVALUATION_WORKFLOW["assess"].who.refusal(user, slip) is None
        if may_comment:
            assert Evaluation.objects.restrict(user).filter(pk=slip.pk).exists(), role
    assert EVALUATION_WORKFLOW["assess"].who.refusal(users["ward_secretary"], slip) is None


# --- Record pages: the page, its print layout, the API, the workflow step pages ---------------


@pytest.mark.parametrize(
    "url",
    [
        lambda e: reverse("cadres:evaluation_detail", args=[e.pk]),
        lambda e: reverse("cadres:evaluation_print", args=[e.pk]),
        lambda e: f"/api/v1/cadres/evaluations/{e.pk}/",
    ],
    ids=["page", "print", "api"],
)
def test_a_colleagues_and_the_secretarys_slips_are_not_found_by_ward_staff(
    client, users, ward, url
):
    anonymous = 401 if url(ward["own"]).startswith("/api/") else 302
    check_matrix(client, users, url(ward["colleague"]), COLLEAGUE, anonymous=anonymous)
    check_matrix(client, users, url(ward["secretary"]), COLLEAGUE, anonymous=anonymous)
    # Their own slip: read by them and by the chain above them.
    check_matrix(
        client, users, url(ward["own"]), {**READERS, "ward_staff": 200}, anonymous=anonymous
    )
    # Another ward's: unknown to both ward roles; the district reads it.
    check_matrix(
        client, users, url(ward["other"]),
        {**READERS, "ward_secretary": 404, "ward_staff": 404}, anonymous=anonymous,
    )  # fmt: skip


def test_the_slip_page_shows_its_content_to_the_chain_only(client_for, users, ward):
    url = reverse("cadres:evaluation_detail", args=[ward["colleague"].pk])
    text = client_for(users["ward_secretary"]).get(url).content.decode()
    assert "Nhận xét riêng của đồng nghiệp" in text
    response = client_for(users["ward_staff"]).get(url)
    assert response.status_code == 404
    assert "riêng của đồng nghiệp" not in response.content.decode()


def test_ward_staff_still_self_assess_their_own_slip(client_for, users, ward):
    client = client_for(users["ward_staff"])
    url = reverse("cadres:evaluation_self_assess", args=[ward["own_draft"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"self_assessment": "Tôi đã hoàn thành", "self_rating": "good"})
    assert response.status_code == 302
    ward["own_draft"].refresh_from_db()
    assert ward["own_draft"].status == EvaluationStatus.SELF_ASSESSED
    # A colleague's step pages are as unknown as the slip (404, not the workflow's 403).
    colleague = reverse("cadres:evaluation_assess", args=[ward["colleague_self"].pk])
    assert client.get(colleague).status_code == 404


def test_ward_staff_cannot_act_on_a_colleagues_slip_through_the_api(client_for, users, ward):
    client = client_for(users["ward_staff"])
    url = f"/api/v1/cadres/evaluations/{ward['colleague_self'].pk}/self-assess/"
    payload = {"self_assessment": "x", "self_rating": "good"}
    response = client.post(url, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 404


# --- Lists: the register, the API list, the export -------------------------------------------


def _codes(evaluations) -> set[str]:
    return {e.person.code for e in evaluations}


def test_the_register_lists_what_the_user_may_read(client_for, users, ward):
    assert _codes(selectors.evaluation_list(user=users["ward_staff"])) == {"CB01"}
    assert _codes(selectors.evaluation_list(user=users["ward_secretary"])) == {
        "DN01", "BT01", "CB01",
    }  # fmt: skip
    for role in ("staff", "leadership", "admin"):
        assert _codes(selectors.evaluation_list(user=users[role])) == {
            "DN01", "BT01", "CB01", "PB01",
        }, role  # fmt: skip
    text = client_for(users["ward_staff"]).get(reverse("cadres:evaluation_list")).content.decode()
    assert "Phạm Thị Cán Bộ" in text
    assert "Lê Thị Đồng Nghiệp" not in text and "Trần Văn Bí Thư" not in text


def test_the_api_list_holds_only_ones_own_slips_for_ward_staff(client_for, users, ward):
    def codes(role: str) -> set[str]:
        body = client_for(users[role]).get("/api/v1/cadres/evaluations/").json()
        return {row["person"] for row in body["results"]}

    assert codes("ward_staff") == {"CB01"}
    assert codes("ward_secretary") == {"DN01", "BT01", "CB01"}
    assert codes("leadership") == {"DN01", "BT01", "CB01", "PB01"}


def test_the_export_holds_only_what_the_user_may_read(users, ward):
    def exported(role: str) -> str:
        return io.export_register(user=users[role], name="evaluations", fmt="csv").decode(
            "utf-8-sig"
        )

    own = exported("ward_staff")
    assert "CB01" in own and "DN01" not in own and "BT01" not in own and "PB01" not in own
    chain = exported("ward_secretary")
    assert all(code in chain for code in ("DN01", "BT01", "CB01")) and "PB01" not in chain


def test_revisions_follow_their_slip(users, ward):
    services.evaluation_revise(
        actor=users["staff"], evaluation=ward["colleague"], rating=Rating.EXCELLENT,
        reason="Bổ sung thành tích",
    )  # fmt: skip
    revision = EvaluationRevision.objects.get(evaluation=ward["colleague"])
    assert not EvaluationRevision.objects.restrict(users["ward_staff"]).exists()
    assert EvaluationRevision.objects.restrict(users["ward_secretary"]).get() == revision
    assert not scope.can_on(users["ward_staff"], revision)
    assert not scope.can_on(users["ward_staff"], ward["colleague"])
    assert scope.can_on(users["ward_staff"], ward["own"])
    assert scope.can_on(users["ward_secretary"], ward["colleague"])


# --- The person's pages and the home work list ------------------------------------------------


def test_a_colleagues_cadre_record_shows_no_evaluation(client_for, users, ward):
    colleague = ward["colleague"]
    url = reverse("cadres:person_history", args=[colleague.person_id])
    response = client_for(users["ward_staff"]).get(url)
    assert response.status_code == 200  # the record (decisions, tests…) stays readable
    assert list(response.context["evaluations"]) == []
    assert colleague.get_absolute_url() not in response.content.decode()
    seen = client_for(users["ward_secretary"]).get(url)
    assert list(seen.context["evaluations"]) == [ward["colleague_self"], colleague]


def test_a_colleagues_person_page_links_none_of_their_slips(client_for, users, ward):
    colleague = ward["colleague"]
    url = reverse("org:person_detail", args=[colleague.person_id])
    text = client_for(users["ward_staff"]).get(url).content.decode()
    assert "Lê Thị Đồng Nghiệp" in text  # the organisation data stays readable
    assert colleague.get_absolute_url() not in text
    assert ward["colleague_self"].get_absolute_url() not in text
    chain = client_for(users["ward_secretary"]).get(url).content.decode()
    assert colleague.get_absolute_url() in chain


def test_the_home_work_list_names_no_colleagues_slip(client_for, users, ward):
    text = client_for(users["ward_staff"]).get(reverse("home")).content.decode()
    assert ward["own_draft"].get_absolute_url() in text  # theirs to self-assess
    assert ward["colleague_self"].get_absolute_url() not in text
    chain = client_for(users["ward_secretary"]).get(reverse("home")).content.decode()
    assert ward["colleague_self"].get_absolute_url() in chain  # waiting for their comment


# --- Aggregates stay as before --------------------------------------------------------------


def test_ward_staff_distribution_still_counts_the_colleagues_ratings(users, tree, ward):
    result = selectors.distribution(
        user=users["ward_staff"], unit=tree.ward_a, start=START, end=END
    )
    assert result.total == 3  # the colleague's, the secretary's and their own
    counts = {row.rating: row.count for row in result.rows}
    assert counts[Rating.GOOD] == 2 and counts[Rating.NOT_COMPLETED] == 1
    chain = selectors.distribution(
        user=users["ward_secretary"], unit=tree.ward_a, start=START, end=END
    )
    assert [row.count for row in chain.rows] == [row.count for row in result.rows]


def test_per_cadre_tables_hold_only_the_cadres_the_user_may_read(users, tree, ward):
    def yearly(role: str) -> set[str]:
        rows = selectors.yearly_counts(user=users[role], unit=tree.ward_a, year=2026)
        return {person.code for person in rows}

    assert yearly("ward_staff") == {"CB01"}
    assert yearly("ward_secretary") == {"DN01", "BT01", "CB01"}
    assert yearly("staff") == {"DN01", "BT01", "CB01"}
    (own,) = selectors.yearly_counts(user=users["ward_staff"], unit=tree.ward_a, year=2026)
    assert (own.months, getattr(own, Rating.NOT_COMPLETED)) == (1, 1)
    flagged = selectors.flagged_cadres(
        user=users["ward_staff"], unit=tree.ward_a, start=START, end=END
    )
    assert [p.code for p in flagged] == ["CB01"]


def test_the_distribution_page_keeps_the_counts_for_ward_staff(client_for, users, ward):
    response = client_for(users["ward_staff"]).get(
        reverse("cadres:distribution"), {"unit": "P-A", "year": 2026, "month": 3}
    )
    assert response.status_code == 200
    assert response.context["result"].total == 3
    assert "Lê Thị Đồng Nghiệp" not in response.content.decode()


def test_a_secretary_of_another_ward_reads_none_of_ward_as_slips(users, tree, ward):
    other = make_user("secretary_b", Role.WARD_SECRETARY, tree.ward_b)
    assert _codes(selectors.evaluation_list(user=other)) == {"PB01"}


# --- The declaration ----------------------------------------------------------------------


def test_the_readers_area_is_the_models_view_area_and_a_misspelt_one_is_reported(monkeypatch):
    assert scope.model_area(Evaluation) == scope.Area.EVALUATIONS
    assert scope.model_area(Evaluation, scope.CHANGE) == scope.Area.CADRES
    assert scope.model_area(EvaluationRevision) == scope.Area.EVALUATIONS
    assert scoped_model_errors([Evaluation, EvaluationRevision]) == []

    class Scope:
        area = scope.Area.CADRES
        view_area = "evaluation"  # not an Area value
        unit_field = "unit"
        person_field = "person"

    monkeypatch.setattr(Evaluation, "Scope", Scope)
    assert [e.id for e in scoped_model_errors([Evaluation])] == ["longbien.E001"]
