"""The dialogues journey in the browser: a public-opinion case is received, assigned to a ward
and answered late; the ward's page counts it; a similar case is offered as a duplicate and
merged; a ward dialogue's commitment falls overdue and shows on the ward's page.

The mass-mobilisation user (``danvan``) takes in a hotline case about flooding on Nguyễn Văn Cừ
street in ward Bồ Đề and assigns it to the ward (the due date offered by the urgency rule); the
ward secretary (``bithu.bode``) sees it open on the ward's page and answers it after its due
date: the rate and the late count change. A second, similar case typed without diacritics is
offered the first as a duplicate and merged into it. The secretary records a ward dialogue
with one answered issue and one commitment; past its deadline the commitment is overdue on the
dialogue's page, on the ward's page and in the home page's work list. The citizen's name is
shown to ``danvan`` and to the ward, "(ẩn)" to the leadership (``thuongvu``).
Everything goes through the pages, in Vietnamese, against the live server; the clock is moved
by patching ``timezone.localdate`` (the live server runs in a thread of this process).
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dialogues import services
from dialogues.choices import CaseSource, CaseStatus, CommitmentStatus, Outcome, Urgency
from dialogues.models import Commitment, Dialogue, OpinionCase
from longbien import deadlines
from longbien.org.demo import DEMO_PASSWORD, load_long_bien
from longbien.org.models import OrgUnit

from .conftest import login, screenshot
from .pickers import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODE = "Đảng ủy phường Bồ Đề"
CONTENT = "Đường Nguyễn Văn Cừ ngập nước sau mưa, người dân đi lại khó khăn."
DUPLICATE = "duong nguyen van cu ngap nuoc"
CITIZEN = "Trần Thị Hoa"
PHONE = "0912345678"
ANSWER = "Đã khơi thông cống thoát nước đoạn trước số 120 Nguyễn Văn Cừ."
TOPIC = "Đối thoại với Nhân dân về trật tự đô thị năm 2026"
ISSUE_ANSWERED = "Thời gian cấp giấy phép xây dựng còn dài"
ANSWERED = "Phường đã công khai quy trình, rút ngắn còn 10 ngày làm việc."
ISSUE_COMMITTED = "Đèn chiếu sáng ngõ 75 Bồ Đề hỏng nhiều tháng"
PROMISE = "Thay đèn chiếu sáng ngõ 75 Bồ Đề"
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


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


def _date(field, day: dt.date) -> None:
    """Type a dd/mm/yyyy date and close the calendar so it covers no other field."""
    field.fill(day.strftime("%d/%m/%Y"))
    field.press("Escape")


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _at_phone_width(page, name: str) -> int:
    """Screenshot the current page at 390 px; return its sideways overflow there."""
    page.set_viewport_size(MOBILE)
    page.reload()
    overflow = _overflow(page)
    screenshot(page, name)
    page.set_viewport_size(DESKTOP)
    return overflow


def _fill_case(page, content: str, day: dt.date) -> None:
    form = page.locator("main form.form")
    form.locator("select[name='source']").select_option(label="Đường dây nóng")
    _date(form.locator("input[name='received_on']"), day)
    form.locator("textarea[name='content']").fill(content)
    pick(page, "unit", "bo de", BODE)
    form.locator("select[name='category']").select_option(label="Trật tự đô thị, giao thông")
    form.locator("input[name='citizen_name']").fill(CITIZEN)
    form.locator("input[name='citizen_phone']").fill(PHONE)


def _open_intake(page) -> None:
    _nav(page, "Dư luận xã hội phản ánh")
    expect(page.locator("main h1")).to_contain_text("Vụ việc dư luận phản ánh")
    with page.expect_navigation():
        page.locator("main .tools").get_by_role("link", name="+ Tiếp nhận vụ việc").click()
    expect(page.locator("main h1")).to_have_text("Tiếp nhận vụ việc dư luận phản ánh")


def _citizen(page):
    return page.locator("main dd#citizen")


def test_case_answered_late_duplicate_merged_commitment_overdue(page, live_server, demo):
    today = timezone.localdate()
    bode = OrgUnit.objects.get(code="P-BODE")
    phone_overflow: dict[str, int] = {}

    # a. The mass-mobilisation user takes in a hotline case about Bồ Đề and assigns it to the
    #    ward, with the due date the urgency rule offers.
    login(page, live_server, "danvan", DEMO_PASSWORD)
    _open_intake(page)
    _fill_case(page, CONTENT, today)
    screenshot(page, "dialogues-1-intake.png")
    _submit(page, "Tiếp nhận")
    case = OpinionCase.objects.get()
    expect(page).to_have_url(f"{live_server.url}/dan-van/vu-viec/{case.pk}/")
    assert f"Đã tiếp nhận vụ việc #{case.pk}." in _messages(page)
    assert (case.status, case.source, case.unit) == (CaseStatus.RECEIVED, CaseSource.HOTLINE, bode)
    assert (case.citizen_name, case.citizen_phone) == (CITIZEN, PHONE)
    expect(page.locator("main h1 small")).to_have_text("Tiếp nhận")
    expect(_citizen(page)).to_contain_text(CITIZEN)
    expect(_citizen(page)).to_contain_text(PHONE)

    with page.expect_navigation():
        page.locator("main .tools").get_by_role("link", name="Giao xử lý", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/dan-van/vu-viec/{case.pk}/giao/")
    expect(page.locator("main h1")).to_have_text(f"Giao xử lý vụ việc – #{case.pk}")
    due = services.due_date(Urgency.NORMAL, today)
    due_field = page.locator("main form.form input[name='due_on']")
    expect(due_field).to_have_value(due.strftime("%d/%m/%Y"))
    pick(page, "unit", "bo de", BODE)
    screenshot(page, "dialogues-2-assign.png")
    _submit(page, "Giao xử lý")
    expect(page).to_have_url(f"{live_server.url}/dan-van/vu-viec/{case.pk}/")
    assert f"Đã giao vụ việc cho {BODE}, hạn trả lời {due:%d/%m/%Y}." in _messages(page)
    case.refresh_from_db()
    assert (case.status, case.assigned_unit, case.due_on) == (CaseStatus.ASSIGNED, bode, due)
    expect(page.locator("main h1 small")).to_have_text("Đã giao xử lý")
    screenshot(page, "dialogues-3-case-assigned.png")
    phone_overflow["case"] = _at_phone_width(page, "dialogues-3-case-assigned-390.png")
    _logout(page)

    # b. The ward secretary sees the case open on the ward's page, then answers it after its
    #    due date: the ward's rate and late count change.
    login(page, live_server, "bithu.bode", DEMO_PASSWORD)
    board_url = f"{live_server.url}/dan-van/don-vi/P-BODE/?nam={due.year}"
    page.goto(board_url)
    expect(page.locator("main h1 small")).to_have_text(BODE)
    open_cases = page.locator("main section.card").filter(
        has=page.get_by_role("heading", name="Vụ việc đang mở")
    )
    row = open_cases.locator("tbody tr").filter(has_text=f"#{case.pk}")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Đã giao xử lý")
    expect(row).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(row).not_to_have_class("overdue")
    expect(open_cases.locator("h2 .badge.amber")).to_have_text("1")
    # Its due date has not come yet: not counted (no rate rather than 0 %), not late.
    expect(page.locator("main #rate-none")).to_have_text("Không có vụ việc đến hạn")
    expect(page.locator("main #rate-due")).to_have_text("0")
    expect(page.locator("main #rate-on-time")).to_have_text("0")
    expect(page.locator("main #rate-late")).to_have_text("0")
    screenshot(page, "dialogues-4-ward-board-open.png")

    page.goto(f"{live_server.url}/dan-van/vu-viec/{case.pk}/")
    expect(_citizen(page)).to_contain_text(CITIZEN)  # the assigned ward sees the citizen

    later = deadlines.effective_deadline(due) + dt.timedelta(days=3)
    days_late = deadlines.days_overdue(due, later)
    assert days_late >= 1
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        page.reload()
        expect(page.locator("main .alert.error")).to_contain_text(
            f"Quá hạn trả lời {days_late} ngày."
        )
        page.goto(board_url)
        row = open_cases.locator("tbody tr").filter(has_text=f"#{case.pk}")
        expect(row).to_have_class("overdue")
        expect(row.locator(".badge.red")).to_have_text(f"quá hạn {days_late} ngày")
        expect(open_cases.locator("h2 .badge.red")).to_have_text("1 quá hạn")
        # Due and unanswered: counted due and late (and pending).
        expect(page.locator("main #rate-due")).to_have_text("1")
        expect(page.locator("main #rate-late")).to_have_text("1")

        with page.expect_navigation():
            row.get_by_role("link", name=f"#{case.pk}").click()
        with page.expect_navigation():
            page.locator("main .tools").get_by_role("link", name="Trả lời", exact=True).click()
        expect(page.locator("main h1")).to_have_text(f"Trả lời vụ việc – #{case.pk}")
        form = page.locator("main form.form")
        form.locator("textarea[name='answer']").fill(ANSWER)
        _date(form.locator("input[name='answered_on']"), later)
        form.locator("select[name='outcome']").select_option(label="Đã giải quyết")
        screenshot(page, "dialogues-5-answer.png")
        _submit(page, "Ghi trả lời")
        expect(page).to_have_url(f"{live_server.url}/dan-van/vu-viec/{case.pk}/")
        assert "Đã ghi nội dung trả lời." in _messages(page)
        case.refresh_from_db()
        assert (case.status, case.outcome, case.answered_on) == (
            CaseStatus.ANSWERED,
            Outcome.RESOLVED,
            later,
        )
        expect(page.locator("main h1 small")).to_have_text("Đã trả lời")

        page.goto(board_url)
        expect(page.locator("main #rate-value strong")).to_have_text(re.compile(r"^100(,0)?%$"))
        expect(page.locator("main #rate-value small")).to_contain_text("1/1 vụ việc")
        expect(page.locator("main #rate-due")).to_have_text("1")
        expect(page.locator("main #rate-on-time")).to_have_text("0")
        expect(page.locator("main #rate-late")).to_have_text("1")
        expect(open_cases.locator("tbody tr")).to_have_count(1)
        expect(open_cases.locator("tbody tr")).to_contain_text("Không có vụ việc đang mở.")
        screenshot(page, "dialogues-6-ward-board-rate.png")
        phone_overflow["board"] = _at_phone_width(page, "dialogues-6-ward-board-rate-390.png")
    _logout(page)

    # c. A second, similar case (no diacritics, other words): the intake offers the first as a
    #    duplicate; saving it merged into the first.
    login(page, live_server, "danvan", DEMO_PASSWORD)
    _open_intake(page)
    _fill_case(page, DUPLICATE, today)
    _submit(page, "Tiếp nhận")
    assert OpinionCase.objects.count() == 1
    similar = page.locator("main #similar-cases")
    expect(similar).to_contain_text("Vụ việc tương tự đang mở")
    offer = similar.locator("li").filter(has_text=f"#{case.pk}")
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text("Đường Nguyễn Văn Cừ ngập nước")
    expect(offer).to_contain_text("Đã trả lời")
    screenshot(page, "dialogues-7-duplicate-offered.png")
    phone_overflow["intake"] = _at_phone_width(page, "dialogues-7-duplicate-offered-390.png")
    offer.locator(f"input[name='decision'][value='{case.pk}']").check()
    _submit(page, "Tiếp nhận")
    second = OpinionCase.objects.exclude(pk=case.pk).get()
    assert f"Đã tiếp nhận vụ việc #{second.pk} và gộp vào vụ việc #{case.pk}." in _messages(page)
    assert (second.merged_into, second.status) == (case, CaseStatus.CLOSED)
    assert second.content == DUPLICATE and second.source == CaseSource.HOTLINE
    case.refresh_from_db()
    assert case.merged_into is None and case.status == CaseStatus.ANSWERED
    page.goto(f"{live_server.url}/dan-van/vu-viec/{second.pk}/")
    expect(page.locator("main .alert[role='note']")).to_contain_text(
        f"Vụ việc này đã được gộp vào #{case.pk}"
    )
    screenshot(page, "dialogues-8-merged.png")
    page.goto(f"{live_server.url}/dan-van/vu-viec/{case.pk}/")
    merged = page.locator("main section.card").filter(
        has=page.get_by_role("heading", name="Vụ việc trùng đã gộp vào đây")
    )
    expect(merged.locator("li")).to_have_count(1)
    expect(merged.locator("li")).to_contain_text(f"#{second.pk}")
    expect(merged.locator("li")).to_contain_text(DUPLICATE)
    _logout(page)

    # The leadership reads the case, not the citizen.
    login(page, live_server, "thuongvu", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dan-van/vu-viec/{case.pk}/")
    expect(_citizen(page)).to_contain_text("(ẩn)")
    expect(page.locator("main")).not_to_contain_text(CITIZEN)
    expect(page.locator("main")).not_to_contain_text(PHONE)
    screenshot(page, "dialogues-9-case-leadership.png")
    _logout(page)

    # d. The secretary records a ward dialogue: one issue answered, one commitment of the ward.
    login(page, live_server, "bithu.bode", DEMO_PASSWORD)
    _nav(page, "Đối thoại với Nhân dân")
    with page.expect_navigation():
        page.locator("main .tools").get_by_role("link", name="Ghi cuộc đối thoại").click()
    expect(page.locator("main h1")).to_have_text("Ghi cuộc đối thoại với Nhân dân")
    deadline = today + dt.timedelta(days=5)
    form = page.locator("main form.form")
    form.locator("select[name='level']").select_option(label="Cấp phường")
    pick(page, "unit", "bo de", BODE)
    _date(form.locator("input[name='held_on']"), today)
    form.locator("input[name='chair']").fill("Đồng chí Hoàng Văn Dũng, Bí thư Đảng ủy phường")
    form.locator("input[name='topic']").fill(TOPIC)
    form.locator("input[name='participants']").fill("120")
    form.locator("textarea[name='issue1_content']").fill(ISSUE_ANSWERED)
    form.locator("textarea[name='issue1_answer']").fill(ANSWERED)
    form.locator("textarea[name='issue2_content']").fill(ISSUE_COMMITTED)
    form.locator("textarea[name='issue2_commitment']").fill(PROMISE)
    pick(page, "issue2_owner_unit", "bo de", BODE)
    _date(form.locator("input[name='issue2_deadline']"), deadline)
    screenshot(page, "dialogues-10-dialogue-form.png")
    _submit(page)
    dialogue = Dialogue.objects.get()
    expect(page).to_have_url(f"{live_server.url}/dan-van/doi-thoai/{dialogue.pk}/")
    assert f"Đã ghi cuộc đối thoại “{TOPIC}” với 2 ý kiến." in _messages(page)
    promise = Commitment.objects.get()
    assert (promise.content, promise.owner_unit, promise.deadline, promise.status) == (
        PROMISE,
        bode,
        deadline,
        CommitmentStatus.OPEN,
    )
    figures = page.locator("main #cam-ket")
    expect(figures.locator("[data-figure='total']")).to_have_text("1")
    expect(figures.locator("[data-figure='open']")).to_have_text("1")
    expect(figures.locator("[data-figure='overdue']")).to_have_text("0")
    expect(page.locator("main article").filter(has_text=ISSUE_ANSWERED)).to_contain_text(ANSWERED)
    screenshot(page, "dialogues-11-dialogue.png")

    # Past the deadline: overdue on the dialogue's page, the ward's page and the home page.
    past = deadline + dt.timedelta(days=10)
    with mock.patch("django.utils.timezone.localdate", return_value=past):
        page.reload()
        expect(figures.locator("[data-figure='overdue']")).to_have_text("1")
        expect(figures.locator("[data-figure='open']")).to_have_text("1")
        article = page.locator("main article").filter(has_text=ISSUE_COMMITTED)
        expect(article.locator("dl.facts")).to_have_class("facts overdue")
        expect(article.locator(".badge.red")).to_contain_text("Quá hạn")
        screenshot(page, "dialogues-12-dialogue-overdue.png")
        phone_overflow["dialogue"] = _at_phone_width(page, "dialogues-12-dialogue-overdue-390.png")

        page.goto(f"{live_server.url}/dan-van/don-vi/P-BODE/")
        promises = page.locator("main section.card").filter(
            has=page.get_by_role("heading", name="Cam kết tại đối thoại chưa thực hiện xong")
        )
        prow = promises.locator("tbody tr")
        expect(prow).to_have_count(1)
        expect(prow).to_have_class("overdue")
        expect(prow).to_contain_text(PROMISE)
        expect(prow).to_contain_text(deadline.strftime("%d/%m/%Y"))
        expect(prow).to_contain_text("0%")
        screenshot(page, "dialogues-13-ward-board-commitment.png")

        page.goto(f"{live_server.url}/")
        work = page.locator("main section.work").filter(has_text="Cam kết tại đối thoại quá hạn")
        expect(work).to_have_count(1)
        expect(work.locator("h2 .badge, h3 .badge").first).to_have_attribute("data-count", "1")
        expect(work.locator("li")).to_contain_text(PROMISE)
        expect(work.locator("li .badge.red")).to_contain_text("Quá hạn")
        screenshot(page, "dialogues-14-home-worklist.png")
        phone_overflow["home"] = _at_phone_width(page, "dialogues-14-home-worklist-390.png")

    # Reported, not asserted: sideways scrolling of the whole page at 390 px.
    print(f"overflow at 390 px: {phone_overflow}")
