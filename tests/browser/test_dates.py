"""Dates in the browser: typed as dd/mm/yyyy under an English Chromium, and a calendar picker.

Chromium's own ``<input type=date>`` follows the browser's language (mm/dd/yyyy in en-US), so
the portal uses a dd/mm/yyyy text box (longbien.core.widgets.DateInput) that static/js/dates.js
turns into a flatpickr calendar. Screenshots of the open calendar at 1366 and 390 px go to
var/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from longbien.org.choices import Role, UnitKind
from resolutions.models import Document
from tests.conftest import make_unit, make_user

from .conftest import screenshot
from .pickers import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-thu-2025"
CREATE = "/nghi-quyet/van-ban/them/"


@pytest.fixture
def staff(transactional_db):
    root = make_unit("QU", UnitKind.DISTRICT_COMMITTEE, name="Quận ủy Thử")
    return make_user("vanphong", Role.STAFF, root)


def _context(browser, locale: str, width: int) -> Iterator[object]:
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text),
    )
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def english_page(browser):
    yield from _context(browser, "en-US", 1366)


@pytest.fixture
def vietnamese_page(browser):
    yield from _context(browser, "vi-VN", 1366)


def _login(page, live_server) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    page.locator("input[name='username']").fill("vanphong")
    page.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    page.goto(f"{live_server.url}{CREATE}")


def _fill_document(page) -> None:
    form = page.locator("main form.form")
    form.locator("input[name='symbol']").fill("11-NQ/QU")
    form.locator("select[name='kind']").select_option(index=0)
    pick(page, "issuing_unit", "quan uy", "Quận ủy Thử")
    form.locator("textarea[name='title']").fill("Về công tác chuyển đổi số")


def _submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form.form button[type='submit']").click()


def _calendar(page):
    return page.locator(".flatpickr-calendar.open")


def test_an_english_browser_types_and_picks_dd_mm_yyyy(english_page, live_server, staff):
    page = english_page
    _login(page, live_server)
    date_box = page.locator("input[name='signed_date']")
    assert date_box.get_attribute("type") == "text"
    assert date_box.get_attribute("placeholder") == "dd/mm/yyyy"

    # Typed like a user, under en-US: 11/01/2026 is 11 January, not 1 November.
    _fill_document(page)
    date_box.press_sequentially("11/01/2026")
    page.keyboard.press("Tab")
    expect(_calendar(page)).to_have_count(0)  # leaving the box closes the calendar
    expect(date_box).to_have_value("11/01/2026")
    _submit(page)
    assert Document.objects.get().signed_date == dt.date(2026, 1, 11)

    # Picking the 15th in the calendar fills the box as dd/mm/yyyy.
    page.goto(f"{live_server.url}{CREATE}")
    _fill_document(page)
    page.locator("input[name='symbol']").fill("12-NQ/QU")
    date_box.click()
    calendar = _calendar(page)
    expect(calendar).to_be_visible()
    first_weekday = calendar.locator(".flatpickr-weekday").first
    expect(first_weekday).to_have_text("Mon")  # Monday first
    calendar.locator(
        ".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text="15"
    ).first.click()
    today = timezone.localdate()
    picked = today.replace(day=15)
    expect(date_box).to_have_value(picked.strftime("%d/%m/%Y"))
    expect(calendar).to_have_count(0)
    _submit(page)
    assert Document.objects.get(symbol="12-NQ/QU").signed_date == picked
    assert page.csp_errors == []


def test_the_vietnamese_calendar_keeps_typed_text_and_fits_a_phone(
    vietnamese_page, live_server, staff
):
    page = vietnamese_page
    _login(page, live_server)
    date_box = page.locator("input[name='signed_date']")

    # Pasted ISO is accepted and shown back day first. Focus alone (Tab, paste) does not open
    # the calendar over the next fields; a click or Alt+Down does.
    date_box.fill("2026-01-11")
    expect(_calendar(page)).to_have_count(0)
    page.locator("input[name='symbol']").click()
    expect(date_box).to_have_value("11/01/2026")
    date_box.press("Alt+ArrowDown")
    expect(_calendar(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(_calendar(page)).to_have_count(0)

    # Text the calendar cannot read stays, so the server can say what is wrong.
    date_box.fill("31/02/2026")
    page.locator("main h1").click()
    expect(date_box).to_have_value("31/02/2026")
    _fill_document(page)
    _submit(page)
    expect(page.locator("main form.form")).to_contain_text(
        "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026."
    )
    assert not Document.objects.exists()

    # The calendar speaks Vietnamese, Monday first, and fits at 1366 and 390 px.
    date_box.fill("11/01/2026")
    page.locator("main h1").click()
    date_box.click()
    calendar = _calendar(page)
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text("T2")
    expect(calendar.locator(".flatpickr-monthDropdown-months")).to_contain_text("Tháng một")
    expect(calendar.locator(".flatpickr-day.selected")).to_have_text("11")
    screenshot(page, "dates-picker-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("main h1").click()
    date_box.click()
    expect(calendar).to_be_visible()
    box = calendar.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    screenshot(page, "dates-picker-390.png")
    assert page.csp_errors == []
