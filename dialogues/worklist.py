"""What the dialogues app puts on a user's home page: overdue commitments and opinion cases.

For those who change dialogue records (staff, mass mobilisation, the ward's secretary and
staff on their ward): the commitments of their scope past their deadline, and the open
public-opinion cases assigned to their units past their due date. Each count is that
of the register it links to (the same selector, the same unit narrowing as the register's
``within_field``, the same deadline rules). No citizen's personal data is shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from longbien import worklist
from longbien.org import scope

from . import selectors

AREA = scope.Area.DIALOGUES


def _within(rows: Any, field: str, unit: Any) -> Any:
    return rows.filter(**{f"{field}__path__startswith": unit.path}) if unit is not None else rows


def overdue_commitments(user: Any, unit: Any, today: dt.date) -> Any:
    rows = _within(selectors.commitment_list(user), "owner_unit", unit).overdue(today)
    return rows.order_by("deadline", "id")


def cases_due(user: Any, unit: Any, today: dt.date, *, watch: bool = False) -> Any:
    """Open cases past their due date (the register's ``?overdue=1``), of ``unit``'s subtree,
    assigned to a unit the user answers for (``watch``: every such case the user reads)."""
    rows = _within(selectors.case_list(user), "unit", unit).overdue(today)
    if not watch:
        rows = rows.filter(scope.unit_q(user, AREA, scope.CHANGE, "assigned_unit"))
    return rows.order_by("due_on", "id")


def provide(
    *,
    user: Any,
    unit: Any,
    today: dt.date,
    limit: int,
    watch: bool = False,
    keys: worklist.Keys = worklist.ALL,
) -> list[worklist.Section]:
    if not scope.has_area(user, AREA, scope.VIEW if watch else scope.CHANGE):
        return []
    sections = []
    if keys.wants("dialogues.commitments_overdue"):
        commitments = overdue_commitments(user, unit, today)
        sections.append(
            worklist.Section(
                key="dialogues.commitments_overdue",
                title=_("Cam kết tại đối thoại quá hạn"),
                count=commitments.count(),
                entries=[
                    worklist.overdue_entry(
                        str(c.content)[:120],
                        c.get_absolute_url(),
                        f"{c.owner_unit.name} · {c.issue.dialogue.topic}",
                        deadline=c.deadline,
                        today=today,
                    )  # fmt: skip
                    for c in commitments[:limit]
                ],
                url=reverse("dialogues:commitment_list") + "?overdue=1",
                empty=_("Không có cam kết quá hạn."),
                tone="red",
                order=40,
            )
        )
    if not keys.wants("dialogues.cases_due"):
        return sections
    try:
        case_url = reverse("dialogues:case_list") + "?overdue=1"
    except NoReverseMatch:  # the case pages are not mounted yet
        return sections
    cases = cases_due(user, unit, today, watch=watch)
    case_entries = [
        worklist.overdue_entry(
            # The case's number and category only: never the citizen's personal data.
            _("Vụ việc #%(pk)s: %(category)s")
            % {"pk": case.pk, "category": case.get_category_display()},
            case.get_absolute_url(),
            case.assigned_unit.name,
            deadline=case.due_on,
            today=today,
        )
        for case in cases[:limit]
    ]
    sections.append(
        worklist.Section(
            key="dialogues.cases_due",
            title=_("Vụ việc dư luận phản ánh quá hạn trả lời"),
            count=cases.count(),
            entries=case_entries,
            url=case_url,
            empty=_("Không có vụ việc quá hạn trả lời."),
            tone="red",
            order=41,
        )
    )
    return sections


def register() -> None:
    worklist.register(provide)
