"""The duplicate suggestion: similar words, whatever the diacritics, case and order."""

from __future__ import annotations

from dialogues import selectors, services
from dialogues.choices import CaseStatus

from .conftest import receive


def test_a_case_is_found_without_diacritics_and_in_any_order(users, tree):
    staff = users["staff"]
    flooded = receive(staff, tree.ward_a, "Đường Nguyễn Văn Cừ ngập nước sau mưa lớn")
    receive(staff, tree.ward_a, "Rác thải tồn đọng tại chợ Long Biên")
    receive(staff, tree.ward_a, "Nguyễn Văn A xin cấp giấy phép xây dựng")
    hits = selectors.similar_cases(staff, content="duong nguyen van cu ngap", unit=tree.ward_a)
    assert hits == [flooded]
    hits = selectors.similar_cases(staff, content="ngập NƯỚC đường Cừ", unit=tree.ward_a)
    assert hits == [flooded]


def test_only_open_cases_of_the_unit_its_parent_or_below(users, tree):
    staff = users["staff"]
    in_cell = receive(staff, tree.cell_a1, "Đường Nguyễn Văn Cừ ngập nước")
    receive(staff, tree.ward_b, "Đường Nguyễn Văn Cừ ngập nước")  # another ward
    closed = receive(staff, tree.ward_a, "Đường Nguyễn Văn Cừ ngập nước")
    services.case_reject(actor=staff, case=closed, reason="Trùng")
    hits = selectors.similar_cases(staff, content="đường nguyễn văn cừ ngập", unit=tree.ward_a)
    assert hits == [in_cell]


def test_merging_keeps_both_intakes_and_leaves_the_counts(users, tree):
    staff = users["staff"]
    first = receive(staff, tree.ward_a, "Đường Nguyễn Văn Cừ ngập nước")
    second = receive(staff, tree.ward_a, "Ngập nước đường Nguyễn Văn Cừ", source="press")
    services.case_merge(actor=staff, case=second, into=first, reason="Trùng nội dung")
    second.refresh_from_db()
    assert second.merged_into == first and second.status == CaseStatus.CLOSED
    assert second.source == "press" and list(first.merged.all()) == [second]
    assert selectors.similar_cases(staff, content="nguyen van cu ngap", unit=tree.ward_a) == [first]
