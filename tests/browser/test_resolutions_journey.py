"""The resolutions journey in the browser: issue, assign to two wards, report, fall overdue.

Staff (``vanphong``) register a resolution and assign one task to two wards; the Bồ Đề ward
secretary reports 60% with an evidence PDF; two days after the deadline both tasks show on the
overdue board, and the secretary's board shows only Bồ Đề. Everything goes through the pages, in
Vietnamese, against the live server; the clock is moved by patching ``timezone.localdate``
(the live server runs in a thread of this process, so the patch reaches it).
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from longbien.deadlines import add_working_days
from longbien.org.demo import DEMO_PASSWORD, load_long_bien
from resolutions.models import Document, Task, TaskUpdate

from .conftest import login, screenshot
from .pickers import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODE = "Đảng ủy phường Bồ Đề"
CUKHOI = "Đảng ủy phường Cự Khối"
SYMBOL = "07-NQ/QU"
DOC_TITLE = "Về đẩy mạnh chuyển đổi số trong công tác xây dựng Đảng giai đoạn 2025–2030"
TASK_TITLE = "Tổ chức quán triệt và xây dựng kế hoạch chuyển đổi số của đảng bộ phường"
NOTE = "Đã quán triệt tới 100% chi bộ; đang hoàn thiện kế hoạch."
# A small but real PDF: the attachment check detects the type from the content.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def demo(transactional_db):
    return load_long_bien(people_per_cell=2)


def _nav(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("#sidenav").get_by_role("link", name=label, exact=True).click()


def _submit(page, label: str = "Lưu") -> None:
    with page.expect_navigation():
        page.locator("main form.form").get_by_role("button", name=label, exact=True).click()


def _logout(page) -> None:
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(page.locator("#sidenav")).to_have_count(0)


def _messages(page) -> str:
    return " ".join(page.locator("main ul.messages li").all_inner_texts())


def _task_rows(page):
    return page.locator("main table tbody tr")


def _row_for(page, unit: str):
    return _task_rows(page).filter(has=page.get_by_role("cell", name=unit, exact=True))


def _fill_document(page, symbol: str, signed: dt.date) -> None:
    form = page.locator("main form.form")
    form.locator("input[name='symbol']").fill(symbol)
    form.locator("select[name='kind']").select_option(label="Nghị quyết")
    pick(page, "issuing_unit", "quan uy long bien", "Quận ủy Long Biên")
    form.locator("textarea[name='title']").fill(DOC_TITLE)
    form.locator("input[name='signed_date']").fill(signed.isoformat())
    form.locator("input[name='signer']").fill("Bí thư Quận ủy")


def _fill_assignment(page, units: list[str], deadline: dt.date) -> None:
    form = page.locator("main form.form")
    form.locator("textarea[name='title']").fill(TASK_TITLE)
    for unit in units:
        pick(page, "units", unit.removeprefix("Đảng ủy phường "), unit)
    form.locator("input[name='deadline']").fill(deadline.isoformat())


def test_issue_assign_report_and_fall_overdue(page, live_server, demo, tmp_path):
    today = timezone.localdate()
    signed = today - dt.timedelta(days=7)
    # The next working day, so it is its own effective deadline whatever day the test runs.
    deadline = add_working_days(today, 1)

    # 1. Staff register the resolution.
    login(page, live_server, "vanphong", DEMO_PASSWORD)
    _nav(page, "Văn bản, nghị quyết")
    expect(page.locator("main h1")).to_have_text("Nghị quyết, kết luận và văn bản chỉ đạo")
    with page.expect_navigation():
        page.get_by_role("link", name="+ Thêm văn bản").click()
    expect(page.locator("main h1")).to_have_text("Thêm văn bản")
    _fill_document(page, SYMBOL, signed)
    _submit(page)

    document = Document.objects.get()
    expect(page).to_have_url(f"{live_server.url}/nghi-quyet/van-ban/{document.pk}/")
    assert f"Đã ghi văn bản {SYMBOL}." in _messages(page)
    expect(page.locator("main h1")).to_contain_text(f"Nghị quyết {SYMBOL}")
    expect(page.locator("main h1 small")).to_have_text(DOC_TITLE)
    facts = page.locator("main dl.facts")
    expect(facts).to_contain_text("Quận ủy Long Biên (Cấp quận)")
    expect(facts).to_contain_text("Đã ban hành")
    expect(facts).to_contain_text(f"năm {signed.year}")
    expect(page.get_by_text("Chưa giao nhiệm vụ nào.")).to_be_visible()
    assert (document.kind, document.number, document.kind_code, document.issuer_code) == (
        "resolution",
        7,
        "NQ",
        "QU",
    )
    screenshot(page, "resolutions-1-document.png")

    # 2. One task for two wards, due tomorrow.
    with page.expect_navigation():
        page.locator("main .tools").get_by_role("link", name="Giao nhiệm vụ", exact=True).click()
    expect(page.locator("main h1")).to_have_text(f"Giao nhiệm vụ thực hiện {SYMBOL}")
    _fill_assignment(page, [BODE, CUKHOI], deadline)
    _submit(page, "Giao nhiệm vụ")

    expect(page).to_have_url(f"{live_server.url}/nghi-quyet/van-ban/{document.pk}/")
    assert "Đã giao 2 nhiệm vụ." in _messages(page)
    tasks_card = page.locator("main section.card").filter(
        has=page.get_by_role("heading", name="Nhiệm vụ triển khai")
    )
    rows = tasks_card.locator("tbody tr")
    expect(rows).to_have_count(2)
    for unit in (BODE, CUKHOI):
        row = rows.filter(has=page.get_by_role("cell", name=unit, exact=True))
        expect(row).to_have_count(1)
        expect(row).to_contain_text(TASK_TITLE)
        expect(row).to_contain_text(deadline.strftime("%d/%m/%Y"))
        expect(row).to_contain_text("Chưa thực hiện")
        expect(row).not_to_contain_text("quá hạn")
    timeline = page.locator("main ol.timeline")
    expect(timeline.locator("li").filter(has_text="Giao việc")).to_have_count(2)
    assert Task.objects.filter(document=document).count() == 2
    bode_task = Task.objects.get(unit__code="P-BODE")
    cukhoi_task = Task.objects.get(unit__code="P-CUKHOI")
    screenshot(page, "resolutions-2-assigned.png")
    _logout(page)

    # 3. The Bồ Đề secretary reports 60% with an evidence file.
    login(page, live_server, "bithu.bode", DEMO_PASSWORD)
    _nav(page, "Nhiệm vụ triển khai")
    expect(page.locator("main h1")).to_contain_text("Nhiệm vụ triển khai")
    expect(_task_rows(page)).to_have_count(1)
    expect(_row_for(page, BODE)).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("Cự Khối")
    screenshot(page, "resolutions-3-ward-task-list.png")

    with page.expect_navigation():
        _row_for(page, BODE).get_by_role("link", name=TASK_TITLE).click()
    expect(page).to_have_url(f"{live_server.url}/nghi-quyet/nhiem-vu/{bode_task.pk}/")
    expect(page.locator("main h1")).to_have_text(TASK_TITLE)
    expect(page.get_by_text("Chưa có báo cáo.")).to_be_visible()
    evidence = tmp_path / "bien-ban-quan-triet.pdf"
    evidence.write_bytes(PDF)
    form = page.locator("main form.form")
    form.locator("input[name='progress']").fill("60")
    form.locator("textarea[name='note']").fill(NOTE)
    form.locator("input[name='evidence']").set_input_files(str(evidence))
    _submit(page, "Gửi báo cáo")

    expect(page).to_have_url(f"{live_server.url}/nghi-quyet/nhiem-vu/{bode_task.pk}/")
    assert "Đã ghi báo cáo tiến độ." in _messages(page)
    expect(page.locator("main dl.facts")).to_contain_text("60% · Đang thực hiện")
    reports = page.locator("main section.card").filter(
        has=page.get_by_role("heading", name="Các lần báo cáo")
    )
    report_rows = reports.locator("tbody tr")
    expect(report_rows).to_have_count(1)
    expect(report_rows.first).to_contain_text("60%")
    expect(report_rows.first).to_contain_text(NOTE)
    expect(report_rows.first).to_contain_text("Hoàng Văn Dũng")
    expect(report_rows.first.get_by_role("link", name="bien-ban-quan-triet.pdf")).to_be_visible()
    bode_task.refresh_from_db()
    assert (bode_task.progress, bode_task.status) == (60, "in_progress")
    assert TaskUpdate.objects.filter(task=bode_task).count() == 1
    screenshot(page, "resolutions-3-progress.png")

    # The Cự Khối task is out of the secretary's scope, even by its address.
    response = page.goto(f"{live_server.url}/nghi-quyet/nhiem-vu/{cukhoi_task.pk}/")
    assert response is not None and response.status == 404
    _nav(page, "Nhiệm vụ triển khai")
    row = _row_for(page, BODE)
    expect(row).to_contain_text("60%")
    expect(row).to_contain_text("Đang thực hiện")
    _logout(page)

    # 4. Two days after the deadline, both tasks are overdue.
    later = deadline + dt.timedelta(days=2)
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        login(page, live_server, "vanphong", DEMO_PASSWORD)
        _nav(page, "Nhiệm vụ quá hạn")
        expect(page.locator("main h1")).to_have_text("Bảng nhiệm vụ quá hạn")
        expect(page.locator("main p.muted").first).to_contain_text("2 nhiệm vụ quá hạn")
        boards = page.locator("main section.card")
        expect(boards).to_have_count(2)
        for unit, progress in ((BODE, "60%"), (CUKHOI, "0%")):
            board = boards.filter(has=page.get_by_role("heading", name=re.compile(unit)))
            expect(board).to_have_count(1)
            expect(board.locator("h2 .badge")).to_have_text("1")
            overdue_row = board.locator("tbody tr.overdue")
            expect(overdue_row).to_have_count(1)
            expect(overdue_row).to_contain_text(TASK_TITLE)
            expect(overdue_row).to_contain_text(SYMBOL)
            expect(overdue_row.locator("td").nth(2)).to_have_text(deadline.strftime("%d/%m/%Y"))
            expect(overdue_row.locator("td").nth(3)).to_have_text("2")
            expect(overdue_row.locator("td").nth(4)).to_have_text(progress)
        screenshot(page, "resolutions-4-overdue-district.png")

        # The register and the document page count the overdue tasks too.
        _nav(page, "Văn bản, nghị quyết")
        doc_row = page.locator("main table tbody tr").filter(has_text=SYMBOL)
        expect(doc_row.locator(".badge.red")).to_have_text("2 quá hạn")
        _logout(page)

        login(page, live_server, "bithu.bode", DEMO_PASSWORD)
        _nav(page, "Nhiệm vụ quá hạn")
        expect(page.locator("main p.muted").first).to_contain_text("1 nhiệm vụ quá hạn")
        boards = page.locator("main section.card")
        expect(boards).to_have_count(1)
        expect(boards.locator("h2")).to_contain_text(BODE)
        expect(boards.locator("tbody tr.overdue")).to_contain_text("60%")
        expect(page.locator("main")).not_to_contain_text("Cự Khối")
        screenshot(page, "resolutions-4-overdue-ward.png")


def test_malformed_symbol_and_early_deadline_are_refused(page, live_server, demo):
    today = timezone.localdate()
    signed = today - dt.timedelta(days=7)
    login(page, live_server, "vanphong", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/nghi-quyet/van-ban/them/")

    _fill_document(page, "NQ-07", signed)
    _submit(page)
    expect(page).to_have_url(f"{live_server.url}/nghi-quyet/van-ban/them/")
    expect(page.get_by_text("Chưa lưu được: hãy sửa các lỗi dưới đây.")).to_be_visible()
    symbol_error = page.locator("main .field.has-error").filter(
        has=page.locator("input[name='symbol']")
    )
    expect(symbol_error.locator(".error")).to_contain_text("không đúng dạng")
    expect(page.locator("input[name='symbol']")).to_have_value("NQ-07")
    assert Document.objects.count() == 0
    screenshot(page, "resolutions-error-symbol.png")

    page.locator("input[name='symbol']").fill(SYMBOL)
    _submit(page)
    assert f"Đã ghi văn bản {SYMBOL}." in _messages(page)
    document = Document.objects.get()

    with page.expect_navigation():
        page.locator("main .tools").get_by_role("link", name="Giao nhiệm vụ", exact=True).click()
    _fill_assignment(page, [BODE, CUKHOI], signed - dt.timedelta(days=1))
    _submit(page, "Giao nhiệm vụ")
    expect(page).to_have_url(f"{live_server.url}/nghi-quyet/van-ban/{document.pk}/giao-viec/")
    deadline_error = page.locator("main .field.has-error").filter(
        has=page.locator("input[name='deadline']")
    )
    expect(deadline_error.locator(".error")).to_contain_text("không được trước ngày ký")
    expect(deadline_error.locator(".error")).to_contain_text(signed.strftime("%d/%m/%Y"))
    assert Task.objects.count() == 0
    screenshot(page, "resolutions-error-deadline.png")
