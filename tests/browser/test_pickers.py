"""Pickers in the browser: a unit typed for without diacritics, and two wards in one field.

The selects of people, documents and units (longbien.core.widgets.AutocompleteSelect) hold only
what is chosen; static/js/pickers.js asks /tra-cuu/<lookup>/ as the user types. Screenshots of
an open picker at 1366 and 390 px go to var/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from longbien.org.choices import Role, UnitKind
from resolutions.models import Document, Task
from tests.conftest import make_unit, make_user

from .conftest import screenshot
from .pickers import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-thu-2025"
CREATE = "/nghi-quyet/van-ban/them/"


@pytest.fixture
def district(transactional_db):
    root = make_unit("QU", UnitKind.DISTRICT_COMMITTEE, name="Quận ủy Thử")
    wards = [
        make_unit(code, UnitKind.WARD_COMMITTEE, root, name)
        for code, name in [
            ("P-BODE", "Đảng ủy phường Bồ Đề"),
            ("P-CUKHOI", "Đảng ủy phường Cự Khối"),
            ("P-GIATHUY", "Đảng ủy phường Gia Thụy"),
        ]
    ]
    make_user("vanphong", Role.STAFF, root)
    return root, wards


def _page(browser, width: int) -> Iterator[object]:
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
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
def wide(browser):
    yield from _page(browser, 1366)


@pytest.fixture
def phone(browser):
    yield from _page(browser, 390)


def _login(page, live_server) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    page.locator("input[name='username']").fill("vanphong")
    page.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()


def _shot(page, name: str) -> None:
    screenshot(page, name)


def test_a_unit_is_typed_for_and_two_wards_are_picked(wide, live_server, district):
    page = wide
    root, wards = district
    _login(page, live_server)
    page.goto(f"{live_server.url}{CREATE}")
    form = page.locator("main form.form")
    form.locator("input[name='symbol']").fill("11-NQ/QU")
    form.locator("select[name='kind']").select_option(index=0)
    form.locator("textarea[name='title']").fill("Về công tác chuyển đổi số")
    form.locator("input[name='signed_date']").fill("11/01/2026")

    # "bo de" (no diacritics) finds "Bồ Đề"; the other wards are not listed.
    box = page.locator("#id_issuing_unit-ts-control")
    box.click()
    box.press_sequentially("bo de")
    options = page.locator("#id_issuing_unit-ts-dropdown .option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Đảng ủy phường Bồ Đề · P-BODE")
    _shot(page, "picker-open-1366.png")
    options.first.click()
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    document = Document.objects.get(symbol="11-NQ/QU")
    assert document.issuing_unit == wards[0]

    # Assigning a task to two wards: typed for one after the other, no Ctrl-click.
    page.goto(f"{live_server.url}/nghi-quyet/van-ban/{document.pk}/giao-viec/")
    page.locator("main form textarea[name='title']").fill("Báo cáo sơ kết")
    page.locator("main form input[name='deadline']").fill("30/06/2026")
    pick(page, "units", "cu khoi", "Cự Khối")
    pick(page, "units", "P-GIA", "Gia Thụy")
    expect(page.locator("#id_units-ts-control").locator("xpath=..").locator(".item")).to_have_count(
        2
    )
    _shot(page, "picker-two-wards-1366.png")
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    assigned = set(Task.objects.filter(document=document).values_list("unit__code", flat=True))
    assert assigned == {"P-CUKHOI", "P-GIATHUY"}
    assert page.csp_errors == []


def test_the_open_picker_fits_a_phone(phone, live_server, district):
    page = phone
    _login(page, live_server)
    page.goto(f"{live_server.url}{CREATE}")
    box = page.locator("#id_issuing_unit-ts-control")
    box.click()
    box.press_sequentially("phuong")
    options = page.locator("#id_issuing_unit-ts-dropdown .option")
    expect(options).to_have_count(3)
    dropdown = page.locator("#id_issuing_unit-ts-dropdown").bounding_box()
    assert dropdown["x"] >= 0 and dropdown["x"] + dropdown["width"] <= 390
    _shot(page, "picker-open-390.png")
    # Sent without the required fields: the banner says nothing was saved, once, at the top.
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    banner = page.locator("main .form-errors")
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text("Chưa lưu được")
    banner.get_by_role("link").click()
    expect(page.locator("input[name='symbol']")).to_be_focused()
    _shot(page, "form-refused-390.png")
    assert page.csp_errors == []
