import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from longbien.org import services
from longbien.org.choices import UnitKind
from longbien.org.models import OrgUnit, Person, Position


def test_unit_create_writes_an_audit_row_with_actor_and_reason(tree, users):
    unit = services.unit_create(
        actor=users["staff"], code="CB-A2", name="Chi bộ A2", kind=UnitKind.PARTY_CELL,
        parent=tree.ward_a, reason="Quyết định 12-QĐ/QU",
    )  # fmt: skip
    entry = LogEntry.objects.get_for_object(unit).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == users["staff"]
    assert entry.additional_data == {"reason": "Quyết định 12-QĐ/QU"}
    assert unit.path == "QU/P-A/CB-A2/"


def test_ward_secretary_cannot_create_units(tree, users):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=users["ward_secretary"],
            code="X",
            name="X",
            kind=UnitKind.PARTY_CELL,
            parent=tree.ward_a,
        )
    assert not OrgUnit.objects.filter(code="X").exists()


def test_bad_unit_code_is_rejected_in_vietnamese(tree, users):
    with pytest.raises(ValidationError) as info:
        services.unit_create(
            actor=users["staff"],
            code="chi bo 1",
            name="X",
            kind=UnitKind.PARTY_CELL,
            parent=tree.ward_a,
        )
    assert "Mã đơn vị chỉ gồm chữ in hoa" in str(info.value)


def test_duplicate_unit_code_is_rejected(tree, users):
    with pytest.raises(ValidationError):
        services.unit_create(
            actor=users["staff"],
            code="CB-A1",
            name="X",
            kind=UnitKind.PARTY_CELL,
            parent=tree.ward_a,
        )


def test_rename_keeps_the_former_name_and_logs_the_change(tree, users):
    services.unit_update(
        actor=users["staff"], unit=tree.ward_a, name="Đảng ủy phường Mới", reason="Đổi tên"
    )
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.name == "Đảng ủy phường Mới"
    assert tree.ward_a.former_names.get().name == "Đảng ủy phường Ánh Dương"
    entry = LogEntry.objects.get_for_object(tree.ward_a).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["Đảng ủy phường Ánh Dương", "Đảng ủy phường Mới"]


def test_moving_a_unit_repaths_its_subtree(tree, users):
    services.unit_update(actor=users["staff"], unit=tree.cell_a1, parent=tree.ward_b)
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.path == "QU/P-B/CB-A1/"


def test_a_unit_cannot_move_under_itself(tree, users):
    with pytest.raises(ValidationError):
        services.unit_update(actor=users["staff"], unit=tree.ward_a, parent=tree.cell_a1)


def test_merge_closes_units_and_moves_children_and_people(tree, users):
    person = services.person_create(
        actor=users["staff"], code="CB1", full_name="Nguyễn Văn An", sex="male", unit=tree.ward_b
    )
    services.unit_merge(
        actor=users["staff"],
        units=[tree.ward_b],
        into=tree.ward_a,
        on_date=dt.date(2025, 7, 1),
        reason="Sáp nhập 2025",
    )
    tree.ward_b.refresh_from_db()
    tree.cell_b1.refresh_from_db()
    person.refresh_from_db()
    assert tree.ward_b.valid_to == dt.date(2025, 7, 1)
    assert tree.ward_b.successor == tree.ward_a
    assert tree.cell_b1.path == "QU/P-A/CB-B1/"
    assert person.unit == tree.ward_a
    assert OrgUnit.objects.filter(code="P-B").exists()  # never deleted


def test_closing_a_unit_twice_is_an_error(tree, users):
    services.unit_close(actor=users["staff"], unit=tree.cell_a1, on_date=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.unit_close(actor=users["staff"], unit=tree.cell_a1, on_date=dt.date(2025, 2, 1))


def test_person_outside_scope_cannot_be_created(tree, users):
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=users["ward_secretary"],
            code="CB2",
            full_name="Trần B",
            sex="male",
            unit=tree.ward_b,
        )
    assert not Person.objects.exists()


def test_person_joined_before_birth_is_rejected(tree, users):
    with pytest.raises(ValidationError):
        services.person_create(
            actor=users["staff"], code="CB3", full_name="Lê C", sex="female", unit=tree.ward_a,
            birth_date=dt.date(1990, 1, 1), party_member_since=dt.date(1980, 1, 1),
        )  # fmt: skip
    assert not Person.objects.exists()


def test_position_history_closes_the_previous_position(tree, users):
    first = Position.objects.create(name="Chuyên viên")
    second = Position.objects.create(name="Phó trưởng ban")
    person = services.person_create(
        actor=users["staff"],
        code="CB4",
        full_name="Đỗ D",
        sex="male",
        unit=tree.ward_a,
        position=first,
    )
    services.person_assign_position(
        actor=users["staff"],
        person=person,
        unit=tree.ward_b,
        position=second,
        start_date=timezone.localdate() + dt.timedelta(days=10),
    )
    rows = list(person.position_history.order_by("start_date"))
    assert [r.position.name for r in rows] == ["Chuyên viên", "Phó trưởng ban"]
    assert rows[0].end_date == rows[1].start_date - dt.timedelta(days=1)
    assert rows[1].end_date is None
    person.refresh_from_db()
    assert person.unit == tree.ward_b


def test_only_admins_grant_roles(tree, users):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=users["staff"], user=users["no_role"], role="staff", unit=tree.root
        )
    services.role_grant(actor=users["admin"], user=users["no_role"], role="staff", unit=tree.root)
    assert users["no_role"].role_assignments.count() == 1


def test_term_overlap_is_rejected(tree, users):
    services.term_create(
        actor=users["admin"],
        code="2015-2020",
        name="NK",
        start_date=dt.date(2015, 8, 1),
        end_date=dt.date(2020, 7, 31),
    )
    with pytest.raises(ValidationError):
        services.term_create(
            actor=users["admin"],
            code="X",
            name="X",
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2021, 1, 1),
        )


def test_merge_repaths_grandchildren_too(tree, users):
    from tests.conftest import make_unit

    group = make_unit("CB-B1-T1", parent=tree.cell_b1, name="Tổ đảng 1")
    services.unit_merge(
        actor=users["staff"], units=[tree.ward_b], into=tree.ward_a, on_date=dt.date(2025, 7, 1)
    )
    group.refresh_from_db()
    assert group.path == "QU/P-A/CB-B1/CB-B1-T1/"
    assert OrgUnit.objects.restrict(users["ward_secretary"]).filter(code="CB-B1-T1").exists()


def test_a_ward_admin_grants_roles_only_in_the_ward(tree, users):
    from longbien.org.choices import Role
    from longbien.org.models import RoleAssignment

    ward_admin = type(users["no_role"]).objects.create_user(username="ward_admin", password="x")
    RoleAssignment.objects.create(user=ward_admin, role=Role.ADMIN, unit=tree.ward_a)
    services.role_grant(
        actor=ward_admin, user=users["no_role"], role=Role.WARD_STAFF, unit=tree.cell_a1
    )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=ward_admin, user=users["no_role"], role=Role.WARD_STAFF, unit=tree.ward_b
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=ward_admin, user=users["no_role"], role=Role.ADMIN, unit=tree.cell_a1
        )


def test_only_admins_make_a_unit_a_root(tree, users):
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=users["staff"], unit=tree.ward_a, parent=None)
