import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from longbien.procedures import services
from longbien.procedures.models import Procedure
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


def _data(unit, **extra):
    return {
        "code": "QT-01", "name": "Quy trình tiếp nhận văn bản", "kind": "procedure", "area": "office",
        "level": "district", "effective_date": dt.date(2016, 1, 1), "owner_unit": unit, **extra,
    }  # fmt: skip


def test_staff_add_procedures_and_the_change_is_audited(tree, users):
    from auditlog.models import LogEntry

    procedure = services.procedure_create(actor=users["staff"], **_data(tree.root))
    assert LogEntry.objects.get_for_object(procedure).get().actor == users["staff"]


def test_inspection_keeps_its_own_procedures_only(tree, users):
    services.procedure_create(
        actor=users["inspection"], **_data(tree.root, area="inspection", code="QT-KT-01")
    )
    with pytest.raises(PermissionDenied):
        services.procedure_create(
            actor=users["inspection"], **_data(tree.root, area="office", code="QT-VP-01")
        )
    with pytest.raises(PermissionDenied):
        services.procedure_create(actor=users["leadership"], **_data(tree.root))


def test_duplicate_code_and_version_and_bad_dates_are_rejected(tree, users):
    services.procedure_create(actor=users["staff"], **_data(tree.root))
    with pytest.raises(ValidationError) as info:
        services.procedure_create(actor=users["staff"], **_data(tree.root))
    assert "mã và phiên bản" in str(info.value)
    with pytest.raises(ValidationError) as info:
        services.procedure_create(
            actor=users["staff"], **_data(tree.root, code="QT-02", retired_on=dt.date(2015, 1, 1))
        )
    assert "hết hiệu lực" in str(info.value)
    services.procedure_create(actor=users["staff"], **_data(tree.root, version="2.0"))
    assert Procedure.objects.count() == 2


def test_pages_and_endpoint_matrix(client, users, tree):
    procedure = services.procedure_create(actor=users["staff"], **_data(tree.root))
    ward = services.procedure_create(
        actor=users["staff"], **_data(tree.ward_b, code="QT-CS-01", level="grassroots")
    )
    check_matrix(client, users, "/quy-trinh/", dict.fromkeys(ALL, 200))
    check_matrix(
        client,
        users,
        f"/quy-trinh/{procedure.pk}/",
        dict.fromkeys(ALL, 200),  # the district's procedures apply to every ward
    )
    check_matrix(
        client,
        users,
        f"/quy-trinh/{ward.pk}/",
        {r: 200 for r in ["admin", "staff", "leadership", "inspection", "mass_mobilisation"]}
        | {"ward_secretary": 404, "ward_staff": 404},
    )
    check_matrix(
        client,
        users,
        "/quy-trinh/them/",
        {
            "admin": 200,
            "staff": 200,
            "inspection": 200,
            "mass_mobilisation": 200,
            "ward_secretary": 200,
            "ward_staff": 200,
        },
    )  # wards keep their mass-mobilisation procedures
    check_matrix(client, users, "/api/v1/procedures/", dict.fromkeys(ALL, 200), anonymous=401)


def test_search_ignores_diacritics(client_for, users, tree):
    services.procedure_create(
        actor=users["staff"], **_data(tree.root, name="Quy trình kiểm tra đảng viên")
    )
    page = (
        client_for(users["leadership"])
        .get("/quy-trinh/", {"q": "kiem tra dang vien"})
        .content.decode()
    )
    assert "Quy trình kiểm tra đảng viên" in page


def test_form_errors_are_vietnamese(client_for, users, tree):
    response = client_for(users["staff"]).post(
        "/quy-trinh/them/",
        {
            "code": "",
            "name": "X",
            "kind": "procedure",
            "area": "office",
            "level": "district",
            "effective_date": "khong-phai-ngay",
            "owner_unit": tree.root.pk,
            "version": "1.0",
        },
    )
    text = response.content.decode()
    assert (
        response.status_code == 200
        and "Trường này là bắt buộc." in text
        and "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026." in text
    )
    assert not Procedure.objects.exists()
