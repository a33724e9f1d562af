"""The leadership dashboard in the browser: the Standing Committee's user opens it from the
menu, changes the period and the unit, clicks the overdue-tasks tile and lands on the task
register filtered to the same count, then opens a chart's table view.

Records are made through the services on the test tree (district "Quận ủy Thử", wards A and
B): two tasks of a district resolution overdue in ward A (due in Q1 2026), one in ward B (due
in Q3 2026), and dialogues in both wards. Screenshots at 1366 and 390 px wide go to
var/screenshots/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from dialogues import services as dialogue_services
from dialogues.choices import DialogueLevel
from resolutions import services as resolution_services

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "Mat-khau-thu-2025"


@pytest.fixture
def records(tree, users):
    staff = users["staff"]
    document = resolution_services.document_create(
        actor=staff, symbol="01-NQ/QU", kind="resolution", issuing_unit=tree.root,
        title="Nghị quyết về chỉnh trang đô thị", signed_date=dt.date(2026, 1, 10),
    )  # fmt: skip
    for unit, title, deadline in (
        (tree.ward_a, "Lát lại vỉa hè phố Ngọc Lâm", dt.date(2026, 2, 20)),
        (tree.ward_a, "Chỉnh trang chợ Long Biên", dt.date(2026, 3, 10)),
        (tree.ward_b, "Cải tạo vườn hoa", dt.date(2026, 8, 15)),
    ):
        resolution_services.task_assign(
            actor=staff, document=document, units=[unit], title=title, deadline=deadline
        )
    for unit, day in (
        (tree.ward_a, dt.date(2026, 3, 5)),
        (tree.ward_b, dt.date(2026, 5, 2)),
        (tree.ward_a, dt.date(2025, 6, 2)),
    ):
        dialogue_services.dialogue_create(
            actor=staff, level=DialogueLevel.WARD, unit=unit, held_on=day,
            chair="Bí thư Đảng ủy phường", topic="Đối thoại về trật tự đô thị", participants=80,
        )  # fmt: skip


def _both_widths(page, name: str) -> None:
    screenshot(page, f"{name}-1366.png")
    page.set_viewport_size(MOBILE)
    screenshot(page, f"{name}-390.png")
    page.set_viewport_size(DESKTOP)


def _tile_value(page, key: str) -> str:
    return page.locator(f".dash-tile[data-key='{key}'] .dash-tile-value").inner_text()


def test_leadership_reads_the_dashboard_and_drills_down(page, live_server, users, records):
    page.set_viewport_size(DESKTOP)
    login(page, live_server, users["leadership"].username, PASSWORD)
    with page.expect_navigation():
        page.locator("#sidenav").get_by_role("link", name="Bảng điều hành", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Bảng điều hành")
    expect(page.locator("h1")).to_contain_text("Quận ủy Thử")

    # This year (2026), the whole district: three tasks overdue, two dialogues.
    page.locator("form.dash-pickers input[name='year']").fill("2026")
    with page.expect_navigation():
        page.locator("form.dash-pickers").get_by_role("button", name="Xem").click()
    assert _tile_value(page, "tasks_overdue") == "3"
    assert _tile_value(page, "dialogues") == "2"
    expect(page.locator(".dash-tile[data-key='dialogues'] .dash-tile-before")).to_contain_text(
        "cùng kỳ năm trước: 1"
    )
    _both_widths(page, "dashboard-1-district")

    # The first quarter: the two overdue tasks due then, one dialogue.
    page.locator("form.dash-pickers select[name='quarter']").select_option("1")
    with page.expect_navigation():
        page.locator("form.dash-pickers").get_by_role("button", name="Xem").click()
    assert "quarter=1" in page.url and "year=2026" in page.url
    expect(page.locator("h1")).to_contain_text("Quý I năm 2026")
    assert _tile_value(page, "tasks_overdue") == "2"
    assert _tile_value(page, "dialogues") == "1"

    # Ward B over the year: its one overdue task.
    page.locator("form.dash-pickers select[name='quarter']").select_option("")
    page.locator("form.dash-pickers select[name='unit']").select_option("P-B")
    with page.expect_navigation():
        page.locator("form.dash-pickers").get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_contain_text("Bình Minh")
    assert "unit=P-B" in page.url
    assert _tile_value(page, "tasks_overdue") == "1"

    # Ward A over the year; the overdue-tasks tile opens the register with the same count.
    page.locator("form.dash-pickers select[name='unit']").select_option("P-A")
    with page.expect_navigation():
        page.locator("form.dash-pickers").get_by_role("button", name="Xem").click()
    assert _tile_value(page, "tasks_overdue") == "2"
    _both_widths(page, "dashboard-2-ward-a")
    with page.expect_navigation():
        page.locator(".dash-tile[data-key='tasks_overdue'] a.dash-tile-link").click()
    assert "/nhiem-vu/" in page.url or "result=overdue" in page.url
    assert "unit=P-A" in page.url
    expect(page.locator(".result-count")).to_have_attribute("data-count", "2")
    expect(page.locator("main")).to_contain_text("Lát lại vỉa hè phố Ngọc Lâm")
    expect(page.locator("main")).not_to_contain_text("Cải tạo vườn hoa")
    page.go_back()

    # A chart's table view: folded, opened by its summary, with the figures.
    chart = page.locator(".dash-chart").first
    table = chart.locator("details.chart-table-view table")
    expect(table).to_be_hidden()
    chart.get_by_text("Xem dạng bảng").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()
    _both_widths(page, "dashboard-3-table-view")
