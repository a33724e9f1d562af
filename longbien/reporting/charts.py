"""SVG charts drawn on the server: the same code for the dashboard and the PDF reports.

A chart is plain data (:class:`Chart`, built by :func:`trend_chart`, :func:`comparison_chart`,
:func:`distribution_chart` or :func:`sparkline_chart`); :func:`render` draws it as an inline SVG
string and :func:`table` gives the same figures as rows for the chart's table view. No
JavaScript and nothing fetched: the browser and WeasyPrint draw the same markup.

- **Escaping.** Every text put in the SVG (labels come from the database) is escaped and
  stripped of control characters; only then is the result marked safe.
- **Accessibility.** ``role="img"`` with a ``<title>`` and a ``<desc>`` listing every value;
  each bar, segment or point has its own ``<title>`` (the value on hover, without script) and
  is wrapped in ``<a href>`` when it has a drill-down URL. Values are written as text beside
  the bars, so colour never carries meaning alone. Only presentation attributes are used (no
  ``style``), as the site's Content-Security-Policy forbids inline styles.
- **No data.** A value of None is drawn as a gap marked "không có số liệu", never as 0.
- **Numbers** in Vietnamese format (:func:`~longbien.formatting.vn_number`,
  :func:`~longbien.formatting.vn_percent`); the shares of a distribution come from its counts
  through :func:`~longbien.formatting.shares`, so they add up to 100.
- **Size.** A fixed ``viewBox`` with ``width="100%"``: the chart scales to its container,
  from a 390 px phone to an A4 page; long labels are cut with an ellipsis, the full label
  staying in the ``<title>``.
- **Deterministic.** The same chart gives the same bytes (element ids derive from a hash of
  the chart's data unless a ``key`` is given), so tests and caches can compare outputs.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from longbien.formatting import shares, vn_number, vn_percent

Value = int | Decimal | None

#: The site's sans-serif stack (static/css/app.css), for charts on web pages.
WEB_FONT = '"Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif'
#: The Party documents' serif: "Party Serif" is the Liberation Serif that
#: static/css/party-document.css loads from static/fonts/.
PDF_FONT = '"Party Serif", "Liberation Serif", serif'

WIDTH = 480  # viewBox units; the SVG itself is 100 % wide
FONT_SIZE = 13
SMALL_SIZE = 12
#: The widest label column of the horizontal charts (longer labels are cut).
LABEL_COLUMN = 150.0
LINE_GAP = 14.0  # between the two lines of a wrapped label
#: Widest glyph advance in ems assumed when fitting text (generous for Vietnamese diacritics).
CHAR_WIDTH = 0.6
PAD = 6

INK = "#1f2328"
MUTED = "#5f6b76"  # 5.3:1 on white
AXIS = "#8c959f"
#: Bar colours, each at least 4.5:1 on white (and white text on them); the first is the
#: single-series colour.
PALETTE = ("#1f5f99", "#1a7f37", "#9a6700", "#b3131b", "#6f42c1", "#0f6e74")


class Kind(enum.StrEnum):
    TREND = "trend"  # vertical bars, e.g. by quarter across a term
    COMPARISON = "comparison"  # horizontal bars, sorted, with a reference line
    DISTRIBUTION = "distribution"  # 100 % stacked bars
    SPARKLINE = "sparkline"  # a small line for a KPI tile


class Unit(enum.StrEnum):
    COUNT = "count"
    PERCENT = "percent"


@dataclass(frozen=True)
class Bar:
    """One value of a series: a label, a value (None: no data) and an optional drill-down URL."""

    label: str
    value: Value
    url: str = ""


@dataclass(frozen=True)
class Stack:
    """One 100 % bar of a distribution: a count per category, and optional URLs per category.

    A stack whose counts are all zero, or one of which is None, has no data.
    """

    label: str
    counts: tuple[int | None, ...]
    urls: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        return None not in self.counts and sum(c or 0 for c in self.counts) > 0

    @property
    def total(self) -> int | None:
        return sum(c or 0 for c in self.counts) if self.has_data else None

    @property
    def shares(self) -> list[Decimal | None]:
        if not self.has_data:
            return [None] * len(self.counts)
        return shares([c or 0 for c in self.counts])

    def url(self, index: int) -> str:
        return self.urls[index] if index < len(self.urls) else ""


@dataclass(frozen=True)
class Chart:
    """A chart's data; build it with one of the ``*_chart`` functions."""

    kind: Kind
    title: str
    bars: tuple[Bar, ...] = ()
    unit: Unit = Unit.COUNT
    places: int = 1  # decimals of a percentage
    description: str = ""
    label_heading: str = ""
    value_heading: str = ""
    reference: Value = None
    reference_label: str = ""
    categories: tuple[str, ...] = ()
    stacks: tuple[Stack, ...] = ()
    key: str = ""

    def format(self, value: Value) -> str:
        """The value as written on the chart and in its table ("1.004", "95,4%")."""
        if value is None:
            return no_data()
        if self.unit == Unit.PERCENT:
            return vn_percent(Decimal(value), self.places)
        if isinstance(value, Decimal) and value != value.to_integral_value():
            return vn_number(value, self.places)  # an average of counts: "8,3"
        return vn_number(value)

    @property
    def dom_id(self) -> str:
        """The prefix of the SVG's element ids: the key, or a hash of the chart's data."""
        if self.key:
            return "chart-" + re.sub(r"[^A-Za-z0-9_-]+", "-", self.key)
        digest = hashlib.sha256(repr(self).encode()).hexdigest()[:10]
        return f"chart-{digest}"


