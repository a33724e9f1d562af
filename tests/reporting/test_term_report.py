"""The term-summary report (issue 14): its context and its PDF reproduce the article's figures
from the demo's records, every figure numbered and traced in the appendix; an empty scope says
so; the management command writes the same PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from longbien import periods
from longbien.org.models import OrgUnit, Term
from longbien.reporting import term_report

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def district_term():
    unit = OrgUnit.objects.get(code="QU-LB")
    return unit, periods.term_period(Term.objects.get(code="2015-2020"))


def test_context_numbers_every_figure_once_with_its_drill_url(demo, db):
    unit, period = district_term()
    stages = []
    context = term_report.build_context(
        unit=unit, period=period, progress=lambda stage, percent: stages.append((stage, percent))
    )
    assert stages[0] == ("collecting", 0) and ("charts", 80) in stages
    assert [p for _s, p in stages] == sorted(p for _s, p in stages)
    figures = context["figures"]
    assert [f.number for f in figures] == list(range(1, len(figures) + 1))
    by_code = {f.code: f for f in figures}
    rate = by_code["opinion_cases.rate"]
    assert (rate.text, rate.detail) == ("98,2%", "493/502")
    assert "làm tròn một chữ số thập phân, nửa lên" in rate.rounding
    assert "cộng đủ 100" in by_code["cadres.evaluations.completed.share"].rounding
    assert by_code["cadres.evaluations.completed.share"].text == "1,2%"
    assert by_code["dialogues.district"].text == "7"
    assert by_code["dialogues.district"].url.startswith("/")
    assert "unit=QU-LB" in by_code["dialogues.district"].url
    # The same figure in a section's table as in the appendix.
    rows = [row.figure for section in context["sections"] for row in section.rows]
    assert sorted(f.number for f in rows) == [f.number for f in figures]
    mobilisation = next(s for s in context["sections"] if s.key == "mobilisation")
    assert "Tổ chức 7 cuộc đối thoại cấp quận và 143 cuộc cấp phường." in mobilisation.paragraphs
    assert len(mobilisation.figures) == 2  # the rate per year, the wards compared
    assert context["document"].symbol == "BC/QU"
    assert context["document"].subject == "Tổng kết nhiệm kỳ 2015–2020"


def test_the_term_pdf_states_the_articles_figures(demo, db):
    unit, period = district_term()
    started = time.monotonic()
    pdf = term_report.render(unit=unit, period=period)
    seconds = time.monotonic() - started
    assert pdf.startswith(b"%PDF")
    text = flat(pdf_text(pdf))
    for expected in (
        "BÁO CÁO", "Tổng kết nhiệm kỳ 2015–2020", "QUẬN ỦY LONG BIÊN", "-BC/QU",
        "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nơi nhận:", "Thành ủy Hà Nội",
        "22 nghị quyết", "202 thông báo kết luận", "488 nghị quyết chuyên đề",
        "36 quy trình công tác cấp quận và 26 quy trình cấp cơ sở",
        "312 hội nghị học tập", "95,4%", "13.969/14.643",
        "1.004 lượt cán bộ", "281 (28,0%)", "705 (70,2%)", "12 (1,2%)", "6 (0,6%)",
        "256 lượt cán bộ", "bổ nhiệm 63", "bổ nhiệm lại 73", "hiệp y bổ nhiệm 59",
        "điều động 18", "giới thiệu ứng cử 179",
        "672 lượt tổ chức đảng và 132 lượt đảng viên", "593 lượt tổ chức đảng và 161",
        "15 quy trình kiểm tra, giám sát và 3 quy chế phối hợp",
        "giải quyết 11 đơn", "giải quyết 3 đơn",
        "7 cuộc đối thoại cấp quận và 143 cuộc cấp phường",
        "98,2% (493/502)", "5 cuộc giám sát chuyên đề, 59 hội nghị phản biện",
        "trả lời 709 ý kiến", "Mở 6 lớp bồi dưỡng cán bộ",
        "PHỤ LỤC", "opinion_cases.rate", "dialogues.district", "cadres.evaluations",
        "cộng đủ 100",
    ):  # fmt: skip
        assert expected in text, expected
    assert "nan" not in text.lower().split()
    # Appendix numbers match the body's: [n] appears twice (table and appendix) for each figure.
    numbers = re.findall(r"\[(\d+)\]", text)
    assert numbers and all(numbers.count(n) >= 2 for n in set(numbers))
    print(f"term report: {seconds:.1f} s")


def test_a_scope_without_records_says_so(demo, db):
    unit = OrgUnit.objects.get(code="VP-QU")  # the committee's office: no records of its own
    context = term_report.build_context(unit=unit, period=periods.year(2010))
    assert all(section.empty for section in context["sections"])
    assert context["figures"] == []
    text = flat(pdf_text(term_report.render(unit=unit, period=periods.year(2010))))
    assert text.count("Trong kỳ không phát sinh") == 7  # six sections and the appendix
    assert "nan" not in text.lower().split()
    assert "0%" not in text and "0,0%" not in text
    assert "Tổng kết năm 2010" in text


def test_a_share_of_nothing_reads_no_data(demo, db):
    unit, period = district_term()
    context = term_report.build_context(unit=unit, period=period)
    values = {f.code: f for f in context["figures"]}
    # The demo's term has no deadline-bound tasks: no share of them is printed at all.
    assert "tasks.on_time_share" not in values
    leadership = context["sections"][0]
    assert "Trong kỳ không có nhiệm vụ triển khai nào đến hạn." in leadership.paragraphs
    share = next(f for f in values.values() if f.is_share)
    assert (
        term_report.share_text(
            type(share.value)(share.indicator, share=None, numerator=0, denominator=0)
        )
        == "không có số liệu"
    )


def test_the_command_writes_the_pdf(demo, db, tmp_path):
    output = tmp_path / "bc.pdf"
    out = StringIO()
    call_command("term_report", "--term", "2015-2020", "--unit", "P-BODE", "--period",
                 "year:2019", "--output", str(output), stdout=out)  # fmt: skip
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert "Đã ghi" in out.getvalue()
    text = flat(pdf_text(pdf))
    assert "Tổng kết năm 2019" in text and "ĐẢNG ỦY PHƯỜNG BỒ ĐỀ" in text
    assert "-BC/ĐU" in text


def test_the_command_refuses_unknown_terms_and_periods(demo, db, tmp_path):
    output = tmp_path / "bc.pdf"
    with pytest.raises(CommandError, match="Không có nhiệm kỳ “1990-1995”"):
        call_command("term_report", "--term", "1990-1995", "--output", str(output))
    with pytest.raises(CommandError, match="nằm ngoài"):
        call_command("term_report", "--term", "2015-2020", "--period", "year:2023",
                     "--output", str(output))  # fmt: skip
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("term_report", "--term", "2015-2020", "--period", "quý:3",
                     "--output", str(output))  # fmt: skip
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("term_report", "--term", "2015-2020", "--unit", "X-NONE",
                     "--output", str(output))  # fmt: skip
    assert not output.exists()


def test_a_chart_taller_than_the_rest_of_a_page_keeps_its_caption(demo, db):
    """A comparison of many units (a city's 31 districts) is drawn on one page with its
    caption: never the caption alone at the foot of a page and the chart on the next, never
    a chart cut by the page's end."""
    from decimal import Decimal

    from longbien.reporting import charts, rendering

    unit, period = district_term()
    context = term_report.build_context(unit=unit, period=period)
    caption = "Biểu đồ thử: ba mươi mốt đơn vị"
    tall = charts.figure(
        charts.comparison_chart(
            title=caption,
            bars=[charts.Bar(f"Đơn vị thử {n:02d}", Decimal(900 + n) / 10) for n in range(1, 32)],
            unit=charts.Unit.PERCENT,
            key="test-tall",
        ),
        font=charts.PDF_FONT,
    )
    section = next(s for s in context["sections"] if s.figures)
    section.figures.insert(0, tall)
    pdf = rendering.render_pdf(term_report.TEMPLATE, context)
    pages = pdf_text(pdf).split("\f")
    # The chart's first and last bars are on the caption's page (the table below it, whose
    # header names the chart again, may go on to the next pages).
    chart_page = next(page for page in pages if caption in page)
    assert "Đơn vị thử 01" in chart_page and "Đơn vị thử 31" in chart_page
