"""The leadership dashboard: where a unit's subtree stands over a period, from the indicators.

:func:`build` is a pure function of the viewer, the unit and the period: every figure comes from
:func:`longbien.indicators.collect` (for the viewer: a unit outside the viewer's scope is
refused, areas the viewer does not read are left out), every tile and bar links to the
register of the records behind it (:func:`longbien.indicators.drill_url`), and the charts are
drawn by :mod:`longbien.reporting.charts`, the module the PDF reports use.

- **Tiles**: a figure, the same period a year earlier, and its trend (the period's quarters, or
  a term's years).
- **Charts**: the trend of the resolution rate and of tasks done on time; the units under the
  chosen one compared side by side with the whole's value as the reference line; the monthly
  evaluations' distribution.
- **Exceptions**: the most overdue tasks, follow-ups, commitments and cases as the viewer's
  work lists give them (:mod:`longbien.worklist`), and the units late with a quarterly report.

A ward secretary's dashboard is their ward's; the district's value of a share is the only
outside figure (the comparison chart's reference line). Denunciation and complaint counts (no
content) are shown to leadership, the inspection role and administrators only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien import indicators, periods, worklist
from longbien.formatting import vn_number, vn_percent
from longbien.indicators import Value
from longbien.org import scope
from longbien.org.choices import Role
from longbien.org.models import OrgUnit

from . import charts
from .selectors import compared_units, late_reports

# Roles that see the counts of denunciations and complaints (never their content).
CONFIDENTIAL_COUNT_ROLES = frozenset({Role.LEADERSHIP, Role.INSPECTION, Role.ADMIN})
CONFIDENTIAL_CODES = ("cases.",)


@dataclass(frozen=True)
class TileSpec:
    key: str
    label: Any
    code: str
    # The counts written under the figure (e.g. a share's numerator and denominator).
    lower_is_better: bool = False


TILES = [
    TileSpec("documents", gettext_lazy("Văn bản ban hành"), "documents.total"),
    TileSpec("tasks_done", gettext_lazy("Nhiệm vụ đã hoàn thành"), "tasks.done"),
    TileSpec("tasks_on_time", gettext_lazy("Nhiệm vụ hoàn thành đúng hạn"), "tasks.on_time_share"),
    TileSpec("tasks_overdue", gettext_lazy("Nhiệm vụ quá hạn"), "tasks.overdue", True),
    TileSpec("attendance", gettext_lazy("Tỷ lệ dự học tập, quán triệt"), "conferences.attendance"),
    TileSpec("evaluations", gettext_lazy("Phiếu đánh giá hằng tháng đã duyệt"),
             "cadres.evaluations"),
    TileSpec("inspections", gettext_lazy("Cuộc kiểm tra, giám sát đã kết luận"),
             "inspections.total"),
    TileSpec("follow_ups_overdue", gettext_lazy("Kiến nghị sau kiểm tra quá hạn"),
             "follow_ups.overdue", True),
    TileSpec("denunciations", gettext_lazy("Tố cáo giải quyết đúng thời hạn"),
             "cases.denunciation.on_time"),
    TileSpec("complaints", gettext_lazy("Khiếu nại kỷ luật giải quyết đúng thời hạn"),
             "cases.complaint.on_time"),
    TileSpec("dialogues", gettext_lazy("Đối thoại với Nhân dân"), "dialogues.total"),
    TileSpec("commitments", gettext_lazy("Cam kết thực hiện đúng hạn"),
             "dialogues.commitments.on_time_share"),
    TileSpec("case_rate", gettext_lazy("Tỷ lệ giải quyết dư luận phản ánh"), "opinion_cases.rate"),
    TileSpec("case_on_time", gettext_lazy("Vụ việc trả lời đúng hạn"), "opinion_cases.on_time"),
    TileSpec("reports", gettext_lazy("Báo cáo quý gửi đúng hạn"),
             "quarterly_reports.on_time_share"),
]  # fmt: skip

# The shares compared across the units under the chosen one.
COMPARED = ("opinion_cases.rate", "tasks.on_time_share")
# The monthly evaluation ratings, in the order of the distribution.
RATINGS = (
    "cadres.evaluations.excellent",
    "cadres.evaluations.good",
    "cadres.evaluations.completed",
    "cadres.evaluations.not_completed",
)
# The work lists shown as exceptions (their first entries are the most overdue).
EXCEPTION_KEYS = (
    "tasks.overdue",
    "inspections.follow_ups_overdue",
    "dialogues.commitments_overdue",
    "dialogues.cases_due",
)
EXCEPTION_LIMIT = 10


@dataclass
class Tile:
    key: str
    label: Any
    value: Value | None
    before: Value | None
    url: str
    trend: charts.Figure | None = None
    lower_is_better: bool = False

    @property
    def shown(self) -> str:
        return shown(self.value)

    @property
    def before_shown(self) -> str:
        return shown(self.before)

    @property
    def detail(self) -> str:
        """A share's counts ("45 / 55"); empty for a count."""
        if self.value is None or not self.value.indicator.is_share:
            return ""
        return f"{vn_number(self.value.numerator)} / {vn_number(self.value.denominator)}"

    @property
    def change(self) -> str:
        """ "up", "down" or "" against the same period a year earlier."""
        now, then = number(self.value), number(self.before)
        if now is None or then is None or now == then:
            return ""
        return "up" if now > then else "down"

    @property
    def better(self) -> bool | None:
        if not self.change:
            return None
        return (self.change == "up") != self.lower_is_better