@dataclass(frozen=True)
class Cell:
    """A table cell: the formatted figure and the drill-down URL behind it."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class TableRow:
    """One row of a chart's table: its label and cells (the reference line's row is marked)."""

    label: str
    cells: tuple[Cell, ...]
    is_reference: bool = False


@dataclass(frozen=True)
class Table:
    """A chart's figures as a table (the "table view" of each chart)."""

    caption: str
    headings: tuple[str, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class Figure:
    """What ``reporting/charts/figure.html`` shows: the SVG, its caption and its table."""

    chart: Chart
    svg: SafeString
    table: Table

    @property
    def title(self) -> str:
        return self.chart.title


def figure(chart: Chart, *, font: str = WEB_FONT) -> Figure:
    """Return the chart drawn and tabulated, for ``{% include "reporting/charts/figure.html" %}``."""
    return Figure(chart, render(chart, font=font), table(chart))


def no_data() -> str:
    return _("không có số liệu")


def _check(values: Iterable[Value | int | None]) -> None:
    for value in values:
        if value is not None and value < 0:
            raise ValueError("chart values must not be negative")


def trend_chart(
    *,
    title: str,
    bars: Sequence[Bar],
    unit: Unit = Unit.COUNT,
    places: int = 1,
    description: str = "",
    label_heading: str = "",
    value_heading: str = "",
    key: str = "",
) -> Chart:
    """Return vertical bars in the given order, e.g. one per quarter ("Q1/2021") of a term."""
    _check(bar.value for bar in bars)
    return Chart(
        kind=Kind.TREND,
        title=title,
        bars=tuple(bars),
        unit=unit,
        places=places,
        description=description,
        label_heading=label_heading or _("Kỳ"),
        value_heading=value_heading or title,
        key=key,
    )


def comparison_chart(
    *,
    title: str,
    bars: Sequence[Bar],
    unit: Unit = Unit.COUNT,
    places: int = 1,
    reference: Value = None,
    reference_label: str = "",
    description: str = "",
    label_heading: str = "",
    value_heading: str = "",
    key: str = "",
) -> Chart:
    """Return horizontal bars sorted from the largest value down, those without data last.

    ``reference`` (e.g. the district average) is drawn as a dashed vertical line labelled
    ``reference_label`` ("Bình quân toàn quận" unless given). Equal values keep their order.
    """
    _check([*(bar.value for bar in bars), reference])
    ordered = sorted(bars, key=lambda bar: (bar.value is None, -(bar.value or 0)))
    return Chart(
        kind=Kind.COMPARISON,
        title=title,
        bars=tuple(ordered),
        unit=unit,
        places=places,
        reference=reference,
        reference_label=reference_label or _("Bình quân toàn quận"),
        description=description,
        label_heading=label_heading or _("Đơn vị"),
        value_heading=value_heading or title,
        key=key,
    )


def distribution_chart(
    *,
    title: str,
    categories: Sequence[str],
    stacks: Sequence[Stack],
    description: str = "",
    label_heading: str = "",
    key: str = "",
) -> Chart:
    """Return 100 % stacked bars: one per stack, one segment per category, shares summing to 100.

    A single distribution is one stack (its label may be empty), e.g. the monthly evaluation
    ratings of a year: ``Stack("2020", (281, 705, 12, 6))``.
    """
    for stack in stacks:
        if len(stack.counts) != len(categories):
            raise ValueError("each stack needs one count per category")
        _check(stack.counts)
    return Chart(
        kind=Kind.DISTRIBUTION,
        title=title,
        categories=tuple(categories),
        stacks=tuple(stacks),
        description=description,
        label_heading=label_heading,
        key=key,
    )


def sparkline_chart(
    *,
    title: str,
    bars: Sequence[Bar],
    unit: Unit = Unit.COUNT,
    places: int = 1,
    key: str = "",
) -> Chart:
    """Return a small line (e.g. a KPI's value per quarter) for a tile."""
    _check(bar.value for bar in bars)
    return Chart(
        kind=Kind.SPARKLINE,
        title=title,
        bars=tuple(bars),
        unit=unit,
        places=places,
        label_heading=_("Kỳ"),
        value_heading=title,
        key=key,
    )


# --- Tables ------------------------------------------------------------------------------


def table(chart: Chart) -> Table:
    """Return the chart's figures as rows, with the same drill-down URLs as its bars."""
    if chart.kind == Kind.DISTRIBUTION and len(chart.stacks) == 1:
        return _single_distribution_table(chart, chart.stacks[0])
    if chart.kind == Kind.DISTRIBUTION:
        rows = []
        for stack in chart.stacks:
            if stack.has_data:
                cells = tuple(
                    Cell(f"{vn_number(count)} ({vn_percent(share)})", _safe_url(stack.url(index)))
                    for index, (count, share) in enumerate(
                        zip(stack.counts, stack.shares, strict=True)
                    )
                )
                cells += (Cell(f"{vn_number(stack.total)} ({vn_percent(Decimal(100))})"),)
            else:
                cells = (Cell(no_data()),) * (len(chart.categories) + 1)
            rows.append(TableRow(stack.label, cells))
        headings = (chart.label_heading, *chart.categories, _("Tổng"))
        return Table(chart.title, headings, tuple(rows))
    rows = [
        TableRow(bar.label, (Cell(chart.format(bar.value), _safe_url(bar.url)),))
        for bar in chart.bars
    ]
    if chart.reference is not None:
        rows.append(TableRow(chart.reference_label, (Cell(chart.format(chart.reference)),), True))
    return Table(chart.title, (chart.label_heading, chart.value_heading), tuple(rows))


def _single_distribution_table(chart: Chart, stack: Stack) -> Table:
    """One distribution: a row per category with its count and share, and the total."""
    headings = (chart.label_heading or _("Loại"), _("Số lượng"), _("Tỷ lệ"))
    if not stack.has_data:
        rows = [
            TableRow(category, (Cell(no_data()), Cell(no_data()))) for category in chart.categories
        ]
        return Table(chart.title, headings, tuple(rows))
    rows = [
        TableRow(
            category, (Cell(vn_number(count), _safe_url(stack.url(index))), Cell(vn_percent(share)))
        )
        for index, (category, count, share) in enumerate(
            zip(chart.categories, stack.counts, stack.shares, strict=True)
        )
    ]
    rows.append(TableRow(_("Tổng"), (Cell(vn_number(stack.total)), Cell(vn_percent(Decimal(100))))))
    return Table(chart.title, headings, tuple(rows))


# --- SVG ---------------------------------------------------------------------------------


def render(chart: Chart, *, font: str = WEB_FONT) -> SafeString:
    """Return the chart as an inline SVG string, safe to put in a page or a PDF's HTML.

    ``font`` is a CSS font-family list: :data:`WEB_FONT` on the site, :data:`PDF_FONT` in the
    Party documents.
    """
    drawers = {
        Kind.TREND: _draw_trend,
        Kind.COMPARISON: _draw_comparison,
        Kind.DISTRIBUTION: _draw_distribution,
        Kind.SPARKLINE: _draw_sparkline,
    }
    width, height, body = drawers[chart.kind](chart)
    dom_id = chart.dom_id
    root: dict[str, str | float] = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {_n(width)} {_n(height)}",
        "width": "100%",
        "role": "img",
        "aria-labelledby": f"{dom_id}-title {dom_id}-desc",
        "class": f"chart chart-{chart.kind}",
        "font-family": font,
        "font-size": FONT_SIZE,
        "fill": INK,
    }
    head = _el("title", {"id": f"{dom_id}-title"}, _text(chart.title)) + _el(
        "desc", {"id": f"{dom_id}-desc"}, _text(chart.description or _summary(chart))
    )
    # Every piece of text went through _text() or _attrs(): the markup is safe.
    return mark_safe(_el("svg", root, head + body))  # noqa: S308


