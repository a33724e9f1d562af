"""Writes on the procedure registry: the owner's scope in the procedure's own area decides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope

from .models import Procedure, ProcedureArea

# Besides committee staff (org), the inspection and mass-mobilisation roles keep their own.
AREA_ROLES = {
    ProcedureArea.INSPECTION: scope.Area.INSPECTIONS,
    ProcedureArea.MASS_MOBILISATION: scope.Area.DIALOGUES,
}
FIELDS = {
    "code",
    "name",
    "kind",
    "area",
    "level",
    "version",
    "effective_date",
    "retired_on",
    "iso_9001",
    "owner_unit",
    "description",
}


def can_change(user: Any, procedure: Procedure) -> bool:
    unit = procedure.owner_unit if procedure.owner_unit_id else None
    if scope.can(user, scope.Area.ORG, scope.CHANGE, unit):
        return True
    area = AREA_ROLES.get(procedure.area)
    return bool(area) and scope.can(user, area, scope.CHANGE, unit)


def _check(actor: Any, procedure: Procedure) -> None:
    if not can_change(actor, procedure):
        raise PermissionDenied(_("Bạn không có quyền cập nhật quy trình của đơn vị này."))


@transaction.atomic
def procedure_create(*, actor: Any, reason: str = "", **fields: Any) -> Procedure:
    if set(fields) - FIELDS:
        raise ValueError(f"unknown fields: {sorted(set(fields) - FIELDS)}")
    procedure = Procedure(**fields)
    _check(actor, procedure)
    procedure.full_clean()
    with audited(actor=actor, reason=reason):
        procedure.save()
    return procedure


@transaction.atomic
def procedure_update(
    *, actor: Any, procedure: Procedure, reason: str = "", **fields: Any
) -> Procedure:
    if set(fields) - FIELDS:
        raise ValueError(f"unknown fields: {sorted(set(fields) - FIELDS)}")
    _check(actor, procedure)
    for name, value in fields.items():
        setattr(procedure, name, value)
    _check(actor, procedure)
    procedure.full_clean()
    with audited(actor=actor, reason=reason):
        procedure.save()
    return procedure
