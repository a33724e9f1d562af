"""The resolution rate, counted by hand: (resolved + explained) ÷ cases due in the period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dialogues import selectors, services
from dialogues.choices import Outcome
from dialogues.models import OpinionCase

from .conftest import answered, receive

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
TODAY = dt.date(2026, 11, 30)


def _rate(users, tree, period):
    return selectors.resolution_rate(users["staff"], tree.root, *period, today=TODAY)


def test_no_cases_due_is_no_rate_not_zero(users, tree):
    rate = _rate(users, tree, Q1)
    assert rate.due == 0 and rate.rate is None


def test_resolved_and_explained_count_rejected_and_transferred_apart(users, tree):
    staff = users["staff"]
    answered(staff, tree.ward_a, received=dt.date(2026, 2, 2), due=dt.date(2026, 3, 2),
             answered_on=dt.date(2026, 2, 20))  # fmt: skip
    answered(staff, tree.ward_a, received=dt.date(2026, 2, 2), due=dt.date(2026, 3, 2),
             answered_on=dt.date(2026, 2, 21), outcome=Outcome.EXPLAINED)  # fmt: skip
    late = answered(staff, tree.ward_b, received=dt.date(2026, 2, 2), due=dt.date(2026, 3, 2),
                    answered_on=dt.date(2026, 3, 10))  # fmt: skip
    rejected = receive(staff, tree.ward_a, "Không thuộc thẩm quyền", received=dt.date(2026, 2, 2))
    services.case_assign(actor=staff, case=rejected, unit=tree.ward_a, due_on=dt.date(2026, 3, 2))
    services.case_reject(actor=staff, case=rejected, reason="Thuộc thẩm quyền tòa án")
    moved = receive(staff, tree.ward_a, "Chuyển đi", received=dt.date(2026, 2, 2))
    services.case_assign(actor=staff, case=moved, unit=tree.ward_a, due_on=dt.date(2026, 3, 2))
    services.case_transfer(actor=staff, case=moved, transferred_to="Công an quận")
    pending = receive(staff, tree.ward_a, "Chưa trả lời", received=dt.date(2026, 2, 2))
    services.case_assign(actor=staff, case=pending, unit=tree.ward_a, due_on=dt.date(2026, 3, 3))
    rate = _rate(users, tree, Q1)
    assert (rate.due, rate.resolved, rate.explained) == (4, 2, 1)
    assert (rate.rejected, rate.transferred) == (1, 1)
    assert rate.on_time == 2 and rate.late == 2  # answered late, and unanswered past its due date
    assert rate.pending == 1 and rate.rate == Decimal("75.0")
    assert late.outcome == Outcome.RESOLVED


def test_all_late(users, tree):
    staff = users["staff"]
    for n in range(3):
        answered(staff, tree.ward_a, received=dt.date(2026, 2, 2), due=dt.date(2026, 2, 16),
                 answered_on=dt.date(2026, 3, 1 + n), content=f"Việc {n}")  # fmt: skip
    rate = _rate(users, tree, Q1)
    assert (rate.due, rate.on_time, rate.late, rate.rate) == (3, 0, 3, Decimal("100.0"))


def test_a_case_due_in_one_period_and_answered_in_the_next_counts_where_it_was_due(users, tree):
    staff = users["staff"]
    answered(staff, tree.ward_a, received=dt.date(2026, 3, 2), due=dt.date(2026, 3, 30),
             answered_on=dt.date(2026, 4, 15))  # fmt: skip
    assert _rate(users, tree, Q1).due == 1 and _rate(users, tree, Q1).late == 1
    assert _rate(users, tree, Q2).due == 0


def test_a_reopened_case_counts_once_by_its_new_due_date(users, tree):
    staff = users["staff"]
    case = answered(staff, tree.ward_a, received=dt.date(2026, 3, 2), due=dt.date(2026, 3, 20),
                    answered_on=dt.date(2026, 3, 10))  # fmt: skip
    services.case_reopen(actor=staff, case=case, reason="Người dân phản ánh lại")
    case.refresh_from_db()
    assert case.outcome == "" and case.due_on is None
    services.case_assign(actor=staff, case=case, unit=tree.ward_a, due_on=dt.date(2026, 5, 4))
    assert _rate(users, tree, Q1).due == 0
    q2 = _rate(users, tree, Q2)
    assert q2.due == 1 and q2.settled == 0 and q2.late == 1


def test_the_articles_figure(users, tree):
    """493 of 502 due cases settled: 98,2 %."""
    staff = users["staff"]
    case = answered(staff, tree.ward_a, received=dt.date(2026, 2, 2), due=dt.date(2026, 3, 2),
                    answered_on=dt.date(2026, 2, 20))  # fmt: skip
    rows = [OpinionCase(
        source=case.source, received_on=case.received_on, content=f"Việc {n}", unit=tree.ward_a,
        category=case.category, status="closed" if n < 492 else "assigned",
        assigned_unit=tree.ward_a, due_on=dt.date(2026, 3, 2),
        answered_on=dt.date(2026, 2, 20) if n < 492 else None,
        outcome=Outcome.RESOLVED if n < 492 else "",
    ) for n in range(501)]  # fmt: skip
    OpinionCase.objects.bulk_create(rows)
    rate = _rate(users, tree, Q1)
    assert (rate.settled, rate.due, rate.rate) == (493, 502, Decimal("98.2"))


def test_bad_input_saves_nothing(users, tree):
    staff = users["staff"]
    case = receive(staff, tree.ward_a, received=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError) as error:
        services.case_assign(actor=staff, case=case, unit=tree.ward_a, due_on=dt.date(2026, 3, 1))
    assert "due_on" in error.value.message_dict
    services.case_assign(actor=staff, case=case, unit=tree.ward_a, due_on=dt.date(2026, 3, 20))
    with pytest.raises(ValidationError) as error:
        services.case_answer(actor=staff, case=case, answer="x", answered_on=dt.date(2026, 3, 1),
                             outcome=Outcome.RESOLVED)  # fmt: skip
    assert "answered_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.case_reopen(actor=staff, case=case, reason="x")  # not answered yet
    with pytest.raises(ValidationError) as error:
        services.case_merge(actor=staff, case=case, into=case)
    assert "into" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == "assigned" and case.answered_on is None


def test_assigning_outside_the_assigners_scope_is_refused(users, tree):
    secretary = users["ward_secretary"]
    case = receive(secretary, tree.ward_a)
    with pytest.raises(ValidationError) as error:
        services.case_assign(actor=secretary, case=case, unit=tree.ward_b)
    assert "ngoài phạm vi" in str(error.value.message_dict["unit"])


def test_a_case_with_days_left_is_not_yet_due(users, tree):
    staff = users["staff"]
    case = receive(staff, tree.ward_a, received=dt.date(2026, 3, 2))
    services.case_assign(actor=staff, case=case, unit=tree.ward_a, due_on=dt.date(2026, 3, 30))
    early = selectors.resolution_rate(staff, tree.root, *Q1, today=dt.date(2026, 3, 20))
    assert early.due == 0 and early.rate is None
    services.case_answer(actor=staff, case=case, answer="Xong", answered_on=dt.date(2026, 3, 10),
                         outcome=Outcome.EXPLAINED)  # fmt: skip
    answered_early = selectors.resolution_rate(staff, tree.root, *Q1, today=dt.date(2026, 3, 20))
    assert (answered_early.due, answered_early.on_time) == (1, 1)
