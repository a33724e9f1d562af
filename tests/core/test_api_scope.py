"""The API's one read path: a scoped base viewset and scoped related fields.

A record out of the caller's scope is a 404 on retrieve, update and custom actions, and an
id or code out of scope in the input gets the very answer of one that does not exist.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from rest_framework import viewsets

from cadres import services as cadre_services
from cadres.choices import Rating
from longbien.core.api import ScopedViewSetMixin
from longbien.org.resources import LookupWidget
from resolutions.models import Document, Task
from tests.cadres.conftest import make_person
from tests.conftest import make_user
from tests.resolutions.factories import make_document, make_tasks

MISSING_ID = 999_999


@pytest.fixture
def records(tree, users):
    district = make_document(users["staff"], tree.root, symbol="01-NQ/QU")
    ward_b = make_document(users["staff"], tree.ward_b, symbol="02-NQ/ĐU")
    task_a, task_b = make_tasks(users["staff"], district, [tree.ward_a, tree.ward_b])
    return {"district": district, "ward_b": ward_b, "task_a": task_a, "task_b": task_b}


def _viewsets():
    """Every viewset served under /api/v1/."""
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            else:
                cls = getattr(pattern.callback, "cls", None)
                if cls is not None and issubclass(cls, viewsets.ViewSetMixin):
                    found.add(cls)

    walk(get_resolver().url_patterns)
    return found


def test_every_api_viewset_stands_on_the_scoped_base():
    # Terms of office belong to no unit (read by whoever reads the organisation); accounts
    # are not unit records either: their selector keeps those holding roles in the subtree.
    unscoped = {cls.__name__ for cls in _viewsets() if not issubclass(cls, ScopedViewSetMixin)}
    assert unscoped <= {"TermViewSet", "AccountRoleViewSet"}
    assert len(_viewsets()) > 10


def test_out_of_scope_retrieve_update_and_actions_are_not_found(client_for, users, records):
    client = client_for(users["ward_secretary"])
    document = f"/api/v1/resolutions/documents/{records['ward_b'].pk}/"
    assert client.get(document).status_code == 404
    patch = client.patch(document, {"title": "Sửa"}, content_type="application/json")
    assert patch.status_code == 404
    # Read from above, but changing it is out of scope: not found for a change.
    district = f"/api/v1/resolutions/documents/{records['district'].pk}/"
    assert client.get(district).status_code == 200
    assert (
        client.patch(district, {"title": "Sửa"}, content_type="application/json").status_code == 404
    )
    progress = client.post(
        f"/api/v1/resolutions/tasks/{records['task_b'].pk}/progress/",
        {"progress": 10, "note": "x"},
        content_type="application/json",
    )
    assert progress.status_code == 404
    assert Document.objects.get(pk=records["ward_b"].pk).title != "Sửa"
    assert Task.objects.get(pk=records["task_b"].pk).progress == 0
    ward_staff = client_for(make_user("staff_a", "staff", records["task_a"].unit))
    unit = ward_staff.patch(
        "/api/v1/org/units/P-B/", {"name": "Đổi tên"}, content_type="application/json"
    )
    assert unit.status_code == 404
    assert ward_staff.get("/api/v1/org/units/P-B/").status_code == 404


def _same_answer(outside, unknown, field, outside_value, unknown_value):
    assert outside.status_code == unknown.status_code == 400
    assert outside.json()[field] == [
        str(m).replace(str(unknown_value), str(outside_value)) for m in unknown.json()[field]
    ]


def test_an_out_of_scope_document_id_is_answered_as_a_missing_one(client_for, users, records):
    client = client_for(users["ward_secretary"])

    def conference(document_id):
        return client.post(
            "/api/v1/resolutions/conferences/",
            {"document": document_id, "unit": "P-A", "held_on": "2026-01-20",
             "expected_attendees": 10, "present_attendees": 9, "learning_reports": 9},
            content_type="application/json",
        )  # fmt: skip

    _same_answer(
        conference(records["ward_b"].pk), conference(MISSING_ID), "document",
        records["ward_b"].pk, MISSING_ID,
    )  # fmt: skip

    def document(implements):
        return client.post(
            "/api/v1/resolutions/documents/",
            {"symbol": "05-KH/ĐU", "kind": "plan", "issuing_unit": "P-A", "title": "Kế hoạch",
             "signed_date": "2026-01-12", "implements": [implements]},
            content_type="application/json",
        )  # fmt: skip

    _same_answer(
        document(records["ward_b"].pk), document(MISSING_ID), "implements",
        records["ward_b"].pk, MISSING_ID,
    )  # fmt: skip
    # In scope, the same input is accepted.
    assert conference(records["district"].pk).status_code == 201


def test_an_out_of_scope_unit_code_is_answered_as_a_missing_one(client_for, users, tree):
    ward_staff = make_user("staff_a", "staff", tree.ward_a)
    client = client_for(ward_staff)

    def unit(parent):
        return client.post(
            "/api/v1/org/units/",
            {"code": "CB-A9", "name": "Chi bộ A9", "kind": "party_cell", "parent": parent},
            content_type="application/json",
        )

    _same_answer(unit("P-B"), unit("KHONG-CO"), "parent", "P-B", "KHONG-CO")
    assert unit("P-A").status_code == 201


def test_a_cadre_acts_on_their_own_record_through_the_own_records_rule(client_for, users, tree):
    person = make_person("OWN1", tree.cell_b1)
    cadre = make_user("own_cadre", person=person)
    evaluation = cadre_services.evaluation_create(
        actor=users["staff"], person=person, year=2026, month=3
    )
    client = client_for(cadre)
    assert client.get(f"/api/v1/cadres/evaluations/{evaluation.pk}/").status_code == 200
    response = client.post(
        f"/api/v1/cadres/evaluations/{evaluation.pk}/self-assess/",
        {"self_assessment": "Hoàn thành", "self_rating": Rating.GOOD},
        content_type="application/json",
    )
    assert response.status_code == 200
    other = cadre_services.evaluation_create(
        actor=users["staff"], person=make_person("OWN2", tree.cell_b1), year=2026, month=3
    )
    assert client.get(f"/api/v1/cadres/evaluations/{other.pk}/").status_code == 404


def test_import_lookups_answer_out_of_scope_as_unknown(users, records, tree):
    from longbien.org.models import OrgUnit

    widget = LookupWidget(Document)
    widget.user = users["ward_secretary"]
    errors = {}
    for value in (records["ward_b"].pk, MISSING_ID):
        with pytest.raises(ValueError) as error:
            widget.clean(value)
        errors[value] = str(error.value)
    assert errors[records["ward_b"].pk] == errors[MISSING_ID].replace(
        str(MISSING_ID), str(records["ward_b"].pk)
    )
    assert widget.clean(records["district"].pk) == records["district"]
    units = LookupWidget(OrgUnit, field="code")
    with pytest.raises(ValueError):
        units.clean("P-B", user=users["ward_secretary"])
    assert units.clean("P-A", user=users["ward_secretary"]) == tree.ward_a


def test_a_missing_or_foreign_person_code_gets_one_answer(client_for, users, tree):
    make_person("FOREIGN", tree.cell_b1)
    client = client_for(users["ward_secretary"])

    def evaluation(code):
        return client.post(
            "/api/v1/cadres/evaluations/",
            {"person": code, "year": 2026, "month": 4},
            content_type="application/json",
        )

    _same_answer(evaluation("FOREIGN"), evaluation("KHONGCO"), "person", "FOREIGN", "KHONGCO")


def test_whole_tree_users_list_every_document(client_for, users, records, tree):
    root = make_user("root", is_superuser=True)
    listed = client_for(root).get("/api/v1/resolutions/documents/").json()
    count = listed["count"] if isinstance(listed, dict) else len(listed)
    assert count == Document.objects.count() == 2


def test_the_subtree_filter_keeps_the_units_tree_and_nothing_outside_the_scope(
    client_for, users, tree, records
):
    """?unit=CODE (one kernel filter for every register) narrows to that unit's subtree."""
    staff = client_for(users["staff"])
    staff_codes = {
        row["unit"] for row in staff.get("/api/v1/resolutions/tasks/?unit=P-A").json()["results"]
    }
    assert staff_codes and staff_codes <= {"P-A", "CB-A1"}
    assert staff.get("/api/v1/resolutions/tasks/?unit=KHONG-CO").json()["results"] == []
    ward = client_for(users["ward_secretary"])
    # Another ward's code reads as unknown: nothing, not that ward's tasks.
    assert ward.get("/api/v1/resolutions/tasks/?unit=P-B").json()["results"] == []
    units = client_for(users["staff"]).get("/api/v1/org/units/?within=P-A&q=chi bo").json()
    assert [u["code"] for u in units["results"]] == ["CB-A1"]
