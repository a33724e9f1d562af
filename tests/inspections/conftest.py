"""Fixtures of the inspections tests: bodies beside the test tree, plans, records, cases."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections import services
from inspections.choices import Activity, CaseKind, InspectionKind, SubjectType
from longbien.org.choices import UnitKind
from longbien.org.models import Person
from tests.conftest import make_unit


@pytest.fixture
def bodies(tree):
    """The district's bodies that keep inspection and supervision plans."""
    return {
        "ubkt": make_unit("UBKT", UnitKind.COMMITTEE_AGENCY, tree.root, "Ủy ban Kiểm tra Quận ủy"),
        "hdnd": make_unit("HDND", UnitKind.PEOPLES_COUNCIL, tree.root, "Hội đồng nhân dân quận"),
        "mttq": make_unit("MTTQ", UnitKind.FATHERLAND_FRONT, tree.root, "Ủy ban MTTQ quận"),
    }


@pytest.fixture
def member(tree):
    return Person.objects.create(code="DV-A1", full_name="Nguyễn Văn Kiểm", unit=tree.cell_a1)


def add_item(actor, plan, unit, first, last, topic="Công tác phát triển đảng viên", **extra):
    return services.plan_item_add(
        actor=actor, plan=plan, activity=extra.pop("activity", Activity.INSPECTION),
        subject_type=SubjectType.ORGANISATION, topic=topic, target_unit=unit,
        start_month=first, end_month=last, **extra,
    )  # fmt: skip


def concluded_inspection(
    actor, unit, *, started=dt.date(2026, 3, 2), concluded=dt.date(2026, 4, 10)
):
    inspection = services.inspection_create(
        actor=actor, activity=Activity.INSPECTION, subject_type=SubjectType.ORGANISATION,
        kind=InspectionKind.THEMATIC, topic="Thực hiện Quy định 08", conducting_body=unit.parent or unit,
        unit=unit, starts_on=started,
    )  # fmt: skip
    services.inspection_start(actor=actor, inspection=inspection)
    return services.inspection_conclude(
        actor=actor, inspection=inspection, conclusion="Thực hiện tốt, còn hạn chế về hồ sơ.",
        concluded_on=concluded,
    )  # fmt: skip


def received_case(
    actor,
    unit,
    *,
    received=dt.date(2026, 3, 2),
    kind=CaseKind.DENUNCIATION,
    summary="Nội dung tố cáo",
):
    return services.case_receive(
        actor=actor, kind=kind, received_on=received, paper_reference="HS-01/2026",
        subject_type=SubjectType.ORGANISATION, unit=unit, summary=summary,
        handling_body=unit,
    )  # fmt: skip
