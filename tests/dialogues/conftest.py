"""Fixtures of the dialogues tests: cases and dialogues made through the services."""

from __future__ import annotations

import datetime as dt

from dialogues import services
from dialogues.choices import CaseCategory, CaseSource, DialogueLevel, Outcome


def receive(
    actor,
    unit,
    content="Đường Nguyễn Văn Cừ ngập nước sau mưa",
    *,
    received=dt.date(2026, 3, 2),
    **extra,
):
    return services.case_receive(
        actor=actor, source=extra.pop("source", CaseSource.HOTLINE), received_on=received,
        content=content, unit=unit, category=extra.pop("category", CaseCategory.URBAN), **extra,
    )  # fmt: skip


def answered(
    actor, unit, *, received, due, answered_on, outcome=Outcome.RESOLVED, content="Vụ việc"
):
    case = receive(actor, unit, content, received=received)
    services.case_assign(actor=actor, case=case, unit=unit, due_on=due)
    return services.case_answer(
        actor=actor, case=case, answer="Đã xử lý", answered_on=answered_on, outcome=outcome
    )


def dialogue(actor, unit, *, held_on=dt.date(2026, 3, 10), issues=None):
    return services.dialogue_create(
        actor=actor, level=DialogueLevel.WARD, unit=unit, held_on=held_on, chair="Đồng chí Bí thư",
        topic="Trật tự đô thị", participants=120, issues=issues or [],
    )  # fmt: skip
