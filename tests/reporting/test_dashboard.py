"""The leadership dashboard's page, Excel export, print view and API.

Hand-counted records, made through the apps' services (today is the real date, after the
deadlines used):

- dialogues: ward A on 05/03/2026 and 10/08/2026 and on 20/11/2025 (last year, inside the
  2025–2030 term); ward B on 02/05/2026. So 2026: district 3, ward A 2, ward B 1; Q1 2026:
  district 1; 2025: 1; the term: 4.
- one task of the district's resolution assigned to ward A, due 15/03/2026, not done: overdue.

A ward secretary's dashboard is ward A's: ward B is a 404, and ward B's name appears nowhere
(tiles, comparison chart: ward A beside the district's reference line only).
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.choices import DialogueLevel
from longbien.core.models import FigureCache
from longbien.org.choices import UnitKind
from longbien.org.models import Term
from longbien.reporting import charts
from longbien.reporting import services as report_services
from resolutions import services as resolution_services
from tests.conftest import make_unit

pytestmark = pytest.mark.django_db

PAGE = "reporting:dashboard"
WARD_B_NAME = "Bình Minh"


def _dialogue(actor, unit, day: dt.date, topic: str = "Đối thoại về trật tự đô thị"):
    return dialogue_services.dialogue_create(
        actor=actor, level=DialogueLevel.WARD, unit=unit, held_on=day,
        chair="Bí thư Đảng ủy phường", topic=topic, participants=80,
    )  # fmt: skip


@pytest.fixture
def records(tree, users):
    staff = users["staff"]
    for unit, day in (
        (tree.ward_a, dt.date(2026, 3, 5)),
        (tree.ward_a, dt.date(2026, 8, 10)),
        (tree.ward_a, dt.date(2025, 11, 20)),
        (tree.ward_b, dt.date(2026, 5, 2)),
    ):
        _dialogue(staff, unit, day)  # fmt: skip
    document = resolution_services.document_create(
        actor=staff, symbol="01-NQ/QU", kind="resolution", issuing_unit=tree.root,
        title="Nghị quyết về chỉnh trang đô thị", signed_date=dt.date(2026, 1, 10),
    )  # fmt: skip
    resolution_services.task_assign(
        actor=staff, document=document, units=[tree.ward_a], title="Lát lại vỉa hè",
        deadline=dt.date(2026, 3, 15),
    )  # fmt: skip
    Term.objects.create(code="2025-2030", name="Nhiệm kỳ 2025-2030",
                        start_date=dt.date(2025, 10, 1), end_date=dt.date(2030, 9, 30))  # fmt: skip
    return document


def _get(client, query: str = "", name: str = PAGE):
    return client.get(reverse(name) + (f"?{query}" if query else ""))


def _tiles(response) -> dict:
    return {tile.key: tile for tile in response.context["dashboard"].tiles}


def test_tiles_for_the_district_and_for_ward_a(client_for, users, tree, records):
    client = client_for(users["leadership"])
    response = _get(client, "year=2026&unit=QU")
    assert response.status_code == 200
    tiles = _tiles(response)
    assert tiles["dialogues"].value.count == 3
    assert tiles["dialogues"].before.count == 1  # 2025
    assert tiles["dialogues"].change == "up"
    assert tiles["tasks_overdue"].value.count == 1
    content = response.content.decode()
    assert "cùng kỳ năm trước: 1" in content
    assert "tăng" in content  # the arrow is said in words, not by colour only

    tiles = _tiles(_get(client, "year=2026&unit=P-A"))
    assert tiles["dialogues"].value.count == 2
    assert tiles["tasks_overdue"].value.count == 1
    tiles = _tiles(_get(client, "year=2026&unit=P-B"))
    assert tiles["dialogues"].value.count == 1
    assert tiles["tasks_overdue"].value.count == 0
    assert tiles["dialogues"].change == "up"  # 0 in 2025


def test_the_period_picker_changes_the_figures(client_for, users, records):
    client = client_for(users["leadership"])
    for query, dialogues in (
        ("year=2026&quarter=1", 1),
        ("year=2026&half=2", 1),
        ("year=2025", 1),
        ("term=2025-2030", 4),
        ("year=2026", 3),
    ):
        response = _get(client, f"{query}&unit=QU")
        assert _tiles(response)["dialogues"].value.count == dialogues, query
    response = _get(client, "year=2026&quarter=1&unit=QU")
    assert response.context["dashboard"].period.start == dt.date(2026, 1, 1)
    assert response.context["dashboard"].period.end == dt.date(2026, 3, 31)
    # Bookmarkable: the export and print links carry the same period and unit.
    assert "quarter=1" in response.context["export_url"]
    assert "unit=QU" in response.context["print_url"]


@pytest.mark.parametrize(
    "query, message",
    [("year=abc", "Năm “abc” không hợp lệ"), ("year=2026&quarter=7", "Quý “7” không hợp lệ"),
     ("term=1990", "Không có nhiệm kỳ “1990”")],
)  # fmt: skip
def test_an_invalid_period_is_said_and_this_year_shown(client_for, users, records, query, message):
    response = _get(client_for(users["leadership"]), f"{query}&unit=QU")
    assert response.status_code == 200
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(message in m for m in said), said
    assert response.context["dashboard"].period.start == dt.date(2026, 1, 1)
    assert _tiles(response)["dialogues"].value.count == 3


def test_a_ward_secretary_sees_their_ward_only(client_for, users, tree, records):
    client = client_for(users["ward_secretary"])
    response = _get(client, "year=2026")  # no unit: their own ward
    assert response.status_code == 200
    assert response.context["dashboard"].unit == tree.ward_a
    tiles = _tiles(response)
    assert tiles["dialogues"].value.count == 2
    assert tiles["tasks_overdue"].value.count == 1
    content = response.content.decode()
    assert WARD_B_NAME not in content
    compared = [f for f in response.context["dashboard"].charts
                if f.chart.kind == charts.Kind.COMPARISON]  # fmt: skip
    assert compared
    for figure in compared:
        assert [bar.label for bar in figure.chart.bars] == [tree.ward_a.name]
        assert figure.chart.reference_label == f"Toàn {tree.root.name}"
        labels = {row.label for row in figure.table.rows}
        assert not any(WARD_B_NAME in label for label in labels)
    assert [u.code for u in response.context["units"]] == ["P-A"]
    for code in ("P-B", "QU", "NOPE"):
        assert _get(client, f"year=2026&unit={code}").status_code == 404
        assert _get(client, f"unit={code}", "reporting:dashboard_export").status_code == 404
        answer = _get(client, f"unit={code}", "api:reporting-dashboard")
        assert answer.status_code == 400
        assert answer.json() == {"unit": ["Không có đơn vị này trong phạm vi của bạn."]}


def test_roles_without_the_reports_area_are_refused(client_for, users, records):
    for role in ("inspection", "mass_mobilisation", "no_role"):
        client = client_for(users[role])
        assert _get(client, "year=2026").status_code == 403
        assert _get(client, "year=2026", "api:reporting-dashboard").status_code == 403


@pytest.mark.parametrize("key, count", [("tasks_overdue", 1), ("dialogues", 3)])
def test_a_tile_opens_the_records_it_counts(client_for, users, records, key, count):
    client = client_for(users["leadership"])
    tile = _tiles(_get(client, "year=2026&unit=QU"))[key]
    assert tile.value.count == count
    assert (
        f'href="{tile.url}"'.replace("&", "&amp;")
        in _get(client, "year=2026&unit=QU").content.decode()
    )
    parts = urlsplit(tile.url)
    assert parse_qs(parts.query)["unit"] == ["QU"]
    assert parse_qs(parts.query)["start"] == ["01/01/2026"]  # as the date box shows it
    register = client.get(tile.url)
    assert register.status_code == 200
    assert register.context["result_count"] == count


def test_exceptions_and_late_reports(client_for, users, tree, records):
    # Before the portal holds any quarterly report, none is owed (nothing is "late" from
    # before it was used); the quarter's opening (beat) creates the first ones.
    response = _get(client_for(users["leadership"]), "year=2026&unit=QU")
    assert response.context["dashboard"].late_reports == []
    report_services.report_open(
        actor=users["ward_secretary"], unit=tree.ward_a, year=2026, quarter=1
    )
    response = _get(client_for(users["leadership"]), "year=2026&unit=QU")
    sections = {s.key: s for s in response.context["dashboard"].exceptions}
    assert sections["tasks.overdue"].count == 1
    # Leadership reads the late work others answer for: every exception list is there.
    assert set(sections) == {
        "tasks.overdue", "inspections.follow_ups_overdue", "dialogues.commitments_overdue",
        "dialogues.cases_due",
    }  # fmt: skip
    content = response.content.decode()
    assert "Lát lại vỉa hè" in content
    assert "Xem tất cả (1)" in content
    # Every reporting ward is late with the quarters of 2026 already due (none was sent; ward
    # A's first report is opened, not sent).
    late = response.context["dashboard"].late_reports
    assert {r.unit.code for r in late} == {"P-A", "P-B"}
    assert len(late) == 6  # Q1–Q3 of 2026 for both wards (Q4's deadline is in January)
    assert response.context["late_more"] == 0
    assert "Đơn vị chậm báo cáo quý" in content


def test_the_export_holds_the_tiles(client_for, users, records):
    client = client_for(users["leadership"])
    response = _get(client, "year=2026&unit=QU", "reporting:dashboard_export")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bang-dieu-hanh-QU-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Đối thoại với Nhân dân"][1:3] == (3, 1)
    assert rows["Nhiệm vụ quá hạn"][1] == 1
    assert (
        "/dan-van/" in rows["Đối thoại với Nhân dân"][4]
        or "unit=QU" in rows["Đối thoại với Nhân dân"][4]
    )
    assert rows["Đối thoại với Nhân dân"][4].startswith("http://testserver/")
    # An invalid period: no file, the message on the dashboard.
    response = _get(client, "year=abc&unit=QU", "reporting:dashboard_export")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(PAGE))


def test_the_print_view_has_no_menus_and_open_tables(client_for, users, records):
    response = _get(client_for(users["leadership"]), "year=2026&unit=QU",
                    "reporting:dashboard_print")  # fmt: skip
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="sidenav"' not in content
    assert "chart-table-view" not in content  # every chart's table is printed open
    assert content.count('<figure class="chart-figure">') == len(
        response.context["dashboard"].charts
    )
    assert "Đối thoại với Nhân dân" in content


def test_the_api_gives_the_same_tiles(client_for, users, records):
    client = client_for(users["leadership"])
    page = _tiles(_get(client, "year=2026&unit=QU"))
    response = _get(client, "year=2026&unit=QU", "api:reporting-dashboard")
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"label": "Năm 2026", "start": "2026-01-01", "end": "2026-12-31"}
    assert data["unit"]["code"] == "QU"
    tiles = {tile["key"]: tile for tile in data["tiles"]}
    assert set(tiles) == set(page)
    assert tiles["dialogues"]["value"] == 3 and tiles["dialogues"]["before"] == 1
    assert tiles["tasks_overdue"]["value"] == 1
    for key, tile in page.items():
        assert tiles[key]["url"] == tile.url
        assert tiles[key]["shown"] == tile.shown
    assert {e["key"] for e in data["exceptions"]} >= {"tasks.overdue"}
    assert all(chart["rows"] for chart in data["charts"])
    bad = _get(client, "year=2026&quarter=9", "api:reporting-dashboard")
    assert bad.status_code == 400
    assert "quarter" in bad.json()


def test_the_navigation_offers_the_dashboard(client_for, users):
    content = client_for(users["leadership"]).get(reverse("home")).content.decode()
    assert f'href="{reverse(PAGE)}"' in content
    assert "Bảng điều hành" in content


def _queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert _get(client, query).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_records(client_for, users, tree, records):
    client = client_for(users["leadership"])
    staff = users["staff"]

    def more(count: int, start: int) -> None:
        for number in range(start, start + count):
            unit = tree.ward_a if number % 2 else tree.ward_b
            _dialogue(staff, unit, dt.date(2026, 4, number + 1), f"Đối thoại số {number}")
            resolution_services.task_assign(
                actor=staff, document=records, units=[unit], title=f"Việc số {number}",
                deadline=dt.date(2026, 2, number + 1),
            )  # fmt: skip

    def cold_and_kept() -> tuple[int, int]:
        """The queries with no figure kept (after a change) and with every figure kept."""
        FigureCache.objects.all().delete()
        return _queries(client, "year=2026&unit=QU"), _queries(client, "year=2026&unit=QU")

    more(2, 0)
    _queries(client, "year=2026&unit=QU")  # warm the caches (content types, terms)
    few = cold_and_kept()
    assert _tiles(_get(client, "year=2026&unit=QU"))["dialogues"].value.count == 5
    more(4, 2)
    # The new records show at once (their tables changed: the kept figures are not used).
    assert _tiles(_get(client, "year=2026&unit=QU"))["dialogues"].value.count == 9
    many = cold_and_kept()
    assert many == few
    assert few[1] < few[0]


def test_the_query_count_does_not_grow_with_the_units(client_for, users, tree, records):
    """Kept figures are read in one go for every unit compared: more wards, the same queries."""
    client = client_for(users["leadership"])
    _queries(client, "year=2026&unit=QU")
    _queries(client, "year=2026&unit=QU")
    two_wards = _queries(client, "year=2026&unit=QU")
    for number in range(3):
        make_unit(f"P-N{number}", UnitKind.WARD_COMMITTEE, tree.root, f"Phường mới {number}")
    _queries(client, "year=2026&unit=QU")
    five_wards = _queries(client, "year=2026&unit=QU")
    assert five_wards == two_wards


def test_warming_keeps_every_figure_the_dashboard_reads(client_for, users, tree, records):
    """After the beat task has run, the dashboard computes nothing: every figure is kept."""
    from longbien.reporting import tasks

    assert tasks.warm_dashboards_task.run() > 0
    kept = FigureCache.objects.count()
    assert kept
    client = client_for(users["leadership"])
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as captured:
        assert _get(client, f"year={year}&unit=QU").status_code == 200
    assert FigureCache.objects.count() == kept  # nothing new computed
    assert not [q for q in captured.captured_queries if "INSERT INTO core_figurecache" in q["sql"]]
