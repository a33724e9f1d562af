"""The chart module (longbien/reporting/charts.py): the SVG the dashboard and the PDF reports
share. Each kind is valid XML with its title, description, one title per bar carrying the
Vietnamese value, links when given, gaps (never zeros) for missing values, escaped labels;
the comparison is sorted with its reference line where the scale puts it; the same input
gives the same bytes; and WeasyPrint draws it into a PDF whose text holds the labels."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import weasyprint
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from longbien.reporting import charts
from longbien.reporting.charts import Bar, Stack, Unit

SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = ["Q1/2021", "Q2/2021", "Q3/2021", "Q4/2021", "Q1/2022"]
RATINGS = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
           "Không hoàn thành nhiệm vụ"]  # fmt: skip
HOSTILE = "<script>alert(1)</script> & Co"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (markup drawn by the module under test)


def items(root: ET.Element) -> list[ET.Element]:
    """The bars (segments, points): each a <g> or <a> with class chart-item."""
    return [el for el in root.iter() if el.get("class") == "chart-item"]


def tip(item: ET.Element) -> str:
    title = item.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def bar_rects(item: ET.Element) -> list[ET.Element]:
    """The visible rectangles of an item (not the invisible hover target)."""
    return [rect for rect in item.iter(f"{SVG}rect") if rect.get("fill-opacity") != "0"]


def trend() -> charts.Chart:
    return charts.trend_chart(
        title="Văn bản ban hành theo quý",
        bars=[
            Bar("Q1/2021", 12, "/van-ban/?q=2021-1"),
            Bar("Q2/2021", 1004, "/van-ban/?q=2021-2"),
            Bar("Q3/2021", None, "/van-ban/?q=2021-3"),
            Bar("Q4/2021", 0, "/van-ban/?q=2021-4"),
            Bar("Q1/2022", 45, "/van-ban/?q=2022-1"),
        ],
    )


def comparison(reference: Decimal | None = Decimal("92.3")) -> charts.Chart:
    return charts.comparison_chart(
        title="Tỷ lệ giải quyết ý kiến",
        unit=Unit.PERCENT,
        bars=[
            Bar("Phường Bồ Đề", Decimal("95.4"), "/y-kien/?unit=P-BD"),
            Bar("Phường Gia Thụy", None, "/y-kien/?unit=P-GT"),
            Bar(HOSTILE, Decimal("60"), "javascript:alert(1)"),
            Bar("Phường Ngọc Thụy", Decimal("100"), "/y-kien/?unit=P-NT"),
            Bar("Phường Long Biên", Decimal("87.5"), "/y-kien/?unit=P-LB"),
        ],
        reference=reference,
    )


def distribution() -> charts.Chart:
    return charts.distribution_chart(
        title="Xếp loại đánh giá hằng tháng",
        categories=RATINGS,
        stacks=[Stack("", (281, 705, 12, 6), ("/dg/?r=1", "/dg/?r=2", "/dg/?r=3", "/dg/?r=4"))],
    )


def sparkline() -> charts.Chart:
    return charts.sparkline_chart(
        title="Nhiệm vụ đúng hạn",
        bars=[Bar(q, v) for q, v in zip(QUARTERS, [5, 8, None, 7, 9], strict=True)],
    )


ALL = [trend, comparison, distribution, sparkline]


@pytest.mark.parametrize("build", ALL, ids=lambda build: build.__name__)
def test_every_kind_is_valid_accessible_scalable_svg(build):
    chart = build()
    svg = charts.render(chart)
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    # The Content-Security-Policy forbids inline styles: presentation attributes only.
    assert not [el for el in root.iter() if "style" in el.attrib or el.tag == f"{SVG}style"]
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == chart.title
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script" not in svg


def test_trend_has_one_titled_linked_item_per_bar_with_vietnamese_values():
    root = parse(charts.render(trend()))
    found = items(root)
    assert [tip(item) for item in found] == [
        "Q1/2021: 12",
        "Q2/2021: 1.004",
        "Q3/2021: không có số liệu",
        "Q4/2021: 0",
        "Q1/2022: 45",
    ]
    assert [item.tag for item in found] == [f"{SVG}a"] * 5
    assert found[1].get("href") == "/van-ban/?q=2021-2"
    texts = ["".join(text.itertext()) for text in found[1].iter(f"{SVG}text")]
    assert "1.004" in texts and "Q2/2021" in texts  # value written beside the bar
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "Q2/2021: 1.004" in (desc.text or "")


def test_trend_bars_are_scaled_to_their_values():
    root = parse(charts.render(trend()))
    heights = {tip(item).split(":")[0]: bar_rects(item) for item in items(root)}
    tallest = float(heights["Q2/2021"][0].get("height", ""))
    assert tallest == pytest.approx(160)
    assert float(heights["Q1/2021"][0].get("height", "")) == pytest.approx(
        160 * 12 / 1004, abs=0.01
    )
    assert float(heights["Q4/2021"][0].get("height", "")) == 0  # a zero is drawn as zero


def test_missing_value_is_a_gap_marked_no_data_never_a_zero_bar():
    root = parse(charts.render(trend()))
    gap = items(root)[2]
    assert bar_rects(gap) == []
    marks = [text for text in gap.iter(f"{SVG}text") if text.get("class") == "chart-gap"]
    assert len(marks) == 1 and "không có số liệu".startswith((marks[0].text or "").rstrip("…"))
    # In a wide slot the whole phrase is written.
    wide = charts.trend_chart(title="T", bars=[Bar("2019", 3), Bar("2020", None)])
    gap = items(parse(charts.render(wide)))[1]
    assert [t.text for t in gap.iter(f"{SVG}text") if t.get("class") == "chart-gap"] == [
        "không có số liệu"
    ]


def test_bars_without_url_are_not_links():
    chart = charts.trend_chart(title="T", bars=[Bar("2019", 3), Bar("2020", 4, "/x/")])
    found = items(parse(charts.render(chart)))
    assert [item.tag for item in found] == [f"{SVG}g", f"{SVG}a"]
    assert found[1].get("href") == "/x/"


def test_hostile_labels_are_escaped_and_unsafe_links_dropped():
    chart = comparison()
    svg = charts.render(chart)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in svg
    assert "javascript:" not in svg
    root = parse(svg)
    hostile = [item for item in items(root) if tip(item).startswith("<script>")]
    assert len(hostile) == 1
    assert tip(hostile[0]) == HOSTILE + ": 60,0%"  # the full label in the title
    assert hostile[0].tag == f"{SVG}g"  # the javascript: URL gave no link
    # Also in the title, the description and the table.
    titled = charts.trend_chart(title=HOSTILE, bars=[Bar(HOSTILE, 1)])
    root = parse(charts.render(titled))
    assert [t.text for t in root.iter(f"{SVG}title")][0] == HOSTILE
    assert charts.table(comparison()).rows[3].cells[0].url == ""
    html = render_to_string("reporting/charts/table.html", {"table": charts.table(titled)})
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_long_labels_are_cut_with_an_ellipsis_but_whole_in_the_title():
    label = "Phường Phúc Đồng, tổ dân phố số 12 khu tập thể"
    chart = charts.comparison_chart(title="T", bars=[Bar(label, 3)])
    item = items(parse(charts.render(chart)))[0]
    assert tip(item) == f"{label}: 3"
    # Too long for one line: two lines broken at a space, the second cut with an ellipsis.
    drawn = [text for text in parse(charts.render(chart)).iter(f"{SVG}text") if len(text)]
    lines = ["".join(span.itertext()) for span in drawn[0].iter(f"{SVG}tspan")]
    assert len(lines) == 2 and label.startswith(lines[0] + " ")
    assert lines[1].endswith("…") and label.startswith(f"{lines[0]} {lines[1][:-1]}")


def test_a_label_that_fits_on_two_lines_is_whole():
    label = "Đảng ủy phường Thượng Thanh"
    chart = charts.comparison_chart(title="T", bars=[Bar(label, 3), Bar("Bồ Đề", 4)])
    drawn = [text for text in parse(charts.render(chart)).iter(f"{SVG}text") if len(text)]
    lines = ["".join(span.itertext()) for text in drawn for span in text.iter(f"{SVG}tspan")]
    assert " ".join(lines[:2]) == label or " ".join(lines[-2:]) == label
    assert not any(line.endswith("…") for line in lines)


def test_comparison_is_sorted_with_missing_values_last():
    found = items(parse(charts.render(comparison())))
    assert [tip(item) for item in found] == [
        "Phường Ngọc Thụy: 100,0%",
        "Phường Bồ Đề: 95,4%",
        "Phường Long Biên: 87,5%",
        HOSTILE + ": 60,0%",
        "Phường Gia Thụy: không có số liệu",
    ]
    ys = [float(bar_rects(item)[0].get("y", "")) for item in found[:4]]
    assert ys == sorted(ys)  # drawn top to bottom in that order


def test_comparison_reference_line_sits_at_the_average_on_the_bars_scale():
    root = parse(charts.render(comparison()))
    full = bar_rects(items(root)[0])[0]  # 100 % spans the whole scale
    x0, length = float(full.get("x", "")), float(full.get("width", ""))
    line = next(el for el in root.iter(f"{SVG}line") if el.get("class") == "chart-reference")
    assert float(line.get("x1", "")) == pytest.approx(x0 + length * 92.3 / 100, abs=0.01)
    assert line.get("x1") == line.get("x2")
    assert "Bình quân toàn quận: 92,3%" in "".join(root.itertext())
    # Counts: the largest value spans the scale, the average is placed on it.
    counts = charts.comparison_chart(
        title="Nhiệm vụ quá hạn",
        bars=[Bar("A", 4), Bar("B", 25), Bar("C", 10)],
        reference=Decimal("13"),
    )
    root = parse(charts.render(counts))
    widest = bar_rects(items(root)[0])[0]
    x0, length = float(widest.get("x", "")), float(widest.get("width", ""))
    line = next(el for el in root.iter(f"{SVG}line") if el.get("class") == "chart-reference")
    assert float(line.get("x1", "")) == pytest.approx(x0 + length * 13 / 25, abs=0.01)
    widths = [float(bar_rects(item)[0].get("width", "")) for item in items(root)]
    assert widths == pytest.approx([length, length * 10 / 25, length * 4 / 25], abs=0.01)


def test_comparison_without_reference_has_no_line():
    root = parse(charts.render(comparison(reference=None)))
    assert not [el for el in root.iter(f"{SVG}line") if el.get("class") == "chart-reference"]


def test_distribution_shares_add_up_to_100_and_segments_are_proportional():
    root = parse(charts.render(distribution()))
    found = items(root)
    assert [tip(item) for item in found] == [
        "Hoàn thành xuất sắc nhiệm vụ: 281 (28,0%)",
        "Hoàn thành tốt nhiệm vụ: 705 (70,2%)",
        "Hoàn thành nhiệm vụ: 12 (1,2%)",
        "Không hoàn thành nhiệm vụ: 6 (0,6%)",
    ]
    assert [item.get("href") for item in found] == ["/dg/?r=1", "/dg/?r=2", "/dg/?r=3", "/dg/?r=4"]
    widths = [float(bar_rects(item)[0].get("width", "")) for item in found]
    total = sum(widths)
    assert [w / total * 100 for w in widths] == pytest.approx([28.0, 70.2, 1.2, 0.6], abs=0.01)
    colours = [bar_rects(item)[0].get("fill") for item in found]
    assert len(set(colours)) == 4
    # The legend names every category with its figures, so colour is not the only key.
    text = "".join(root.itertext())
    assert "Hoàn thành tốt nhiệm vụ: 705 (70,2%)" in text
    assert "70,2%" in [t.text for t in found[1].iter(f"{SVG}text")]


def test_distribution_stack_without_data_is_a_gap():
    chart = charts.distribution_chart(
        title="Xếp loại theo năm",
        categories=RATINGS,
        stacks=[Stack("2016", (50, 140, 3, 1)), Stack("2017", (0, 0, 0, 0))],
    )
    root = parse(charts.render(chart))
    assert len(items(root)) == 4  # the 2016 segments only
    assert "2017 – không có số liệu" in [t.text for t in root.iter(f"{SVG}title")]
    assert "0%" not in "".join(root.itertext()).replace("100,0%", "")
    desc = "".join(next(root.iter(f"{SVG}desc")).itertext())
    assert "2016: Hoàn thành xuất sắc nhiệm vụ 50 (25,8%)" in desc
    with pytest.raises(ValueError):
        charts.distribution_chart(title="T", categories=RATINGS, stacks=[Stack("", (1, 2))])


def test_sparkline_breaks_its_line_at_a_missing_value():
    root = parse(charts.render(sparkline()))
    assert [tip(item) for item in items(root)] == [
        "Q1/2021: 5",
        "Q2/2021: 8",
        "Q3/2021: không có số liệu",
        "Q4/2021: 7",
        "Q1/2022: 9",
    ]
    lines = list(root.iter(f"{SVG}polyline"))
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]


def test_values_are_formatted_the_vietnamese_way():
    counts = charts.trend_chart(title="T", bars=[])
    assert counts.format(1004) == "1.004"
    assert counts.format(Decimal("8.25")) == "8,3"  # an average of counts
    assert counts.format(Decimal("8.0")) == "8"
    assert counts.format(None) == "không có số liệu"
    rates = charts.trend_chart(title="T", bars=[], unit=Unit.PERCENT)
    assert rates.format(Decimal("95.4")) == "95,4%"
    assert rates.format(100) == "100,0%"


def test_negative_values_are_refused():
    with pytest.raises(ValueError):
        charts.trend_chart(title="T", bars=[Bar("A", -1)])
    with pytest.raises(ValueError):
        charts.comparison_chart(title="T", bars=[Bar("A", 1)], reference=-2)


def test_table_gives_the_same_figures_and_links():
    table = charts.table(comparison())
    assert table.caption == "Tỷ lệ giải quyết ý kiến"
    assert table.headings == ("Đơn vị", "Tỷ lệ giải quyết ý kiến")
    assert [(row.label, row.cells[0].text, row.cells[0].url) for row in table.rows] == [
        ("Phường Ngọc Thụy", "100,0%", "/y-kien/?unit=P-NT"),
        ("Phường Bồ Đề", "95,4%", "/y-kien/?unit=P-BD"),
        ("Phường Long Biên", "87,5%", "/y-kien/?unit=P-LB"),
        (HOSTILE, "60,0%", ""),
        ("Phường Gia Thụy", "không có số liệu", "/y-kien/?unit=P-GT"),
        ("Bình quân toàn quận", "92,3%", ""),
    ]
    assert [row.is_reference for row in table.rows] == [False] * 5 + [True]

    single = charts.table(distribution())
    assert single.headings == ("Loại", "Số lượng", "Tỷ lệ")
    assert [(row.label, *(cell.text for cell in row.cells)) for row in single.rows] == [
        (RATINGS[0], "281", "28,0%"),
        (RATINGS[1], "705", "70,2%"),
        (RATINGS[2], "12", "1,2%"),
        (RATINGS[3], "6", "0,6%"),
        ("Tổng", "1.004", "100,0%"),
    ]
    assert single.rows[1].cells[0].url == "/dg/?r=2"

    years = charts.distribution_chart(
        title="Theo năm",
        categories=RATINGS,
        label_heading="Năm",
        stacks=[Stack("2016", (50, 140, 3, 1)), Stack("2017", (0, 0, 0, 0))],
    )
    matrix = charts.table(years)
    assert matrix.headings == ("Năm", *RATINGS, "Tổng")
    assert [cell.text for cell in matrix.rows[0].cells] == [
        "50 (25,8%)", "140 (72,2%)", "3 (1,5%)", "1 (0,5%)", "194 (100,0%)"
    ]  # fmt: skip
    assert [cell.text for cell in matrix.rows[1].cells] == ["không có số liệu"] * 5


def test_same_input_gives_the_same_bytes():
    for build in ALL:
        assert charts.render(build()) == charts.render(build())
    # Different data, different element ids (two charts on one page do not collide).
    assert comparison().dom_id != comparison(reference=Decimal("90")).dom_id
    keyed = charts.trend_chart(title="T", bars=[Bar("A", 1)], key="tasks done/on time")
    title = next(parse(charts.render(keyed)).iter(f"{SVG}title"))
    assert title.get("id") == "chart-tasks-done-on-time-title"


def test_figure_template_shows_the_chart_and_its_table_view():
    figure = charts.figure(comparison())
    html = render_to_string("reporting/charts/figure.html", {"figure": figure})
    assert "<details" in html and "Xem dạng bảng" in html
    assert str(figure.svg) in html
    assert '<a href="/y-kien/?unit=P-NT">100,0%</a>' in html
    printed = render_to_string(
        "reporting/charts/figure.html", {"figure": figure, "table_open": True}
    )
    assert "<details" not in printed and "<caption" not in printed and "92,3%" in printed


def test_weasyprint_draws_the_charts_into_the_pdf():
    body = "".join(
        render_to_string(
            "reporting/charts/figure.html",
            {"figure": charts.figure(build(), font=charts.PDF_FONT), "table_open": True},
        )
        for build in ALL
    )
    # Only the SVG, to be sure the text comes from the chart and not from its table.
    svg_only = charts.render(comparison(), font=charts.PDF_FONT)
    for html in (f"<html><body>{body}</body></html>", f"<html><body>{svg_only}</body></html>"):
        pdf = weasyprint.HTML(string=html).write_pdf()
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Phường Bồ Đề" in text
        assert "95,4%" in text
        assert "Bình quân toàn quận: 92,3%" in text