def _summary(chart: Chart) -> str:
    """The default ``<desc>``: every value, in the order drawn."""
    if chart.kind == Kind.DISTRIBUTION:
        parts = []
        for stack in chart.stacks:
            if not stack.has_data:
                parts.append(f"{stack.label}: {no_data()}".strip(": "))
                continue
            items = ", ".join(
                f"{category} {vn_number(count)} ({vn_percent(share)})"
                for category, count, share in zip(
                    chart.categories, stack.counts, stack.shares, strict=True
                )
            )
            parts.append(f"{stack.label}: {items}" if stack.label else items)
        return "; ".join(parts) + "."
    parts = [f"{bar.label}: {chart.format(bar.value)}" for bar in chart.bars]
    if chart.reference is not None:
        parts.append(f"{chart.reference_label}: {chart.format(chart.reference)}")
    return "; ".join(parts) + "." if parts else no_data() + "."


def _draw_trend(chart: Chart) -> tuple[float, float, str]:
    bars = chart.bars
    count = max(len(bars), 1)
    labels = [_clean(bar.label) for bar in bars]
    values = [chart.format(bar.value) for bar in bars]
    plot = 160.0
    scale = _scale_max(chart, [bar.value for bar in bars])

    # Labels under the bars: level when they fit their slot, else slanted at 45° (then the
    # first label needs room on the left, as a slanted label reaches left of its bar).
    slot = (WIDTH - 2 * PAD) / count
    slanted = max((_width(label, SMALL_SIZE) for label in labels), default=0) > slot - 2
    label_room = 70.0 if slanted else SMALL_SIZE + 8
    max_label = (label_room - SMALL_SIZE) / math.sin(math.pi / 4) if slanted else slot - 2
    left = float(PAD)
    if slanted:
        first = _width(_fit(labels[0], max_label, SMALL_SIZE), SMALL_SIZE) * math.cos(math.pi / 4)
        left = PAD + max(first - slot / 2, 0)
        slot = (WIDTH - PAD - left) / count
    bar_width = min(slot * 0.7, 48)
    # Values over the bars: level when they fit, else turned upright.
    widest = max(
        (
            _width(text, SMALL_SIZE)
            for bar, text in zip(bars, values, strict=True)
            if bar.value is not None
        ),
        default=0.0,
    )
    upright = widest > slot - 2
    value_room = widest + 6 if upright else 18.0
    top = value_room
    base = top + plot
    height = base + label_room

    parts = [_line(left, base, WIDTH - PAD, base, AXIS)]
    for index, bar in enumerate(bars):
        centre = left + slot * (index + 0.5)
        label = _fit(labels[index], max_label, SMALL_SIZE)
        if slanted:
            label_svg = _el(
                "text",
                {
                    "x": centre,
                    "y": base + SMALL_SIZE + 2,
                    "font-size": SMALL_SIZE,
                    "text-anchor": "end",
                    "transform": f"rotate(-45 {_n(centre)} {_n(base + SMALL_SIZE + 2)})",
                },
                _text(label),
            )
        else:
            label_svg = _el(
                "text",
                {
                    "x": centre,
                    "y": base + SMALL_SIZE + 4,
                    "font-size": SMALL_SIZE,
                    "text-anchor": "middle",
                },
                _text(label),
            )
        hit = _hit_rect(left + slot * index, top, slot, plot)
        if bar.value is None:
            mark = _gap_text(centre, base - 4, slot, plot - 8, vertical=True)
        else:
            height_px = float(bar.value) / scale * plot
            rect = _el(
                "rect",
                {
                    "x": centre - bar_width / 2,
                    "y": base - height_px,
                    "width": bar_width,
                    "height": height_px,
                    "fill": PALETTE[0],
                },
            )
            if upright:
                y = base - height_px - 4
                value_svg = _el(
                    "text",
                    {
                        "x": centre,
                        "y": y,
                        "font-size": SMALL_SIZE,
                        "dominant-baseline": "central",
                        "transform": f"rotate(-90 {_n(centre)} {_n(y)})",
                    },
                    _text(values[index]),
                )
            else:
                value_svg = _el(
                    "text",
                    {
                        "x": centre,
                        "y": base - height_px - 4,
                        "font-size": SMALL_SIZE,
                        "text-anchor": "middle",
                    },
                    _text(values[index]),
                )
            mark = rect + value_svg
        tip = f"{_clean(bar.label)}: {values[index]}"
        parts.append(_item(tip, bar.url, hit + mark + label_svg))
    return WIDTH, height, "".join(parts)


