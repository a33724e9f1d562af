"""The dialogues app's records for the route table: one set per ward side (see
:mod:`tests.route_data`), made through the services by the district staff user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dialogues import services
from dialogues.choices import (
    CaseCategory,
    CaseSource,
    CritiqueKind,
    DialogueLevel,
    ModelField,
    Organiser,
    Outcome,
    Recognition,
)


@dataclass
class DialogueRecords:
    dialogue: Any
    issue_answered: Any
    issue_committed: Any
    commitment: Any
    case_received: Any
    case_assigned: Any
    case_in_progress: Any
    case_answered: Any
    case_closed: Any
    critique: Any = None
    recommendation_open: Any = None
    recommendation_responded: Any = None
    supervision: Any = None
    feedback_open: Any = None
    feedback_answered: Any = None
    reception: Any = None
    reception_case: Any = None
    model: Any = None


def build(letter: str, ward: Any, cell: Any, staff: Any) -> DialogueRecords:
    up = letter.upper()
    dialogue = services.dialogue_create(
        actor=staff, level=DialogueLevel.WARD, unit=ward, held_on=dt.date(2026, 3, 10),
        chair=f"Bí thư phường {up}", topic=f"Đối thoại phường {up}", participants=120,
        issues=[
            {"content": f"Ý kiến đã trả lời {up}", "answer": "Đã trả lời tại hội nghị"},
            {"content": f"Ý kiến có cam kết {up}", "commitment": f"Sửa đèn đường {up}",
             "owner_unit": cell, "deadline": dt.date(2026, 5, 4)},
        ],
    )  # fmt: skip
    answered_issue, committed_issue = list(dialogue.issues.order_by("id"))

    def case(text: str) -> Any:
        return services.case_receive(
            actor=staff, source=CaseSource.HOTLINE, received_on=dt.date(2026, 3, 2),
            content=f"{text} phường {up}", unit=ward, category=CaseCategory.URBAN,
            citizen_name=f"Người dân {up}", citizen_phone="0912345678",
        )  # fmt: skip

    received = case("Đèn đường hỏng")
    assigned = services.case_assign(actor=staff, case=case("Rác thải tồn đọng"), unit=cell,
                                    due_on=dt.date(2026, 3, 23))  # fmt: skip
    in_progress = services.case_start(
        actor=staff, case=services.case_assign(actor=staff, case=case("Ngập nước"), unit=ward,
                                               due_on=dt.date(2026, 3, 23))
    )  # fmt: skip

    def answered(text: str) -> Any:
        return services.case_answer(
            actor=staff,
            case=services.case_assign(actor=staff, case=case(text), unit=ward,
                                      due_on=dt.date(2026, 3, 23)),
            answer="Đã xử lý xong", answered_on=dt.date(2026, 3, 20), outcome=Outcome.RESOLVED,
        )  # fmt: skip

    done = answered("Vỉa hè lấn chiếm")
    closed = services.case_close(
        actor=staff, case=answered("Tiếng ồn"), closed_on=dt.date(2026, 3, 25)
    )
    records = DialogueRecords(
        dialogue=dialogue, issue_answered=answered_issue, issue_committed=committed_issue,
        commitment=committed_issue.commitment, case_received=received, case_assigned=assigned,
        case_in_progress=in_progress, case_answered=done, case_closed=closed,
    )  # fmt: skip
    _around_the_cases(records, up, ward, staff)
    return records


def _around_the_cases(records: DialogueRecords, up: str, ward: Any, staff: Any) -> None:
    """A critique with two recommendations (one responded), a thematic supervision, two
    feedback items (one answered), a reception session with a case, a model."""
    records.critique = services.critique_create(
        actor=staff, kind=CritiqueKind.CRITIQUE, unit=ward, organiser=Organiser.FRONT,
        held_on=dt.date(2026, 4, 8), subject=f"Dự thảo quy hoạch phường {up}",
        findings="Cần bổ sung chỗ đỗ xe",
        recommendations=[
            {"content": f"Bổ sung bãi đỗ xe {up}", "addressee": f"UBND phường {up}"},
            {"content": f"Công khai bản đồ {up}", "addressee": f"UBND phường {up}"},
        ],
    )  # fmt: skip
    first, second = list(records.critique.recommendations.order_by("id"))
    records.recommendation_open = first
    records.recommendation_responded = services.recommendation_respond(
        actor=staff, recommendation=second, response="Đã tiếp thu, công khai tại trụ sở",
        responded_on=dt.date(2026, 4, 20),
    )  # fmt: skip
    records.supervision = services.critique_create(
        actor=staff, kind=CritiqueKind.SUPERVISION, unit=ward, organiser=Organiser.WOMEN,
        held_on=dt.date(2026, 5, 12), subject=f"Giám sát chính sách hộ nghèo phường {up}",
    )  # fmt: skip
    records.feedback_open = services.feedback_create(
        actor=staff, unit=ward, sender=Organiser.VETERANS, received_on=dt.date(2026, 4, 2),
        content=f"Góp ý tác phong cán bộ một cửa phường {up}", addressee=f"UBND phường {up}",
    )  # fmt: skip
    records.feedback_answered = services.feedback_create(
        actor=staff, unit=ward, sender=Organiser.FRONT, received_on=dt.date(2026, 3, 5),
        content=f"Góp ý dự thảo nghị quyết phường {up}", addressee=f"Đảng ủy phường {up}",
        response="Đã tiếp thu vào nghị quyết", responded_on=dt.date(2026, 3, 19),
    )  # fmt: skip
    records.reception = services.reception_create(
        actor=staff, unit=ward, held_on=dt.date(2026, 3, 15), leader=f"Bí thư phường {up}",
        leader_title="Bí thư Đảng ủy", place=f"Trụ sở phường {up}", citizens=6,
    )  # fmt: skip
    records.reception_case = services.case_receive(
        actor=staff, source=CaseSource.RECEPTION, received_on=dt.date(2026, 3, 15),
        content=f"Xin cấp sổ đỏ chậm phường {up}", unit=ward, category=CaseCategory.LAND,
        citizen_name=f"Công dân {up}", reception=records.reception,
    )  # fmt: skip
    records.model = services.model_create(
        actor=staff, unit=ward, year=2025, name=f"Tuyến phố văn minh phường {up}",
        field=ModelField.URBAN, recognition=Recognition.DISTRICT,
    )  # fmt: skip
