"""The dialogues app's records for the route table: one set per ward side (see
:mod:`tests.route_data`), made through the services by the district staff user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dialogues import services
from dialogues.choices import CaseCategory, CaseSource, DialogueLevel, Outcome


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
    return DialogueRecords(
        dialogue=dialogue, issue_answered=answered_issue, issue_committed=committed_issue,
        commitment=committed_issue.commitment, case_received=received, case_assigned=assigned,
        case_in_progress=in_progress, case_answered=done, case_closed=closed,
    )  # fmt: skip
