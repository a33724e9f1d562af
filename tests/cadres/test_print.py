"""The evaluation slip's official print layout: same access as the record page, the content."""

from __future__ import annotations

import subprocess

from longbien.core import printing


def test_the_evaluation_page_links_to_its_print_layout(client_for, users, approved):
    page = client_for(users["staff"]).get(approved.get_absolute_url()).content.decode()
    assert f"/{approved.pk}/in/" in page


def test_the_slip_has_the_official_blocks_and_the_record(client_for, users, approved):
    response = client_for(users["staff"]).get(f"/can-bo-danh-gia/{approved.pk}/in/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Phiếu đánh giá, xếp loại chất lượng hằng tháng",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đảng ủy phường Ánh Dương",  # the upper committee above the cell
        "Chi bộ A1",
        "Lê Thị Ánh",
        "Hoàn thành",  # the self-assessment
        "Tốt",  # the superior's comment
        "Người tự đánh giá",
        "Người nhận xét",
        "Người phê duyệt",
        "Tháng 3 năm 2026",
    ):
        assert text in page, text
    # Each signature block carries the date of its step.
    for moment in (approved.self_assessed_at, approved.assessed_at, approved.approved_at):
        assert f"Ngày {moment.astimezone().strftime('%d/%m/%Y')}" in page
    # The final rating, marked once on each scale; no portal navigation or forms.
    assert page.count("✕") == 2 and "Hoàn thành tốt nhiệm vụ" in page
    assert 'class="sidenav"' not in page and "<form" not in page
    assert "css/official.css" in page and "@page" not in page  # the A4 rules live in the css


def test_a_ward_cannot_print_another_wards_slip(client_for, users, tree, approved):
    from cadres import services

    from .conftest import make_person

    other = make_person("CBB9", tree.cell_b1, "Ngô Văn Khác")
    evaluation = services.evaluation_create(actor=users["staff"], person=other, year=2026, month=3)
    client = client_for(users["ward_secretary"])
    assert client.get(f"/can-bo-danh-gia/{evaluation.pk}/in/").status_code == 404
    assert client.get(f"/can-bo-danh-gia/{approved.pk}/in/").status_code == 200


def test_the_slip_prints_to_an_a4_pdf(client_for, users, approved, tmp_path):
    response = client_for(users["staff"]).get(
        f"/can-bo-danh-gia/{approved.pk}/in/", {printing.PDF_PARAM: printing.PDF_VALUE}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "phieu.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG HẰNG THÁNG" in text
    assert "Lê Thị Ánh" in text and "NGƯỜI PHÊ DUYỆT" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info and "Pages:           1" in info  # one A4 page


def test_the_record_page_loads_the_print_stylesheet_and_header(client_for, users, approved):
    page = client_for(users["staff"]).get(approved.get_absolute_url()).content.decode()
    assert "css/print.css" in page and 'class="print-header"' in page
