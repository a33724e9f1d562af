"""Leaks closed on the read path: the audit log, the admin home's recent changes, briefings."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry

from longbien.core import selectors as home
from longbien.org import scope, services
from longbien.org.choices import Role
from resolutions import services as resolution_services
from resolutions.choices import BriefingKind
from resolutions.models import BriefingIssue
from tests.conftest import make_user
from tests.resolutions.factories import make_document


@pytest.fixture
def changes(tree, users):
    """A person added in each ward, and a term (a record with no unit)."""
    staff = users["staff"]
    services.person_create(
        actor=staff, code="AU-A", full_name="Lê Thị Thu Hà", sex="female", unit=tree.cell_a1
    )
    services.person_create(
        actor=staff, code="AU-B", full_name="Đỗ Văn Khải", sex="male", unit=tree.cell_b1
    )
    services.term_create(
        actor=users["admin"], code="NK-T", name="Nhiệm kỳ thử", start_date=dt.date(2025, 10, 1),
        end_date=dt.date(2030, 9, 30),
    )  # fmt: skip


@pytest.fixture
def ward_admin(tree):
    return make_user("admin_a", Role.ADMIN, tree.ward_a)


def _records(entries) -> set[str]:
    return {entry.object_repr for entry in entries}


def test_a_ward_admin_reads_only_the_changes_of_its_ward(changes, ward_admin, client_for):
    entries = _records(scope.restrict_audit(LogEntry.objects.all(), ward_admin))
    assert any("Thu Hà" in r for r in entries)
    assert not any("Văn Khải" in r for r in entries)
    assert not any("Nhiệm kỳ thử" in r for r in entries)  # no unit: whole-tree admins only
    page = client_for(ward_admin).get("/nhat-ky/").content.decode()
    assert "Thu Hà" in page
    assert "Văn Khải" not in page and "Nhiệm kỳ thử" not in page


def test_a_whole_tree_admin_reads_every_change(changes, users, tree):
    for admin in (users["admin"], make_user("root", is_superuser=True)):
        entries = _records(scope.restrict_audit(LogEntry.objects.all(), admin))
        assert any("Thu Hà" in r for r in entries)
        assert any("Văn Khải" in r for r in entries)
        assert any("Nhiệm kỳ thử" in r for r in entries)


def test_no_audit_scope_reads_no_change(changes, users):
    for name in ("leadership", "ward_secretary", "no_role"):
        assert not scope.restrict_audit(LogEntry.objects.all(), users[name]).exists()


def test_the_admin_home_recent_changes_are_narrowed_too(changes, ward_admin, users, client_for):
    recent = _records(home.home_summary(user=ward_admin)["recent_audit"])
    assert any("Thu Hà" in r for r in recent)
    assert not any("Văn Khải" in r or "Nhiệm kỳ thử" in r for r in recent)
    page = client_for(ward_admin).get("/").content.decode()
    assert "Văn Khải" not in page
    district = _records(home.home_summary(user=users["admin"])["recent_audit"])
    assert any("Văn Khải" in r for r in district)


def test_a_ward_briefing_page_lists_only_the_tasks_of_the_wards_one_sees(tree, users, client_for):
    document = make_document(users["staff"], tree.root)
    briefing = resolution_services.briefing_record(
        actor=users["staff"], unit=tree.ward_a, kind=BriefingKind.THEMATIC,
        held_on=dt.date(2026, 1, 15), attendees="Bí thư các chi bộ",
        issues=[{"text": "Vệ sinh môi trường", "conclusion": "Hai phường cùng làm"}],
    )  # fmt: skip
    issue = BriefingIssue.objects.get(briefing=briefing)
    resolution_services.briefing_issue_to_task(
        actor=users["staff"], issue=issue, document=document, units=[tree.ward_a, tree.ward_b],
        deadline=dt.date(2026, 3, 1),
    )  # fmt: skip
    page = client_for(users["ward_secretary"]).get(briefing.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert tree.ward_a.name in text
    assert tree.ward_b.name not in text
    district_view = client_for(users["staff"]).get(briefing.get_absolute_url()).content.decode()
    assert tree.ward_b.name in district_view