def _draw_comparison(chart: Chart) -> tuple[float, float, str]:
    bars = chart.bars
    bar_height = 16.0
    values = [chart.format(bar.value) for bar in bars]
    label_width = _label_column([bar.label for bar in bars])
    # A label too long for its column takes two lines (then every row is taller).
    lines = [_two_lines(_clean(bar.label), label_width - PAD - 8, FONT_SIZE) for bar in bars]
    row = 34.0 if any(len(pair) > 1 for pair in lines) else 24.0
    value_width = max((_width(text, FONT_SIZE) for text in values), default=0) + 8
    x0, x1 = label_width, WIDTH - PAD - value_width
    scale = _scale_max(chart, [bar.value for bar in bars] + [chart.reference])
    top = 22.0 if chart.reference is not None else 4.0
    height = top + row * max(len(bars), 1) + 4

    # Three layers: the bars (each with its title and link), the reference line over them,
    # and the texts over the line (letting clicks through to the bars' links).
    shapes, texts = [], []
    for index, bar in enumerate(bars):
        y = top + row * index
        texts.append(
            _el(
                "text",
                {
                    "x": label_width - 8,
                    "y": y + row / 2 - (len(lines[index]) - 1) * LINE_GAP / 2,
                    "text-anchor": "end",
                    "dominant-baseline": "central",
                },
                "".join(
                    _el("tspan", {"x": label_width - 8, "dy": LINE_GAP if n else 0}, _text(part))
                    for n, part in enumerate(lines[index])
                ),
            )
        )
        shape = _hit_rect(PAD, y, WIDTH - 2 * PAD, row)
        if bar.value is None:
            texts.append(_gap_text(x0 + 4, y + row / 2, x1 - x0, row, vertical=False))
        else:
            length = float(bar.value) / scale * (x1 - x0)
            shape += _el(
                "rect",
                {
                    "x": x0,
                    "y": y + (row - bar_height) / 2,
                    "width": length,
                    "height": bar_height,
                    "fill": PALETTE[0],
                },
            )
            texts.append(
                _el(
                    "text",
                    {"x": x0 + length + 4, "y": y + row / 2, "dominant-baseline": "central"},
                    _text(values[index]),
                )
            )
        shapes.append(_item(f"{_clean(bar.label)}: {values[index]}", bar.url, shape))
    parts = [*shapes, _line(x0, top, x0, height - 4, AXIS)]
    if chart.reference is not None:
        x = x0 + float(chart.reference) / scale * (x1 - x0)
        caption = f"{_clean(chart.reference_label)}: {chart.format(chart.reference)}"
        anchor = "end" if x > (x0 + x1) / 2 else "start"
        room = WIDTH - PAD - x if anchor == "start" else x - PAD
        line = _el(
            "line",
            {
                "x1": x,
                "y1": top - 4,
                "x2": x,
                "y2": height - 4,
                "stroke": INK,
                "stroke-width": 1.5,
                "stroke-dasharray": "4 3",
                "class": "chart-reference",
            },
        )
        text = _el(
            "text",
            {"x": x, "y": top - 8, "font-size": SMALL_SIZE, "text-anchor": anchor},
            _text(_fit(caption, room, SMALL_SIZE)),
        )
        parts.append(_el("g", {}, _el("title", {}, _text(caption)) + line + text))
    parts.append(_el("g", {"pointer-events": "none"}, "".join(texts)))
    return WIDTH, height, "".join(parts)