@dataclass
class LateReport:
    """A reporting unit late with a quarter's report. Its label and link are made when shown
    (the board shows a few of a city's hundreds)."""

    unit: OrgUnit
    year: int
    quarter: int
    report: Any = None

    @cached_property
    def quarter_label(self) -> str:
        return str(periods.quarter(self.year, self.quarter).label)

    @cached_property
    def url(self) -> str:
        if self.report is not None:
            return str(self.report.get_absolute_url())
        return reverse("reporting:report_open", args=[self.unit.code, self.year, self.quarter])


@dataclass
class Dashboard:
    unit: OrgUnit
    period: periods.Period
    previous: periods.Period | None
    tiles: list[Tile]
    charts: list[charts.Figure] = field(default_factory=list)
    exceptions: list[worklist.Section] = field(default_factory=list)
    late_reports: list[LateReport] = field(default_factory=list)


def number(value: Value | None) -> Decimal | int | None:
    if value is None:
        return None
    return value.share if value.indicator.is_share else value.count


def shown(value: Value | None) -> str:
    if value is None:
        return "–"
    if value.indicator.is_share:
        return vn_percent(value.share) if value.share is not None else _("không có số liệu")
    return vn_number(value.count)


def previous_period(period: periods.Period, terms: list[Any]) -> periods.Period | None:
    """The same period a year earlier; for a term, the term before it."""
    if period.term is not None:
        earlier = [t for t in terms if t.end_date < period.term.start_date]
        return periods.term_period(max(earlier, key=lambda t: t.end_date)) if earlier else None
    try:
        start = period.start.replace(year=period.start.year - 1)
        end = period.end.replace(year=period.end.year - 1)
    except ValueError:  # 29 February
        start = period.start - dt.timedelta(days=365)
        end = period.end - dt.timedelta(days=365)
    return periods.Period(start, end, _("cùng kỳ năm trước"))


