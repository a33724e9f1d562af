"""Self-improvement plans (kế hoạch tu dưỡng, rèn luyện) and their monthly reviews."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org.models import Person
from longbien.org.types import Actor
from longbien.service import service

from ..models import (
    PlanReview,
    SelfImprovementPlan,
)
from ._common import _check_month, _check_year, _is_self, _require


@service
def plan_create(
    *, actor: Actor, person: Person, year: int, commitments: str
) -> SelfImprovementPlan:
    """Record a person's yearly plan (the person themself, or staff in scope)."""
    if not _is_self(actor, person.pk):
        _require(actor, person.unit)
    year = _check_year(year)
    commitments = (commitments or "").strip()
    if not commitments:
        raise ValidationError({"commitments": _("Hãy ghi nội dung cam kết.")})
    if SelfImprovementPlan.objects.filter(person=person, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(person)s đã có kế hoạch tu dưỡng năm %(year)s.")
                % {"person": person, "year": year}
            },
            code="duplicate",
        )
    plan = SelfImprovementPlan(person=person, unit=person.unit, year=year, commitments=commitments)
    plan.full_clean()
    with audited(actor=actor):
        plan.save()
    return plan


@service
def plan_review(*, actor: Actor, plan: SelfImprovementPlan, month: int, note: str) -> PlanReview:
    """Record the cell meeting's review note on a plan for a month that has begun."""
    plan = (
        SelfImprovementPlan.objects.select_for_update()
        .select_related("person", "unit")
        .get(pk=plan.pk)
    )
    _require(actor, plan.unit)
    if _is_self(actor, plan.person_id):
        raise PermissionDenied(_("Không được tự ghi nhận xét cho kế hoạch của chính mình."))
    month = _check_month(month)
    today = timezone.localdate()
    if (plan.year, month) > (today.year, today.month):
        raise ValidationError(
            {
                "month": _("Tháng %(month)s/%(year)s chưa đến; chưa ghi được nhận xét.")
                % {"month": month, "year": plan.year}
            }
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Hãy ghi nhận xét.")})
    if plan.reviews.filter(month=month).exists():
        raise ValidationError({"month": _("Tháng này đã có nhận xét.")}, code="duplicate")
    with audited(actor=actor):
        return PlanReview.objects.create(plan=plan, month=month, note=note)