def _draw_distribution(chart: Chart) -> tuple[float, float, str]:
    row = 28.0
    bar_height = 20.0
    labelled = any(stack.label for stack in chart.stacks)
    x0 = _label_column([stack.label for stack in chart.stacks]) if labelled else PAD
    x1 = WIDTH - PAD
    legend_row = 18.0
    single = len(chart.stacks) == 1
    body_height = row * max(len(chart.stacks), 1)
    height = 4 + body_height + 8 + legend_row * len(chart.categories) + 4

    parts = []
    for index, stack in enumerate(chart.stacks):
        y = 4 + row * index
        if labelled:
            parts.append(
                _el(
                    "text",
                    {
                        "x": x0 - 8,
                        "y": y + row / 2,
                        "text-anchor": "end",
                        "dominant-baseline": "central",
                    },
                    _text(_fit(_clean(stack.label), x0 - PAD - 8, FONT_SIZE)),
                )
            )
        prefix = f"{_clean(stack.label)} – " if stack.label else ""
        if not stack.has_data:
            parts.append(
                _el(
                    "g",
                    {},
                    _el("title", {}, _text(prefix + no_data()))
                    + _gap_text(x0 + 4, y + row / 2, x1 - x0, row, vertical=False),
                )
            )
            continue
        x = x0
        for category_index, (category, count, share) in enumerate(
            zip(chart.categories, stack.counts, stack.shares, strict=True)
        ):
            length = float(share or 0) / 100 * (x1 - x0)
            text = vn_percent(share)
            shape = _el(
                "rect",
                {
                    "x": x,
                    "y": y + (row - bar_height) / 2,
                    "width": length,
                    "height": bar_height,
                    "fill": PALETTE[category_index % len(PALETTE)],
                    "stroke": "#fff",
                    "stroke-width": 1,
                },
            )
            if _width(text, SMALL_SIZE) + 6 <= length:
                shape += _el(
                    "text",
                    {
                        "x": x + length / 2,
                        "y": y + row / 2,
                        "font-size": SMALL_SIZE,
                        "text-anchor": "middle",
                        "dominant-baseline": "central",
                        "fill": "#fff",
                    },
                    _text(text),
                )
            tip = f"{prefix}{_clean(category)}: {vn_number(count)} ({text})"
            parts.append(_item(tip, stack.url(category_index), shape))
            x += length

    # The legend, in the segments' order: each category's name (and figures, for one stack).
    legend_top = 4 + body_height + 8
    for index, category in enumerate(chart.categories):
        y = legend_top + legend_row * index
        name = _clean(category)
        only = chart.stacks[0] if single else None
        if only is not None and only.has_data:
            share = only.shares[index]
            name = f"{name}: {vn_number(only.counts[index])} ({vn_percent(share)})"
        swatch = _el(
            "rect",
            {
                "x": x0,
                "y": y + 3,
                "width": 12,
                "height": 12,
                "fill": PALETTE[index % len(PALETTE)],
            },
        )
        label = _el(
            "text",
            {"x": x0 + 18, "y": y + 9, "dominant-baseline": "central"},
            _text(_fit(name, x1 - x0 - 18, FONT_SIZE)),
        )
        parts.append(_el("g", {"class": "chart-legend"}, swatch + label))
    return WIDTH, height, "".join(parts)


