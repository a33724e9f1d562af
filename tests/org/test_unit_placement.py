"""A unit is made or moved only where its maker still sees it: inside the maker's scope."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from longbien.org import services
from longbien.org.choices import Role, UnitKind
from longbien.org.models import OrgUnit, RoleAssignment
from tests.conftest import make_user

TOP_LEVEL = "Chỉ quản trị viên toàn hệ thống mới được đặt đơn vị ở cấp cao nhất"


@pytest.fixture
def two_wards_admin(tree):
    """An administrator of wards A and B, not of the district above them."""
    user = make_user("admin_ab", Role.ADMIN, tree.ward_a)
    RoleAssignment.objects.create(user=user, role=Role.ADMIN, unit=tree.ward_b)
    return user


@pytest.fixture
def superuser(db):
    return make_user("root", is_superuser=True)


def create(actor, code: str, parent: OrgUnit | None) -> OrgUnit:
    return services.unit_create(
        actor=actor, code=code, name=code, kind=UnitKind.DISTRICT_COMMITTEE, parent=parent
    )


# Through the service ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_a_district_administrator_cannot_make_a_top_level_unit(users, role):
    with pytest.raises(PermissionDenied) as refused:
        create(users[role], "QU-KHAC", parent=None)
    assert TOP_LEVEL in str(refused.value)
    assert not OrgUnit.objects.filter(code="QU-KHAC").exists()


def test_a_superuser_makes_a_top_level_unit(superuser):
    unit = create(superuser, "TU-HN", parent=None)
    assert unit.parent is None and unit.path == "TU-HN/"


def test_a_district_administrator_adds_below_the_district_and_sees_it(users, tree):
    unit = create(users["admin"], "P-C", parent=tree.root)
    assert OrgUnit.objects.restrict(users["admin"]).filter(pk=unit.pk).exists()


def test_a_ward_administrator_cannot_add_to_another_ward(tree):
    ward_admin = make_user("admin_a", Role.ADMIN, tree.ward_a)
    with pytest.raises(PermissionDenied) as refused:
        create(ward_admin, "CB-B9", parent=tree.ward_b)
    assert "trong phạm vi của mình" in str(refused.value)
    assert not OrgUnit.objects.filter(code="CB-B9").exists()


def test_a_move_between_two_parents_in_scope_is_allowed(two_wards_admin, tree):
    services.unit_update(actor=two_wards_admin, unit=tree.cell_a1, parent=tree.ward_b)
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.path == "QU/P-B/CB-A1/"


def test_a_move_out_of_a_parent_outside_the_scope_is_refused(two_wards_admin, tree):
    # Ward A itself is the admin's, but the district it hangs from is not.
    with pytest.raises(PermissionDenied) as refused:
        services.unit_update(actor=two_wards_admin, unit=tree.ward_a, parent=tree.ward_b)
    assert "ra khỏi đơn vị cấp trên hiện tại" in str(refused.value)
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.parent == tree.root


def test_a_move_into_a_parent_outside_the_scope_is_refused(tree):
    ward_admin = make_user("admin_a", Role.ADMIN, tree.ward_a)
    cell = create(ward_admin, "CB-A9", parent=tree.ward_a)
    with pytest.raises(PermissionDenied) as refused:
        services.unit_update(actor=ward_admin, unit=cell, parent=tree.ward_b)
    assert "nằm ngoài phạm vi của bạn" in str(refused.value)
    cell.refresh_from_db()
    assert cell.parent == tree.ward_a


def test_a_district_administrator_cannot_lift_a_unit_to_the_top_level(users, tree):
    with pytest.raises(PermissionDenied) as refused:
        services.unit_update(actor=users["admin"], unit=tree.ward_a, parent=None)
    assert TOP_LEVEL in str(refused.value)
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.parent == tree.root


def test_a_superuser_lifts_a_unit_to_the_top_level(superuser, tree):
    services.unit_update(actor=superuser, unit=tree.ward_a, parent=None)
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.path == "P-A/CB-A1/"


def test_renaming_a_unit_needs_no_right_on_its_parent(two_wards_admin, tree):
    services.unit_update(actor=two_wards_admin, unit=tree.ward_a, name="Đảng ủy phường Mới")
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.name == "Đảng ủy phường Mới"


# Through the pages -----------------------------------------------------------------------


def test_the_page_says_why_a_top_level_unit_is_refused(client_for, users):
    response = client_for(users["admin"]).post(
        reverse("org:unit_create"),
        {"code": "QU-KHAC", "name": "Quận ủy khác", "kind": UnitKind.DISTRICT_COMMITTEE},
    )
    assert response.status_code == 200
    assert TOP_LEVEL in response.content.decode()
    assert "parent" in response.context["form"].errors
    assert not OrgUnit.objects.filter(code="QU-KHAC").exists()


def test_the_edit_page_refuses_a_move_out_of_the_scope(client_for, two_wards_admin, tree):
    response = client_for(two_wards_admin).post(
        reverse("org:unit_update", args=["P-A"]),
        {"code": "P-A", "name": tree.ward_a.name, "kind": tree.ward_a.kind, "parent": ""},
    )
    assert response.status_code == 200
    assert "ra khỏi đơn vị cấp trên hiện tại" in response.content.decode()
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.parent == tree.root


# Through the API -------------------------------------------------------------------------


def test_the_api_refuses_a_top_level_unit(client_for, users):
    response = client_for(users["admin"]).post(
        "/api/v1/org/units/",
        {"code": "QU-KHAC", "name": "Quận ủy khác", "kind": "district_committee"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert TOP_LEVEL in response.json()["detail"]
    assert not OrgUnit.objects.filter(code="QU-KHAC").exists()


def test_the_api_refuses_lifting_a_unit_to_the_top_level(client_for, users, tree):
    response = client_for(users["admin"]).patch(
        "/api/v1/org/units/P-A/", {"parent": None}, content_type="application/json"
    )
    assert response.status_code == 403
    assert TOP_LEVEL in response.json()["detail"]
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.parent == tree.root


def test_the_api_lets_a_superuser_make_a_top_level_unit(client_for, superuser):
    response = client_for(superuser).post(
        "/api/v1/org/units/",
        {"code": "TU-HN", "name": "Thành ủy", "kind": "district_committee"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert OrgUnit.objects.get(code="TU-HN").parent is None
