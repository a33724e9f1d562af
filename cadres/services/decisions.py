"""Personnel decisions: appointment, reappointment, concurrence, transfer, nomination."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Position
from longbien.org.types import Actor
from longbien.service import service

from ..choices import DecisionKind
from ..models import (
    PersonnelDecision,
)
from ._common import _require


@service
def decision_create(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    symbol: str,
    decision_date: dt.date,
    from_position: Position | None = None,
    from_unit: OrgUnit | None = None,
    to_position: Position | None = None,
    to_unit: OrgUnit | None = None,
    note: str = "",
) -> PersonnelDecision:
    """Record a personnel decision; the actor must have both the person and the destination."""
    decision = PersonnelDecision(
        person=person, kind=kind, symbol=(symbol or "").strip(), decision_date=decision_date,
        from_position=from_position, from_unit=from_unit, to_position=to_position,
        to_unit=to_unit, note=note,
    )  # fmt: skip
    _check_decision(actor, decision)
    decision.full_clean()
    with audited(actor=actor, reason=decision.symbol):
        decision.save()
    return decision


def _check_decision(actor: Actor, decision: PersonnelDecision, stored: Any = None) -> None:
    """Check a decision's rights and rules; fill in the unit and the "from" side it implies.

    The "from" position and unit default to the stored ones, else the person's current ones;
    the record is kept by the destination unit, else the person's unit.
    """
    person = decision.person
    _require(actor, person.unit)
    if decision.to_unit_id is not None:
        _require(actor, decision.to_unit)
    if decision.kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Loại quyết định không hợp lệ.")})
    if decision.kind == DecisionKind.TRANSFER and decision.to_unit_id is None:
        raise ValidationError({"to_unit": _("Quyết định điều động phải có đơn vị mới.")})
    if decision.from_position_id is None:
        decision.from_position = stored.from_position if stored else person.position
    if decision.from_unit_id is None:
        decision.from_unit = stored.from_unit if stored else person.unit
    decision.unit = decision.to_unit or person.unit


@service
def decision_update(
    *,
    actor: Actor,
    decision: PersonnelDecision,
    decision_date: dt.date | None = None,
    from_position: Position | None = None,
    from_unit: OrgUnit | None = None,
    to_position: Position | None = None,
    to_unit: OrgUnit | None = None,
    note: str | None = None,
    reason: str = "",
) -> PersonnelDecision:
    """Correct a recorded decision (its date, sides, note); the unit keeping it must be in scope.

    The person, kind and symbol identify a decision: a different one is a new decision.
    """
    if not scope.can(actor, scope.Area.CADRES, scope.CHANGE, decision.unit):
        raise PermissionDenied(_("Quyết định này thuộc đơn vị ngoài phạm vi của bạn."))
    stored = PersonnelDecision.objects.get(pk=decision.pk)
    changes = {
        "decision_date": decision_date, "from_position": from_position, "from_unit": from_unit,
        "to_position": to_position, "to_unit": to_unit, "note": note,
    }  # fmt: skip
    for name, value in changes.items():
        if value is not None:
            setattr(decision, name, value)
    _check_decision(actor, decision, stored)
    decision.full_clean()
    with audited(actor=actor, reason=reason or decision.symbol):
        decision.save()
    return decision