def _draw_sparkline(chart: Chart) -> tuple[float, float, str]:
    width, height, pad = 120.0, 32.0, 3.0
    bars = chart.bars
    count = max(len(bars), 1)
    step = (width - 2 * pad) / max(count - 1, 1)
    scale = _scale_max(chart, [bar.value for bar in bars])
    parts = [_line(pad, height - pad, width - pad, height - pad, AXIS)]
    points: list[tuple[float, float] | None] = []
    for index, bar in enumerate(bars):
        x = pad + step * index if count > 1 else width / 2
        if bar.value is None:
            points.append(None)
        else:
            points.append((x, height - pad - float(bar.value) / scale * (height - 2 * pad)))
    # One polyline per run of values: a missing value breaks the line.
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    for run in runs:
        if len(run) > 1:
            parts.append(
                _el(
                    "polyline",
                    {
                        "points": " ".join(f"{_n(x)},{_n(y)}" for x, y in run),
                        "fill": "none",
                        "stroke": PALETTE[0],
                        "stroke-width": 1.5,
                    },
                )
            )
    for index, (bar, point) in enumerate(zip(bars, points, strict=True)):
        x = pad + step * index if count > 1 else width / 2
        hit = _hit_rect(x - step / 2, 0, step, height)
        tip = f"{_clean(bar.label)}: {chart.format(bar.value)}"
        if point is None:
            mark = _el(
                "circle",
                {"cx": x, "cy": height - pad, "r": 2, "fill": "#fff", "stroke": MUTED},
            )
        else:
            last = index == len(bars) - 1
            mark = _el(
                "circle",
                {"cx": point[0], "cy": point[1], "r": 2.5 if last else 1.5, "fill": PALETTE[0]},
            )
        parts.append(_item(tip, bar.url, hit + mark))
    return width, height, "".join(parts)


