"""Many periods in one query (longbien/spans.py, ``indicators.spanned``): the same counts as
one period at a time, for every provider written that way, on the Long Biên demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.test.utils import CaptureQueriesContext

from longbien import indicators, periods, spans
from longbien.org.models import OrgUnit, Term
from longbien.reporting import dashboard

pytestmark = pytest.mark.django_db


def _spanned() -> list[indicators.Provider]:
    return [p for _area, p in indicators._PROVIDERS if getattr(p, "spans", None) is not None]


def _asked() -> list[tuple[dt.date, dt.date]]:
    """A dashboard's periods (a term, its quarters, the term before) and a few more."""
    terms = list(Term.objects.order_by("start_date"))
    term = periods.term_period(terms[-1])
    asked = [term, *dashboard.trend_points(term)]
    before = dashboard.previous_period(term, terms)
    asked += [before] if before is not None else []
    asked += [periods.Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31), "2019")]
    asked += [periods.Period(dt.date(2017, 7, 1), dt.date(2018, 6, 30), "2017–2018")]
    return [(p.start, p.end) for p in asked]


def test_every_figure_provider_of_the_apps_is_written_for_many_periods() -> None:
    names = {indicators.figure_cache.provider_key(p) for p in _spanned()}
    assert {
        "cadres.indicators.provide",
        "dialogues.indicators.provide",
        "dialogues.indicators.provide_cases",
        "inspections.indicators.provide",
        "inspections.indicators.provide_cases",
        "resolutions.indicators.provide",
        "longbien.procedures.indicators.provide",
        "longbien.reporting.indicators.provide",
    } <= names


@pytest.mark.parametrize("code", ["QU-LB", "P-BODE"])
def test_many_periods_at_once_count_as_one_at_a_time(demo, code: str) -> None:
    unit = OrgUnit.objects.get(code=code)
    asked = _asked()
    for provider in _spanned():
        together = provider.spans(unit=unit, spans=asked)  # type: ignore[attr-defined]
        one_by_one = [provider(unit=unit, start=start, end=end) for start, end in asked]
        assert together == one_by_one, provider
    # The demo's figures are not all zero: the comparison compares something.
    whole = [provider(unit=unit, start=asked[0][0], end=asked[0][1]) for provider in _spanned()]
    assert sum(v for counts in whole for v in counts.values()) > 0


def test_the_queries_do_not_grow_with_the_periods(demo) -> None:
    unit = OrgUnit.objects.get(code="QU-LB")
    asked = _asked()
    for provider in _spanned():
        with CaptureQueriesContext(connection) as one:
            provider.spans(unit=unit, spans=asked[:1])  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as many:
            provider.spans(unit=unit, spans=asked)  # type: ignore[attr-defined]
        assert len(many) <= len(one), provider


def _counted(monkeypatch, provider: indicators.Provider, attribute: str, key: str) -> list[int]:
    """The lengths of ``key`` (the periods, the units) each call of ``provider.<attribute>``
    is given from now on (the figure cache emptied: every figure computed)."""
    from longbien.core.models import FigureCache

    calls: list[int] = []
    original = getattr(provider, attribute)

    def counting(**kwargs):
        calls.append(len(kwargs[key]))
        return original(**kwargs)

    monkeypatch.setattr(provider, attribute, counting)
    FigureCache.objects.all().delete()
    return calls


def test_a_dashboard_asks_each_provider_once_for_its_unit(demo, monkeypatch) -> None:
    """The figure cache groups the periods of one unit for a spanned provider."""
    calls = _counted(monkeypatch, _spanned()[0], "spans", "spans")
    unit = OrgUnit.objects.get(code="QU-LB")
    asked = _asked()
    indicators.collect_many(
        viewer=indicators.SYSTEM,
        asked=[(unit, periods.Period(start, end, "")) for start, end in asked],
    )
    assert calls == [len(set(asked))]


