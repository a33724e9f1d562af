"""What the inspections app puts on a user's home page: overdue follow-ups, work in progress.

For those who change inspection records (the inspection role, the ward's secretary on their
ward): the follow-ups of their scope past their deadline, and the inspections and
supervisions in progress. Each count is that of the register it links to (the same selector,
the same unit narrowing as the register's ``within_field``, the same deadline rules).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from longbien import confidential, worklist
from longbien.org import scope

from . import selectors
from .choices import InspectionStatus

CASES_OVERDUE = "inspections.cases_overdue"


def _within(rows: Any, field: str, unit: Any) -> Any:
    return rows.filter(**{f"{field}__path__startswith": unit.path}) if unit is not None else rows


def provide(
    *,
    user: Any,
    unit: Any,
    today: dt.date,
    limit: int,
    watch: bool = False,
    keys: worklist.Keys = worklist.ALL,
) -> list[worklist.Section]:
    """Overdue follow-ups and running inspections for those who change inspection records
    (``watch``: for those who read them)."""
    if not scope.has_area(user, scope.Area.INSPECTIONS, scope.VIEW if watch else scope.CHANGE):
        return []
    sections = _overdue_cases(user, unit, today, limit) if keys.wants(CASES_OVERDUE) else []
    if keys.wants("inspections.follow_ups_overdue"):
        follow_ups = _within(selectors.follow_up_list(user), "owner_unit", unit).overdue(today)
        follow_ups = follow_ups.select_related("inspection").order_by("deadline", "id")
        sections.append(
            worklist.Section(
                key="inspections.follow_ups_overdue",
                title=_("Kiến nghị sau kiểm tra quá hạn"),
                count=follow_ups.count(),
                entries=[
                    worklist.overdue_entry(
                        str(f.content)[:120],
                        f.get_absolute_url(),
                        f"{f.owner_unit.name} · {f.inspection.topic}",
                        deadline=f.deadline,
                        today=today,
                    )  # fmt: skip
                    for f in follow_ups[:limit]
                ],
                url=reverse("inspections:follow_up_list") + "?overdue=1",
                empty=_("Không có kiến nghị quá hạn."),
                tone="red",
                order=30,
            )
        )
    if keys.wants("inspections.in_progress"):
        running = _within(selectors.inspection_list(user), "unit", unit).filter(
            status=InspectionStatus.IN_PROGRESS
        )
        sections.append(
            worklist.Section(
                key="inspections.in_progress",
                title=_("Cuộc kiểm tra, giám sát đang tiến hành"),
                count=running.count(),
                entries=[
                    worklist.Entry(
                        title=i.topic,
                        url=i.get_absolute_url(),
                        detail=f"{i.get_activity_display()} · {i.unit.name}",
                        badge=_("Từ %(date)s") % {"date": i.starts_on.strftime("%d/%m/%Y")},
                        tone="amber",
                    )
                    for i in running.order_by("starts_on", "id")[:limit]
                ],
                url=reverse("inspections:inspection_list")
                + f"?status={InspectionStatus.IN_PROGRESS}",
                empty=_("Không có cuộc kiểm tra, giám sát đang tiến hành."),
                tone="amber",
                order=31,
            )
        )
    return sections


def _overdue_cases(user: Any, unit: Any, today: dt.date, limit: int) -> list[worklist.Section]:
    """The inspection role's cases past their time limit: named by kind and paper reference
    only, and the rows shown are a read of confidential records (written to the access log)."""
    if not scope.has_area(user, scope.Area.CONFIDENTIAL, scope.CHANGE):
        return []
    cases = _within(selectors.case_list(user), "unit", unit).overdue(today)
    shown = confidential.read(
        user, cases.order_by("due_on", "id")[:limit], how=confidential.LIST, note=_("Trang chủ")
    )
    entries = [
        worklist.overdue_entry(
            str(case),
            case.get_absolute_url(),
            _("Hạn giải quyết %(date)s") % {"date": case.due_on.strftime("%d/%m/%Y")},
            deadline=case.due_on,
            today=today,
        )  # fmt: skip
        for case in shown
    ]
    return [
        worklist.Section(
            key=CASES_OVERDUE,
            title=_("Đơn tố cáo, khiếu nại quá hạn giải quyết"),
            count=cases.count(),
            entries=entries,
            url=reverse("inspections:case_list") + "?overdue=true",
            empty=_("Không có đơn quá hạn giải quyết."),
            tone="red",
            order=29,
        )
    ]


def register() -> None:
    worklist.register(provide)
