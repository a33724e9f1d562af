"""The inspections app's records for the route table: one set per ward side (see
:mod:`tests.route_data`), made through the services by the district staff and inspection users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from inspections import services
from inspections.choices import (
    Activity,
    CaseKind,
    CaseOutcome,
    DisciplineForm,
    InspectionKind,
    SubjectType,
)


@dataclass
class InspectionRecords:
    plan: Any
    item_draft: Any
    item_approved: Any
    inspection_planned: Any
    inspection_in_progress: Any
    inspection_concluded: Any
    follow_up: Any
    discipline: Any
    case_received: Any
    case_verifying: Any
    case_concluded: Any


def build(
    letter: str, ward: Any, cell: Any, person: Any, staff: Any, inspector: Any
) -> InspectionRecords:
    up = letter.upper()
    plan = services.plan_create(actor=staff, body=ward, year=2026)

    def item(first: int, last: int, topic: str) -> Any:
        return services.plan_item_add(
            actor=staff, plan=plan, activity=Activity.INSPECTION,
            subject_type=SubjectType.ORGANISATION, topic=topic, target_unit=cell,
            start_month=first, end_month=last,
        )  # fmt: skip

    draft = item(9, 10, f"Kiểm tra chi bộ {up} (dự kiến)")
    approved = services.plan_item_approve(actor=staff, item=item(3, 4, f"Kiểm tra chi bộ {up}"))

    def inspection(topic: str, **extra: Any) -> Any:
        return services.inspection_create(
            actor=inspector, activity=Activity.INSPECTION, subject_type=SubjectType.ORGANISATION,
            kind=InspectionKind.REGULAR, topic=topic, conducting_body=ward, unit=cell,
            starts_on=dt.date(2026, 3, 2), **extra,
        )  # fmt: skip

    planned = inspection(f"Kiểm tra theo kế hoạch {up}", plan_item=approved)
    in_progress = services.inspection_start(
        actor=inspector, inspection=inspection(f"Đang kiểm tra {up}")
    )
    concluded = services.inspection_conclude(
        actor=inspector,
        inspection=services.inspection_start(actor=inspector, inspection=inspection(f"Đã kết luận {up}")),
        conclusion=f"Kết luận phường {up}", concluded_on=dt.date(2026, 4, 1),
        findings="Còn hạn chế trong lưu trữ hồ sơ.",
    )  # fmt: skip
    follow_up = services.follow_up_add(
        actor=inspector, inspection=concluded, content=f"Bổ sung hồ sơ đảng viên {up}",
        owner_unit=cell, deadline=dt.date(2026, 5, 4),
    )  # fmt: skip
    discipline = services.discipline_create(
        actor=inspector, subject_type=SubjectType.MEMBER, form=DisciplineForm.REPRIMAND,
        symbol=f"{ord(up) - 60}-QĐ/UBKT", decided_on=dt.date(2026, 4, 20), deciding_body=ward,
        person=person, inspection=concluded,
    )  # fmt: skip

    def case(reference: str) -> Any:
        return services.case_receive(
            actor=inspector, kind=CaseKind.DENUNCIATION, received_on=dt.date(2026, 2, 2),
            paper_reference=reference, subject_type=SubjectType.ORGANISATION, unit=cell,
            summary=f"Nội dung đơn {reference}", handling_body=ward,
        )  # fmt: skip

    received = case(f"HS-{up}-1")
    verifying = services.case_verify(
        actor=inspector, case=services.case_accept(actor=inspector, case=case(f"HS-{up}-2"))
    )
    concluded_case = services.case_conclude(
        actor=inspector,
        case=services.case_verify(
            actor=inspector, case=services.case_accept(actor=inspector, case=case(f"HS-{up}-3"))
        ),
        conclusion="Tố cáo đúng một phần.", outcome=CaseOutcome.PARTLY,
        concluded_on=dt.date(2026, 4, 15),
    )  # fmt: skip
    return InspectionRecords(
        plan=plan, item_draft=draft, item_approved=approved, inspection_planned=planned,
        inspection_in_progress=in_progress, inspection_concluded=concluded, follow_up=follow_up,
        discipline=discipline, case_received=received, case_verifying=verifying,
        case_concluded=concluded_case,
    )  # fmt: skip
