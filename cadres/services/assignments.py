"""Task assignments to Party members and their year-end results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org.models import Person
from longbien.org.types import Actor
from longbien.service import service

from ..models import (
    TaskAssignment,
)
from ._common import _check_year, _clean_rating, _is_self, _require


@service
def assignment_create(*, actor: Actor, person: Person, year: int, task: str) -> TaskAssignment:
    """Assign a task for a year to a Party member in scope."""
    _require(actor, person.unit)
    year = _check_year(year)
    if person.party_member_since is None:  # not a Party member
        raise ValidationError({"person": _("Chỉ phân công nhiệm vụ cho đảng viên.")})
    if person.party_member_since.year > year:
        raise ValidationError(
            {
                "year": _("%(person)s vào Đảng năm %(joined)s, sau năm %(year)s.")
                % {"person": person, "joined": person.party_member_since.year, "year": year}
            }
        )
    task = (task or "").strip()
    if not task:
        raise ValidationError({"task": _("Hãy ghi nhiệm vụ được phân công.")})
    assignment = TaskAssignment(person=person, unit=person.unit, year=year, task=task)
    assignment.full_clean()
    with audited(actor=actor):
        assignment.save()
    return assignment


@service
def assignment_record_result(
    *, actor: Actor, assignment: TaskAssignment, result: str, result_note: str = ""
) -> TaskAssignment:
    """Record (or correct) the year-end result of an assignment; not one's own, not early."""
    assignment = (
        TaskAssignment.objects.select_for_update()
        .select_related("person", "unit")
        .get(pk=assignment.pk)
    )
    _require(actor, assignment.unit)
    if _is_self(actor, assignment.person_id):
        raise PermissionDenied(_("Không được tự ghi kết quả nhiệm vụ của chính mình."))
    if assignment.year > timezone.localdate().year:
        raise ValidationError(
            _("Năm %(year)s chưa đến; chưa ghi được kết quả cuối năm.") % {"year": assignment.year},
            code="too_early",
        )
    result = _clean_rating(result, "result")
    result_note = (result_note or "").strip()
    if len(result_note) > 300:
        raise ValidationError({"result_note": _("Ghi chú kết quả dài tối đa 300 ký tự.")})
    assignment.result = result
    assignment.result_note = result_note
    with audited(actor=actor):
        assignment.save(update_fields=["result", "result_note"])
    return assignment
