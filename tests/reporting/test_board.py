"""The compliance board, its Excel export, one quarter's workbook and a report's PDF.

Reports are made by hand through the services (ward A: one in each state of 2026; ward B:
none or its own), figures from dialogues recorded through ``dialogues.services``. Today is
the real date (the board's timings are relative to it): the tests pick quarters whose
deadlines have passed (2025) and pin the sent dates they need.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.choices import DialogueLevel
from longbien.org.choices import Role, UnitKind
from longbien.reporting import exports, rendering, services
from longbien.reporting.choices import ReportStatus
from longbien.reporting.models import QuarterlyReport
from tests.conftest import make_unit, make_user

pytestmark = pytest.mark.django_db

YEAR = 2025  # every deadline of 2025 has passed
TEXTS = {"results": "Tổ chức thành công đối thoại với nhân dân về trật tự đô thị.",
         "limitations": "Việc thu gom rác ở một số tổ dân phố còn chậm.",
         "next_tasks": "Tiếp tục triển khai nghị quyết của Quận ủy.", "proposals": ""}  # fmt: skip
CELL = re.compile(r'data-status="(\w+)"\s+data-timing="(\w+)"')


def _open(actor, unit, quarter, year=YEAR):
    return services.report_open(actor=actor, unit=unit, year=year, quarter=quarter)


def _write(actor, report, **extra):
    return services.report_save(actor=actor, report=report, version=report.version,
                                **{**TEXTS, **extra})  # fmt: skip


def _submit(actor, report, sent_on=None):
    services.report_submit(actor=actor, report=report, version=report.version)
    if sent_on is not None:  # the day it was sent, pinned (the service stamps today)
        QuarterlyReport.objects.filter(pk=report.pk).update(first_submitted_on=sent_on)
        report.refresh_from_db()
    return report


@pytest.fixture
def ward_a_year(users, tree):
    """Ward A's 2025: Q1 accepted (sent on time), Q2 sent late, Q3 returned, Q4 a draft."""
    secretary, staff = users["ward_secretary"], users["staff"]
    q1 = _submit(secretary, _write(secretary, _open(secretary, tree.ward_a, 1)),
                 sent_on=dt.date(2025, 4, 10))  # fmt: skip
    services.report_accept(actor=staff, report=q1, version=q1.version)
    _submit(secretary, _write(secretary, _open(secretary, tree.ward_a, 2)),
            sent_on=dt.date(2025, 8, 20))  # fmt: skip
    q3 = _submit(secretary, _write(secretary, _open(secretary, tree.ward_a, 3)),
                 sent_on=dt.date(2025, 10, 14))  # fmt: skip
    services.report_return(actor=staff, report=q3, version=q3.version,
                           comments={"results": "Bổ sung số liệu"})  # fmt: skip
    _write(secretary, _open(secretary, tree.ward_a, 4))


def _board(client, **query):
    response = client.get(reverse("reporting:compliance_board"), {"year": YEAR, **query})
    assert response.status_code == 200
    return response


def _rows(response):
    """{unit code: [(status, timing) × 4]} read from the board's table."""
    html = response.content.decode()
    rows = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S):
        code = re.search(r'<small class="muted">([^<]+)</small>', row).group(1).strip()
        rows[code] = CELL.findall(row)
    return rows


def test_the_board_shows_each_quarters_state_and_timing(users, tree, ward_a_year, client_for):
    response = _board(client_for(users["staff"]))
    rows = _rows(response)
    assert rows["P-A"] == [("accepted", "on_time"), ("submitted", "late"),
                           ("returned", "on_time"), ("draft", "late_now")]  # fmt: skip
    # Ward B has no report: not started, late now for every quarter of a past year.
    assert rows["P-B"] == [("not_started", "late_now")] * 4
    html = response.content.decode()
    report = QuarterlyReport.objects.get(unit=tree.ward_a, year=YEAR, quarter=1)
    assert reverse("reporting:report_detail", args=[report.pk]) in html
    assert reverse("reporting:report_open", args=["P-B", YEAR, 2]) in html
    assert "Đã tiếp nhận" in html and "Gửi muộn" in html and "Quá hạn, chưa gửi" in html
    assert "Hạn 15/04/2025" in html
    # The summary per quarter: accepted 1 of 2, late 1 in Q1 (ward B).
    assert "đã tiếp nhận 1/2" in html
    assert '<th scope="col">' in html and "<caption" in html and 'class="table-scroll"' in html


