import pytest
from django.urls import reverse

from longbien.org.choices import UnitKind
from longbien.org.models import OrgUnit, Person
from tests.conftest import make_unit
from tests.permissions import check_matrix

ALL_ROLES_200 = dict.fromkeys(
    [
        "admin",
        "staff",
        "leadership",
        "inspection",
        "mass_mobilisation",
        "ward_secretary",
        "ward_staff",
    ],
    200,
)
DISTRICT_200 = {r: 200 for r in ["admin", "staff", "leadership", "inspection", "mass_mobilisation"]}
WARD_404 = {"ward_secretary": 404, "ward_staff": 404}


@pytest.fixture
def person_b(tree):
    person = Person(code="CBB", full_name="Trần Thị Bình", sex="female", unit=tree.cell_b1)
    person.save()
    return person


def test_unit_list_matrix(client, users):
    check_matrix(client, users, reverse("org:unit_list"), ALL_ROLES_200)


def test_unit_outside_the_ward_is_not_found_for_ward_users(client, users, tree):
    check_matrix(
        client, users, reverse("org:unit_detail", args=["P-B"]), {**DISTRICT_200, **WARD_404}
    )
    check_matrix(client, users, reverse("org:unit_detail", args=["P-A"]), ALL_ROLES_200)


def test_unit_forms_matrix(client, users, tree):
    check_matrix(client, users, reverse("org:unit_create"), {"admin": 200, "staff": 200})
    check_matrix(
        client, users, reverse("org:unit_update", args=["P-A"]), {"admin": 200, "staff": 200}
    )
    check_matrix(
        client,
        users,
        reverse("org:unit_close", args=["P-B"]),
        {"admin": 200, "staff": 200, **WARD_404},
    )


def test_person_pages_matrix(client, users, person_b):
    # Personal data: mass-mobilisation staff have no business with the people register.
    people_200 = {**ALL_ROLES_200, "mass_mobilisation": 403}
    check_matrix(client, users, reverse("org:person_list"), people_200)
    check_matrix(
        client,
        users,
        reverse("org:person_detail", args=[person_b.pk]),
        {**DISTRICT_200, **WARD_404, "mass_mobilisation": 403},
    )
    check_matrix(
        client,
        users,
        reverse("org:person_update", args=[person_b.pk]),
        {"admin": 200, "staff": 200, **WARD_404},
    )
    check_matrix(client, users, reverse("org:person_create"), {"admin": 200, "staff": 200})


def test_system_pages_matrix(client, users):
    check_matrix(client, users, reverse("audit_log"), {"admin": 200})
    check_matrix(client, users, reverse("home"), ALL_ROLES_200 | {"no_role": 200})
    check_matrix(client, users, reverse("org:term_list"), ALL_ROLES_200)
    check_matrix(client, users, reverse("io_import", args=["units"]), {"admin": 200, "staff": 200})
    # A bulk export of personal data is for those who keep the register.
    check_matrix(client, users, reverse("io_export", args=["people"]), {"admin": 200, "staff": 200})
    check_matrix(client, users, reverse("io_export", args=["units"]), ALL_ROLES_200)


def test_writes_by_post_matrix(client, users, tree):
    def data(role):
        return {
            "code": f"CB-{role.upper().replace('_', '-')}",
            "name": "Chi bộ",
            "kind": UnitKind.PARTY_CELL,
            "parent": tree.ward_a.pk,
        }

    check_matrix(
        client,
        users,
        reverse("org:unit_create"),
        {"admin": 302, "staff": 302},
        method="post",
        data=data,
    )
    assert set(OrgUnit.objects.filter(name="Chi bộ").values_list("code", flat=True)) == {
        "CB-ADMIN",
        "CB-STAFF",
    }


def test_bad_unit_form_shows_vietnamese_errors_and_saves_nothing(client_for, users, tree):
    client = client_for(users["staff"])
    response = client.post(
        reverse("org:unit_create"),
        {"code": "CB-A1", "name": "", "kind": "nope", "parent": tree.ward_a.pk},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chưa lưu được" in text
    assert "Trường này là bắt buộc." in text
    assert OrgUnit.objects.count() == 5


def test_duplicate_unit_code_error_from_the_service_reaches_the_form(client_for, users, tree):
    client = client_for(users["staff"])
    response = client.post(
        reverse("org:unit_create"),
        {"code": "cb-a1", "name": "Trùng", "kind": UnitKind.PARTY_CELL, "parent": tree.ward_a.pk},
    )
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    assert OrgUnit.objects.filter(name="Trùng").count() == 0


def test_ward_user_cannot_move_a_person_out_of_scope(client_for, users, tree, person_b):
    client = client_for(users["staff"])
    response = client.post(
        reverse("org:person_update", args=[person_b.pk]),
        {
            "code": "CBB",
            "full_name": "Trần Thị Bình",
            "sex": "female",
            "unit": tree.cell_a1.pk,
            "management_level": "none",
            "is_active": "on",
            "reason": "Chuyển sinh hoạt",
        },
    )
    assert response.status_code == 302
    person_b.refresh_from_db()
    assert person_b.unit == tree.cell_a1
    assert (
        "Chuyển sinh hoạt"
        in client.get(reverse("org:person_detail", args=[person_b.pk])).content.decode()
    )


def test_search_ignores_diacritics_and_scope(client_for, users, tree, person_b):
    response = client_for(users["staff"]).get(reverse("search"), {"q": "tran thi binh"})
    assert "Trần Thị Bình" in response.content.decode()
    response = client_for(users["ward_secretary"]).get(reverse("search"), {"q": "binh"})
    assert "Trần Thị Bình" not in response.content.decode()


def test_unit_list_query_count_does_not_grow_with_rows(
    client_for, users, tree, django_assert_max_num_queries
):
    for number in range(60):
        make_unit(f"CB-A-{number}", UnitKind.PARTY_CELL, tree.ward_a)
    client = client_for(users["staff"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("org:unit_list"))
    assert response.status_code == 200


def test_person_list_query_count_does_not_grow_with_rows(
    client_for, users, tree, django_assert_max_num_queries
):
    Person.objects.bulk_create(
        [
            Person(
                code=f"P{n}",
                full_name=f"Người {n}",
                sex="male",
                unit=tree.cell_a1,
                name_folded="",
                sort_key=str(n),
            )
            for n in range(80)
        ]
    )
    client = client_for(users["staff"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("org:person_list"))
    assert response.status_code == 200
    assert response.content.decode().count("/to-chuc/can-bo/") >= 50


def test_the_unit_picker_narrows_lists(client_for, users, tree):
    client = client_for(users["staff"])
    client.post(reverse("choose_unit"), {"unit": "P-B", "next": "/"})
    text = client.get(reverse("org:unit_list")).content.decode()
    assert "Chi bộ B1" in text and "Chi bộ A1" not in text


def test_ward_user_cannot_pick_another_ward(client_for, users, tree):
    response = client_for(users["ward_secretary"]).post(reverse("choose_unit"), {"unit": "P-B"})
    assert response.status_code == 403


def test_error_pages_are_vietnamese(client_for, users):
    response = client_for(users["staff"]).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
