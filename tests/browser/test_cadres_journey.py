"""A month's evaluation end to end: self-assess → superior rates → staff approve on the grid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cadres import services
from longbien.org.choices import Role, UnitKind
from longbien.org.models import Person
from tests.conftest import make_unit, make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-thu-2025"


@pytest.fixture
def ward(transactional_db):
    root = make_unit("QU", UnitKind.DISTRICT_COMMITTEE, name="Quận ủy Thử")
    ward = make_unit("P-A", UnitKind.WARD_COMMITTEE, root, "Đảng ủy phường Ánh Dương")
    cell = make_unit("CB-A1", parent=ward, name="Chi bộ A1")
    people = []
    for n, name in enumerate(["Lê Thị Ánh", "Phạm Văn Bình", "Đỗ Thị Cúc", "Hà Văn Dũng"]):
        person = Person(code=f"J{n}", full_name=name, sex="male", unit=cell)
        person.save()
        people.append(person)
    staff = make_user("staff", Role.STAFF, root)
    make_user("secretary", Role.WARD_SECRETARY, ward)
    make_user("cadre", person=people[0])
    evaluation = services.evaluation_create(actor=staff, person=people[0], year=2026, month=3)
    # The others wrote their self-assessment on paper and their superior rated it; staff
    # entered both (the grid approves only months the superior has rated).
    for person in people[1:]:
        other = services.evaluation_create(actor=staff, person=person, year=2026, month=3)
        other = services.evaluation_self_assess(
            actor=staff,
            evaluation=other,
            self_assessment="Hoàn thành nhiệm vụ.",
            self_rating="completed",
        )
        services.evaluation_assess(
            actor=staff,
            evaluation=other,
            superior_assessment="Đồng ý.",
            proposed_rating="completed",
        )
    return {"people": people, "evaluation": evaluation}


def test_self_assess_rate_approve_on_grid_and_distribution(page, live_server, ward):
    evaluation = ward["evaluation"]
    login(page, live_server, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/can-bo-danh-gia/{evaluation.pk}/")
    page.get_by_role("link", name="Tự đánh giá").click()
    page.get_by_label("Tự nhận xét").fill("Hoàn thành các nhiệm vụ được giao, đúng tiến độ.")
    page.get_by_label("Tự xếp loại").select_option("excellent")
    page.get_by_role("button", name="Gửi tự đánh giá").click()
    expect(page.locator("dl.facts")).to_contain_text("Đã tự đánh giá")
    page.context.clear_cookies()

    login(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/can-bo-danh-gia/{evaluation.pk}/nhan-xet/")
    page.get_by_label("Đề xuất xếp loại").select_option("good")
    page.get_by_role("button", name="Ghi nhận xét").click()
    expect(page.locator("dl.facts")).to_contain_text("Cấp trên đã nhận xét")
    page.context.clear_cookies()

    login(page, live_server, "staff", PASSWORD)
    page.goto(f"{live_server.url}/can-bo-danh-gia/bang-duyet/?unit=P-A&year=2026&month=3")
    selects = page.locator("select.grid-rating")
    expect(selects).to_have_count(4)
    expect(selects.nth(0)).to_have_value("good")  # the superior's proposal is preselected
    expect(page.locator("input.grid-select:checked")).to_have_count(0)  # nothing ticked
    selects.nth(1).select_option("excellent")
    selects.nth(2).select_option("good")
    selects.nth(3).select_option("not_completed")
    submit = page.get_by_role("button", name="Phê duyệt các phiếu đã chọn…")
    submit.click()  # nothing ticked: the page says so instead of posting
    expect(page.locator("#grid-selected-count")).to_contain_text("Chưa chọn phiếu nào")
    page.get_by_role("link", name="Chọn tất cả phiếu cấp trên đã nhận xét").click()
    expect(page.locator("#grid-selected-count")).to_contain_text("Đã chọn 4 phiếu")
    screenshot(page, "cadres-grid.png")
    submit.click()
    expect(page.locator("h1")).to_contain_text("Phê duyệt 4 phiếu?")
    page.get_by_role("button", name="Phê duyệt 4 phiếu").click()
    expect(page.locator(".messages")).to_contain_text("Đã phê duyệt 4 phiếu")

    page.goto(f"{live_server.url}/can-bo-danh-gia/phan-bo/?unit=P-A&year=2026")
    table = page.locator("#distribution")
    expect(table.locator("[data-rating=excellent]")).to_have_text("1")
    expect(table.locator("[data-rating=good]")).to_have_text("2")
    expect(table.locator("[data-rating=not_completed]")).to_have_text("1")
    expect(table).to_contain_text("50,0%")
    expect(page.locator("#flagged")).to_contain_text("Hà Văn Dũng")  # a not-completed month
    screenshot(page, "cadres-distribution.png")