def trend_points(period: periods.Period) -> list[periods.Period]:
    """The points of a tile's trend: a term's quarters (the first and last cut to the term);
    otherwise the four quarters up to the period's end (a year: its quarters)."""
    if period.term is not None:
        found = []
        year, quarter = periods.quarter_of(period.start)
        while periods.quarter(year, quarter).start <= period.end:
            q = periods.quarter(year, quarter)
            found.append(periods.Period(max(q.start, period.start), min(q.end, period.end),
                                        f"Q{quarter}/{year}"))  # fmt: skip
            year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        return found
    year, quarter = periods.quarter_of(period.end)
    points = []
    for _step in range(4):
        points.append(periods.quarter(year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return [
        periods.Period(p.start, p.end, f"Q{periods.quarter_of(p.start)[1]}/{p.start.year}")
        for p in reversed(points)
    ]


def sees_confidential_counts(viewer: Any) -> bool:
    return getattr(viewer, "is_superuser", False) or any(
        grant.role in CONFIDENTIAL_COUNT_ROLES for grant in scope.grants(viewer)
    )


def _chart_unit(code: str) -> charts.Unit:
    indicator = _indicator(code)
    return charts.Unit.PERCENT if indicator and indicator.is_share else charts.Unit.COUNT


def _indicator(code: str) -> indicators.Indicator | None:
    return {i.code: i for i in indicators.definitions()}.get(code)


def _drill(value: Value | None, unit: OrgUnit, period: periods.Period) -> str:
    if value is None:
        return ""
    return indicators.drill_url(value.indicator, unit=unit, start=period.start, end=period.end)


def build(*, viewer: Any, unit: OrgUnit, period: periods.Period, terms: list[Any]) -> Dashboard:
    """The dashboard of ``unit``'s subtree over ``period`` as ``viewer`` may read it."""
    previous = previous_period(period, terms)
    points = trend_points(period)
    # The tiles' periods and the compared units, in one call: the kept counts read once.
    whole, children = _compared_units(unit, period)
    compared = {code: _readable_units(viewer, code, children) for code in COMPARED}
    asked = [(u, p, None) for u, p in _asked(unit, period, terms)]
    found = indicators.collect_many(
        viewer=viewer,
        asked=[*asked, *((u, period, {code}) for code, units in compared.items() for u in units)],
    )
    now, series = found[0], found[1 : 1 + len(points)]
    before = found[len(asked) - 1] if previous is not None else {}
    each = iter(found[len(asked) :])
    by_code = {code: [next(each) for _unit in units] for code, units in compared.items()}
    hidden = () if sees_confidential_counts(viewer) else CONFIDENTIAL_CODES
    tiles = []
    for spec in TILES:
        if spec.code not in now or (hidden and spec.code.startswith(hidden)):
            continue
        value = now[spec.code]
        bars = [
            charts.Bar(p.label, number(values.get(spec.code)), _drill(values.get(spec.code), unit, p))
            for p, values in zip(points, series, strict=True)
        ]  # fmt: skip
        trend = charts.figure(charts.sparkline_chart(
            title=str(spec.label), bars=bars, unit=_chart_unit(spec.code), key=f"tile-{spec.key}",
        ))  # fmt: skip
        tiles.append(Tile(spec.key, spec.label, value, before.get(spec.code),
                          _drill(value, unit, period), trend, spec.lower_is_better))  # fmt: skip
    board = Dashboard(unit=unit, period=period, previous=previous, tiles=tiles)
    reference = _references(unit, whole, period, now)
    comparisons = {
        code: _comparison(code, whole, period, list(zip(units, by_code[code], strict=True)),
                          reference.get(code))
        for code, units in compared.items()
        if units
    }  # fmt: skip
    board.charts = _charts(unit, period, now, points, series, comparisons)
    board.exceptions = worklist.collect(
        user=viewer, unit=unit, limit=EXCEPTION_LIMIT, watch=True, keys=EXCEPTION_KEYS
    )
    board.late_reports = _late_reports(viewer, unit, period)
    return board


def _asked(
    unit: OrgUnit, period: periods.Period, terms: list[Any]
) -> list[tuple[OrgUnit, periods.Period]]:
    """The period, the trend's points and the same period a year earlier, in that order."""
    previous = previous_period(period, terms)
    asked = [(unit, period), *((unit, p) for p in trend_points(period))]
    return asked + [(unit, previous)] if previous is not None else asked


def _compared_units(unit: OrgUnit, period: periods.Period) -> tuple[OrgUnit, list[OrgUnit]]:
    """The whole the comparison's reference is and the units compared beside it."""
    children = compared_units(unit, period.start, period.end)
    if not children and unit.parent is not None:
        # A ward's own dashboard: the ward beside the district's value.
        return unit.parent, [unit]
    return unit, children


def warm(*, unit: OrgUnit, period: periods.Period, terms: list[Any]) -> int:
    """Compute and keep every figure the dashboard of ``unit`` over ``period`` reads (for any
    viewer: kept counts do not depend on who reads them), so that the first viewer after a
    change does not wait. Returns how many unit-period figures were asked for."""
    whole, children = _compared_units(unit, period)
    asked = _asked(unit, period, terms) + [(c, period) for c in children] + [(whole, period)]
    indicators.collect_many(viewer=indicators.SYSTEM, asked=asked)
    return len(asked)


def _charts(
    unit: OrgUnit,
    period: periods.Period,
    now: dict[str, Value],
    points: list[periods.Period],
    series: list[dict[str, Value]],
    comparisons: dict[str, charts.Figure | None],
) -> list[charts.Figure]:
    found: list[charts.Figure] = []
    for code in COMPARED:
        if code not in now:
            continue
        indicator = now[code].indicator
        bars = [
            charts.Bar(p.label, number(values.get(code)), _drill(values.get(code), unit, p))
            for p, values in zip(points, series, strict=True)
        ]  # fmt: skip
        found.append(charts.figure(charts.trend_chart(
            title=_("%(label)s theo kỳ") % {"label": indicator.label}, bars=bars,
            unit=charts.Unit.PERCENT, key=f"trend-{code}",
        )))  # fmt: skip
        compared = comparisons.get(code)
        if compared is not None:
            found.append(compared)
    ratings = [now.get(code) for code in RATINGS]
    if all(value is not None for value in ratings):
        labels = [str(value.indicator.label) for value in ratings if value is not None]
        counts = tuple(value.count for value in ratings if value is not None)
        urls = tuple(_drill(value, unit, period) for value in ratings)
        found.append(charts.figure(charts.distribution_chart(
            title=_("Kết quả đánh giá hằng tháng"), categories=labels,
            stacks=[charts.Stack(period.label, counts, urls)], key="ratings",
        )))  # fmt: skip
    return found


def _readable_units(viewer: Any, code: str, children: list[OrgUnit]) -> list[OrgUnit]:
    """The units compared on ``code`` that ``viewer`` reads the indicator's area of."""
    indicator = _indicator(code)
    if indicator is None:
        return []
    return [u for u in children if scope.can(viewer, indicator.area, scope.VIEW, u)]


def _references(
    unit: OrgUnit, whole: OrgUnit, period: periods.Period, now: dict[str, Value]
) -> dict[str, Value]:
    """The whole's value of each compared share (the comparison's reference line): the
    dashboard's own when the whole is its unit, else the district's (a ward's dashboard),
    read as the portal (the one outside figure a ward's roles see)."""
    if whole.pk == unit.pk:
        return now
    areas = {i.area for i in (_indicator(code) for code in COMPARED) if i is not None}
    return indicators.collect(viewer=indicators.SYSTEM, unit=whole, period=period, areas=areas)


def _comparison(
    code: str,
    whole: OrgUnit,
    period: periods.Period,
    units: list[tuple[OrgUnit, dict[str, Value]]],
    total: Value | None,
) -> charts.Figure | None:
    """The units under the dashboard's unit side by side on ``code``, the whole's value as
    the reference. A viewer who reads only their own unit sees it beside the whole's value."""
    indicator = _indicator(code)
    if indicator is None:
        return None
    bars = [
        charts.Bar(child.name, number(found.get(code)), _drill(found.get(code), child, period))
        for child, found in units
    ]
    return charts.figure(charts.comparison_chart(
        title=_("%(label)s: so sánh các đơn vị") % {"label": indicator.label}, bars=bars,
        unit=charts.Unit.PERCENT, reference=number(total),
        reference_label=_("Toàn %(unit)s") % {"unit": whole.name}, key=f"compare-{code}",
    ))  # fmt: skip


def _late_reports(viewer: Any, unit: OrgUnit, period: periods.Period) -> list[LateReport]:
    """The reporting units of the subtree late with a quarterly report of the period."""
    return [
        LateReport(found.unit, found.year, found.quarter, found.report)
        for found in late_reports(viewer, unit, period.start, period.end)
    ]


def warm_top_units(*, today: dt.date) -> int:
    """:func:`warm` for the roots and their direct subunits (a city, its districts; a district)
    over the current term, year and quarter."""
    from longbien.org.models import Term

    terms = list(Term.objects.all())
    current = [t for t in terms if t.start_date <= today <= t.end_date]
    chosen = [
        *(periods.term_period(t) for t in current),
        periods.year(today.year),
        periods.quarter(*periods.quarter_of(today)),
    ]
    roots = list(OrgUnit.objects.filter(parent__isnull=True, valid_to__isnull=True))
    below = OrgUnit.objects.filter(
        parent__in=roots, valid_to__isnull=True, children__isnull=False
    ).distinct()
    asked = 0
    for unit in [*roots, *below]:
        for period in chosen:
            asked += warm(unit=unit, period=period, terms=terms)
    return asked
