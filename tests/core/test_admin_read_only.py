"""Every admin page is read-only and scoped; records change through pages, API and services."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import TokenProxy

from longbien.core.admin import ReadOnlyAdminMixin
from longbien.org.choices import Role
from longbien.org.models import RoleAssignment, User
from tests.conftest import make_user

# Credentials, not records: superusers still create accounts, set passwords, issue API tokens
# and lift login lockouts.
SUPERUSER_MAY = {
    User: {"add", "change"},
    TokenProxy: {"add", "delete"},
    AccessAttempt: {"delete"},
}


def _staff_with_every_permission(user):
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)  # fresh permission cache


def _rights(model_admin, user):
    request = RequestFactory().get("/")
    request.user = user
    return {
        name
        for name, allowed in (
            ("add", model_admin.has_add_permission(request)),
            ("change", model_admin.has_change_permission(request)),
            ("delete", model_admin.has_delete_permission(request)),
        )
        if allowed
    }


def test_every_registered_admin_refuses_add_change_and_delete(users):
    staff = _staff_with_every_permission(users["admin"])
    superuser = User.objects.create_superuser("root", password="Mat-khau-thu-2025")
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ReadOnlyAdminMixin), model
        assert _rights(model_admin, staff) == set(), model
        assert _rights(model_admin, superuser) == SUPERUSER_MAY.get(model, set()), model
        request = RequestFactory().get("/")
        request.user = superuser
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (model, inline)
            assert not inline.has_change_permission(request, None), (model, inline)
            assert not inline.has_delete_permission(request, None), (model, inline)


def test_admin_add_pages_answer_403(client_for, users):
    client = client_for(_staff_with_every_permission(users["admin"]))
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert client.get(url).status_code == 403, model
        assert client.post(url, {}).status_code == 403, model


def test_roles_cannot_be_changed_in_the_admin(client_for, users, tree):
    target = users["ward_staff"]
    assignment = target.role_assignments.get()
    client = client_for(_staff_with_every_permission(users["admin"]))
    change = reverse("admin:org_roleassignment_change", args=[assignment.pk])
    assert client.get(change).status_code == 200  # shown read-only
    assert client.post(change, {"role": Role.ADMIN, "unit": tree.root.pk}).status_code == 403
    delete = reverse("admin:org_roleassignment_delete", args=[assignment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    user_change = reverse("admin:org_user_change", args=[target.pk])
    assert client.post(user_change, {"username": "changed"}).status_code == 403
    assignment.refresh_from_db()
    assert (assignment.role, assignment.unit) == (Role.WARD_STAFF, tree.ward_a)
    assert User.objects.get(pk=target.pk).username == target.username


def test_a_ward_admin_sees_only_the_ward_in_the_admin(client_for, users, tree):
    ward_admin = _staff_with_every_permission(make_user("ward_admin", Role.ADMIN, tree.ward_a))
    make_user("in_b", Role.WARD_STAFF, tree.ward_b)
    client = client_for(ward_admin)
    roles = client.get(reverse("admin:org_roleassignment_changelist")).content.decode()
    assert "wardstaff_a" in roles and "in_b" not in roles
    accounts = client.get(reverse("admin:org_user_changelist")).content.decode()
    assert "wardstaff_a" in accounts and "in_b" not in accounts
    other = RoleAssignment.objects.get(user__username="in_b")
    change = reverse("admin:org_roleassignment_change", args=[other.pk])
    assert client.get(change).status_code == 302  # not found: back to the admin index
    # The whole audit trail names people of every ward: not for a ward's administrator.
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 403


def test_a_whole_tree_admin_reads_the_audit_trail_in_the_admin(client_for, users):
    client = client_for(_staff_with_every_permission(users["admin"]))
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200


@pytest.mark.parametrize("action", ["add", "change"])
def test_superusers_keep_managing_accounts(db, client_for, action):
    superuser = User.objects.create_superuser("root", password="Mat-khau-thu-2025")
    client = client_for(superuser)
    if action == "add":
        response = client.post(
            reverse("admin:org_user_add"),
            {
                "username": "moi",
                "password1": "Mot-mat-khau-dai-2025",
                "password2": "Mot-mat-khau-dai-2025",
                "usable_password": "true",
            },
        )
        assert response.status_code == 302
        assert User.objects.filter(username="moi").exists()
    else:
        url = reverse("admin:auth_user_password_change", args=[superuser.pk])
        assert client.get(url).status_code == 200


def test_every_admin_list_opens_read_only(client_for, users):
    client = client_for(_staff_with_every_permission(users["admin"]))
    for model in admin.site._registry:
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, model
        assert 'name="_save"' not in response.content.decode(), model