# --- Drawing helpers ---------------------------------------------------------------------


def _scale_max(chart: Chart, values: Sequence[Value]) -> float:
    """The value drawn at full length: 100 for percentages (or more), else the largest value."""
    largest = max((float(value) for value in values if value is not None), default=0.0)
    if chart.unit == Unit.PERCENT:
        return max(largest, 100.0)
    return largest or 1.0


def _label_column(labels: Sequence[str]) -> float:
    """The width of a horizontal chart's label column: the widest label's, within bounds."""
    widest = max((_width(_clean(label), FONT_SIZE) for label in labels), default=0.0)
    return min(max(widest + PAD + 8, 40.0), LABEL_COLUMN)


def _item(tip: str, url: str, content: str) -> str:
    """A bar's group: its ``<title>`` first, inside a link when it has a drill-down URL."""
    inner = _el("title", {}, _text(tip)) + content
    url = _safe_url(url)
    if url:
        return _el("a", {"href": url, "class": "chart-item"}, inner)
    return _el("g", {"class": "chart-item"}, inner)


def _safe_url(url: str) -> str:
    """The URL if it is a path or an http(s) address; "" otherwise (no ``javascript:``)."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return url if scheme in ("", "http", "https") else ""


def _hit_rect(x: float, y: float, width: float, height: float) -> str:
    """An invisible rectangle over a bar's whole slot: a target for hover, touch and clicks."""
    return _el(
        "rect",
        {"x": x, "y": y, "width": width, "height": height, "fill": "#fff", "fill-opacity": 0},
    )


