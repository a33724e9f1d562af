import pytest
from auditlog.models import LogEntry
from rest_framework.authtoken.models import Token

from longbien.org.models import OrgUnit, Person
from tests.permissions import check_matrix

ALL = [
    "admin",
    "staff",
    "leadership",
    "inspection",
    "mass_mobilisation",
    "ward_secretary",
    "ward_staff",
]


@pytest.fixture
def people(tree):
    for code, unit in (("A1", tree.cell_a1), ("B1", tree.cell_b1)):
        Person(code=code, full_name=f"Nguyễn Văn {code}", sex="male", unit=unit).save()


def test_unit_endpoint_matrix(client, users, tree):
    check_matrix(client, users, "/api/v1/org/units/", dict.fromkeys(ALL, 200), anonymous=401)
    check_matrix(
        client, users, "/api/v1/org/units/P-B/",
        {**dict.fromkeys(ALL, 200), "ward_secretary": 404, "ward_staff": 404}, anonymous=401,
    )  # fmt: skip


def test_ward_users_list_only_their_subtree(client_for, users, people):
    data = client_for(users["ward_staff"]).get("/api/v1/org/people/").json()
    assert [p["code"] for p in data["results"]] == ["A1"]
    units = client_for(users["ward_staff"]).get("/api/v1/org/units/").json()
    assert {u["code"] for u in units["results"]} == {"P-A", "CB-A1"}


def test_unit_create_matrix_and_audit(client, users, tree):
    def data(role):
        return {
            "code": f"CB-API-{role.upper().replace('_', '-')}",
            "name": "Chi bộ API",
            "kind": "party_cell",
            "parent": "P-A",
        }

    check_matrix(
        client, users, "/api/v1/org/units/", {"admin": 201, "staff": 201},
        method="post", data=data, content_type="application/json", anonymous=401,
    )  # fmt: skip
    unit = OrgUnit.objects.get(code="CB-API-STAFF")
    assert unit.path == "QU/P-A/CB-API-STAFF/"
    assert LogEntry.objects.get_for_object(unit).get().actor.username == "staff"


def test_bad_input_is_rejected_in_vietnamese_and_changes_nothing(client_for, users, tree):
    client = client_for(users["staff"])
    response = client.post(
        "/api/v1/org/units/",
        {"code": "sai mã", "name": "", "kind": "x", "parent": "KHONG-CO"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"code", "name", "kind", "parent"}
    assert "Mã đơn vị chỉ gồm chữ in hoa" in body["code"][0]
    assert OrgUnit.objects.count() == 5


def test_person_create_outside_scope_is_not_found(client_for, users, tree):
    """A unit code outside the caller's scope is answered as an unknown code: nothing leaks."""
    from longbien.org.choices import Role
    from longbien.org.models import RoleAssignment

    RoleAssignment.objects.create(user=users["no_role"], role=Role.STAFF, unit=tree.ward_a)
    client = client_for(users["no_role"])

    def create(unit_code: str):
        return client.post(
            "/api/v1/org/people/",
            {"code": "X1", "full_name": "Lê X", "sex": "male", "unit": unit_code},
            content_type="application/json",
        )

    outside, unknown = create("CB-B1"), create("KHONG-CO")
    assert outside.status_code == unknown.status_code == 400
    assert outside.json()["unit"] == [
        m.replace("KHONG-CO", "CB-B1") for m in unknown.json()["unit"]
    ]
    assert not Person.objects.filter(code="X1").exists()


def test_token_auth_works(client, users, tree):
    token = Token.objects.create(user=users["leadership"])
    response = client.get("/api/v1/org/terms/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_people_endpoint_query_count_is_bounded(
    client_for, users, tree, django_assert_max_num_queries
):
    Person.objects.bulk_create(
        [
            Person(
                code=f"Q{n}",
                full_name=f"Người {n}",
                sex="male",
                unit=tree.cell_a1,
                name_folded="",
                sort_key=str(n),
            )
            for n in range(60)
        ]
    )
    client = client_for(users["staff"])
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/org/people/?page_size=50")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 50


def test_schema_and_docs_are_served(client_for, users):
    client = client_for(users["staff"])
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


def test_api_docs_page_and_its_script_load(client_for, users):
    client = client_for(users["staff"])
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200 and "'unsafe-inline'" in page["Content-Security-Policy"]
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
    assert client.get("/to-chuc/don-vi/")["Content-Security-Policy"].count("unsafe-inline") == 0
