"""The overdue task board's official print layout: same scope as the board, the content."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from longbien.core import printing

from .factories import make_document, make_tasks

URL = "/nghi-quyet/qua-han/in/"


def _overdue(users, tree):
    document = make_document(users["staff"], tree.root)
    late = timezone.localdate() - dt.timedelta(days=40)
    make_tasks(users["staff"], document, [tree.ward_a], deadline=late, title="Báo cáo sơ kết A")
    make_tasks(users["staff"], document, [tree.ward_b], deadline=late, title="Báo cáo sơ kết B")
    return document


def test_the_board_links_to_its_print_layout(client_for, users, tree):
    page = client_for(users["staff"]).get("/nghi-quyet/qua-han/").content.decode()
    assert URL in page


def test_the_printed_board_lists_the_overdue_tasks_by_unit(client_for, users, tree):
    _overdue(users, tree)
    response = client_for(users["staff"]).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Bảng theo dõi nhiệm vụ quá hạn",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        f"Tính đến ngày {timezone.localdate():%d/%m/%Y}",
        "Đảng ủy phường Ánh Dương",
        "Đảng ủy phường Bình Minh",
        "Báo cáo sơ kết A",
        "Báo cáo sơ kết B",
        "01-NQ/QU",
        "Người lập bảng",
    ):
        assert text in page, text
    assert 'class="sidenav"' not in page and "<form" not in page


def test_a_ward_prints_only_its_own_overdue_tasks(client_for, users, tree):
    _overdue(users, tree)
    page = client_for(users["ward_secretary"]).get(URL).content.decode()
    assert "Báo cáo sơ kết A" in page and "Báo cáo sơ kết B" not in page


def test_the_printed_board_as_a_pdf(client_for, users, tree):
    _overdue(users, tree)
    response = client_for(users["staff"]).get(URL, {printing.PDF_PARAM: printing.PDF_VALUE})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
