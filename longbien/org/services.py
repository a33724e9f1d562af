"""Every write on the organisation: typed, keyword-only, atomic, scoped and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import bulk
from longbien.audit import audited, log_created_in_bulk
from longbien.service import UNSET, given, service
from longbien.text import clean_input

from . import scope
from .choices import ManagementLevel, Role
from .models import (
    OrgUnit,
    Person,
    Position,
    PositionHistory,
    RoleAssignment,
    Term,
    UnitNameHistory,
    User,
)
from .types import Actor

PERSON_FIELDS = {
    "code", "full_name", "birth_date", "sex", "party_member_since", "unit", "position",
    "management_level", "is_active",
}  # fmt: skip


def _require(user: Actor, area: str, action: str, unit: OrgUnit | None) -> None:
    if not scope.can(user, area, action, unit):
        raise PermissionDenied(_("Bạn không có quyền thao tác trên đơn vị này."))


def _require_top_level(user: Actor) -> None:
    """Refuse a unit at the top level (no parent) to anyone whose scope is not above every tree.

    A role covers its unit's subtree, so a unit without a parent lies outside the scope of
    every role, a district administrator's included: only a superuser still sees it.
    """
    if not scope.covers_every_root(user, scope.Area.ORG, scope.CHANGE):
        raise PermissionDenied(
            _(
                "Chỉ quản trị viên toàn hệ thống mới được đặt đơn vị ở cấp cao nhất (không có "
                "đơn vị cấp trên); hãy chọn đơn vị cấp trên trong phạm vi của bạn."
            )
        )


def _require_parent(user: Actor, parent: OrgUnit, message: str) -> None:
    if not scope.can(user, scope.Area.ORG, scope.CHANGE, parent):
        raise PermissionDenied(message)


@service
def unit_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    valid_from: dt.date | None = None,
    reason: str = "",
) -> OrgUnit:
    """Create a unit under ``parent`` (which the actor must be allowed to change).

    A unit without a parent is made only by a scope above every tree (:func:`_require_top_level`).
    """
    if parent is None:
        _require_top_level(actor)
    else:
        _require_parent(
            actor, parent, _("Bạn chỉ được thêm đơn vị vào đơn vị cấp trên trong phạm vi của mình.")
        )
        if not parent.is_active:
            raise ValidationError({"parent": _("Đơn vị cấp trên đã giải thể hoặc sáp nhập.")})
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, valid_from=valid_from)
    unit.full_clean()
    with audited(actor=actor, reason=reason):
        unit.save()
    return unit


@service
def unit_update(
    *,
    actor: Actor,
    unit: OrgUnit,
    code: str = UNSET,
    name: str = UNSET,
    kind: str = UNSET,
    parent: OrgUnit | None = UNSET,
    valid_from: dt.date | None = UNSET,
    reason: str = "",
) -> OrgUnit:
    """Change a unit's fields; a new name keeps the old one in the unit's name history.

    Arguments not given keep their values; a unit is closed with :func:`unit_close`. A move
    needs both the old parent and the new one in the actor's scope; the top level needs a
    scope above every tree.
    """
    fields = given(code=code, name=name, kind=kind, parent=parent, valid_from=valid_from)
    _require(actor, scope.Area.ORG, scope.CHANGE, unit)
    new_parent = fields.get("parent", unit.parent)
    moved = new_parent != unit.parent
    if moved and unit.parent is not None:
        _require_parent(
            actor,
            unit.parent,
            _("Bạn không có quyền chuyển đơn vị ra khỏi đơn vị cấp trên hiện tại của nó."),
        )
    if moved and new_parent is None:
        _require_top_level(actor)
    if moved and new_parent is not None:
        _require_parent(actor, new_parent, _("Đơn vị cấp trên mới nằm ngoài phạm vi của bạn."))
        if new_parent.path.startswith(unit.path):
            raise ValidationError(
                {"parent": _("Không thể chuyển đơn vị vào chính cây con của nó.")}
            )
    if "code" in fields:
        fields["code"] = clean_input(fields["code"], code=True)
    if "code" in fields and fields["code"] != unit.code and unit.children.exists():
        raise ValidationError({"code": _("Không đổi mã của đơn vị đang có đơn vị trực thuộc.")})
    old_name, old_path = unit.name, unit.path
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    with audited(actor=actor, reason=reason):
        if old_name != unit.name:
            UnitNameHistory.objects.create(
                unit=unit,
                name=old_name,
                valid_to=timezone.localdate(),
            )
        unit.save()
        if unit.path != old_path:
            _repath_subtree(old_path, unit.path)
    return unit


def _repath_subtree(old_path: str, new_path: str) -> None:
    """Move every unit below ``old_path`` under ``new_path`` in one statement.

    The path is derived (left out of the audit diffs); the moved unit itself was saved.
    """
    if old_path == new_path:
        return
    depth_change = new_path.count("/") - old_path.count("/")
    OrgUnit.objects.filter(path__startswith=old_path).exclude(path=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )


@service
def unit_close(
    *,
    actor: Actor,
    unit: OrgUnit,
    on_date: dt.date,
    successor: OrgUnit | None = None,
    reason: str = "",
) -> OrgUnit:
    """Close a unit (dissolved, or merged into ``successor``); its records stay countable."""
    _require(actor, scope.Area.ORG, scope.CHANGE, unit)
    if not unit.is_active:
        raise ValidationError(_("Đơn vị này đã giải thể hoặc sáp nhập trước đó."))
    if unit.valid_from and on_date < unit.valid_from:
        raise ValidationError({"valid_to": _("Ngày kết thúc không được trước ngày hiệu lực.")})
    if successor is not None:
        _require(actor, scope.Area.ORG, scope.CHANGE, successor)
        if successor.path.startswith(unit.path):
            raise ValidationError(
                {"successor": _("Đơn vị kế thừa không được nằm trong đơn vị bị sáp nhập.")}
            )
    if successor is None and unit.children.filter(valid_to__isnull=True).exists():
        raise ValidationError(_("Hãy giải thể hoặc chuyển các đơn vị trực thuộc trước."))
    with audited(actor=actor, reason=reason):
        if successor is not None:
            for child in unit.children.filter(valid_to__isnull=True):
                old_path = child.path
                child.parent = successor
                child.save()
                _repath_subtree(old_path, child.path)
            for person in Person.objects.filter(unit=unit, is_active=True):
                person.unit = successor  # one by one: each move is in the audit trail
                person.save()
        unit.valid_to = on_date
        unit.successor = successor
        unit.save()
    return unit


@service
def unit_merge(
    *, actor: Actor, units: list[OrgUnit], into: OrgUnit, on_date: dt.date, reason: str = ""
) -> OrgUnit:
    """Merge ``units`` into ``into``: each is closed with ``into`` as its successor."""
    if into in units:
        raise ValidationError(_("Đơn vị nhận sáp nhập không được nằm trong danh sách bị sáp nhập."))
    for unit in units:
        unit_close(actor=actor, unit=unit, on_date=on_date, successor=into, reason=reason)
    return into


@service
def term_create(
    *,
    actor: User,
    code: str,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    reason: str = "",
) -> Term:
    """Create a term of office; terms span the whole tree, so only its administrators do."""
    if not scope.covers_a_root(actor, scope.Area.ROLES, scope.CHANGE):
        raise PermissionDenied(_("Chỉ quản trị viên toàn hệ thống mới được tạo nhiệm kỳ."))
    term = Term(
        code=code.strip(), name=" ".join(name.split()), start_date=start_date, end_date=end_date
    )
    term.full_clean()
    if Term.objects.filter(start_date__lte=end_date, end_date__gte=start_date).exists():
        raise ValidationError(_("Nhiệm kỳ này trùng thời gian với một nhiệm kỳ đã có."))
    with audited(actor=actor, reason=reason):
        term.save()
    return term


@service
def person_create(
    *,
    actor: Actor,
    code: str,
    full_name: str,
    sex: str,
    unit: OrgUnit | None,
    birth_date: dt.date | None = None,
    party_member_since: dt.date | None = None,
    position: Position | None = None,
    management_level: str = ManagementLevel.NONE,
    is_active: bool = True,
    reason: str = "",
) -> Person:
    """Create a person in a unit inside the actor's scope."""
    fields = {
        "code": code, "full_name": full_name, "sex": sex, "unit": unit, "birth_date": birth_date,
        "party_member_since": party_member_since, "position": position,
        "management_level": management_level, "is_active": is_active,
    }  # fmt: skip
    person = Person(**fields)
    _require(actor, scope.Area.PEOPLE, scope.CHANGE, unit)
    person.full_clean()
    with audited(actor=actor, reason=reason):
        person.save()
        if person.position is not None:
            PositionHistory.objects.create(
                person=person,
                unit=person.unit,
                position=person.position,
                start_date=timezone.localdate(),
            )
    return person


