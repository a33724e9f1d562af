"""The log of reads of confidential cases: each kind of read writes exactly one entry; only the
heads of the Inspection Committee read the log; nobody can change it (no page, no admin, not
even the database); the heads flag is set by an administrator on the role page."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from inspections.models import Case
from longbien import confidential
from longbien.attachments.services import attachment_add
from longbien.core import io
from longbien.core.models import AccessEntry
from longbien.org import services as org_services
from longbien.org.choices import Role
from longbien.org.models import RoleAssignment
from tests.conftest import make_user
from tests.inspections.conftest import received_case
from tests.route_data import PDF
from tests.routes import project_routes


@pytest.fixture
def inspector(users):
    return users["inspection"]


@pytest.fixture
def case(inspector, tree):
    return received_case(inspector, tree.cell_a1, received=dt.date(2026, 3, 2))


@pytest.fixture
def head(users, tree):
    """An inspection-role holder marked by the admin as heading the committee."""
    user = make_user("truongban", Role.INSPECTION, tree.root)
    assignment = RoleAssignment.objects.get(user=user, role=Role.INSPECTION)
    org_services.role_set_heads_committee(actor=users["admin"], assignment=assignment, heads=True)
    return user


def _one_new_entry(before: int, how: str, user, case: Case) -> AccessEntry:
    entries = list(AccessEntry.objects.order_by("id")[before:])
    assert len(entries) == 1, [(e.how, e.object_ids) for e in entries]
    entry = entries[0]
    assert (entry.how, entry.user) == (how, user)
    assert case.pk in entry.object_ids or entry.object_id == str(case.pk)
    return entry


# --- Each kind of read: one entry --------------------------------------------------------------


def test_list_page_writes_one_entry(case, inspector, client_for):
    before = AccessEntry.objects.count()
    assert client_for(inspector).get(reverse("inspections:case_list")).status_code == 200
    entry = _one_new_entry(before, confidential.LIST, inspector, case)
    assert entry.count == 1


def test_detail_page_writes_one_entry(case, inspector, client_for):
    before = AccessEntry.objects.count()
    assert client_for(inspector).get(case.get_absolute_url()).status_code == 200
    entry = _one_new_entry(before, confidential.DETAIL, inspector, case)
    assert entry.object_id == str(case.pk)


def test_the_home_page_logs_the_overdue_cases_it_lists_the_dashboard_none(
    case, inspector, tree, client_for
):
    """The inspection role's home page lists its overdue cases (a read: one entry); the
    dashboard shows none of them (its exception lists are others), so it reads none, even
    for a member of the Standing Committee who chairs the Inspection Committee."""
    RoleAssignment.objects.create(user=inspector, role=Role.LEADERSHIP, unit=tree.root)
    client = client_for(inspector)
    before = AccessEntry.objects.count()
    assert client.get(reverse("home")).status_code == 200
    _one_new_entry(before, confidential.LIST, inspector, case)
    before = AccessEntry.objects.count()
    response = client.get(reverse("reporting:dashboard") + "?year=2026")
    assert response.status_code == 200
    assert "inspections.cases_overdue" not in {
        s.key for s in response.context["dashboard"].exceptions
    }
    assert AccessEntry.objects.count() == before


def test_attachment_download_writes_one_entry(case, inspector, client_for):
    attachment = attachment_add(
        actor=inspector, record=case,
        upload=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    before = AccessEntry.objects.count()
    response = client_for(inspector).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    _one_new_entry(before, confidential.FILE, inspector, case)


def _api_urls(case: Case) -> tuple[str, str] | None:
    try:
        return (
            reverse("api:inspections-case-list"),
            reverse("api:inspections-case-detail", args=[case.pk]),
        )
    except NoReverseMatch:
        return None


def test_api_reads_write_one_entry_each(case, inspector, client_for):
    urls = _api_urls(case)
    if urls is None:
        pytest.skip("the cases API (api:inspections-case-list/-detail) is not there yet")
    client = client_for(inspector)
    for url in urls:
        before = AccessEntry.objects.count()
        assert client.get(url).status_code == 200, url
        _one_new_entry(before, confidential.API, inspector, case)


def test_export_writes_one_entry(case, inspector):
    try:
        io.get_register("cases")
    except LookupError:
        pytest.skip("the cases export register is not registered yet")
    before = AccessEntry.objects.count()
    io.export_register(user=inspector, name="cases", fmt="csv")
    _one_new_entry(before, confidential.EXPORT, inspector, case)


# --- Only heads read the log -------------------------------------------------------------------


def test_only_heads_read_the_log(case, users, head, client_for):
    client_for(users["inspection"]).get(case.get_absolute_url())  # one read to show
    superuser = make_user("root", is_superuser=True, is_staff=True)
    url = reverse("inspections:access_log")
    for who in [*users.values(), superuser]:
        assert client_for(who).get(url).status_code == 404, who.username
    page = client_for(head).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert users["inspection"].username in body and "Xem chi tiết" in body
    assert "Nội dung tố cáo" not in body  # the log names records, it does not show them
    assert confidential.access_log(users["inspection"]).count() == 0


def test_case_register_links_the_log_for_heads_only(case, users, head, client_for):
    url = reverse("inspections:access_log")
    assert url in client_for(head).get(reverse("inspections:case_list")).content.decode()
    body = client_for(users["inspection"]).get(reverse("inspections:case_list")).content.decode()
    assert url not in body


# --- Nobody changes the log --------------------------------------------------------------------


def test_no_url_accepts_a_write_to_the_log(case, head, client_for):
    client = client_for(head)
    client.get(case.get_absolute_url())
    before = list(AccessEntry.objects.values())
    url = reverse("inspections:access_log")
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 404, method
    # The log's only page is the read-only one; no other route names it.
    named = [route for route in project_routes().values() if "nhat-ky-truy-cap" in route]
    assert named == ["kiem-tra/nhat-ky-truy-cap/"]
    assert not [route for route in project_routes().values() if "access" in route.lower()]
    assert list(AccessEntry.objects.values()) == before


def test_the_admin_cannot_change_the_log(users):
    superuser = make_user("root", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry.get(AccessEntry)
    if model_admin is None:
        return  # not in the admin at all
    request = RequestFactory().get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_database_refuses_update_and_delete(case, inspector, client_for):
    client_for(inspector).get(case.get_absolute_url())
    entry = AccessEntry.objects.latest("id")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEntry.objects.filter(pk=entry.pk).update(note="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.note == ""


# --- The heads flag on the role page -----------------------------------------------------------


def test_admin_marks_an_inspection_role_as_heading_the_committee(users, client_for):
    inspector = users["inspection"]
    assignment = RoleAssignment.objects.get(user=inspector, role=Role.INSPECTION)
    url = reverse("org:role_user", args=[inspector.pk])
    client = client_for(users["admin"])
    page = client.get(url).content.decode()
    assert "Đánh dấu lãnh đạo Ủy ban" in page
    response = client.post(
        url, {"assignment": assignment.pk, "heads_committee": "1", "reason": "QĐ 12-QĐ/UBKT"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.heads_committee and confidential.heads_committee(inspector)
    entry = LogEntry.objects.get_for_object(assignment).latest("timestamp")
    assert entry.actor == users["admin"] and "heads_committee" in entry.changes_dict
    assert "Bỏ đánh dấu lãnh đạo Ủy ban" in client.get(url).content.decode()
    client.post(url, {"assignment": assignment.pk, "heads_committee": "0"})
    assignment.refresh_from_db()
    assert not assignment.heads_committee


def test_heads_flag_only_on_an_inspection_role_and_only_by_admins(users, client_for):
    staff = users["staff"]
    assignment = RoleAssignment.objects.get(user=staff, role=Role.STAFF)
    url = reverse("org:role_user", args=[staff.pk])
    client = client_for(users["admin"])
    audit = LogEntry.objects.count()
    response = client.post(url, {"assignment": assignment.pk, "heads_committee": "1"}, follow=True)
    assert "Chỉ vai trò Ủy ban Kiểm tra mới có thể là lãnh đạo Ủy ban." in response.content.decode()
    assignment.refresh_from_db()
    assert not assignment.heads_committee and LogEntry.objects.count() == audit
    # Not an administrator: the role page is refused, the flag unchanged.
    inspection = RoleAssignment.objects.get(user=users["inspection"], role=Role.INSPECTION)
    target = reverse("org:role_user", args=[users["inspection"].pk])
    for who in ("staff", "leadership", "inspection", "ward_secretary"):
        response = client_for(users[who]).post(
            target, {"assignment": inspection.pk, "heads_committee": "1"}
        )
        assert response.status_code in (403, 404), who
    inspection.refresh_from_db()
    assert not inspection.heads_committee
