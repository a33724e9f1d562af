"""Each demo login lands on a Vietnamese home page showing what its role may see, and no more."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from longbien.org.demo import DEMO_PASSWORD, DEMO_USERS, load_long_bien
from longbien.org.models import OrgUnit

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERNAMES = [row[0] for row in DEMO_USERS]
FULL_NAMES = {row[0]: f"{row[1]} {row[2]}" for row in DEMO_USERS}
WARD_USERS = {"bithu.bode", "canbo.bode"}

# The home-page cards each role must see; every other card must be absent.
CARDS = {
    "admin": {"Các Đảng ủy phường", "Văn phòng Quận ủy", "Thay đổi gần đây"},
    "vanphong": {"Văn phòng Quận ủy"},
    "thuongvu": {"Các Đảng ủy phường"},
    "kiemtra": {"Ủy ban Kiểm tra"},
    "danvan": {"Dân vận"},
    "bithu.bode": {"Việc của phường"},
    "canbo.bode": {"Việc của phường"},
}
ALL_CARDS = set().union(*CARDS.values())
EVERYONE_NAV = ["Trang chủ", "Cây tổ chức", "Nhiệm kỳ"]
# The people register is personal data: mass-mobilisation staff do not get it.
PEOPLE_NAV = "Cán bộ, đảng viên"
# The API docs are for those who use the API: the whole-district administrator here.
ADMIN_NAV = ["Nhật ký hệ thống", "Trang quản trị", "Tài liệu API"]


@pytest.fixture
def demo(transactional_db):
    return load_long_bien(people_per_cell=2)


def test_every_role_is_listed():
    assert set(CARDS) == set(USERNAMES)


@pytest.mark.parametrize("username", USERNAMES)
def test_role_home(page, live_server, demo, username):
    login(page, live_server, username, DEMO_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    heading = page.locator("main h1")
    expect(heading).to_have_text(f"Xin chào, {FULL_NAMES[username]}")
    assert heading.inner_text().startswith("Xin chào")
    expect(page).to_have_title(re.compile(r"^Trang chủ · Quận ủy Long Biên$"))

    nav = page.locator("#sidenav")
    for label in EVERYONE_NAV:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    people = nav.get_by_role("link", name=PEOPLE_NAV, exact=True)
    expect(people).to_have_count(0 if username == "danvan" else 1)
    for label in ADMIN_NAV:
        link = nav.get_by_role("link", name=label, exact=True)
        if username == "admin":
            expect(link).to_be_visible()
        else:
            expect(link).to_have_count(0)

    picker = page.locator("#unit-picker")
    expect(picker).to_be_visible()
    options = picker.locator("option").all_inner_texts()
    assert "Toàn bộ phạm vi của tôi" in options[0]
    assert any("Đảng ủy phường Bồ Đề" in o for o in options)
    ward_options = [o for o in options if "Đảng ủy phường" in o]
    if username in WARD_USERS:
        assert ward_options == ["Đảng ủy phường Bồ Đề"], options
        assert not any("Cự Khối" in o for o in options)
        assert any(o.startswith("— Chi bộ Tổ dân phố số 1 phường Bồ Đề") for o in options)
    else:
        assert "Quận ủy Long Biên" in options
        assert any("Đảng ủy phường Cự Khối" in o for o in options)
        assert len(ward_options) == 14

    # The work comes first: every role has its work list, with unread notifications in it.
    expect(page.locator("main h2").first).to_have_text("Việc cần làm")
    expect(page.locator("#work-notifications h3")).to_contain_text("Thông báo chưa đọc")

    cards = set(page.locator("main .card h2").all_inner_texts())
    assert cards & ALL_CARDS == CARDS[username]

    stats = dict(
        zip(
            page.locator(".stat .label").all_inner_texts(),
            page.locator(".stat .num").all_inner_texts(),
            strict=True,
        )
    )
    wards = "1" if username in WARD_USERS else "14"
    assert stats["Đảng ủy phường"] == wards
    cells = OrgUnit.objects.filter(
        code__startswith="CB-BODE-" if username in WARD_USERS else "CB-"
    ).count()
    assert stats["chi bộ"] == str(cells)

    if username == "admin":
        actions = set(page.locator("main table.compact td:nth-child(3)").all_inner_texts())
        assert actions, "the demo load is audited, so recent changes are listed"
        assert not actions & {"create", "update", "delete", "access"}, actions

    screenshot(page, f"home-{username}.png")


def test_wrong_password_shows_vietnamese_error(page, live_server, demo):
    login(page, live_server, "vanphong", "sai-mat-khau")

    expect(page).to_have_url(re.compile(r"/dang-nhap/$"))
    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.")).to_be_visible()
    expect(page.locator("#sidenav")).to_have_count(0)
    # A failed login saves nothing: no "could not save" form banner.
    expect(page.get_by_text("Chưa lưu được")).to_have_count(0)
    screenshot(page, "login-wrong-password.png")


def test_search_without_diacritics(page, live_server, demo):
    login(page, live_server, "vanphong", DEMO_PASSWORD)

    box = page.locator("header input#q")
    box.fill("thuong thanh")
    with page.expect_navigation():
        box.press("Enter")

    expect(page).to_have_url(re.compile(r"/tim-kiem/\?q=thuong\+thanh$"))
    hit = page.locator("main .hits").get_by_role("link", name="Đảng ủy phường Thượng Thanh")
    expect(hit).to_be_visible()
    screenshot(page, "search-thuong-thanh.png")


def test_no_console_errors_or_csp_violations(page, live_server, demo):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    # Report any blocked inline script or style explicitly (init scripts are not subject to CSP).
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )

    response = page.goto(f"{live_server.url}/dang-nhap/")
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp

    login(page, live_server, "admin", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")

    assert errors == []