@service
def person_create_many(
    *, actor: Actor, rows: list[dict[str, Any]], reason: str = ""
) -> list[ValidationError | None]:
    """Create many people at once with :func:`person_create`'s rules; all of them or none.

    The same checks, set-based: the scope of each row's unit (from the actor's grants, no
    query), the fields, the unique code (one query for the whole batch, and within it), the
    joined-after-birth rule; then one insert of the people, one of their position histories
    and one of each kind of audit row. Returns each row's error (None where it is fine);
    nothing is written if any row has one.
    """
    errors: list[ValidationError | None] = [None] * len(rows)
    people: list[Person] = []
    taken = set(
        Person.objects.filter(code__in=[r.get("code") for r in rows]).values_list("code", flat=True)
    )
    for index, fields in enumerate(rows):
        unknown = set(fields) - PERSON_FIELDS
        if unknown:
            raise ValueError(f"unknown fields: {sorted(unknown)}")
        person = Person(**fields)
        people.append(person)
        try:
            _require(actor, scope.Area.PEOPLE, scope.CHANGE, fields.get("unit"))
            # The lookups were resolved (and scoped) already: no query per foreign key.
            person.full_clean(
                exclude=["unit", "position"], validate_unique=False, validate_constraints=False
            )
            if person.code in taken:
                raise ValidationError({"code": [person.unique_error_message(Person, ("code",))]})
            if not person.joined_after_birth:
                raise ValidationError(_("Ngày vào Đảng phải sau ngày sinh."))
        except PermissionDenied as denied:
            errors[index] = ValidationError({NON_FIELD_ERRORS: [str(denied)]})
        except ValidationError as error:
            errors[index] = error
        taken.add(person.code)
    if any(errors):
        return errors
    today = timezone.localdate()
    for person in people:
        person.refresh_derived()
    with audited(actor=actor, reason=reason):
        bulk.insert(people)
        log_created_in_bulk(people)
        histories = [
            PositionHistory(person=p, unit=p.unit, position=p.position, start_date=today)
            for p in people
            if p.position_id
        ]
        bulk.insert(histories)
        log_created_in_bulk(histories)
    return errors


