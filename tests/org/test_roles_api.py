"""Roles and terms through the API: thin actions over role_grant, role_revoke, term_create."""

import pytest
from auditlog.models import LogEntry

from longbien.org.choices import Role
from longbien.org.models import RoleAssignment, Term
from tests.conftest import make_user
from tests.permissions import check_matrix

JSON = {"content_type": "application/json"}


@pytest.fixture
def ward_admin(tree):
    return make_user("ward_admin", Role.ADMIN, tree.ward_a)


@pytest.fixture
def accounts(tree):
    return {
        "in_a": make_user("in_a", Role.WARD_STAFF, tree.cell_a1),
        "in_b": make_user("in_b", Role.WARD_STAFF, tree.ward_b),
        "new": make_user("new"),
    }


def _roles():
    return sorted(RoleAssignment.objects.values_list("user__username", "role", "unit__code"))


def test_the_accounts_endpoint_is_for_administrators(client, users, accounts):
    check_matrix(client, users, "/api/v1/org/users/", {"admin": 200}, anonymous=401)
    url = f"/api/v1/org/users/{accounts['in_b'].pk}/roles/"
    check_matrix(client, users, url, {"admin": 200}, anonymous=401)


def test_a_ward_admin_lists_the_ward_only(client_for, ward_admin, accounts):
    client = client_for(ward_admin)
    body = client.get("/api/v1/org/users/").json()
    names = {row["username"] for row in body["results"]}
    assert {"in_a", "new"} <= names and "in_b" not in names
    in_a = next(row for row in body["results"] if row["username"] == "in_a")
    assert [(r["role"], r["unit"]) for r in in_a["roles"]] == [(Role.WARD_STAFF, "CB-A1")]
    assert client.get(f"/api/v1/org/users/{accounts['in_b'].pk}/").status_code == 404


def test_grant_matrix_and_audit(client, users, tree, accounts):
    url = f"/api/v1/org/users/{accounts['new'].pk}/roles/"
    before = _roles()

    def data(role):
        return {"role": Role.WARD_STAFF, "unit": "CB-A1", "reason": f"QĐ {role}"}

    check_matrix(
        client, users, url, {"admin": 201}, method="post", data=data, anonymous=401, **JSON
    )
    assert _roles() == sorted([*before, ("new", Role.WARD_STAFF, "CB-A1")])
    assignment = RoleAssignment.objects.get(user=accounts["new"])
    entry = LogEntry.objects.get(content_type__model="roleassignment", object_pk=str(assignment.pk))
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, users["admin"])
    assert entry.additional_data == {"reason": "QĐ admin"}


def test_a_ward_admin_cannot_grant_outside_the_ward(client_for, ward_admin, accounts):
    client = client_for(ward_admin)
    before = _roles()
    out_of_scope = f"/api/v1/org/users/{accounts['in_b'].pk}/roles/"
    grant = {"role": Role.WARD_STAFF, "unit": "CB-A1"}
    assert client.post(out_of_scope, grant, **JSON).status_code == 404
    assert client.post("/api/v1/org/users/999999/roles/", grant, **JSON).status_code == 404
    url = f"/api/v1/org/users/{accounts['new'].pk}/roles/"
    other_ward = client.post(url, {**grant, "unit": "CB-B1"}, **JSON)
    unknown = client.post(url, {**grant, "unit": "KHONG-CO"}, **JSON)
    assert other_ward.status_code == unknown.status_code == 400
    # An out-of-scope code is answered exactly as an unknown one.
    assert other_ward.json()["unit"][0].replace("CB-B1", "X") == unknown.json()["unit"][0].replace(
        "KHONG-CO", "X"
    )
    district = client.post(url, {**grant, "unit": "QU"}, **JSON)
    assert district.status_code == 400
    admin_role = client.post(url, {"role": Role.ADMIN, "unit": "CB-A1"}, **JSON)
    assert admin_role.status_code == 403
    assert _roles() == before


def test_revoke_matrix_and_audit(client, users, accounts):
    assignment = accounts["in_b"].role_assignments.get()
    url = f"/api/v1/org/users/{accounts['in_b'].pk}/roles/{assignment.pk}/revoke/"
    check_matrix(
        client, users, url, {"admin": 204}, method="post",
        data=lambda role: {"reason": f"Nghỉ hưu ({role})"}, anonymous=401, **JSON,
    )  # fmt: skip
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = LogEntry.objects.get(
        content_type__model="roleassignment",
        object_pk=str(assignment.pk),
        action=LogEntry.Action.DELETE,
    )
    assert entry.actor == users["admin"]
    assert entry.additional_data == {"reason": "Nghỉ hưu (admin)"}


def test_refused_revocations_change_nothing(client_for, users, tree, ward_admin, accounts):
    assignment = accounts["in_b"].role_assignments.get()
    url = f"/api/v1/org/users/{accounts['in_b'].pk}/roles/{assignment.pk}/revoke/"
    no_reason = client_for(users["admin"]).post(url, {}, **JSON)
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert client_for(users["staff"]).post(url, {"reason": "x"}, **JSON).status_code == 403
    client = client_for(ward_admin)
    assert client.post(url, {"reason": "x"}, **JSON).status_code == 404
    # A visible account's role in another ward: not found either.
    other = RoleAssignment.objects.create(user=accounts["in_a"], role=Role.STAFF, unit=tree.ward_b)
    url = f"/api/v1/org/users/{accounts['in_a'].pk}/roles/{other.pk}/revoke/"
    assert client.post(url, {"reason": "x"}, **JSON).status_code == 404
    assert RoleAssignment.objects.filter(pk__in=[assignment.pk, other.pk]).count() == 2
    assert not LogEntry.objects.filter(action=LogEntry.Action.DELETE).exists()


def test_term_create_matrix_and_audit(client, users, ward_admin):
    def data(role):
        return {
            "code": f"NK-{role}"[:20],
            "name": "Nhiệm kỳ 2025-2030",
            "start_date": "2025-10-01",
            "end_date": "2030-09-30",
        }

    check_matrix(
        client, users, "/api/v1/org/terms/", {"admin": 201}, method="post", data=data,
        anonymous=401, **JSON,
    )  # fmt: skip
    term = Term.objects.get()
    assert LogEntry.objects.get_for_object(term).get().actor == users["admin"]
    client.force_login(ward_admin, backend="longbien.org.backends.PersonModelBackend")
    assert client.post("/api/v1/org/terms/", data("ward"), **JSON).status_code == 403
    assert Term.objects.count() == 1


def test_bad_terms_are_rejected_in_vietnamese(client_for, users):
    client = client_for(users["admin"])
    response = client.post(
        "/api/v1/org/terms/",
        {"code": "X", "name": "X", "start_date": "2030-01-01", "end_date": "2025-01-01"},
        **JSON,
    )
    assert response.status_code == 400
    assert "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu." in str(response.json())
    assert not Term.objects.exists()


def test_the_schema_lists_the_role_and_term_actions(client_for, users):
    schema = client_for(users["admin"]).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/org/users/{id}/roles/"]
    assert "post" in paths["/api/v1/org/users/{id}/roles/{assignment_pk}/revoke/"]
    assert "post" in paths["/api/v1/org/terms/"]