def test_the_board_filters_by_state_lateness_and_unit(users, tree, ward_a_year, client_for):
    client = client_for(users["staff"])
    assert set(_rows(_board(client, state="accepted"))) == {"P-A"}
    assert set(_rows(_board(client, state="not_started"))) == {"P-B"}
    assert set(_rows(_board(client, q="binh minh"))) == {"P-B"}
    assert set(_rows(_board(client, q="P-A"))) == {"P-A"}
    # A year that has not begun: nothing is late yet, no row is late.
    assert _rows(_board(client, year=timezone.localdate().year + 1, tre="1")) == {}
    assert set(_rows(_board(client, tre="1"))) == {"P-A", "P-B"}


def test_a_bad_year_or_state_gives_a_vietnamese_message_and_this_year(users, client_for, tree):
    client = client_for(users["staff"])
    response = client.get(reverse("reporting:compliance_board"), {"year": "20x6", "state": "?"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Năm “20x6” không hợp lệ" in html and "Trạng thái “?” không hợp lệ" in html
    assert response.context["query"].year == timezone.localdate().year
    export = client.get(reverse("reporting:board_export"), {"year": "1999"})
    assert export.status_code == 302


def test_a_ward_user_sees_only_their_wards_row(users, tree, ward_a_year, client_for):
    rows = _rows(_board(client_for(users["ward_staff"])))
    assert set(rows) == {"P-A"}
    book = _book(client_for(users["ward_secretary"]).get(
        reverse("reporting:board_export"), {"year": YEAR}))  # fmt: skip
    assert [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["P-A"]


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_board_export_holds_the_boards_cells(users, tree, ward_a_year, client_for):
    client = client_for(users["staff"])
    book = _book(client.get(reverse("reporting:board_export"), {"year": YEAR}))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Mã đơn vị", "Tên đơn vị", "Quý I – trạng thái", "Quý I – thời hạn"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["P-A"][1] == "Đảng ủy phường Ánh Dương"
    assert rows["P-A"][2:4] == ("Đã tiếp nhận", "Đúng hạn")
    assert (rows["P-A"][4].date(), rows["P-A"][5].date()) == (dt.date(2025, 4, 15),
                                                              dt.date(2025, 4, 10))  # fmt: skip
    assert rows["P-A"][6:8] == ("Đã gửi", "Gửi muộn")
    assert rows["P-B"][2:4] == ("Chưa bắt đầu", "Quá hạn, chưa gửi")
    # The same filters as the board.
    only = _book(client.get(reverse("reporting:board_export"), {"year": YEAR, "state": "draft"}))
    assert [r[0] for r in only.active.iter_rows(min_row=2, values_only=True)] == ["P-A"]


def _dialogue(actor, unit, held_on):
    return dialogue_services.dialogue_create(
        actor=actor, level=DialogueLevel.WARD, unit=unit, held_on=held_on, chair="Bí thư",
        topic="Trật tự đô thị", participants=80,
    )  # fmt: skip


@pytest.fixture
def quarter_reports(users, tree):
    """Q1 2026: ward A's report sent with a corrected figure, ward B's a draft."""
    staff, secretary = users["staff"], users["ward_secretary"]
    secretary.first_name, secretary.last_name = "Nguyễn Thị", "Hoa"  # as the portal stores names
    secretary.save()
    _dialogue(staff, tree.ward_a, dt.date(2026, 2, 10))
    _dialogue(staff, tree.ward_a, dt.date(2026, 3, 1))
    _dialogue(staff, tree.ward_b, dt.date(2026, 2, 12))
    a = _open(secretary, tree.ward_a, 1, year=2026)
    _write(secretary, a, corrections={
        "conferences.expected": (40, "Hội nghị ngày 02/02 chưa nhập vào hệ thống."),
        "conferences.present": (38, "Hội nghị ngày 02/02 chưa nhập vào hệ thống."),
    })  # fmt: skip
    _submit(secretary, a)
    b = _open(staff, tree.ward_b, 1, year=2026)
    _write(staff, b, results="Phường Bình Minh hoàn thành kế hoạch quý.")
    return a, b


def _figure_rows(sheet):
    units = [c.value for c in sheet[2]][2:]
    rows = {}
    for row in sheet.iter_rows(min_row=4):
        if row[0].value:
            rows[row[0].value] = dict(zip(units, row[2:], strict=False))
    return units, rows


def test_the_quarter_workbook_has_figures_across_units_and_narratives(
    users, tree, quarter_reports, client_for
):
    client = client_for(users["staff"])
    book = _book(client.get(reverse("reporting:quarter_export", args=[2026, 1])))
    assert book.sheetnames[:2] == ["Số liệu", "Đính chính"]
    units, rows = _figure_rows(book["Số liệu"])
    a, b = "Đảng ủy phường Ánh Dương", "Đảng ủy phường Bình Minh"
    assert units == [a, b]
    assert rows["dialogues.ward"][a].value == 2 and rows["dialogues.ward"][b].value == 1
    # The corrected counts, and the share computed from them (a number with one decimal).
    expected = rows["conferences.expected"][a]
    assert expected.value == 40 and "Giải trình" in expected.comment.text
    assert "chưa nhập" in expected.comment.text
    share = rows["conferences.attendance"][a]
    assert share.value == pytest.approx(95.0) and share.number_format == "0.0"
    assert rows["conferences.attendance"][b].value is None  # a share of nothing: empty
    corrections = list(book["Đính chính"].iter_rows(min_row=2, values_only=True))
    assert ("P-A", a, "conferences.expected") == corrections[0][:3]
    assert corrections[0][4:6] == (0, 40)
    # One sheet per unit with its narrative sections; valid, distinct sheet names.
    narrative = book[book.sheetnames[2]]
    texts = [c.value for c in narrative["A"] if c.value]
    assert a in texts and TEXTS["results"] in texts and "Kết quả đạt được" in texts
    assert "Phường Bình Minh hoàn thành kế hoạch quý." in [c.value for c in
                                                          book[book.sheetnames[3]]["A"]]  # fmt: skip
    for name in book.sheetnames:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)


def test_a_ward_user_exports_only_their_wards_report(users, tree, quarter_reports, client_for):
    client = client_for(users["ward_staff"])
    book = _book(client.get(reverse("reporting:quarter_export", args=[2026, 1])))
    units, rows = _figure_rows(book["Số liệu"])
    assert units == ["Đảng ủy phường Ánh Dương"]
    # Ward staff do not read inspections: those figures are not in their workbook.
    assert "dialogues.ward" in rows and not any(c.startswith("inspections.") for c in rows)


def test_sheet_names_are_valid_and_distinct():
    long = "Đảng ủy phường [Phúc Đồng]: khu đô thị/mới * rất dài tên"
    titles = exports.unique_titles([long, long, "Số liệu", "a?b"], taken=["Số liệu"])
    assert len(set(titles)) == 4 and all(len(t) <= 31 for t in titles)
    assert titles[1].endswith("(2)") and titles[2] == "Số liệu (2)" and titles[3] == "a b"
    assert not any(re.search(r"[\[\]:*?/\\]", t) for t in titles)


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True)  # fmt: skip
    return done.stdout.decode()


def test_the_report_pdf_is_a_party_document(users, tree, quarter_reports, client_for):
    a, _b = quarter_reports
    response = client_for(users["ward_secretary"]).get(reverse("reporting:report_pdf", args=[a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    flat = " ".join(text.split())
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "BÁO CÁO", "QUẬN ỦY THỬ",
                     "ĐẢNG ỦY PHƯỜNG ÁNH DƯƠNG", "-BC/ĐU",
                     "Kết quả thực hiện nhiệm vụ quý I năm 2026", "T/M ĐẢNG ỦY", "BÍ THƯ",
                     "Nơi nhận:", TEXTS["results"], TEXTS["limitations"],
                     "Cuộc đối thoại cấp phường", "Nguyễn Thị Hoa"):  # fmt: skip
        assert expected in flat, expected
    sent = timezone.localdate()
    assert f"Long Biên, ngày {sent.day:02d} tháng" in flat
    # A corrected figure shows both values.
    assert "hệ thống: 0" in flat and "95,0%" in flat
    # Counts of 0 and shares of nothing are not printed; the page says how many were left out.
    assert "Cuộc đối thoại cấp quận" not in flat and "chỉ tiêu bằng 0" in flat
    # The fonts are the bundled Liberation Serif (the stylesheet's "Party Serif"), embedded.
    fonts = subprocess.run(["pdffonts", "-"], input=response.content, capture_output=True,
                           check=True).stdout.decode()  # fmt: skip
    assert {"Party-Serif", "Party-Serif-Bold", "Party-Serif-Italic"} <= {
        line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}  # fmt: skip


def test_a_ward_user_gets_404_for_another_wards_pdf(users, tree, quarter_reports, client_for):
    _a, b = quarter_reports
    client = client_for(users["ward_secretary"])
    assert client.get(reverse("reporting:report_pdf", args=[b.pk])).status_code == 404
    assert client_for(users["staff"]).get(
        reverse("reporting:report_pdf", args=[b.pk])).status_code == 200  # fmt: skip


def test_the_fetcher_reads_only_static_files(tmp_path):
    css = rendering.static_base_url() + rendering.STYLESHEET
    assert rendering.static_file(css).name == "party-document.css"
    outside = tmp_path / "secret.css"
    outside.write_text("body {}")
    for url in (outside.as_uri(), "http://example.org/a.css",
                rendering.static_base_url() + "../pyproject.toml"):  # fmt: skip
        with pytest.raises(ValueError):
            rendering.static_file(url)


def test_the_party_document_dates_follow_the_rules():
    doc = rendering.PartyDocument(issuer="X", superior="Y", subject="Z",
                                  date=dt.date(2026, 2, 5))  # fmt: skip
    assert doc.place_date == "Long Biên, ngày 05 tháng 02 năm 2026"
    assert rendering.PartyDocument(issuer="X", superior="Y", subject="Z",
                                   date=dt.date(2026, 11, 30)).place_date == (
        "Long Biên, ngày 30 tháng 11 năm 2026")  # fmt: skip
    assert doc.title == "BÁO CÁO" and doc.number_line.startswith("Số ")
    assert doc.number_line.endswith("-BC/ĐU")
    assert ReportStatus.ACCEPTED.label == "Đã tiếp nhận"


def _queries(client, url, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


def test_the_board_and_the_exports_make_a_bounded_number_of_queries(users, tree, client_for):
    """More reporting units (and their reports) cost no more queries on the board and its
    export; a quarter's workbook of frozen reports costs none per report either."""
    staff = users["staff"]
    client = client_for(staff)
    board, export = reverse("reporting:compliance_board"), reverse("reporting:board_export")
    quarter = reverse("reporting:quarter_export", args=[YEAR, 1])

    def add_units(start, stop):
        for index in range(start, stop):
            unit = make_unit(f"CS-{index}", UnitKind.GRASSROOTS, tree.root, f"Đảng bộ {index}")
            secretary = make_user(f"bi_thu_{index}", Role.WARD_SECRETARY, unit)
            _submit(secretary, _write(secretary, _open(staff, unit, 1)))
            _write(staff, _open(staff, unit, 2))

    add_units(0, 2)
    _queries(client, board, year=YEAR)  # warm the per-process caches
    few = [_queries(client, board, year=YEAR), _queries(client, export, year=YEAR),
           _queries(client, quarter)]  # fmt: skip
    add_units(2, 8)
    many = [_queries(client, board, year=YEAR), _queries(client, export, year=YEAR),
            _queries(client, quarter)]  # fmt: skip
    assert many == few
    assert few[0] <= 12 and few[1] <= 12 and few[2] <= 12
