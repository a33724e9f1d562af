"""The global log is a register: filters in the URL, sortable columns, a result count."""

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from longbien.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_the_global_log_filters_by_kind_action_actor_and_period(users, tree, client_for):
    unit = OrgUnit.objects.get(pk=tree.cell_a1.pk)
    unit.name = "Chi bộ đổi tên"
    unit.save()
    client = client_for(users["admin"])
    total = client.get("/nhat-ky/").context["result_count"]
    units = client.get("/nhat-ky/?kind=org.orgunit")
    assert 0 < units.context["result_count"] < total
    expected = LogEntry.objects.filter(
        content_type__app_label="org", content_type__model="orgunit"
    ).count()
    assert units.context["result_count"] == expected
    edits = client.get("/nhat-ky/?kind=org.orgunit&action=1")
    assert any("Chi bộ đổi tên" in str(row.changes) for row in edits.context["rows"])
    assert edits.context["result_count"] < units.context["result_count"]
    assert f"{edits.context['result_count']} kết quả" in edits.content.decode()
    assert client.get("/nhat-ky/?actor=khong-co-ai").context["result_count"] == 0
    this_year = timezone.localdate().year
    assert client.get(f"/nhat-ky/?year={this_year}").context["result_count"] == total
    assert client.get(f"/nhat-ky/?year={this_year - 3}").context["result_count"] == 0


def test_the_global_log_sorts_by_a_column_and_keeps_the_filters(users, tree, client_for):
    client = client_for(users["admin"])
    newest = client.get("/nhat-ky/").context["rows"]
    oldest = client.get("/nhat-ky/?sort=timestamp").context["rows"]
    assert [r.timestamp for r in oldest] == sorted(r.timestamp for r in oldest)
    assert oldest[0].timestamp <= newest[-1].timestamp
    html = client.get("/nhat-ky/?kind=org.orgunit&sort=timestamp").content.decode()
    assert 'name="sort" value="timestamp"' in html  # the sort is kept when filtering again
    assert "sort=-timestamp" in html and "kind=org.orgunit" in html
