"""The dialogues' indicators (counts per unit subtree and period, the rate by the selector's
definition), and the app's search provider and case picker (no citizen data in any hit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dialogues import selectors, services
from dialogues.choices import DialogueLevel, Outcome
from longbien import indicators
from longbien.core import lookups, search

from .conftest import answered, dialogue, receive

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def _collect(viewer, unit):
    return indicators.collect(viewer=viewer, unit=unit, start=START, end=END, areas={"dialogues"})


def test_every_indicator_has_a_vietnamese_label():
    codes = {i.code: i for i in indicators.definitions()}
    for code in ("dialogues.district", "dialogues.ward", "dialogues.commitments.overdue",
                 "opinion_cases.due", "opinion_cases.transferred", "opinion_cases.rate"):  # fmt: skip
        assert code in codes and str(codes[code].label).strip(), code
    assert codes["opinion_cases.rate"].is_share


def test_counts_and_the_rate_equal_the_selectors(users, tree):
    staff = users["staff"]
    dialogue(staff, tree.ward_a, held_on=dt.date(2026, 2, 10), issues=[
        {"content": "Ngập", "commitment": "Nạo vét cống", "owner_unit": tree.ward_a,
         "deadline": dt.date(2026, 2, 20)},
        {"content": "Đèn", "commitment": "Lắp đèn", "owner_unit": tree.ward_a,
         "deadline": dt.date(2026, 3, 1)},
    ])  # fmt: skip
    services.dialogue_create(
        actor=staff, level=DialogueLevel.DISTRICT, unit=tree.root, held_on=dt.date(2026, 3, 1),
        chair="Bí thư", topic="Giải phóng mặt bằng", participants=300,
    )  # fmt: skip
    dialogue(staff, tree.ward_b, held_on=dt.date(2025, 12, 1))  # last year: not counted
    kept = selectors.commitment_list(staff).order_by("deadline").first()
    services.commitment_report(actor=staff, commitment=kept, progress=100, evidence="Xong",
                               completed_on=dt.date(2026, 2, 18))  # fmt: skip
    answered(staff, tree.ward_a, received=dt.date(2026, 2, 2), due=dt.date(2026, 3, 2),
             answered_on=dt.date(2026, 2, 20))  # fmt: skip
    answered(staff, tree.ward_b, received=dt.date(2026, 2, 2), due=dt.date(2026, 3, 2),
             answered_on=dt.date(2026, 3, 10), outcome=Outcome.EXPLAINED)  # fmt: skip
    rejected = receive(staff, tree.ward_a, "Không thuộc thẩm quyền", received=dt.date(2026, 2, 2))
    services.case_assign(actor=staff, case=rejected, unit=tree.ward_a, due_on=dt.date(2026, 3, 2))
    services.case_reject(actor=staff, case=rejected, reason="Thuộc tòa án")
    pending = receive(staff, tree.ward_a, "Chưa trả lời", received=dt.date(2026, 2, 2))
    services.case_assign(actor=staff, case=pending, unit=tree.ward_a, due_on=dt.date(2026, 3, 3))
    values = _collect(indicators.SYSTEM, tree.root)
    assert (values["dialogues.district"].count, values["dialogues.ward"].count) == (1, 1)
    assert values["dialogues.commitments.made"].count == 2
    assert values["dialogues.commitments.kept"].count == 1
    assert values["dialogues.commitments.on_time"].count == 1
    assert values["dialogues.commitments.overdue"].count == 1
    assert values["opinion_cases.received"].count == 4
    rate = selectors.resolution_rate(staff, tree.root, START, END)
    for fact in ("due", "resolved", "explained", "settled", "on_time", "late", "pending",
                 "rejected", "transferred"):  # fmt: skip
        assert values[f"opinion_cases.{fact}"].count == getattr(rate, fact), fact
    assert (values["opinion_cases.due"].count, values["opinion_cases.settled"].count) == (3, 2)
    assert values["opinion_cases.rate"].share == rate.rate == Decimal("66.7")
    ward = _collect(indicators.SYSTEM, tree.ward_a)
    assert ward["opinion_cases.due"].count == 2 and ward["dialogues.district"].count == 0


def test_no_case_due_is_no_rate(users, tree):
    values = _collect(indicators.SYSTEM, tree.root)
    assert values["opinion_cases.due"].count == 0 and values["opinion_cases.rate"].share is None


def test_indicators_are_refused_outside_the_viewers_scope(users, tree):
    with pytest.raises(PermissionDenied):
        _collect(users["ward_secretary"], tree.ward_b)
    assert "opinion_cases.rate" in _collect(users["ward_secretary"], tree.ward_a)
    values = indicators.collect(viewer=users["inspection"], unit=tree.root, start=START, end=END)
    assert not any(code.startswith(("dialogues.", "opinion_cases.")) for code in values)


# --- Search and the case picker ---------------------------------------------------------------


def test_search_finds_dialogues_and_cases_without_diacritics_and_never_by_citizen(users, tree):
    staff, mass = users["staff"], users["mass_mobilisation"]
    case = receive(mass, tree.ward_a, "Đường Nguyễn Văn Cừ ngập nước",
                   citizen_name="Lê Văn Riêng Tư", citizen_phone="0911222333")  # fmt: skip
    dialogue(staff, tree.ward_a)
    hits = search.search(staff, "nguyen van cu ngap")
    assert [h.url for h in hits] == [case.get_absolute_url()]
    assert "Riêng Tư" not in repr(hits) and "0911222333" not in repr(hits)
    assert not search.search(mass, "Riêng Tư") and not search.search(mass, "0911222333")
    assert [h.url for h in search.search(staff, f"#{case.pk}")] == [case.get_absolute_url()]
    assert any("Đối thoại" in h.kind for h in search.search(staff, "trat tu do thi"))
    # Out of scope: nothing.
    assert not search.search(users["no_role"], "nguyen van cu")
    receive(staff, tree.ward_b, "Đường Nguyễn Văn Cừ ngập nước ở phường B")
    assert len(search.search(users["ward_secretary"], "nguyen van cu")) == 1


def test_the_case_picker_offers_open_cases_in_scope_by_words_or_number(users, tree, client_for):
    staff, secretary = users["staff"], users["ward_secretary"]
    first = receive(staff, tree.ward_a, "Đường Nguyễn Văn Cừ ngập nước")
    second = receive(staff, tree.ward_a, "Ngập nước đường Nguyễn Văn Cừ", citizen_name="Ẩn Danh")
    closed = receive(staff, tree.ward_a, "Ngập nước đã xử lý")
    services.case_reject(actor=staff, case=closed, reason="Trùng")
    other = receive(staff, tree.ward_b, "Ngập nước phường B")
    lookup = lookups.get("vu-viec")
    found = lookup.search(staff, "ngap nuoc", {"exclude": str(second.pk)})
    assert set(found) == {first, other}
    assert set(lookup.search(secretary, "ngap nuoc", {})) == {first, second}
    assert lookup.search(staff, f"#{first.pk}", {}) == [first]
    assert lookup.search(secretary, f"#{other.pk}", {}) == []
    assert "Ẩn Danh" not in lookup.as_json(second)["text"]
    assert lookup.as_json(first)["text"].startswith(f"#{first.pk} · Đường Nguyễn Văn Cừ")
    with pytest.raises(ValueError):
        lookup.rows(staff, exclude="x")
    # Through the pickers' endpoint, as the merge page's field asks it.
    response = client_for(secretary).get(
        reverse("lookup", args=["vu-viec"]), {"q": f"#{first.pk}", "exclude": second.pk}
    )
    assert response.status_code == 200
    assert [row["value"] for row in response.json()["results"]] == [str(first.pk)]
