"""What the cadres app puts on a user's home page: evaluations waiting for this user.

A cadre whose account is linked to a person writes their own self-assessments; whoever may
change cadre work on a unit (its committee's staff, the secretary) gives the superior's
comment on the months self-assessed there and approves the months commented, never on their
own month (the workflow's SUPERIOR and APPROVER, :mod:`cadres.workflows`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from longbien import worklist
from longbien.org import scope

from . import selectors
from .choices import EvaluationStatus
from .models import Evaluation

# Own months are few (one a month); all of them are listed, each linking to its record.
OWN_LIMIT = 12


def _entry(evaluation: Evaluation, *, own: bool = False) -> worklist.Entry:
    """A month to act on; the section names the step, a returned month says so."""
    month = _("Tháng %(period)s") % {"period": evaluation.period_label}
    returned = own and bool(evaluation.returned_reason)
    return worklist.Entry(
        title=month if own else str(evaluation.person),
        url=evaluation.get_absolute_url(),
        detail=evaluation.unit.name if own else f"{evaluation.unit.name} · {month}",
        badge=_("Bị trả lại: %(reason)s") % {"reason": evaluation.returned_reason[:80]}
        if returned
        else "",
        tone="red" if returned else "",
    )


def provide(
    *,
    user: Any,
    unit: Any,
    today: dt.date,
    limit: int,
    watch: bool = False,
    keys: worklist.Keys = worklist.ALL,
) -> list[worklist.Section]:
    """The user's own months to self-assess, and the months waiting for their comment or approval."""
    sections: list[worklist.Section] = []
    person_id = getattr(user, "person_id", None)
    if person_id and keys.wants("cadres.self_assess"):
        own = selectors.evaluation_list(user=user, status=EvaluationStatus.DRAFT).filter(
            person_id=person_id
        )
        entries = [_entry(e, own=True) for e in own.order_by("year", "month")[:OWN_LIMIT]]
        # Listed in full (the count is the list), each month linking to its record.
        sections.append(
            worklist.Section(
                key="cadres.self_assess",
                title=_("Phiếu tự đánh giá cần viết"),
                count=len(entries),
                entries=entries,
                empty=_("Bạn đã tự đánh giá đủ các tháng."),
                order=20,
            )
        )
    if not selectors.sees_area(user, scope.CHANGE):
        return sections
    register = reverse("cadres:evaluation_list")
    steps = [
        (
            EvaluationStatus.SELF_ASSESSED,
            _("Phiếu chờ cấp trên nhận xét"),
            _("Không có phiếu chờ nhận xét."),
        ),
        (
            EvaluationStatus.ASSESSED,
            _("Phiếu chờ phê duyệt"),
            _("Không có phiếu chờ phê duyệt."),
        ),
    ]
    for order, (status, title, empty) in enumerate(steps, start=21):
        if not keys.wants(f"cadres.{status}"):
            continue
        waiting = selectors.evaluation_list(user=user, unit=unit, status=status).filter(
            scope.unit_q(user, scope.Area.CADRES, scope.CHANGE)
        )
        if person_id:  # never on one's own month
            waiting = waiting.exclude(person_id=person_id)
        sections.append(
            worklist.Section(
                key=f"cadres.{status}",
                title=title,
                count=waiting.count(),
                # The longest waiting first.
                entries=[
                    _entry(e)
                    for e in waiting.order_by("year", "month", "person_sort_key", "id")[:limit]
                ],
                url=f"{register}?status={status}",
                empty=empty,
                tone="amber",
                order=order,
            )
        )
    return sections


def register() -> None:
    worklist.register(provide)
    worklist.register_key_figures("cadres.evaluations", "cadres.members_assigned.share", order=20)