@service
def person_update(
    *,
    actor: Actor,
    person: Person,
    code: str = UNSET,
    full_name: str = UNSET,
    sex: str = UNSET,
    unit: OrgUnit = UNSET,
    birth_date: dt.date | None = UNSET,
    party_member_since: dt.date | None = UNSET,
    position: Position | None = UNSET,
    management_level: str = UNSET,
    is_active: bool = UNSET,
    reason: str = "",
) -> Person:
    """Change a person's data (arguments not given keep their values); a move to another unit
    must stay inside the actor's scope."""
    fields = given(
        code=code, full_name=full_name, sex=sex, unit=unit, birth_date=birth_date,
        party_member_since=party_member_since, position=position,
        management_level=management_level, is_active=is_active,
    )  # fmt: skip
    _require(actor, scope.Area.PEOPLE, scope.CHANGE, person.unit)
    if "unit" in fields:
        _require(actor, scope.Area.PEOPLE, scope.CHANGE, fields["unit"])
    old_position, old_unit = person.position_id, person.unit_id
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    with audited(actor=actor, reason=reason):
        person.save()
        moved = (person.position_id, person.unit_id) != (old_position, old_unit)
        if moved and person.position is not None:
            _open_position(person, person.unit, person.position, timezone.localdate(), "")
    return person


