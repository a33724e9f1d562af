"""The quarterly report at the services: prefill from the indicators, corrections with their
explanation, the workflow (submit, return with comments, resubmit, accept), the freeze and
the diff, the version check and the double submission. Records of every app are made through
the apps' services by the fixtures of ``conftest``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dialogues import services as dialogue_services
from dialogues.choices import DialogueLevel
from longbien import indicators, periods
from longbien.reporting import figures, selectors, services
from longbien.reporting.choices import ReportStatus
from longbien.reporting.models import QuarterlyReport, due_date

pytestmark = pytest.mark.django_db

YEAR, QUARTER = 2026, 1


def dialogue(actor, unit, held_on=dt.date(2026, 2, 10)):
    return dialogue_services.dialogue_create(
        actor=actor, level=DialogueLevel.WARD, unit=unit, held_on=held_on, chair="Bí thư",
        topic="Trật tự đô thị", participants=80,
    )  # fmt: skip


def written(report, actor, **extra):
    texts = {"results": "Hoàn thành các chỉ tiêu.", "limitations": "Còn chậm.",
             "next_tasks": "Tiếp tục.", "proposals": ""}  # fmt: skip
    return services.report_save(actor=actor, report=report, version=report.version,
                                **{**texts, **extra})  # fmt: skip


@pytest.fixture
def report(users, tree):
    return services.report_open(actor=users["ward_secretary"], unit=tree.ward_a, year=YEAR,
                                quarter=QUARTER)  # fmt: skip


def stated(report, code):
    for group in figures.report_figures(report):
        for figure in group.figures:
            if figure.code == code:
                return figure
    raise AssertionError(code)


def test_the_deadline_is_the_15th_of_the_month_after_the_quarter():
    assert due_date(2026, 1) == dt.date(2026, 4, 15)
    assert due_date(2026, 4) == dt.date(2027, 1, 15)


def test_a_report_opens_prefilled_with_the_quarters_indicators(users, tree, report):
    staff = users["staff"]
    dialogue(staff, tree.ward_a)
    dialogue(staff, tree.ward_a, held_on=dt.date(2026, 3, 1))
    dialogue(staff, tree.ward_b)  # another ward: not in ward A's report
    dialogue(staff, tree.ward_a, held_on=dt.date(2025, 12, 1))  # another quarter
    assert report.status == ReportStatus.NOT_STARTED and report.due_on == dt.date(2026, 4, 15)
    quarter = periods.quarter(YEAR, QUARTER)
    expected = indicators.collect(viewer=indicators.SYSTEM, unit=tree.ward_a, period=quarter,
                                  areas=figures.report_areas())  # fmt: skip
    shown = {f.code: f.value for g in figures.report_figures(report) for f in g.figures}
    assert shown == expected
    assert shown["dialogues.ward"].count == 2
    # Ward staff do not read inspections: those figures are not shown to them.
    for_staff = {f.code for g in figures.report_figures(report, viewer=users["ward_staff"])
                 for f in g.figures}  # fmt: skip
    assert "dialogues.ward" in for_staff and "cases.denunciation.received" in shown
    assert not any(code.startswith(("inspections.", "cases.")) for code in for_staff)


def test_a_corrected_figure_needs_an_explanation_and_keeps_both_values(users, tree, report):
    secretary = users["ward_secretary"]
    dialogue(users["staff"], tree.ward_a)
    with pytest.raises(ValidationError) as raised:
        written(report, secretary, corrections={"dialogues.ward": ("3", "")})
    assert "giải trình" in raised.value.message_dict["corrections"][0]
    with pytest.raises(ValidationError) as raised:
        written(report, secretary, corrections={"dialogues.ward": ("-1", "Sai")})
    assert "không được âm" in raised.value.message_dict["corrections"][0]
    with pytest.raises(ValidationError) as raised:
        written(report, secretary, corrections={"opinion_cases.rate": ("90", "Sai")})
    assert "tỷ lệ" in raised.value.message_dict["corrections"][0]
    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_STARTED and report.version == 1
    written(report, secretary, corrections={"dialogues.ward": ("3", "Một cuộc ghi trên giấy")})
    figure = stated(report, "dialogues.ward")
    assert (figure.value.count, figure.computed) == (3, 1)
    assert figure.explanation == "Một cuộc ghi trên giấy"
    # The total follows the correction? No: a count is what it says; only shares are computed.
    # Setting the value back to the computed one removes the correction.
    written(report, secretary, corrections={"dialogues.ward": ("1", "")})
    assert not stated(report, "dialogues.ward").corrected


def test_the_workflow_with_a_return_and_a_resubmission(users, tree, report):
    secretary, ward_staff, staff = users["ward_secretary"], users["ward_staff"], users["staff"]
    written(report, ward_staff)  # ward staff write
    assert report.status == ReportStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=ward_staff, report=report, version=report.version)
    services.report_submit(actor=secretary, report=report, version=report.version)
    assert report.status == ReportStatus.SUBMITTED and report.first_submitted_on is not None
    with pytest.raises(ValidationError):
        written(report, secretary)  # sent: not editable
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=secretary, report=report, version=report.version)
    with pytest.raises(ValidationError) as raised:
        services.report_return(actor=staff, report=report, version=report.version,
                               comments={"results": "  "})  # fmt: skip
    assert "ít nhất một phần" in raised.value.message_dict["comments"][0]
    services.report_return(actor=staff, report=report, version=report.version,
                           comments={"results": "Bổ sung số liệu đối thoại",
                                     "next_tasks": "Cụ thể hơn"})  # fmt: skip
    assert report.status == ReportStatus.RETURNED
    comments = selectors.report_comments(staff, report)
    assert [(c.round, c.section) for c in comments] == [(1, "results"), (1, "next_tasks")]
    written(report, secretary, results="Đã bổ sung.")
    services.report_submit(actor=secretary, report=report, version=report.version)
    services.report_accept(actor=staff, report=report, version=report.version)
    assert report.status == ReportStatus.ACCEPTED
    with pytest.raises(ValidationError) as raised:
        written(report, secretary)
    assert "khóa" in raised.value.messages[0]


def test_an_empty_required_section_is_not_submitted(users, report):
    secretary = users["ward_secretary"]
    written(report, secretary, limitations="   ")
    with pytest.raises(ValidationError) as raised:
        services.report_submit(actor=secretary, report=report, version=report.version)
    assert "Hạn chế" in raised.value.message_dict["limitations"][0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.frozen


def test_a_stale_version_saves_nothing(users, report):
    secretary, ward_staff = users["ward_secretary"], users["ward_staff"]
    first = QuarterlyReport.objects.get(pk=report.pk)
    second = QuarterlyReport.objects.get(pk=report.pk)
    written(first, secretary, results="Bản của bí thư")
    with pytest.raises(ValidationError) as raised:
        services.report_save(actor=ward_staff, report=second, version=second.version,
                             results="Bản của cán bộ")  # fmt: skip
    assert "người khác sửa" in raised.value.message_dict["version"][0]
    report.refresh_from_db()
    assert report.results == "Bản của bí thư" and report.version == 2


def test_submitting_twice_is_one_submission(users, report):
    secretary = users["ward_secretary"]
    written(report, secretary)
    version = report.version
    first = services.report_submit(actor=secretary, report=report, version=version)
    stale = QuarterlyReport.objects.get(pk=report.pk)
    again = services.report_submit(actor=secretary, report=stale, version=version)
    assert again.submitted_at == first.submitted_at and again.version == version + 1


def test_the_figures_freeze_at_submission_and_show_the_diff(users, tree, report):
    secretary, staff = users["ward_secretary"], users["staff"]
    dialogue(staff, tree.ward_a)
    written(report, secretary)
    services.report_submit(actor=secretary, report=report, version=report.version)
    services.report_accept(actor=staff, report=report, version=report.version)
    assert report.frozen["dialogues.ward"] == 1
    assert figures.changed_since_frozen(report) == []
    dialogue(staff, tree.ward_a, held_on=dt.date(2026, 3, 20))  # recorded late
    figure = stated(report, "dialogues.ward")
    assert figure.value.count == 1  # what was accepted stays
    changed = {f.code: f for f in figures.changed_since_frozen(report)}
    assert changed["dialogues.ward"].today.count == 2
    assert changed["dialogues.total"].value.count == 1


def test_a_ward_sees_and_writes_only_its_own_reports(users, tree, report):
    secretary = users["ward_secretary"]
    other = services.report_open(actor=users["staff"], unit=tree.ward_b, year=YEAR,
                                 quarter=QUARTER)  # fmt: skip
    assert list(selectors.report_list(secretary)) == [report]
    with pytest.raises(PermissionDenied):
        written(other, secretary)
    with pytest.raises(PermissionDenied):
        services.report_open(actor=secretary, unit=tree.ward_b, year=YEAR, quarter=QUARTER)
    with pytest.raises(ValidationError):
        services.report_open(actor=secretary, unit=tree.cell_a1, year=YEAR, quarter=QUARTER)
    with pytest.raises(ValidationError):
        services.report_open(actor=secretary, unit=tree.ward_a, year=2099, quarter=1)


def test_the_compliance_board(users, tree, report):
    secretary, staff = users["ward_secretary"], users["staff"]
    written(report, secretary)
    services.report_submit(actor=secretary, report=report, version=report.version)
    board = selectors.compliance_board(staff, YEAR, today=dt.date(2026, 4, 20))
    rows = {row.unit.code: row for row in board}
    assert set(rows) == {"P-A", "P-B"}
    sent, missing = rows["P-A"].cells[0], rows["P-B"].cells[0]
    assert sent.status == ReportStatus.SUBMITTED and sent.timing in ("on_time", "late")
    assert missing.status == ReportStatus.NOT_STARTED and missing.timing == "late_now"
    assert rows["P-B"].cells[3].timing == "not_due"
    assert [row.unit.code for row in selectors.compliance_board(secretary, YEAR)] == ["P-A"]


def test_opening_a_quarter_reaches_every_reporting_unit_once(tree):
    assert services.reports_open_quarter(year=YEAR, quarter=QUARTER) == 2
    assert services.reports_open_quarter(year=YEAR, quarter=QUARTER) == 0
    assert QuarterlyReport.objects.filter(status=ReportStatus.NOT_STARTED).count() == 2


def test_the_compliance_indicators(users, tree):
    from longbien.reporting.indicators import quarters_due

    # Q1 and Q2 of 2026 are due by 30/11/2026; Q3 too (15/10); Q4 not yet.
    assert quarters_due(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 11, 30)) == [
        (2026, 1), (2026, 2), (2026, 3),
    ]  # fmt: skip
    secretary, staff = users["ward_secretary"], users["staff"]
    first = services.report_open(actor=secretary, unit=tree.ward_a, year=2026, quarter=1)
    written(first, secretary)
    services.report_submit(actor=secretary, report=first, version=first.version)
    services.report_accept(actor=staff, report=first, version=first.version)
    first.refresh_from_db()
    QuarterlyReport.objects.filter(pk=first.pk).update(first_submitted_on=dt.date(2026, 4, 10))
    second = services.report_open(actor=secretary, unit=tree.ward_a, year=2026, quarter=2)
    written(second, secretary)
    services.report_submit(actor=secretary, report=second, version=second.version)
    QuarterlyReport.objects.filter(pk=second.pk).update(first_submitted_on=dt.date(2026, 7, 20))
    values = indicators.collect(viewer=indicators.SYSTEM, unit=tree.root,
                                start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30),
                                areas={"reports"})  # fmt: skip
    # Two wards × two quarters owed; ward A sent both (Q1 on time, Q2 late), ward B none.
    assert values["quarterly_reports.expected"].count == 4
    assert values["quarterly_reports.sent"].count == 2
    assert values["quarterly_reports.on_time"].count == 1
    assert values["quarterly_reports.accepted"].count == 1
    assert str(values["quarterly_reports.on_time_share"].share) == "25.0"
    # A report's own figures leave the compliance out.
    assert "quarterly_reports.expected" not in figures.live_counts(first)
