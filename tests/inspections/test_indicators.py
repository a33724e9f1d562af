"""The inspections' indicators: counts per unit subtree and period, for a viewer; the cases'
provider yields counts only and is registered as confidential."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from inspections import indicators as inspection_indicators
from inspections import services
from inspections.choices import Activity, CaseOutcome, SubjectType
from longbien import indicators

from .conftest import concluded_inspection, received_case

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def _collect(viewer, unit):
    return indicators.collect(viewer=viewer, unit=unit, start=START, end=END, areas={"inspections"})


def test_every_indicator_has_a_vietnamese_label_and_the_cases_are_counts_only():
    codes = {i.code: i for i in indicators.definitions()}
    for code in ("inspections.inspection.organisation", "inspections.supervision.member",
                 "follow_ups.overdue", "discipline.form.expulsion", "cases.denunciation.settled",
                 "cases.complaint.late"):  # fmt: skip
        assert code in codes and str(codes[code].label).strip(), code
    assert str(codes["inspections.inspection.member"].label) == "Đảng viên được kiểm tra (lượt)"
    assert inspection_indicators.provide_cases in indicators._COUNTS_ONLY
    assert inspection_indicators.provide not in indicators._COUNTS_ONLY


def test_counts_by_subtree_activity_subject_kind_follow_ups_and_discipline(tree, users, member):
    inspector = users["inspection"]
    inspection = concluded_inspection(inspector, tree.ward_a)
    concluded_inspection(inspector, tree.ward_b)
    concluded_inspection(
        inspector, tree.cell_a1, concluded=dt.date(2025, 12, 1), started=dt.date(2025, 11, 1)
    )  # fmt: skip  (last year: not counted)
    services.follow_up_add(actor=inspector, inspection=inspection, content="Bổ sung hồ sơ",
                           owner_unit=tree.ward_a, deadline=dt.date(2026, 5, 10))  # fmt: skip
    late = services.follow_up_add(actor=inspector, inspection=inspection, content="Báo cáo",
                                  owner_unit=tree.ward_a, deadline=dt.date(2026, 5, 4))  # fmt: skip
    services.follow_up_complete(actor=inspector, follow_up=late, completed_on=dt.date(2026, 5, 20),
                                evidence="Đã báo cáo")  # fmt: skip
    services.discipline_create(
        actor=inspector, subject_type=SubjectType.MEMBER, form="warning", symbol="01-QĐ/UBKT",
        decided_on=dt.date(2026, 6, 1), deciding_body=tree.root, person=member,
    )  # fmt: skip
    values = _collect(indicators.SYSTEM, tree.root)
    assert values["inspections.inspection.organisation"].count == 2
    assert values["inspections.inspection.kind.thematic"].count == 2
    assert values["inspections.supervision.organisation"].count == 0
    assert values["follow_ups.total"].count == 2
    assert values["follow_ups.done"].count == 1
    assert values["follow_ups.done_on_time"].count == 0
    assert values["follow_ups.overdue"].count == 1  # the one not done, past its deadline
    assert values["discipline.form.warning"].count == 1
    assert values["discipline.subject.member"].count == 1
    ward = _collect(indicators.SYSTEM, tree.ward_a)
    assert ward["inspections.inspection.organisation"].count == 1
    assert ward["discipline.total"].count == 1  # the member's cell is in ward A


def test_cases_received_settled_on_time_and_late(tree, users):
    inspector = users["inspection"]
    on_time = received_case(inspector, tree.ward_a, received=dt.date(2026, 1, 5))
    late = received_case(inspector, tree.ward_a, received=dt.date(2026, 2, 2))
    received_case(inspector, tree.ward_a, received=dt.date(2026, 3, 2))  # open
    for case, day in ((on_time, dt.date(2026, 3, 1)), (late, dt.date(2026, 6, 1))):
        services.case_accept(actor=inspector, case=case)
        services.case_verify(actor=inspector, case=case)
        services.case_conclude(actor=inspector, case=case, conclusion="Kết luận",
                               outcome=CaseOutcome.PARTLY, concluded_on=day)  # fmt: skip
    values = _collect(users["inspection"], tree.root)
    assert values["cases.denunciation.received"].count == 3
    assert values["cases.denunciation.settled"].count == 2
    assert values["cases.denunciation.on_time"].count == 1
    assert values["cases.denunciation.late"].count == 1
    assert values["cases.denunciation.overdue"].count == 1
    assert values["cases.complaint.settled"].count == 0
    # Every value of the cases' provider is a plain count.
    assert all(
        type(v) is int
        for v in inspection_indicators.provide_cases(unit=tree.root, start=START, end=END).values()
    )


def test_indicators_are_refused_outside_the_viewers_scope(tree, users):
    with pytest.raises(PermissionDenied):
        _collect(users["ward_secretary"], tree.ward_b)
    assert "inspections.inspection.organisation" in _collect(users["ward_secretary"], tree.ward_a)
    # The Front's role reads no inspections: the area is left out when none is named.
    values = indicators.collect(
        viewer=users["mass_mobilisation"], unit=tree.root, start=START, end=END
    )
    assert not any(code.startswith(("inspections.", "cases.")) for code in values)


def test_activity_labels_cover_both_activities():
    labels = {str(i.label) for i in indicators.definitions() if i.code.startswith("inspections.")}
    assert "Tổ chức đảng được giám sát (lượt)" in labels
    assert any(label.startswith(str(Activity.SUPERVISION.label)) for label in labels)
