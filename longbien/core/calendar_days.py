"""Writes on the working calendar: the days off and working days staff record as data.

The calendar applies to every unit, so the right to change it is the right to change the
organisation (``org`` area, change) that the scope rules give, on any unit: the district
office and the administrators. Nobody else may.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.types import Actor, Viewer
from longbien.service import service

from .models import CalendarDay


def can_change_calendar(user: Viewer) -> bool:
    return scope.has_area(user, scope.Area.ORG, scope.CHANGE)


def _check(actor: Actor) -> None:
    if not can_change_calendar(actor):
        raise PermissionDenied(_("Bạn không có quyền cập nhật lịch ngày làm việc."))


@service
def calendar_day_set(
    *,
    actor: Actor,
    date: dt.date,
    kind: str,
    note: str = "",
    reason: str = "",
    replace: bool = False,
) -> CalendarDay:
    """Record ``date`` as an extra day off or a (swapped) working day.

    A date already recorded is changed only when ``replace`` says so: otherwise the form
    says what is recorded for it, rather than overwriting it (and its note) silently.
    """
    _check(actor)
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("Loại ngày không hợp lệ.")})
    stored = CalendarDay.objects.select_for_update().filter(date=date).first()
    if stored is not None and not replace:
        raise ValidationError(
            {
                "date": _(
                    "Ngày %(date)s đã được ghi là “%(kind)s”%(note)s; hãy xóa ngày đó trước "
                    "nếu muốn ghi lại."
                )
                % {
                    "date": date.strftime("%d/%m/%Y"),
                    "kind": stored.get_kind_display(),
                    "note": f" ({stored.note})" if stored.note else "",
                }
            },
            code="recorded",
        )
    day = stored or CalendarDay(date=date)
    day.kind, day.note = kind, (note or "").strip()
    day.full_clean(validate_unique=False)
    with audited(actor=actor, reason=reason):
        day.save()
    return day


@service
def calendar_day_remove(*, actor: Actor, day: CalendarDay, reason: str = "") -> None:
    """Remove a recorded day: the national calendar decides that date again."""
    _check(actor)
    with audited(actor=actor, reason=reason):
        day.delete()