def _open_position(
    person: Person, unit: OrgUnit, position: Position, start_date: dt.date, note: str
) -> PositionHistory:
    current = person.position_history.filter(end_date__isnull=True)
    for row in current:
        row.end_date = max(start_date - dt.timedelta(days=1), row.start_date)
        row.save()
    return PositionHistory.objects.create(
        person=person, unit=unit, position=position, start_date=start_date, note=note
    )


@service
def person_assign_position(
    *,
    actor: Actor,
    person: Person,
    unit: OrgUnit,
    position: Position,
    start_date: dt.date,
    note: str = "",
) -> PositionHistory:
    """Record a new position for ``person``; the current one ends the day before."""
    _require(actor, scope.Area.PEOPLE, scope.CHANGE, person.unit)
    _require(actor, scope.Area.PEOPLE, scope.CHANGE, unit)
    latest = person.position_history.order_by("-start_date").first()
    if latest and start_date <= latest.start_date:
        raise ValidationError(
            {"start_date": _("Ngày nhận chức vụ mới phải sau ngày nhận chức vụ hiện tại.")}
        )
    with audited(actor=actor):
        row = _open_position(person, unit, position, start_date, note)
        person.unit, person.position = unit, position
        person.save()
    return row


def _require_role_scope(actor: User, role: str, unit: OrgUnit) -> None:
    """Refuse unless ``actor`` administers ``unit``; the admin role needs a whole-tree admin."""
    if not scope.has_area(actor, scope.Area.ROLES, scope.CHANGE):
        raise PermissionDenied(_("Chỉ quản trị viên mới được phân quyền."))
    # An administrator hands out and takes back roles inside the subtree administered; the
    # admin role itself only an administrator of a whole tree.
    # The roles that read confidential records (state secrets) likewise.
    reserved = role == Role.ADMIN or scope.Area.CONFIDENTIAL in scope.RULES.get(role, {})
    if not scope.can(actor, scope.Area.ROLES, scope.CHANGE, unit) or (
        reserved and not scope.covers_a_root(actor, scope.Area.ROLES, scope.CHANGE)
    ):
        raise PermissionDenied(_("Bạn chỉ được phân quyền trong phạm vi mình quản trị."))


@service
def role_grant(
    *, actor: User, user: User, role: Role | str, unit: OrgUnit, reason: str = ""
) -> RoleAssignment:
    """Give ``user`` a role on ``unit`` (and its subtree); only administrators hand out roles."""
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    _require_role_scope(actor, role, unit)
    if user.pk == actor.pk:
        raise PermissionDenied(_("Không thể tự phân quyền cho chính mình."))
    if not unit.is_active:
        raise ValidationError({"unit": _("Đơn vị này đã giải thể hoặc sáp nhập.")})
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ValidationError(_("Tài khoản đã có vai trò này trên đơn vị này."))
    with audited(actor=actor, reason=reason):
        assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return assignment


@service
def role_set_heads_committee(
    *, actor: User, assignment: RoleAssignment, heads: bool, reason: str = ""
) -> RoleAssignment:
    """Mark (or unmark) an inspection-role holder as heading the Inspection Committee: they
    read the log of reads of confidential records. Administrators only, as granting is."""
    _require_role_scope(actor, assignment.role, assignment.unit)
    if assignment.role != Role.INSPECTION:
        raise ValidationError(
            {"heads_committee": _("Chỉ vai trò Ủy ban Kiểm tra mới có thể là lãnh đạo Ủy ban.")}
        )
    if assignment.user_id == actor.pk:
        raise PermissionDenied(_("Không thể tự phân quyền cho chính mình."))
    assignment.heads_committee = heads
    with audited(actor=actor, reason=reason):
        assignment.save(update_fields=["heads_committee"])
    return assignment


@service
def role_revoke(*, actor: User, assignment: RoleAssignment, reason: str) -> None:
    """Take a role back, with the reason recorded in the audit trail; scoped as granting is."""
    _require_role_scope(actor, assignment.role, assignment.unit)
    if assignment.user_id == actor.pk:
        raise PermissionDenied(_("Không thể tự thu hồi quyền của chính mình."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do thu hồi quyền.")})
    with audited(actor=actor, reason=reason):
        assignment.delete()
