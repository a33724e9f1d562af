"""Pickers: people, documents and units typed for (``/tra-cuu/<lookup>/``), and the forms' rules.

The lookups fold diacritics, find codes and symbols, stay inside the user's scope (and the
confidential gate), and the forms accept only what the lookups would offer. A create form asks
no "reason for change"; a refused form says at the top that nothing was saved; the unit picked
in the header is not slipped into a new document's issuing unit.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from longbien.core import lookups
from longbien.core.models import AccessEntry
from longbien.text import fold
from resolutions.choices import DocumentKind
from resolutions.models import Document
from tests.cadres.conftest import make_person
from tests.resolutions.factories import make_document

pytestmark = pytest.mark.django_db


def hits(client, name: str, query: str, **params) -> list[dict[str, str]]:
    response = client.get(reverse("lookup", args=[name]), {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def texts(results: list[dict[str, str]]) -> list[str]:
    return [row["text"] for row in results]


@pytest.fixture
def people(tree):
    return {
        "a": make_person("LB00012", tree.cell_a1, "Nguyễn Thị Hằng"),
        "a2": make_person("LB00345", tree.cell_a1, "Trần Văn Đức"),
        "b": make_person("LB00013", tree.cell_b1, "Nguyễn Văn Bình"),
    }


@pytest.fixture
def documents(users, tree):
    return {
        "a": make_document(users["staff"], tree.ward_a, symbol="15-NQ/ĐU", title="Về công tác dân vận"),
        "b": make_document(users["staff"], tree.ward_b, symbol="16-NQ/ĐU", title="Về chuyển đổi số"),
        "root": make_document(users["staff"], tree.root, symbol="07-CTr/QU", title="Chương trình hành động",
                              kind=DocumentKind.PROGRAMME),
    }  # fmt: skip


# --- The lookups ---------------------------------------------------------------------------


def test_a_person_is_found_by_a_name_typed_without_diacritics(users, people, client_for):
    found = hits(client_for(users["staff"]), "can-bo", "nguyen")
    assert set(texts(found)) == {
        "Nguyễn Thị Hằng · LB00012 · Chi bộ A1",
        "Nguyễn Văn Bình · LB00013 · Chi bộ B1",
    }
    # The value posted is the person's code (the cadres forms take codes).
    assert {row["value"] for row in found} == {"LB00012", "LB00013"}
    assert texts(hits(client_for(users["staff"]), "can-bo", "đức")) == [
        "Trần Văn Đức · LB00345 · Chi bộ A1"
    ]


def test_a_person_is_found_by_part_of_the_code_exact_code_first(users, people, client_for):
    client = client_for(users["staff"])
    assert [row["value"] for row in hits(client, "can-bo", "0034")] == ["LB00345"]
    assert {row["value"] for row in hits(client, "can-bo", "lb0001")} == {"LB00012", "LB00013"}
    assert hits(client, "can-bo", "LB00013")[0]["value"] == "LB00013"


def test_a_ward_user_never_gets_another_wards_people(users, people, client_for):
    client = client_for(users["ward_secretary"])
    assert [row["value"] for row in hits(client, "can-bo", "nguyen")] == ["LB00012"]
    assert hits(client, "can-bo", "LB00013") == []
    assert hits(client_for(users["no_role"]), "can-bo", "nguyen") == []


def test_a_document_is_found_by_part_of_its_symbol_or_title(users, documents, client_for):
    client = client_for(users["staff"])
    found = hits(client, "van-ban", "ctr/qu")
    assert [row["value"] for row in found] == [str(documents["root"].pk)]
    assert found[0]["text"] == "07-CTr/QU · Chương trình hành động · 10/01/2026"
    assert [row["value"] for row in hits(client, "van-ban", "chuyen doi")] == [
        str(documents["b"].pk)
    ]
    # A ward sees its own and the district's documents, not another ward's.
    ward = client_for(users["ward_staff"])
    assert {row["value"] for row in hits(ward, "van-ban", "NQ/")} == {str(documents["a"].pk)}


def test_units_are_found_by_name_or_code_within_the_area_and_action(users, tree, client_for):
    client = client_for(users["staff"])
    assert texts(hits(client, "don-vi", "anh duong")) == ["Đảng ủy phường Ánh Dương · P-A"]
    assert [row["value"] for row in hits(client, "don-vi", "p-b")] == [str(tree.ward_b.pk)]
    by_code = hits(client, "don-vi", "p-b", value="code")
    assert [row["value"] for row in by_code] == ["P-B"]
    ward = client_for(users["ward_secretary"])
    params = {"area": "resolutions", "action": "change"}
    assert {row["value"] for row in hits(ward, "don-vi", "phuong", **params)} == {
        str(tree.ward_a.pk)
    }


def test_a_lookup_refuses_unknown_names_and_parameters(users, client_for):
    client = client_for(users["staff"])
    assert client.get(reverse("lookup", args=["khong-co"]), {"q": "a"}).status_code == 404
    bad = client.get(reverse("lookup", args=["don-vi"]), {"q": "a", "area": "moi-thu"})
    assert bad.status_code == 400 and "không hợp lệ" in bad.json()["error"]
    assert (
        client.get(reverse("lookup", args=["don-vi"]), {"q": "a", "value": "name"}).status_code
        == 400
    )
    assert (
        client.get(reverse("lookup", args=["van-ban"]), {"q": "a", "status": "x"}).status_code
        == 400
    )


def test_at_most_twenty_hits(users, tree, client_for):
    for n in range(30):
        make_person(f"NN{n:04d}", tree.cell_a1, f"Nguyễn Văn Số {n}")
    assert len(hits(client_for(users["staff"]), "can-bo", "nguyen")) == lookups.LIMIT == 20


def test_a_confidential_lookup_holds_nothing_for_the_unadmitted_and_logs_the_admitted(
    users, tree, monkeypatch
):
    from longbien.org.choices import Role
    from tests.confidential_app.models import Secret
    from tests.conftest import make_user

    Secret.objects.create(unit=tree.cell_a1, title="Tố cáo Alpha")
    monkeypatch.setitem(
        lookups._LOOKUPS,
        "bi-mat",
        lookups.Lookup(
            name="bi-mat",
            queryset=lambda user: Secret.objects.restrict(user),
            search_fields=("title",),
            label=lambda s: s.title,
        ),
    )
    item = lookups.get("bi-mat")
    assert item.search(users["admin"], "Alpha", {}) == []
    assert AccessEntry.objects.count() == 0
    inspector = make_user("inspector_a", Role.INSPECTION, tree.ward_a)
    assert [s.title for s in item.search(inspector, "Alpha", {})] == ["Tố cáo Alpha"]
    assert AccessEntry.objects.count() == 1


# --- The forms -----------------------------------------------------------------------------


def test_a_picker_renders_only_the_chosen_option_and_the_lookup_url(users, tree, client_for):
    for n in range(5):
        from tests.conftest import make_unit

        make_unit(f"CB-A{n + 2}", parent=tree.ward_a, name=f"Chi bộ A{n + 2}")
    page = client_for(users["staff"]).get(reverse("resolutions:document_create")).content.decode()
    select = re.search(r'<select name="issuing_unit".*?</select>', page, re.S).group(0)
    assert 'data-picker="single"' in select
    assert 'data-lookup-url="/tra-cuu/don-vi/?area=resolutions&amp;action=change"' in select
    assert select.count("<option") == 1  # the empty one: not every unit of the district
    implements = re.search(r'<select name="implements".*?</select>', page, re.S).group(0)
    assert 'data-picker="multiple"' in implements and "level=upper" in implements


def test_an_out_of_scope_id_is_refused_in_vietnamese(users, tree, client_for):
    client = client_for(users["ward_secretary"])
    data = {
        "symbol": "20-NQ/ĐU", "kind": "resolution", "title": "Nghị quyết thử",
        "signed_date": "10/01/2026", "status": "issued", "issuing_unit": tree.ward_b.pk,
    }  # fmt: skip
    response = client.post(reverse("resolutions:document_create"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Lựa chọn này không có trong phạm vi của bạn" in text
    assert not Document.objects.filter(symbol="20-NQ/ĐU").exists()
    # The same post inside the ward is accepted.
    data["issuing_unit"] = tree.ward_a.pk
    assert client.post(reverse("resolutions:document_create"), data).status_code == 302
    assert Document.objects.get(symbol="20-NQ/ĐU").issuing_unit == tree.ward_a


def test_an_out_of_scope_person_code_is_refused_as_an_unknown_one(users, people, client_for):
    client = client_for(users["ward_secretary"])
    url = reverse("cadres:evaluation_create")
    outside = client.post(url, {"person": "LB00013", "year": 2026, "month": 1})
    assert "Không có cán bộ mã “LB00013”." in outside.content.decode()
    inside = client.post(url, {"person": "lb00012", "year": 2026, "month": 1})
    assert inside.status_code == 302


def test_several_wards_are_picked_in_one_field(users, tree, documents, client_for):
    from resolutions.models import Task

    client = client_for(users["staff"])
    url = reverse("resolutions:task_assign", args=[documents["root"].pk])
    data = {
        "title": "Báo cáo sơ kết",
        "deadline": "30/06/2026",
        "units": [tree.ward_a.pk, tree.ward_b.pk],
    }
    assert client.post(url, data).status_code == 302
    assert set(Task.objects.filter(title="Báo cáo sơ kết").values_list("unit", flat=True)) == {
        tree.ward_a.pk,
        tree.ward_b.pk,
    }


def test_a_create_form_asks_no_reason_for_change_an_edit_form_does(users, tree, client_for):
    from tests.cadres.conftest import make_person as person_in

    person = person_in("LB00077", tree.cell_a1, "Lê Thị Thu")
    client = client_for(users["staff"])
    for url in (
        reverse("org:person_create"),
        reverse("resolutions:document_create"),
        reverse("org:unit_create"),
    ):
        assert 'name="reason"' not in client.get(url).content.decode(), url
    edit = client.get(reverse("org:person_update", args=[person.pk])).content.decode()
    assert 'name="reason"' in edit and "Lý do thay đổi" in edit
    # A create still works without one.
    created = client.post(
        reverse("org:unit_create"),
        {"code": "CB-A9", "name": "Chi bộ A9", "kind": "party_cell", "parent": tree.ward_a.pk},
    )
    assert created.status_code == 302


def test_a_form_refused_on_one_field_says_nothing_was_saved(users, tree, client_for):
    client = client_for(users["staff"])
    data = {
        "symbol": "21-NQ/QU", "kind": "resolution", "title": "Trích yếu đã gõ",
        "signed_date": "31/02/2026", "status": "issued",
    }  # fmt: skip
    response = client.post(reverse("resolutions:document_create"), data)
    text = response.content.decode()
    assert response.status_code == 200 and not Document.objects.filter(symbol="21-NQ/QU").exists()
    banner = re.search(r'<div class="alert error form-errors".*?</div>', text, re.S).group(0)
    assert "Chưa lưu được" in banner and "Biểu mẫu có 1 lỗi nên chưa có gì được ghi" in banner
    assert 'href="#id_signed_date"' in banner and "Tới ô lỗi đầu tiên: Ngày ký" in banner
    assert text.count('class="alert error form-errors"') == 1  # in one place
    # The field is marked and points at its own error.
    field = re.search(r'<input[^>]*name="signed_date"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_signed_date_error"' in field
    assert 'id="id_signed_date_error"' in text
    # The values just sent are shown, not stored ones.
    assert "Trích yếu đã gõ" in text


def test_an_empty_required_picker_is_pointed_at_by_its_own_error(users, documents, client_for):
    client = client_for(users["staff"])
    url = reverse("resolutions:task_assign", args=[documents["root"].pk])
    text = client.post(url, {"title": "Việc", "deadline": "30/06/2026"}).content.decode()
    select = re.search(r'<select name="units"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in select and 'id_units_error"' in select
    error = re.search(r'<small class="error" id="id_units_error">(.*?)</small>', text, re.S)
    assert error and "Hãy chọn ô này" in error.group(1)


def test_the_header_unit_is_not_put_into_a_new_documents_issuing_unit(users, tree, client_for):
    client = client_for(users["staff"])
    client.post(reverse("choose_unit"), {"unit": tree.ward_a.code, "next": "/"})
    page = client.get(reverse("resolutions:document_create")).content.decode()
    select = re.search(r'<select name="issuing_unit".*?</select>', page, re.S).group(0)
    assert "selected" not in select.replace('<option value="" selected>', "")
    assert tree.ward_a.name not in select


def test_fold_is_what_the_lookups_compare():
    assert fold("Nguyễn") == "nguyen"
