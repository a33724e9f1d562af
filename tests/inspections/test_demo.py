"""The demo reproduces the article's 2015–2020 figures from its records, and this year's plans
show real overlaps; the committee head's flag is set through the role service."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import F
from django.utils import timezone

from inspections import selectors
from inspections.choices import CaseStatus, InspectionStatus, PlanItemStatus
from inspections.demo import load_demo
from inspections.models import Case, FollowUp, Inspection, PlanItem
from longbien import indicators
from longbien.org.choices import Role
from longbien.org.demo import load_long_bien
from longbien.org.models import OrgUnit, RoleAssignment, Term, User
from longbien.procedures.demo import load_demo as load_procedures
from longbien.procedures.models import Procedure, ProcedureKind


def test_the_demo_term_gives_the_articles_figures(db):
    built = load_long_bien(people_per_cell=2)
    load_procedures(built=built)
    assert load_demo(built=built).startswith("1558 cuộc kiểm tra, giám sát")
    entries = LogEntry.objects.count()
    assert load_demo(built=built) == "đã có, bỏ qua"
    assert LogEntry.objects.count() == entries
    term = Term.objects.get(code="2015-2020")
    values = indicators.collect(
        viewer=indicators.SYSTEM, unit=built.units["QU-LB"], start=term.start_date,
        end=term.end_date, areas={"inspections", "org"},
    )  # fmt: skip
    assert values["inspections.inspection.organisation"].count == 672
    assert values["inspections.inspection.member"].count == 132
    assert values["inspections.supervision.organisation"].count == 593
    assert values["inspections.supervision.member"].count == 161
    assert values["cases.denunciation.settled"].count == 11
    assert values["cases.complaint.settled"].count == 3
    # The article's 15 inspection procedures and 3 coordination regulations are there.
    assert values["procedures.inspection"].count == 15
    assert values["procedures.coordination"].count == 3
    assert Procedure.objects.filter(kind=ProcedureKind.COORDINATION).count() == 3
    # The term's records carry their "created" audit rows.
    term_record = Inspection.objects.filter(concluded_on__lte=term.end_date).first()
    assert LogEntry.objects.get_for_object(term_record).exists()


def test_the_demo_has_open_work_overlaps_and_a_committee_head(db):
    built = load_long_bien(people_per_cell=2)
    load_demo(built=built)
    today = timezone.localdate()
    assert RoleAssignment.objects.get(
        user__username="kiemtra", role=Role.INSPECTION
    ).heads_committee
    statuses = set(
        Inspection.objects.filter(starts_on__year__gte=today.year - 1).values_list(
            "status", flat=True
        )
    )
    assert {
        InspectionStatus.PLANNED,
        InspectionStatus.IN_PROGRESS,
        InspectionStatus.CLOSED,
    } <= statuses
    follow_ups = FollowUp.objects.filter(inspection__concluded_on__year__gte=today.year - 1)
    assert follow_ups.overdue(today).exists()
    assert follow_ups.filter(status="done", completed_on__gt=F("deadline")).exists()  # late
    assert follow_ups.filter(status="done", completed_on__lte=F("deadline")).exists()
    assert Case.objects.overdue(today).exists()
    assert Case.objects.filter(status=CaseStatus.NOT_ACCEPTED).exists()
    items = list(PlanItem.objects.filter(plan__year=today.year))
    assert len(items) >= 8
    conflicts = selectors.overlaps_of(items)
    reasons = {reason for found in conflicts.values() for c in found for reason in c.reasons}
    assert {"unit", "above", "below", "topic"} <= reasons
    approved = PlanItem.objects.filter(status=PlanItemStatus.APPROVED).exclude(justification="")
    assert approved.exists()  # an overlapping item approved with its justification
    view = selectors.coordination(_inspector(), OrgUnit.objects.get(code="P-BODE"), today.year)
    assert len(view["lanes"]) >= 3 and view["conflict_count"] >= 3


def _inspector() -> User:
    return User.objects.get(username="kiemtra")
