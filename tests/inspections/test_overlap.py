"""The overlap check across bodies' plans: unit, parent, child, sibling, months, topic window."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from inspections import selectors, services
from inspections.choices import PlanItemStatus
from inspections.models import PlanItem

from .conftest import add_item


@pytest.fixture
def plans(users, bodies):
    staff = users["staff"]
    return {
        name: services.plan_create(actor=staff, body=body, year=2026)
        for name, body in bodies.items()
    }


def _reasons(item) -> dict[int, list[str]]:
    return {c.item.pk: c.reasons for c in selectors.overlaps_of([item]).get(item.pk, [])}


def test_same_unit_in_overlapping_months_is_flagged(users, tree, plans):
    staff = users["staff"]
    first = add_item(staff, plans["ubkt"], tree.ward_a, 4, 6)
    second = add_item(staff, plans["hdnd"], tree.ward_a, 6, 8, topic="Giám sát thu chi")
    assert _reasons(second) == {first.pk: [selectors.SAME_UNIT]}
    assert _reasons(first) == {second.pk: [selectors.SAME_UNIT]}


def test_adjacent_months_do_not_overlap(users, tree, plans):
    staff = users["staff"]
    add_item(staff, plans["ubkt"], tree.ward_a, 4, 5)
    later = add_item(staff, plans["hdnd"], tree.ward_a, 6, 7, topic="Khác")
    assert _reasons(later) == {}


def test_parent_and_child_units_overlap_siblings_do_not(users, tree, plans):
    staff = users["staff"]
    ward = add_item(staff, plans["ubkt"], tree.ward_a, 3, 3, topic="A")
    cell = add_item(staff, plans["hdnd"], tree.cell_a1, 3, 3, topic="B")
    sibling = add_item(staff, plans["mttq"], tree.ward_b, 3, 3, topic="C")
    assert _reasons(cell) == {ward.pk: [selectors.ABOVE]}
    assert _reasons(ward) == {cell.pk: [selectors.BELOW]}
    assert _reasons(sibling) == {}


def test_the_same_body_never_conflicts_with_itself(users, tree, plans):
    staff = users["staff"]
    add_item(staff, plans["ubkt"], tree.ward_a, 3, 3)
    again = add_item(staff, plans["ubkt"], tree.ward_a, 3, 3)
    assert _reasons(again) == {}


def test_the_same_topic_within_the_window_is_flagged(users, tree, plans, settings):
    settings.INSPECTION_TOPIC_WINDOW_MONTHS = 3
    staff = users["staff"]
    first = add_item(staff, plans["ubkt"], tree.ward_a, 1, 2, topic="Công tác cán bộ")
    near = add_item(staff, plans["hdnd"], tree.ward_a, 5, 5, topic="công tác  CÁN BỘ")
    far = add_item(staff, plans["mttq"], tree.ward_a, 9, 9, topic="Công tác cán bộ")
    assert _reasons(near) == {first.pk: [selectors.SAME_TOPIC]}
    assert first.pk not in _reasons(far)


def test_cancelled_items_are_not_conflicts(users, tree, plans):
    staff = users["staff"]
    first = add_item(staff, plans["ubkt"], tree.ward_a, 4, 6)
    services.plan_item_cancel(actor=staff, item=first, reason="Lùi sang năm sau")
    second = add_item(staff, plans["hdnd"], tree.ward_a, 4, 6)
    assert _reasons(second) == {}


def test_approving_an_overlap_needs_a_justification_kept_and_audited(users, tree, plans):
    staff = users["staff"]
    add_item(staff, plans["ubkt"], tree.ward_a, 4, 6)
    second = add_item(staff, plans["hdnd"], tree.ward_a, 5, 5)
    with pytest.raises(ValidationError) as error:
        services.plan_item_approve(actor=staff, item=second)
    assert "giải trình" in str(error.value.message_dict["justification"])
    assert PlanItem.objects.get(pk=second.pk).status == PlanItemStatus.DRAFT
    services.plan_item_approve(actor=staff, item=second, justification="Phối hợp một đoàn chung")
    second.refresh_from_db()
    assert second.status == PlanItemStatus.APPROVED
    assert second.justification == "Phối hợp một đoàn chung"
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(second).order_by("-id").first()
    assert entry.actor == staff
    assert entry.additional_data == {"reason": "Phối hợp một đoàn chung"}


def test_an_item_outside_the_planners_scope_is_refused(users, tree, bodies):
    secretary = users["ward_secretary"]
    plan = services.plan_create(actor=secretary, body=tree.ward_a, year=2026)
    with pytest.raises(ValidationError) as error:
        add_item(secretary, plan, tree.ward_b, 1, 2)
    assert "ngoài phạm vi" in str(error.value.message_dict["target_unit"])
    assert not PlanItem.objects.exists()


def test_a_200_item_plan_is_checked_in_a_fixed_number_of_queries(
    users, tree, plans, django_assert_num_queries
):
    staff = users["staff"]
    items = [
        PlanItem(plan=plans["ubkt"], activity="inspection", subject_type="organisation",
                 topic=f"Nội dung {n}", topic_folded=f"noi dung {n}", target_unit=tree.cell_a1,
                 starts_on=__import__("datetime").date(2026, 1 + n % 12, 1),
                 ends_on=__import__("datetime").date(2026, 1 + n % 12, 28),
                 lead_body=plans["ubkt"].body)
        for n in range(200)
    ]  # fmt: skip
    PlanItem.objects.bulk_create(items)
    other = [
        add_item(staff, plans["hdnd"], tree.ward_a, m, m, topic=f"Khác {m}") for m in (1, 6, 12)
    ]
    # The items, their units, their bodies, the check itself, the conflicting items.
    with django_assert_num_queries(5):
        found = selectors.overlaps_of(PlanItem.objects.filter(plan=plans["ubkt"]))
    months = dict(PlanItem.objects.filter(plan=plans["ubkt"]).values_list("pk", "starts_on__month"))
    assert set(found) == {pk for pk, month in months.items() if month in (1, 6, 12)}
    assert all(
        [c.item for c in conflicts] == [o for o in other if o.starts_on.month == months[pk]]
        for pk, conflicts in found.items()
    )
