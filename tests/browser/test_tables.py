"""A register's table on a phone (390 px): the table scrolls inside its box, never the page,
the low-priority columns are hidden, and the column chooser keeps the user's choice."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from longbien.org.choices import Role, UnitKind
from resolutions import services
from tests.conftest import make_unit, make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-thu-2025"


@pytest.fixture
def staff(transactional_db):
    root = make_unit("QU", UnitKind.DISTRICT_COMMITTEE, name="Quận ủy Thử")
    wards = [
        make_unit(f"P-{n}", UnitKind.WARD_COMMITTEE, root, f"Đảng ủy phường Thử nghiệm số {n}")
        for n in range(1, 4)
    ]
    user = make_user("vanphong", Role.STAFF, root)
    document = services.document_create(
        actor=user, symbol="01-NQ/QU", kind="resolution", issuing_unit=root,
        title="Nghị quyết về chuyển đổi số trong công tác xây dựng Đảng", signed_date=dt.date(2026, 1, 5),
    )  # fmt: skip
    services.task_assign(
        actor=user, document=document, units=wards, deadline=dt.date(2026, 6, 30),
        title="Xây dựng kế hoạch triển khai thực hiện nghị quyết tại đơn vị, báo cáo kết quả",
    )  # fmt: skip
    return user


def test_a_register_at_390_px_scrolls_in_its_box_and_keeps_the_chosen_columns(
    browser, live_server, staff
):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, live_server, "vanphong", PASSWORD)
        page.goto(f"{live_server.url}/nghi-quyet/nhiem-vu/?sort=deadline")
        expect(page.locator(".result-count")).to_contain_text("3")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        box = page.locator(".table-scroll")
        assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        assert box.evaluate("e => e.getBoundingClientRect().right") <= 390
        # The progress column is low priority: hidden on a phone.
        expect(page.locator("th.col-low").first).to_be_hidden()
        expect(page.locator("th", has_text="Thời hạn")).to_be_visible()
        screenshot(page, "tables-tasks-390.png")
        # The column chooser: hide the unit column, and it stays hidden on the next visit.
        page.get_by_text("Cấu hình bảng").click()
        page.locator(".table-config-form input[value='unit']").uncheck()
        with page.expect_navigation():
            page.locator(".table-config-form").get_by_role("button", name="Lưu").click()
        assert "sort=deadline" in page.url
        expect(page.locator("th", has_text="Đơn vị chủ trì")).to_have_count(0)
        page.goto(f"{live_server.url}/nghi-quyet/nhiem-vu/")
        expect(page.locator("th", has_text="Đơn vị chủ trì")).to_have_count(0)
    finally:
        context.close()
