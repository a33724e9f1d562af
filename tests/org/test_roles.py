"""Roles and terms change through pages that call role_grant, role_revoke and term_create."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from longbien.org import services
from longbien.org.choices import Role
from longbien.org.models import RoleAssignment, Term
from tests.conftest import make_user
from tests.permissions import check_matrix


@pytest.fixture
def ward_admin(tree):
    """An administrator of ward A only."""
    return make_user("ward_admin", Role.ADMIN, tree.ward_a)


@pytest.fixture
def accounts(tree):
    """Accounts in ward A, in ward B, at the district, and one with no role yet."""
    return {
        "in_a": make_user("in_a", Role.WARD_STAFF, tree.cell_a1),
        "in_b": make_user("in_b", Role.WARD_STAFF, tree.ward_b),
        "district": make_user("district", Role.STAFF, tree.root),
        "new": make_user("new"),
    }


def _roles():
    return sorted(RoleAssignment.objects.values_list("user__username", "role", "unit__code"))


def _entry(assignment_pk, action):
    return LogEntry.objects.get(
        content_type__model="roleassignment", object_pk=str(assignment_pk), action=action
    )


# Pages: who may open them


def test_roles_pages_are_for_administrators_only(client, users, accounts):
    check_matrix(client, users, reverse("org:role_list"), {"admin": 200})
    check_matrix(
        client, users, reverse("org:role_user", args=[accounts["in_b"].pk]), {"admin": 200}
    )
    assignment = accounts["in_b"].role_assignments.get()
    url = reverse("org:role_revoke", args=[accounts["in_b"].pk, assignment.pk])
    check_matrix(client, users, url, {"admin": 200})


def test_the_roles_menu_entry_is_shown_to_administrators_only(client_for, users):
    url = reverse("org:role_list")
    assert url in client_for(users["admin"]).get(reverse("home")).content.decode()
    assert url not in client_for(users["staff"]).get(reverse("home")).content.decode()


def test_a_ward_admin_lists_only_accounts_and_roles_of_the_ward(client_for, ward_admin, accounts):
    client = client_for(ward_admin)
    text = client.get(reverse("org:role_list")).content.decode()
    assert "in_a" in text and "new" in text
    assert "in_b" not in text and ">district<" not in text
    for name, status in (("in_a", 200), ("new", 200), ("in_b", 404), ("district", 404)):
        url = reverse("org:role_user", args=[accounts[name].pk])
        assert client.get(url).status_code == status, name


def test_an_account_with_roles_in_two_wards_shows_only_the_ward_administered(
    client_for, tree, ward_admin, accounts
):
    RoleAssignment.objects.create(user=accounts["in_a"], role=Role.WARD_STAFF, unit=tree.ward_b)
    text = client_for(ward_admin).get(reverse("org:role_user", args=[accounts["in_a"].pk]))
    text = text.content.decode()
    assert "Chi bộ A1" in text and "Đảng ủy phường Bình Minh" not in text.split("Cấp quyền mới")[0]


def test_the_role_list_takes_a_bounded_number_of_queries(
    client_for, users, tree, django_assert_max_num_queries
):
    for n in range(30):
        make_user(f"u{n}", Role.WARD_STAFF, tree.cell_a1 if n % 2 else tree.cell_b1)
    client = client_for(users["admin"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("org:role_list")).status_code == 200


# Granting


def test_only_an_administrator_grants_a_role_and_it_is_audited(client, users, tree, accounts):
    target = accounts["new"]
    before = _roles()

    def data(role):
        return {"role": Role.WARD_STAFF, "unit": tree.cell_a1.pk, "reason": f"QĐ của {role}"}

    check_matrix(
        client, users, reverse("org:role_user", args=[target.pk]), {"admin": 302},
        method="post", data=data,
    )  # fmt: skip
    assignment = RoleAssignment.objects.get(user=target)
    assert (assignment.role, assignment.unit) == (Role.WARD_STAFF, tree.cell_a1)
    assert _roles() == sorted([*before, ("new", Role.WARD_STAFF, "CB-A1")])
    entry = _entry(assignment.pk, LogEntry.Action.CREATE)
    assert entry.actor == users["admin"]
    assert entry.additional_data == {"reason": "QĐ của admin"}


def test_a_ward_admin_grants_inside_the_ward_only(client_for, tree, ward_admin, accounts):
    client = client_for(ward_admin)
    url = reverse("org:role_user", args=[accounts["new"].pk])
    before = _roles()
    refused = client.post(url, {"role": Role.WARD_STAFF, "unit": tree.ward_b.pk})
    assert refused.status_code == 200  # ward B is not among the units offered
    assert "unit" in refused.context["form"].errors
    refused = client.post(url, {"role": Role.ADMIN, "unit": tree.cell_a1.pk})
    assert "role" in refused.context["form"].errors  # the admin role is not offered
    assert _roles() == before
    out_of_scope = reverse("org:role_user", args=[accounts["in_b"].pk])
    assert (
        client.post(out_of_scope, {"role": Role.WARD_STAFF, "unit": tree.cell_a1.pk}).status_code
        == 404
    )
    assert _roles() == before
    assert client.post(url, {"role": Role.WARD_STAFF, "unit": tree.cell_a1.pk}).status_code == 302
    assert _roles() == sorted([*before, ("new", Role.WARD_STAFF, "CB-A1")])


def test_granting_a_role_twice_is_an_error_on_the_form(client_for, users, tree, accounts):
    client = client_for(users["admin"])
    url = reverse("org:role_user", args=[accounts["in_a"].pk])
    response = client.post(url, {"role": Role.WARD_STAFF, "unit": tree.cell_a1.pk})
    assert response.status_code == 200
    assert "Tài khoản đã có vai trò này trên đơn vị này." in response.content.decode()
    assert accounts["in_a"].role_assignments.count() == 1


def test_an_administrator_cannot_grant_roles_to_themselves(users, tree):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=users["admin"], user=users["admin"], role=Role.INSPECTION, unit=tree.root
        )
    assert users["admin"].role_assignments.count() == 1


# Revoking


def test_only_an_administrator_revokes_a_role_with_a_reason_in_the_audit(client, users, accounts):
    assignment = accounts["in_b"].role_assignments.get()
    url = reverse("org:role_revoke", args=[accounts["in_b"].pk, assignment.pk])
    check_matrix(
        client, users, url, {"admin": 302}, method="post",
        data=lambda role: {"reason": f"Nghỉ hưu ({role})"},
    )  # fmt: skip
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = _entry(assignment.pk, LogEntry.Action.DELETE)
    assert entry.actor == users["admin"]
    assert entry.additional_data == {"reason": "Nghỉ hưu (admin)"}


def test_refused_revocations_change_nothing(client, users, accounts):
    assignment = accounts["in_b"].role_assignments.get()
    url = reverse("org:role_revoke", args=[accounts["in_b"].pk, assignment.pk])
    for role in ("staff", "leadership", "ward_secretary", "no_role"):
        client.force_login(users[role], backend="longbien.org.backends.PersonModelBackend")
        assert client.post(url, {"reason": "Thử"}).status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not LogEntry.objects.filter(
        content_type__model="roleassignment", action=LogEntry.Action.DELETE
    ).exists()


def test_a_revocation_needs_a_reason(client_for, users, accounts):
    assignment = accounts["in_b"].role_assignments.get()
    url = reverse("org:role_revoke", args=[accounts["in_b"].pk, assignment.pk])
    response = client_for(users["admin"]).post(url, {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_ward_admin_cannot_revoke_outside_the_ward(client_for, tree, ward_admin, accounts):
    client = client_for(ward_admin)
    for name in ("in_b", "district"):
        assignment = accounts[name].role_assignments.get()
        url = reverse("org:role_revoke", args=[accounts[name].pk, assignment.pk])
        assert client.post(url, {"reason": "Thử"}).status_code == 404
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    # Visible through its ward A role, but its ward B role is not the ward admin's to revoke.
    other = RoleAssignment.objects.create(user=accounts["in_a"], role=Role.STAFF, unit=tree.ward_b)
    url = reverse("org:role_revoke", args=[accounts["in_a"].pk, other.pk])
    assert client.post(url, {"reason": "Thử"}).status_code == 404
    assert RoleAssignment.objects.filter(pk=other.pk).exists()


def test_only_a_whole_tree_admin_revokes_an_admin_role(client_for, users, tree, ward_admin):
    colleague = make_user("ward_admin_2", Role.ADMIN, tree.ward_a)
    assignment = colleague.role_assignments.get()
    url = reverse("org:role_revoke", args=[colleague.pk, assignment.pk])
    assert client_for(ward_admin).post(url, {"reason": "Thử"}).status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=ward_admin, assignment=assignment, reason="Thử")
    assert client_for(users["admin"]).post(url, {"reason": "Điều động"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_role_revoke_checks_scope_like_role_grant(tree, ward_admin, accounts):
    for name in ("in_b", "district"):
        assignment = accounts[name].role_assignments.get()
        with pytest.raises(PermissionDenied):
            services.role_revoke(actor=ward_admin, assignment=assignment, reason="Thử")
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assignment = accounts["in_a"].role_assignments.get()
    with pytest.raises(ValidationError):
        services.role_revoke(actor=ward_admin, assignment=assignment, reason=" ")
    services.role_revoke(actor=ward_admin, assignment=assignment, reason="Chuyển công tác")
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_an_administrator_cannot_revoke_their_own_role(users):
    assignment = users["admin"].role_assignments.get()
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=users["admin"], assignment=assignment, reason="Thử")
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


# Terms


def _term(role="admin"):
    return {
        "code": f"NK-{role}"[:20],
        "name": "Nhiệm kỳ 2025-2030",
        "start_date": "2025-10-01",
        "end_date": "2030-09-30",
    }


def test_only_a_whole_tree_administrator_creates_terms(client, users, ward_admin):
    check_matrix(client, users, reverse("org:term_create"), {"admin": 200})
    check_matrix(
        client, users, reverse("org:term_create"), {"admin": 302}, method="post", data=_term
    )
    term = Term.objects.get()
    assert term.code == "NK-admin"
    entry = LogEntry.objects.get_for_object(term).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, users["admin"])
    client.force_login(ward_admin, backend="longbien.org.backends.PersonModelBackend")
    assert client.post(reverse("org:term_create"), _term("ward")).status_code == 403
    assert Term.objects.count() == 1


def test_the_term_list_offers_creation_to_administrators(client_for, users):
    url = reverse("org:term_create")
    assert url in client_for(users["admin"]).get(reverse("org:term_list")).content.decode()
    assert url not in client_for(users["staff"]).get(reverse("org:term_list")).content.decode()


def test_term_errors_are_shown_on_the_form_in_vietnamese(client_for, users):
    client = client_for(users["admin"])
    backwards = {**_term(), "end_date": "2020-01-01"}
    response = client.post(reverse("org:term_create"), backwards)
    assert response.status_code == 200
    assert "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu." in response.content.decode()
    services.term_create(
        actor=users["admin"], code="2020-2025", name="NK", start_date=dt.date(2020, 10, 1),
        end_date=dt.date(2025, 9, 30),
    )  # fmt: skip
    overlapping = {**_term(), "start_date": "2025-01-01"}
    response = client.post(reverse("org:term_create"), overlapping)
    assert "trùng thời gian với một nhiệm kỳ đã có" in response.content.decode()
    duplicate = {**_term(), "code": "2020-2025"}
    response = client.post(reverse("org:term_create"), duplicate)
    assert response.context["form"].errors["code"]
    assert Term.objects.count() == 1


def test_the_account_page_shows_role_history_in_scope_only(
    client_for, users, tree, ward_admin, accounts
):
    target = accounts["new"]
    services.role_grant(
        actor=users["admin"], user=target, role=Role.WARD_STAFF, unit=tree.cell_a1, reason="QĐ 7"
    )
    on_b = services.role_grant(
        actor=users["admin"], user=target, role=Role.WARD_STAFF, unit=tree.cell_b1, reason="QĐ 8"
    )
    services.role_revoke(actor=users["admin"], assignment=on_b, reason="Điều động")
    url = reverse("org:role_user", args=[target.pk])
    text = client_for(users["admin"]).get(url).content.decode()
    assert "QĐ 7" in text and "QĐ 8" in text and "Điều động" in text
    text = client_for(ward_admin).get(url).content.decode()
    assert "QĐ 7" in text and "QĐ 8" not in text and "Điều động" not in text


def test_a_ward_administrator_cannot_hand_out_the_confidential_role(tree, users):
    """The inspection role reads state secrets: only an administrator of a whole tree grants it."""
    from django.core.exceptions import PermissionDenied

    from longbien.org import services
    from longbien.org.choices import Role
    from longbien.org.models import RoleAssignment
    from tests.conftest import make_user

    ward_admin = make_user("admin_phuong_a", Role.ADMIN, tree.ward_a)
    target = make_user("nguoi_moi")
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=ward_admin, user=target, role=Role.INSPECTION, unit=tree.ward_a)
    assert not RoleAssignment.objects.filter(user=target).exists()
    services.role_grant(actor=users["admin"], user=target, role=Role.INSPECTION, unit=tree.ward_a)
    assert RoleAssignment.objects.filter(user=target, role=Role.INSPECTION).exists()