def _gap_text(x: float, y: float, room: float, length: float, *, vertical: bool) -> str:
    """The "không có số liệu" mark of a missing value, upright in a narrow column."""
    text = no_data()
    attrs: dict[str, str | float] = {
        "x": x,
        "y": y,
        "font-size": SMALL_SIZE - 1,
        "font-style": "italic",
        "fill": MUTED,
        "class": "chart-gap",
    }
    if vertical and _width(text, SMALL_SIZE - 1) > room - 2:
        attrs["transform"] = f"rotate(-90 {_n(x)} {_n(y)})"
        attrs["dominant-baseline"] = "central"
        text = _fit(text, length, SMALL_SIZE - 1)
    elif vertical:
        attrs["text-anchor"] = "middle"
    else:
        attrs["dominant-baseline"] = "central"
    return _el("text", attrs, _text(text))


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return _el("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": colour})


def _el(tag: str, attrs: dict[str, str | float], content: str | None = None) -> str:
    """An element; attribute values are escaped here, ``content`` must be markup already."""
    rendered = "".join(f' {name}="{_attr(value)}"' for name, value in attrs.items())
    if content is None:
        return f"<{tag}{rendered}/>"
    return f"<{tag}{rendered}>{content}</{tag}>"


def _attr(value: str | float) -> str:
    if isinstance(value, str):
        return html.escape(_clean(value), quote=True)
    return _n(value)


def _n(value: float) -> str:
    """A coordinate with at most two decimals, without trailing zeros ("12", "12.5")."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _clean(text: str) -> str:
    """NFC text without the control characters that XML forbids (and newlines)."""
    return _cleaned(str(text))


@functools.lru_cache(maxsize=8192)
def _cleaned(text: str) -> str:
    # Kept: a dashboard draws the same labels on every chart (a character at a time, this
    # was a tenth of its Python work).
    text = unicodedata.normalize("NFC", text)
    return "".join(
        " " if char in "\t\n\r" else char
        for char in text
        if char in "\t\n\r" or unicodedata.category(char) not in ("Cc", "Cs")
    ).strip()


def _text(text: str) -> str:
    return html.escape(_clean(text), quote=False)


def _width(text: str, size: float) -> float:
    """A generous estimate of a text's width, to fit it without measuring fonts."""
    return len(text) * size * CHAR_WIDTH


def _two_lines(text: str, room: float, size: float) -> list[str]:
    """The text on one line if it fits ``room``, else on two, broken at the space that
    balances them best (the second cut with an ellipsis if it still does not fit)."""
    if _width(text, size) <= room or " " not in text:
        return [_fit(text, room, size)]
    words = text.split(" ")
    splits = [(" ".join(words[:n]), " ".join(words[n:])) for n in range(1, len(words))]
    first, second = min(
        splits, key=lambda pair: (_width(pair[0], size) > room, abs(len(pair[0]) - len(pair[1])))
    )
    return [_fit(first, room, size), _fit(second, room, size)]


def _fit(text: str, room: float, size: float) -> str:
    """The text, cut with an ellipsis to fit ``room`` units (the full text goes in a title)."""
    if _width(text, size) <= room:
        return text
    keep = max(int(room / (size * CHAR_WIDTH)) - 1, 1)
    return text[:keep].rstrip() + "…"
