"""Writes on the procedure registry: the owner's scope in the procedure's own area decides."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.types import Actor, Viewer
from longbien.service import UNSET, given, service

from .models import Procedure, ProcedureArea

# Besides committee staff (org), the inspection and mass-mobilisation roles keep their own.
AREA_ROLES: dict[str, str] = {
    ProcedureArea.INSPECTION: scope.Area.INSPECTIONS,
    ProcedureArea.MASS_MOBILISATION: scope.Area.DIALOGUES,
}


def can_change(user: Viewer, procedure: Procedure) -> bool:
    unit = procedure.owner_unit if procedure.owner_unit_id else None
    if scope.can(user, scope.Area.ORG, scope.CHANGE, unit):
        return True
    area = AREA_ROLES.get(procedure.area)
    return area is not None and scope.can(user, area, scope.CHANGE, unit)


def _check(actor: Actor, procedure: Procedure) -> None:
    if not can_change(actor, procedure):
        raise PermissionDenied(_("Bạn không có quyền cập nhật quy trình của đơn vị này."))


@service
def procedure_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    area: str,
    level: str,
    effective_date: dt.date,
    owner_unit: OrgUnit | None = None,
    version: str = "1.0",
    retired_on: dt.date | None = None,
    iso_9001: bool = True,
    description: str = "",
    reason: str = "",
) -> Procedure:
    """Register a work procedure or coordination regulation of the owner unit."""
    procedure = Procedure(
        code=code, name=name, kind=kind, area=area, level=level, version=version,
        effective_date=effective_date, retired_on=retired_on, iso_9001=iso_9001,
        owner_unit=owner_unit, description=description,
    )  # fmt: skip
    _check(actor, procedure)
    procedure.full_clean()
    with audited(actor=actor, reason=reason):
        procedure.save()
    return procedure


@service
def procedure_update(
    *,
    actor: Actor,
    procedure: Procedure,
    code: str = UNSET,
    name: str = UNSET,
    kind: str = UNSET,
    area: str = UNSET,
    level: str = UNSET,
    version: str = UNSET,
    effective_date: dt.date = UNSET,
    retired_on: dt.date | None = UNSET,
    iso_9001: bool = UNSET,
    owner_unit: OrgUnit | None = UNSET,
    description: str = UNSET,
    reason: str = "",
) -> Procedure:
    """Change a procedure (arguments not given keep their values)."""
    fields = given(
        code=code, name=name, kind=kind, area=area, level=level, version=version,
        effective_date=effective_date, retired_on=retired_on, iso_9001=iso_9001,
        owner_unit=owner_unit, description=description,
    )  # fmt: skip
    _check(actor, procedure)
    for name, value in fields.items():
        setattr(procedure, name, value)
    _check(actor, procedure)
    procedure.full_clean()
    with audited(actor=actor, reason=reason):
        procedure.save()
    return procedure
