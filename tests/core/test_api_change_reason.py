"""A change made through the API carries its reason into the audit trail (``X-Change-Reason``).

HTTP headers are Latin-1, so the reason is sent as percent-encoded UTF-8 (optionally as an
RFC 8187 ext-value); the Vietnamese text must come out whole in the audit entry, as the
reason typed on a page does. A reason that cannot be decoded, holds a NUL or is too long is
refused (400) and nothing is written.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework import viewsets

from longbien.core.api import CHANGE_REASON_MAX_LENGTH, ChangeReasonMixin
from longbien.org.models import OrgUnit, Term
from resolutions.models import Task
from tests.resolutions.factories import make_document

REASON = "Theo Quyết định số 12-QĐ/QU ngày 05/01/2026 của Ban Thường vụ"


def _entries(model, **filters):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), **filters)


def _rename(client, code: str, name: str, header: str):
    return client.patch(
        f"/api/v1/org/units/{code}/",
        {"name": name},
        content_type="application/json",
        headers={"X-Change-Reason": header},
    )


@pytest.mark.parametrize(
    "header",
    [
        quote(REASON),  # percent-encoded UTF-8
        "UTF-8''" + quote(REASON),  # RFC 8187 ext-value
        "utf-8'vi'" + quote(REASON),
        # Raw UTF-8 bytes, as a client that does not encode sends them (read as Latin-1).
        REASON.encode().decode("latin-1"),
    ],
    ids=["percent", "rfc8187", "rfc8187-language", "raw-utf8"],
)
def test_a_patch_records_the_decoded_vietnamese_reason(client_for, users, tree, header):
    response = _rename(client_for(users["admin"]), "P-A", "Đảng ủy phường Ánh Dương mới", header)

    assert response.status_code == 200, response.content
    entry = _entries(OrgUnit, object_pk=str(tree.ward_a.pk)).latest("timestamp")
    assert entry.additional_data == {"reason": REASON}
    assert entry.actor == users["admin"]
    assert "name" in entry.changes_dict


def test_a_post_carries_the_reason_to_every_record_it_writes(client_for, users, tree):
    document = make_document(users["staff"], tree.root)
    response = client_for(users["staff"]).post(
        "/api/v1/resolutions/tasks/",
        {"document": document.pk, "units": ["P-A", "P-B"], "title": "Triển khai",
         "deadline": "2026-03-02"},
        content_type="application/json",
        headers={"X-Change-Reason": quote("Giao theo Kế hoạch 05-KH/QU")},
    )  # fmt: skip

    assert response.status_code == 201, response.content
    ids = [str(row["id"]) for row in response.json()]
    entries = _entries(Task, object_pk__in=ids)
    assert entries.count() == 2
    assert {e.additional_data["reason"] for e in entries} == {"Giao theo Kế hoạch 05-KH/QU"}


def test_without_the_header_the_entry_has_no_reason(client_for, users, tree):
    response = client_for(users["admin"]).patch(
        "/api/v1/org/units/P-A/", {"name": "Tên mới"}, content_type="application/json"
    )
    assert response.status_code == 200
    entry = _entries(OrgUnit, object_pk=str(tree.ward_a.pk)).latest("timestamp")
    assert not (entry.additional_data or {}).get("reason")


def test_a_reason_in_the_body_of_a_revocation_is_the_one_recorded(client_for, users, tree):
    """A service given a reason of its own (the revocation's decision) records that one."""
    assignment = users["ward_staff"].role_assignments.get()
    response = client_for(users["admin"]).post(
        f"/api/v1/org/users/{users['ward_staff'].pk}/roles/{assignment.pk}/revoke/",
        {"reason": "Quyết định 7-QĐ/QU"},
        content_type="application/json",
        headers={"X-Change-Reason": quote("Lý do trong tiêu đề")},
    )
    assert response.status_code == 204, response.content
    entry = LogEntry.objects.filter(object_pk=str(assignment.pk)).latest("timestamp")
    assert entry.additional_data == {"reason": "Quyết định 7-QĐ/QU"}


@pytest.mark.parametrize(
    "header",
    [
        quote("x" * (CHANGE_REASON_MAX_LENGTH + 1)),
        quote("Quá dài " * 60),
        "Theo%00quyết định",  # a NUL, percent-encoded
        "%FF%FE",  # not UTF-8
        "ISO-8859-1''Theo%20quy%E9t",  # another charset
    ],
    ids=["over-long", "over-long-vietnamese", "nul", "not-utf8", "other-charset"],
)
def test_a_bad_reason_is_refused_and_nothing_is_written(client_for, users, tree, header):
    before = LogEntry.objects.count()
    response = _rename(client_for(users["admin"]), "P-A", "Không được đổi", header)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert LogEntry.objects.count() == before
    assert OrgUnit.objects.get(pk=tree.ward_a.pk).name == tree.ward_a.name


def test_an_over_long_reason_is_explained_in_vietnamese(client_for, users, tree):
    response = _rename(client_for(users["admin"]), "P-A", "X", quote("ý" * 301))
    assert response.status_code == 400
    (message,) = response.json()["X-Change-Reason"]
    assert "tối đa 300 ký tự" in message


def test_a_reason_at_the_limit_is_kept_whole(client_for, users, tree):
    reason = "Lý do " + "đ" * (CHANGE_REASON_MAX_LENGTH - 6)
    response = client_for(users["admin"]).post(
        "/api/v1/org/terms/",
        {"code": "2030-2035", "name": "Nhiệm kỳ 2030-2035", "start_date": "2030-10-01",
         "end_date": "2035-09-30"},
        content_type="application/json",
        headers={"X-Change-Reason": quote(reason)},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    term = Term.objects.get(code="2030-2035")
    assert _entries(Term, object_pk=str(term.pk)).get().additional_data == {"reason": reason}


def _api_viewsets() -> set[type]:
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


def test_every_api_viewset_takes_the_reason():
    viewsets_ = _api_viewsets()
    assert len(viewsets_) > 10
    assert not {cls.__name__ for cls in viewsets_ if not issubclass(cls, ChangeReasonMixin)}


def test_the_schema_declares_the_header_on_every_write_and_only_there():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    writes = reads = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            headers = [
                p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"
            ]
            if method in ("post", "put", "patch", "delete"):
                writes += 1
                assert headers == ["X-Change-Reason"], (method, path)
            else:
                reads += 1
                assert headers == [], (method, path)
    assert writes > 20 and reads > 20