def test_aggregate_each_counts_each_period_and_groups(demo) -> None:
    from dialogues.models import Dialogue

    rows = Dialogue.objects.filter(unit__path__startswith=OrgUnit.objects.get(code="QU-LB").path)
    asked = [
        (dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        (dt.date(2015, 1, 1), dt.date(2020, 12, 31)),
    ]

    def when(start: dt.date, end: dt.date) -> Q:
        return Q(held_on__range=(start, end))

    found = spans.aggregate_each(rows, asked, when=when, figures=lambda s, e: {"n": Count("pk")})
    assert found == [{"n": rows.filter(when(*span)).count()} for span in asked]
    assert found[1]["n"] > found[0]["n"] > 0
    grouped = spans.aggregate_each_by(
        rows, asked, "level", when=when, figures=lambda s, e: {"n": Count("pk")}
    )
    for span, by_level in zip(asked, grouped, strict=True):
        expected = {
            level: {"n": n}
            for level, n in rows.filter(when(*span)).values_list("level").annotate(n=Count("pk"))
        }
        assert by_level == expected
    assert spans.aggregate_each(rows, [], when=when, figures=lambda s, e: {}) == []


def test_periods_told_by_one_date_are_added_up_from_the_pieces_of_the_hull(demo) -> None:
    """The same figures for every period (one condition object for all) of rows told by one
    date: one aggregate per piece of the hull the periods' bounds cut (width_bucket), each
    period the sum of its pieces; overlapping periods, a gap, a period with no rows, sums
    of nothing (None) and groups all as the ORM counts them one period at a time."""
    from resolutions.models import Conference

    rows = Conference.objects.filter(unit__path__startswith=OrgUnit.objects.get(code="QU-LB").path)
    asked = [
        (dt.date(2015, 8, 1), dt.date(2020, 7, 31)),  # a term
        (dt.date(2016, 1, 1), dt.date(2016, 12, 31)),  # a year in it
        (dt.date(2016, 4, 1), dt.date(2016, 6, 30)),  # a quarter in that
        (dt.date(2018, 3, 15), dt.date(2019, 2, 14)),  # straddling two years
        (dt.date(2021, 1, 1), dt.date(2021, 3, 31)),  # after a gap
        (dt.date(1990, 1, 1), dt.date(1990, 12, 31)),  # no rows: counts 0, sums None
    ]
    large = Q(expected_attendees__gte=50)  # one object: the same figure for every period

    def figures(start: dt.date, end: dt.date) -> dict:
        return {
            "n": Count("pk"),
            "large": Count("pk", filter=large),
            "present": Sum("present_attendees"),
            "present_large": Sum("present_attendees", filter=large),
        }

    def expected(span) -> dict:
        return rows.filter(held_on__range=span).aggregate(**figures(*span))

    with CaptureQueriesContext(connection) as captured:
        found = spans.aggregate_each(rows, asked, when=spans.between("held_on"), figures=figures)
    assert len(captured) == 1 and "width_bucket" in captured.captured_queries[0]["sql"]
    assert found == [expected(span) for span in asked]
    assert found[0]["n"] > found[1]["n"] > found[2]["n"] > 0 and found[0]["large"] > 0
    assert found[5] == {"n": 0, "large": 0, "present": None, "present_large": None}
    grouped = spans.aggregate_each_by(
        rows, asked, "unit", when=spans.between("held_on"), figures=figures
    )
    for span, by_unit in zip(asked, grouped, strict=True):
        assert by_unit == {
            unit: rows.filter(held_on__range=span, unit=unit).aggregate(**figures(*span))
            for unit in rows.filter(held_on__range=span).values_list("unit", flat=True).distinct()
        }
    assert len(grouped[0]) > 1


def test_a_figure_that_depends_on_its_period_is_counted_per_period(demo) -> None:
    """A condition made for each period (done by the period's end) is no sum of pieces: each
    period gets its own FILTER, as before."""
    from resolutions.models import Task

    rows = Task.objects.all()
    asked = [
        (dt.date(2015, 8, 1), dt.date(2020, 7, 31)),
        (dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
    ]

    def figures(start: dt.date, end: dt.date) -> dict:
        return {"done": Count("pk", filter=Q(completed_on__lte=end))}

    with CaptureQueriesContext(connection) as captured:
        found = spans.aggregate_each(rows, asked, when=spans.between("deadline"), figures=figures)
    assert "width_bucket" not in captured.captured_queries[0]["sql"]
    assert found == [
        rows.filter(deadline__range=span).aggregate(**figures(*span)) for span in asked
    ]


def test_conditions_written_over_the_columns_count_as_the_orm_filters(demo) -> None:
    """A comparison of a field with a value is written over the field's column (not built
    by the ORM for every period); whatever the condition (negations over nullable columns
    and nullable relations, empty and None values, expressions and lookups left to the
    ORM), each figure counts what ``filter(...).count()`` counts."""
    from django.db.models import F

    from resolutions.choices import TaskStatus
    from resolutions.models import Task

    rows = Task.objects.filter(unit__path__startswith=OrgUnit.objects.get(code="QU-LB").path)
    deadlines = rows.aggregate(first=Min("deadline"), last=Max("deadline"))
    cut = deadlines["first"] + (deadlines["last"] - deadlines["first"]) / 2
    asked = [(deadlines["first"], deadlines["last"]), (cut, deadlines["last"])]

    def figures(start: dt.date, end: dt.date) -> dict:
        conditions = {
            "done_by_end": Q(completed_on__lte=end),
            "not_done_by_cut": ~Q(completed_on__lte=cut),  # NULL: not done, counted
            "neither": ~(Q(status=TaskStatus.DONE) | Q(completed_on__isnull=True)),
            "twice_negated": ~(~Q(completed_on__gte=start) & Q(progress__gte=10)),
            "in": Q(status__in=[TaskStatus.DONE, TaskStatus.IN_PROGRESS, None]),
            "in_nothing": Q(status__in=[]),
            "not_in_nothing": ~Q(status__in=[]),
            "none": Q(completed_on=None),
            "range": Q(completed_on__range=(start, end), progress__gt=0),
            "related": Q(document__kind__in=["nq", "kl"]) | Q(document__signed_date__lt=cut),
            "nullable_relation": ~Q(parent__completed_on__lte=cut),
            "relation_itself": Q(parent__isnull=False),
            "expression": ~Q(completed_on__lte=F("deadline")),
            "transform": Q(deadline__day__lte=15),
            "xor": Q(progress__gt=50) ^ Q(completed_on__isnull=True),
            "empty": Q(),
        }
        return {name: Count("pk", filter=condition) for name, condition in conditions.items()}

    found = spans.aggregate_each(rows, asked, when=spans.between("deadline"), figures=figures)
    for span, counted in zip(asked, found, strict=True):
        within = rows.filter(deadline__range=span)
        expected = {
            name: within.filter(aggregate.filter).count() if aggregate.filter else within.count()
            for name, aggregate in figures(*span).items()
        }
        assert counted == expected
    # The conditions compare something: most figures are neither nothing nor everything.
    whole = rows.filter(deadline__range=asked[0]).count()
    assert sum(0 < n < whole for n in found[0].values()) >= 8, found


def _branched() -> list[indicators.Provider]:
    return [p for p in _spanned() if getattr(p, "branches", None) is not None]


def test_the_compared_figures_are_counted_for_many_units_at_once() -> None:
    """The two shares a dashboard compares across units (the resolution rate, tasks on time)
    have providers written for many units (``indicators.branched``)."""
    owners = {indicators._OWNERS[code] for code in dashboard.COMPARED}
    assert owners <= set(_branched())


@pytest.mark.parametrize("every_child", [False, True])
def test_many_units_at_once_count_as_one_at_a_time(demo, every_child: bool) -> None:
    """Per unit, the branches' counts are each unit's own (its subtree alone: nothing of the
    parent's own records, nothing of a sibling's), over the same periods: the units compared
    under the district, and every child of it (agencies too)."""
    from longbien.reporting.selectors import compared_units

    asked = _asked()
    parent = OrgUnit.objects.get(code="QU-LB")
    units = (
        list(OrgUnit.objects.filter(parent=parent).order_by("path"))
        if every_child
        else compared_units(parent, asked[0][0], asked[0][1])
    )
    assert len(units) > 1
    for provider in _branched():
        one_by_one = [provider.spans(unit=u, spans=asked) for u in units]  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as one:
            provider.spans(unit=units[0], spans=asked)  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as captured:
            together = provider.branches(units=units, spans=asked)  # type: ignore[attr-defined]
        assert len(captured) == len(one) == 1, provider  # the rest days are read once
        assert together == one_by_one, provider
        assert sum(v for per_unit in together for v in per_unit[0].values()) > 0


def test_aggregate_each_branch_leaves_out_the_parents_own_rows_and_other_branches(demo) -> None:
    from resolutions.models import Conference

    district = OrgUnit.objects.get(code="QU-LB")
    wards = [OrgUnit.objects.get(code="P-BODE"), OrgUnit.objects.get(code="P-GIATHUY")]
    asked = [
        (dt.date(2015, 8, 1), dt.date(2020, 7, 31)),
        (dt.date(1990, 1, 1), dt.date(1990, 12, 31)),
    ]

    def figures(start: dt.date, end: dt.date) -> dict:
        return {"n": Count("pk"), "present": Sum("present_attendees")}

    found = spans.aggregate_each_branch(
        Conference.objects.all(), "unit__path", wards, asked,
        when=spans.between("held_on"), figures=figures,
    )  # fmt: skip
    for ward, per_period in zip(wards, found, strict=True):
        rows = Conference.objects.filter(unit__path__startswith=ward.path)
        assert per_period == [
            rows.filter(held_on__range=span).aggregate(**figures(*span)) for span in asked
        ]
        assert per_period[1] == {"n": 0, "present": None}
    whole = Conference.objects.filter(
        unit__path__startswith=district.path, held_on__range=asked[0]
    ).count()
    assert 0 < sum(per_period[0]["n"] for per_period in found) < whole
    with pytest.raises(ValueError):
        spans.aggregate_each_branch(
            Conference.objects.all(), "unit__path", [district, wards[0]], asked,
            when=spans.between("held_on"), figures=figures,
        )  # fmt: skip


def test_a_dashboards_comparison_asks_each_provider_once_for_all_its_units(
    demo, monkeypatch
) -> None:
    from longbien.reporting.selectors import compared_units

    provider = indicators._OWNERS["opinion_cases.rate"]
    calls = _counted(monkeypatch, provider, "branches", "units")
    district = OrgUnit.objects.get(code="QU-LB")
    term = periods.term_period(Term.objects.order_by("start_date").last())
    units = compared_units(district, term.start, term.end)
    indicators.collect_many(
        viewer=indicators.SYSTEM, asked=[(u, term) for u in units], codes={"opinion_cases.rate"}
    )
    assert calls == [len(units)] and len(units) > 10
