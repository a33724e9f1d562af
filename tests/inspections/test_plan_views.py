"""The plans' pages: registers, a plan with its overlaps, approval with a justification, the
items' steps, and the coordination view (bodies down, months across, overlaps marked)."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from inspections import services
from inspections.choices import PlanItemStatus
from inspections.models import Plan, PlanItem

from .conftest import add_item

pytestmark = pytest.mark.django_db

READERS = [
    "admin", "staff", "leadership", "inspection", "mass_mobilisation", "ward_secretary",
    "ward_staff",
]  # fmt: skip
PLANNERS = ["admin", "staff", "inspection", "mass_mobilisation", "ward_secretary"]


@pytest.fixture
def plans(users, bodies, tree):
    """Two district bodies' plans and ward A's own (made by its secretary)."""
    staff = users["staff"]
    return {
        "ubkt": services.plan_create(actor=staff, body=bodies["ubkt"], year=2026),
        "hdnd": services.plan_create(actor=staff, body=bodies["hdnd"], year=2026),
        "ward": services.plan_create(actor=users["ward_secretary"], body=tree.ward_a, year=2026),
    }


@pytest.fixture
def overlap(users, tree, plans):
    """UBKT and HĐND both visit ward A in April–May: each item conflicts with the other."""
    staff = users["staff"]
    first = add_item(staff, plans["ubkt"], tree.ward_a, 4, 5, topic="Công tác phát triển đảng viên")
    second = add_item(staff, plans["hdnd"], tree.ward_a, 5, 6, topic="Giám sát thu chi ngân sách")
    return first, second


def _text(response) -> str:
    return response.content.decode()


def _field_error(html: str, name: str) -> str:
    """The error text shown under a form field (includes/field.html)."""
    match = re.search(rf'id="id_{name}_error">(.*?)</small>', html, re.S)
    return " ".join(match.group(1).split()) if match else ""


# --- Pages for the roles ------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_registers_and_plan_page_render_for_readers(role, users, client_for, plans, overlap):
    client = client_for(users[role])
    for url in (
        reverse("inspections:plan_list"),
        reverse("inspections:plan_item_list"),
        reverse("inspections:plan_detail", args=[plans["ward"].pk]),
        reverse("inspections:coordination") + "?don-vi=P-A&nam=2026",
    ):
        assert client.get(url).status_code == 200, url


def test_no_role_is_refused(users, client_for, plans):
    client = client_for(users["no_role"])
    assert client.get(reverse("inspections:plan_list")).status_code == 403
    assert client.get(reverse("inspections:coordination")).status_code == 403


@pytest.mark.parametrize("role", READERS)
def test_the_add_button_only_for_planners(role, users, client_for, plans):
    html = _text(client_for(users[role]).get(reverse("inspections:plan_list")))
    assert ("Lập kế hoạch" in html) == (role in PLANNERS)
    create = client_for(users[role]).get(reverse("inspections:plan_create"))
    assert create.status_code == (200 if role in PLANNERS else 403)


def test_plan_list_shows_counts_and_filters_by_year_and_body(users, client_for, plans, overlap):
    client = client_for(users["staff"])
    html = _text(client.get(reverse("inspections:plan_list"), {"year": "2026", "unit": "UBKT"}))
    assert plans["ubkt"].title in html
    assert plans["hdnd"].title not in html
    html = _text(client.get(reverse("inspections:plan_list"), {"year": "2025"}))
    assert plans["ubkt"].title not in html


def test_ward_secretary_plans_only_its_ward(users, client_for, plans, tree):
    client = client_for(users["ward_secretary"])
    response = client.get(reverse("inspections:plan_list"))
    assert plans["ward"].title in _text(response)
    assert plans["ubkt"].title not in _text(response)  # another body's plan, out of its scope
    assert (
        client.get(reverse("inspections:plan_detail", args=[plans["ubkt"].pk])).status_code == 404
    )
    # Creating a plan for the other ward is refused on the form, nothing made.
    count = Plan.objects.count()
    response = client.post(
        reverse("inspections:plan_create"), {"body": tree.ward_b.pk, "year": 2027}
    )
    assert response.status_code == 200
    assert Plan.objects.count() == count
    response = client.post(
        reverse("inspections:plan_create"), {"body": tree.ward_a.pk, "year": 2027}
    )
    assert response.status_code == 302
    assert Plan.objects.filter(body=tree.ward_a, year=2027).exists()


# --- The plan page: overlaps and conflicts -------------------------------------------------------


def test_plan_page_flags_overlaps_and_lists_the_conflicts(users, client_for, plans, overlap):
    first, second = overlap
    html = _text(client_for(users["staff"]).get(first.plan.get_absolute_url()))
    assert f'id="muc-{first.pk}"' in html
    assert "Trùng lịch (1)" in html
    conflicts = html.split(f'id="trung-{first.pk}"', 1)[1]
    assert "Hội đồng nhân dân quận" in conflicts  # the other body
    assert "Giám sát thu chi ngân sách" in conflicts  # its topic
    assert "05/2026–06/2026" in conflicts  # its months
    assert "cùng đơn vị, trùng thời gian" in conflicts  # the reason
    assert "Duyệt" in html and "Hủy" in html  # the item's workflow buttons


def test_an_item_without_overlap_is_not_flagged(users, client_for, plans, tree):
    item = add_item(users["staff"], plans["ubkt"], tree.ward_b, 1, 1, topic="Riêng")
    html = _text(client_for(users["staff"]).get(item.plan.get_absolute_url()))
    assert "Trùng lịch (" not in html
    assert "Không có nội dung trùng lịch." in html


def test_adding_an_overlapping_item_warns_with_the_count(users, client_for, plans, overlap, tree):
    client = client_for(users["staff"])
    response = client.post(
        reverse("inspections:plan_item_create", args=[plans["ward"].pk]),
        {"activity": "supervision", "subject_type": "organisation", "topic": "Giám sát",
         "target_unit": tree.ward_a.pk, "start_month": 5, "end_month": 5},
    )  # fmt: skip
    assert response.status_code == 302
    item = PlanItem.objects.get(plan=plans["ward"])
    assert response["Location"] == item.get_absolute_url()
    assert item.lead_body == plans["ward"].body
    texts = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert ("warning", "Nội dung này trùng lịch với 2 nội dung trong kế hoạch của cơ quan khác; "
            "xem danh sách bên dưới và ghi giải trình khi duyệt.") in texts  # fmt: skip


def test_item_form_refuses_bad_months_in_vietnamese(users, client_for, plans, tree):
    response = client_for(users["staff"]).post(
        reverse("inspections:plan_item_create", args=[plans["ward"].pk]),
        {"activity": "inspection", "subject_type": "organisation", "topic": "Kiểm tra",
         "target_unit": tree.cell_a1.pk, "start_month": 6, "end_month": 3},
    )  # fmt: skip
    assert response.status_code == 200
    assert _field_error(_text(response), "end_month") == "Tháng kết thúc phải sau tháng bắt đầu."
    assert not PlanItem.objects.filter(plan=plans["ward"]).exists()


def test_update_a_draft_item_with_a_reason(users, client_for, plans, tree):
    item = add_item(users["staff"], plans["ward"], tree.cell_a1, 3, 3, topic="Cũ")
    response = client_for(users["ward_secretary"]).post(
        reverse("inspections:plan_item_update", args=[item.pk]),
        {"activity": "inspection", "subject_type": "organisation", "topic": "Mới",
         "target_unit": tree.cell_a1.pk, "start_month": 7, "end_month": 8, "reason": "Lùi lịch"},
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.topic, item.starts_on.month, item.ends_on.month) == ("Mới", 7, 8)
    entry = LogEntry.objects.get_for_object(item).order_by("-pk").first()
    assert entry.additional_data["reason"] == "Lùi lịch"


def test_an_approved_item_is_not_edited(users, client_for, plans, tree):
    item = add_item(users["staff"], plans["ward"], tree.cell_a1, 3, 3, topic="Duyệt rồi")
    services.plan_item_approve(actor=users["staff"], item=item)
    url = reverse("inspections:plan_item_update", args=[item.pk])
    assert client_for(users["staff"]).get(url).status_code == 403


# --- Approval with a justification ---------------------------------------------------------------


def test_approving_an_overlap_without_justification_shows_the_error(
    users, client_for, plans, overlap
):
    first, _ = overlap
    client = client_for(users["staff"])
    url = reverse("inspections:plan_item_approve", args=[first.pk])
    page = _text(client.get(url))
    assert "Hội đồng nhân dân quận" in page  # the conflicts are shown before approving
    assert "Giải trình trùng lặp (bắt buộc)" in page
    entries = LogEntry.objects.count()
    response = client.post(url, {"justification": "  "})
    assert response.status_code == 200
    assert _field_error(_text(response), "justification") == (
        "Nội dung này trùng với 1 nội dung trong kế hoạch của cơ quan khác; "
        "hãy ghi giải trình để duyệt."
    )
    first.refresh_from_db()
    assert first.status == PlanItemStatus.DRAFT
    assert LogEntry.objects.count() == entries


def test_approving_an_overlap_with_justification(users, client_for, plans, overlap):
    first, _ = overlap
    client = client_for(users["staff"])
    url = reverse("inspections:plan_item_approve", args=[first.pk])
    response = client.post(url, {"justification": "Đã thống nhất lập đoàn liên ngành."})
    assert response.status_code == 302
    assert response["Location"] == first.get_absolute_url()
    first.refresh_from_db()
    assert first.status == PlanItemStatus.APPROVED
    assert first.justification == "Đã thống nhất lập đoàn liên ngành."
    assert "Đã thống nhất lập đoàn liên ngành." in _text(client.get(first.plan.get_absolute_url()))


def test_approving_without_overlap_needs_no_justification(users, client_for, plans, tree):
    item = add_item(users["staff"], plans["ward"], tree.cell_a1, 2, 2, topic="Riêng")
    client = client_for(users["ward_secretary"])
    url = reverse("inspections:plan_item_approve", args=[item.pk])
    assert "không trùng lịch" in _text(client.get(url))
    assert client.post(url, {"justification": ""}).status_code == 302
    item.refresh_from_db()
    assert item.status == PlanItemStatus.APPROVED


def test_readers_may_not_approve(users, client_for, plans, tree):
    item = add_item(users["staff"], plans["ward"], tree.cell_a1, 2, 2)
    url = reverse("inspections:plan_item_approve", args=[item.pk])
    for role in ("leadership", "ward_staff"):
        assert client_for(users[role]).get(url).status_code == 403
        assert client_for(users[role]).post(url, {"justification": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DRAFT


# --- One-click steps -----------------------------------------------------------------------------


def test_cancel_and_reopen_need_a_reason(users, client_for, plans, tree):
    item = add_item(users["staff"], plans["ward"], tree.cell_a1, 2, 2)
    client = client_for(users["ward_secretary"])
    cancel = reverse("inspections:plan_item_cancel", args=[item.pk])
    response = client.post(cancel, {"reason": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DRAFT
    client.post(cancel, {"reason": "Lùi sang năm sau"})
    item.refresh_from_db()
    assert item.status == PlanItemStatus.CANCELLED

    approved = add_item(users["staff"], plans["ward"], tree.cell_a1, 3, 3, topic="B")
    services.plan_item_approve(actor=users["staff"], item=approved)
    reopen = reverse("inspections:plan_item_reopen", args=[approved.pk])
    response = client.post(reopen, {"reason": "Điều chỉnh nội dung"})
    assert response["Location"] == approved.get_absolute_url()
    approved.refresh_from_db()
    assert approved.status == PlanItemStatus.DRAFT


def test_a_reader_cannot_cancel(users, client_for, plans, tree):
    item = add_item(users["staff"], plans["ward"], tree.cell_a1, 2, 2)
    response = client_for(users["leadership"]).post(
        reverse("inspections:plan_item_cancel", args=[item.pk]), {"reason": "Thử"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DRAFT


# --- Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 30])
def test_plan_page_queries_do_not_grow_with_items(
    count, users, client_for, plans, tree, django_assert_max_num_queries
):
    staff = users["staff"]
    for index in range(count):
        month = index % 12 + 1
        item = add_item(staff, plans["ubkt"], tree.cell_a1, month, month, topic=f"Nội dung {index}")
        if index % 3 == 0:
            add_item(staff, plans["hdnd"], tree.ward_a, month, month, topic=f"Khác {index}")
        if index % 4 == 0:
            services.plan_item_approve(actor=staff, item=item, justification="Đã phối hợp")
    client = client_for(staff)
    url = plans["ubkt"].get_absolute_url()
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    assert _text(response).count('id="muc-') == count


def test_item_register_flags_overlaps(
    users, client_for, plans, overlap, django_assert_max_num_queries
):
    client = client_for(users["staff"])
    url = reverse("inspections:plan_item_list")
    client.get(url)
    with django_assert_max_num_queries(20):
        html = _text(client.get(url))
    assert html.count("Trùng lịch (1)") == 2
    html = _text(client.get(url, {"q": "thu chi", "year": "2026", "status": "draft"}))
    assert "Giám sát thu chi ngân sách" in html
    assert "Công tác phát triển đảng viên" not in html


# --- Coordination --------------------------------------------------------------------------------


def test_coordination_marks_two_bodies_in_the_same_months(users, client_for, plans, overlap, tree):
    add_item(users["staff"], plans["ubkt"], tree.ward_a, 9, 9, topic="Không trùng")
    html = _text(
        client_for(users["leadership"]).get(
            reverse("inspections:coordination"), {"don-vi": "P-A", "nam": "2026"}
        )
    )
    table = html.split("</thead>", 1)[1].split("</table>", 1)[0]
    assert "Ủy ban Kiểm tra Quận ủy" in table and "Hội đồng nhân dân quận" in table
    cells = re.findall(r"<td colspan=\"(\d+)\"\s+class=\"visit( overlap)?\"(.*?)</td>", table, re.S)
    # April–May and May–June are flagged (two months each); September stands alone.
    assert sorted((span, bool(mark)) for span, mark, _ in cells) == [
        ("1", False), ("2", True), ("2", True),
    ]  # fmt: skip
    assert table.count("Trùng lịch</span>") == 2
    assert 'title="Trùng lịch với: Hội đồng nhân dân quận"' in table
    assert 'title="Trùng lịch với: Ủy ban Kiểm tra Quận ủy"' in table
    # Months across: every row has twelve month columns (spans included).
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        spans = [int(s) for s in re.findall(r'colspan="(\d+)"', row)]
        plain = len(re.findall(r"<td>", row))
        assert sum(spans) + plain == 12


def test_coordination_of_a_unit_by_pk_and_the_default(users, client_for, plans, overlap, tree):
    client = client_for(users["ward_staff"])
    url = reverse("inspections:coordination")
    assert client.get(url, {"don-vi": tree.ward_a.pk, "nam": 2026}).status_code == 200
    assert "Đảng ủy phường Ánh Dương" in _text(client.get(url))  # its own ward by default


def test_coordination_outside_the_scope_is_not_found(users, client_for, tree, plans):
    client = client_for(users["ward_secretary"])
    url = reverse("inspections:coordination")
    assert client.get(url, {"don-vi": "P-B"}).status_code == 404
    assert client.get(url, {"don-vi": tree.ward_b.pk}).status_code == 404
    assert client.get(url, {"don-vi": "KHONG-CO"}).status_code == 404


def test_out_of_scope_pages_are_not_found(users, client_for, plans, tree):
    other = add_item(users["staff"], plans["ubkt"], tree.ward_b, 2, 2)
    client = client_for(users["ward_secretary"])
    for url in (
        reverse("inspections:plan_detail", args=[plans["ubkt"].pk]),
        reverse("inspections:plan_item_create", args=[plans["ubkt"].pk]),
        reverse("inspections:plan_item_update", args=[other.pk]),
        reverse("inspections:plan_item_approve", args=[other.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_item_register_offers_the_export_with_the_filters(users, client_for, plans, overlap):
    html = _text(
        client_for(users["staff"]).get(reverse("inspections:plan_item_list"), {"year": "2026"})
    )
    export = reverse("io_export", args=["plan_items"])
    assert f'href="{export}?year=2026&amp;format=xlsx"' in html


def test_coordination_puts_a_body_s_overlapping_visits_on_rows_of_their_own(
    users, client_for, plans, tree
):
    staff = users["staff"]
    add_item(staff, plans["ubkt"], tree.ward_a, 4, 5, topic="Một")
    add_item(staff, plans["ubkt"], tree.cell_a1, 5, 5, topic="Hai")
    add_item(staff, plans["ubkt"], tree.ward_a, 8, 9, topic="Ba")
    html = _text(
        client_for(users["staff"]).get(
            reverse("inspections:coordination"), {"don-vi": "P-A", "nam": "2026"}
        )
    )
    assert '<th scope="rowgroup" rowspan="2">Ủy ban Kiểm tra Quận ủy</th>' in html
    assert "Trùng lịch</span>" not in html  # one body never conflicts with itself


def test_coordination_without_javascript_takes_the_typed_code(users, client_for, plans, tree):
    client = client_for(users["staff"])
    url = reverse("inspections:coordination")
    # The picker's select keeps the unit shown; the code typed (noscript box) comes last.
    html = _text(client.get(f"{url}?don-vi=P-A&don-vi=CB-A1&nam=2026"))
    assert "Chi bộ A1 · 2026" in html
    assert f'href="?don-vi=P-A&amp;nam=2026">{tree.ward_a.name}</a>' in html  # up the tree
    html = _text(client.get(f"{url}?don-vi=P-A&don-vi=&nam=2026"))
    assert "Đảng ủy phường Ánh Dương · 2026" in html
    assert 'href="?don-vi=CB-A1&amp;nam=2026">Chi bộ A1</a>' in html  # down the tree


def test_an_item_on_a_member_takes_the_member_s_unit(users, client_for, plans, member):
    response = client_for(users["staff"]).post(
        reverse("inspections:plan_item_create", args=[plans["ward"].pk]),
        {"activity": "inspection", "subject_type": "member", "topic": "Kê khai tài sản",
         "target_person": member.code, "start_month": 3, "end_month": 3},
    )  # fmt: skip
    assert response.status_code == 302
    item = PlanItem.objects.get(plan=plans["ward"])
    assert (item.target_person, item.target_unit) == (member, member.unit)


def test_a_missing_subject_is_said_under_its_field(users, client_for, plans):
    url = reverse("inspections:plan_item_create", args=[plans["ward"].pk])
    client = client_for(users["staff"])
    data = {"activity": "inspection", "topic": "Kiểm tra", "start_month": 3, "end_month": 3}
    html = _text(client.post(url, {**data, "subject_type": "member"}))
    assert _field_error(html, "target_person") == "Hãy chọn đảng viên."
    html = _text(client.post(url, {**data, "subject_type": "organisation"}))
    assert _field_error(html, "target_unit") == "Hãy chọn đơn vị."
    assert not PlanItem.objects.filter(plan=plans["ward"]).exists()


def test_a_ward_reads_other_bodies_items_aimed_at_it_without_their_plans(
    users, client_for, plans, overlap
):
    first, _ = overlap
    html = _text(client_for(users["ward_staff"]).get(reverse("inspections:plan_item_list")))
    assert "Công tác phát triển đảng viên" in html
    assert first.get_absolute_url() not in html  # UBKT's plan is not the ward's to open
    html = _text(client_for(users["staff"]).get(reverse("inspections:plan_item_list")))
    assert first.get_absolute_url() in html
