"""The admin searches as the portal does: without diacritics, in the folded columns."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from longbien.org.models import Person, User
from resolutions import services as resolutions
from resolutions.choices import DocumentKind


@pytest.fixture
def admin_client(client, users):
    user = users["admin"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(
        User.objects.get(pk=user.pk), backend="longbien.org.backends.PersonModelBackend"
    )
    return client


@pytest.fixture
def documents(users, tree):
    def make(symbol: str, title: str):
        return resolutions.document_create(
            actor=users["staff"], symbol=symbol, kind=DocumentKind.RESOLUTION, title=title,
            issuing_unit=tree.root, signed_date=dt.date(2026, 1, 8),
        )  # fmt: skip

    return {
        "party": make("01-NQ/QU", "Nghị quyết về công tác xây dựng Đảng"),
        "other": make("02-NQ/QU", "Nghị quyết về phát triển kinh tế"),
    }


def found(client, url: str, query: str) -> list:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("query", ["Đảng", "đảng", "dang", "DANG", "xây dựng  Đảng"])
def test_admin_search_finds_a_title_with_diacritics(admin_client, documents, query):
    url = reverse("admin:resolutions_document_changelist")
    assert found(admin_client, url, query) == [documents["party"]]


def test_admin_search_still_finds_codes_and_symbols_as_typed(admin_client, documents, tree):
    url = reverse("admin:resolutions_document_changelist")
    assert found(admin_client, url, "02-nq") == [documents["other"]]
    assert found(admin_client, reverse("admin:org_orgunit_changelist"), "cb-a1") == [tree.cell_a1]


def test_admin_search_finds_a_person_without_diacritics(admin_client, tree):
    person = Person(code="CBB", full_name="Trần Thị Bình", sex="female", unit=tree.cell_b1)
    person.save()
    url = reverse("admin:org_person_changelist")
    for query in ("Trần Thị Bình", "tran thi binh", "Bình"):
        assert found(admin_client, url, query) == [person]
    assert found(admin_client, url, "Lan") == []


def test_admin_search_stays_within_the_scope(client, users, tree, documents):
    ward_doc = resolutions.document_create(
        actor=users["staff"], symbol="03-NQ/ĐU", kind=DocumentKind.RESOLUTION,
        title="Nghị quyết Đảng ủy phường Bình Minh", issuing_unit=tree.ward_b,
        signed_date=dt.date(2026, 2, 1),
    )  # fmt: skip
    user = users["ward_staff"]  # ward A: ward B's own documents are out of scope
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename="view_document"))
    client.force_login(
        User.objects.get(pk=user.pk), backend="longbien.org.backends.PersonModelBackend"
    )
    url = reverse("admin:resolutions_document_changelist")
    results = found(client, url, "dang")
    assert documents["party"] in results and ward_doc not in results
