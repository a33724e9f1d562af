"""The evaluation register's table: filters, the scoped unit filter, and the bulk approval of
the rows an approver selects (each through the service and its workflow, audited)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from cadres import services
from cadres.choices import EvaluationStatus, Rating
from cadres.models import Evaluation

from .conftest import self_assessed_month

LIST = "/can-bo-danh-gia/"


@pytest.fixture
def assessed(users, people):
    rows = self_assessed_month(
        users["staff"], [people["a"], people["a2"], people["b"]], year=2026, month=5
    )
    for evaluation in rows:
        services.evaluation_assess(
            actor=users["staff"], evaluation=evaluation, superior_assessment="Tốt",
            proposed_rating=Rating.GOOD,
        )  # fmt: skip
    return {e.person.code: e for e in rows}


def _rows(response) -> list:
    return [row.record for row in response.context["table"].rows]


def test_the_register_filters_by_period_state_and_unit(client_for, users, assessed, people):
    client = client_for(users["staff"])
    assert client.get(LIST, {"year": "2026", "month": "5"}).context["result_count"] == 3
    assert client.get(LIST, {"year": "2026", "quarter": "2"}).context["result_count"] == 3
    assert client.get(LIST, {"year": "2026", "quarter": "1"}).context["result_count"] == 0
    ward_a = client.get(LIST, {"unit": "P-A", "status": EvaluationStatus.ASSESSED})
    assert {e.person.code for e in _rows(ward_a)} == {"CBA", "CBA2"}
    by_name = client.get(LIST, {"sort": "-person"})
    assert [e.person.code for e in _rows(by_name)] == sorted(
        ["CBA", "CBA2", "CBB"],
        key=lambda code: people[{"CBA": "a", "CBA2": "a2", "CBB": "b"}[code]].sort_key,
        reverse=True,
    )


def test_a_ward_user_sees_only_their_units_in_the_unit_filter(client_for, users, assessed):
    page = client_for(users["ward_secretary"]).get(LIST)
    codes = {
        str(code) for code, _label in page.context["filterset"].form.fields["unit"].choices if code
    }
    assert codes == {"P-A", "CB-A1"}


def test_bulk_approval_of_the_selected_rows(client_for, users, assessed):
    secretary = users["ward_secretary"]
    client = client_for(secretary)
    chosen = [assessed["CBA"].pk, assessed["CBB"].pk]  # CBB is ward B's: out of scope
    confirm = client.post(LIST, {"action": "approve", "select": chosen})
    assert confirm.context["count"] == 1 and confirm.context["missing"] == 1
    assert Evaluation.objects.get(pk=assessed["CBA"].pk).status == EvaluationStatus.ASSESSED
    done = client.post(LIST, {"action": "approve", "select": chosen, "confirm": "1"}, follow=True)
    page = done.content.decode()
    assert "Đã phê duyệt 1 phiếu đánh giá." in page
    assert "1 dòng không tìm thấy hoặc ngoài phạm vi của bạn." in page
    approved = Evaluation.objects.get(pk=assessed["CBA"].pk)
    assert approved.status == EvaluationStatus.APPROVED and approved.approved_by == secretary
    assert LogEntry.objects.get_for_object(approved).filter(actor=secretary).exists()
    # Not selected, not approved; another ward's row untouched.
    assert Evaluation.objects.get(pk=assessed["CBA2"].pk).status == EvaluationStatus.ASSESSED
    assert Evaluation.objects.get(pk=assessed["CBB"].pk).status == EvaluationStatus.ASSESSED


def test_bulk_approval_reports_a_row_the_workflow_refuses(client_for, users, assessed):
    client = client_for(users["ward_secretary"])
    first = assessed["CBA"]
    services.evaluation_approve(actor=users["ward_secretary"], evaluation=first)
    response = client.post(
        LIST, {"action": "approve", "select": [first.pk, assessed["CBA2"].pk], "confirm": "1"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert "Đã phê duyệt 1 phiếu đánh giá." in page
    assert str(first) in page  # the refused row is named with its reason


def test_bulk_approval_with_nothing_selected(client_for, users, assessed):
    response = client_for(users["ward_secretary"]).post(LIST, {"action": "approve"}, follow=True)
    assert "Chưa chọn dòng nào." in response.content.decode()
    assert not Evaluation.objects.filter(status=EvaluationStatus.APPROVED).exists()


def test_a_cadre_reading_their_own_slips_gets_no_bulk_selection(client_for, people, assessed):
    from tests.conftest import make_user

    cadre = make_user("cadre_a", person=people["a"])
    response = client_for(cadre).get(LIST)
    assert [e.person.code for e in _rows(response)] == ["CBA"]
    assert "select" not in [column.name for column in response.context["table"].columns]
    assert not response.context["bulk_actions"]
    refused = client_for(cadre).post(
        LIST, {"action": "approve", "select": [assessed["CBA"].pk], "confirm": "1"}
    )
    assert refused.status_code == 405
    assert Evaluation.objects.get(pk=assessed["CBA"].pk).status == EvaluationStatus.ASSESSED
