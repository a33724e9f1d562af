"""The figure cache (longbien.figure_cache): kept counts are used only while the tables they
were computed from are unchanged, whatever writes to them, and a change shows at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from longbien import figure_cache, indicators
from longbien.core.models import FigureCache, FigureChange
from longbien.periods import Period
from longbien.procedures.models import Procedure

START, END = dt.date(2020, 1, 1), dt.date(2020, 12, 31)
CODE = "procedures.district"


def _procedure(unit, code: str, **extra) -> Procedure:
    fields = {"name": f"Quy trình {code}", "area": "inspection", "level": "district",
              "effective_date": dt.date(2020, 3, 1), "owner_unit": unit, **extra}  # fmt: skip
    return Procedure.objects.create(code=code, **fields)


def _district(unit) -> int:
    values = indicators.collect(
        viewer=indicators.SYSTEM, unit=unit, start=START, end=END, areas={"org"}
    )
    return values[CODE].count


def test_every_table_a_provider_reads_is_watched(tree):
    """Run every registered provider and compare the tables its SQL names with the tables
    that carry the trigger: a provider reading an unwatched table would serve stale counts."""
    watched = figure_cache.watched_tables()
    for _area, provider in indicators._PROVIDERS:
        if provider not in indicators._READS:
            continue
        with CaptureQueriesContext(connection) as captured:
            provider(unit=tree.root, start=START, end=END)
        read = {
            table
            for query in captured.captured_queries
            for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])
        }
        assert read, provider
        assert read <= set(indicators._READS[provider]), (provider, read)
        assert read <= watched, (provider, read - watched)


def test_the_apps_providers_all_keep_their_counts():
    keys = {figure_cache.provider_key(p) for p in indicators._READS}
    assert {
        "resolutions.indicators.provide",
        "cadres.indicators.provide",
        "inspections.indicators.provide",
        "inspections.indicators.provide_cases",
        "dialogues.indicators.provide_cases",
        "dialogues.indicators.provide",
        "longbien.procedures.indicators.provide",
        "longbien.reporting.indicators.provide",
    } <= keys


def test_kept_counts_are_read_in_two_queries_and_a_write_shows_at_once(tree):
    _procedure(tree.ward_a, "QT-01")
    assert _district(tree.root) == 1
    assert FigureCache.objects.count() == 1
    with CaptureQueriesContext(connection) as captured:
        assert _district(tree.root) == 1
    assert len(captured) == 2  # the versions, the kept counts

    # Through the ORM, a queryset update, a bulk insert and raw SQL: each shows at once.
    _procedure(tree.ward_b, "QT-02")
    assert _district(tree.root) == 2
    Procedure.objects.filter(code="QT-02").update(level="grassroots")
    assert _district(tree.root) == 1
    Procedure.objects.bulk_create(
        [Procedure(code=f"QT-1{n}", name="Quy trình", area="inspection", level="district",
                   effective_date=dt.date(2020, 5, 1), owner_unit=tree.ward_a)
         for n in range(3)]
    )  # fmt: skip
    assert _district(tree.root) == 4
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procedures_procedure WHERE code = 'QT-10'")
    assert _district(tree.root) == 3
    # The ward's own figure is kept apart from the district's.
    assert _district(tree.ward_a) == 3
    assert _district(tree.ward_b) == 0


def test_a_moved_unit_changes_its_old_and_new_parents_figures(tree):
    _procedure(tree.cell_a1, "QT-01")
    assert (_district(tree.ward_a), _district(tree.ward_b)) == (1, 0)
    tree.cell_a1.parent = tree.ward_b
    tree.cell_a1.save()
    assert (_district(tree.ward_a), _district(tree.ward_b)) == (0, 1)


def test_counts_of_a_rolled_back_transaction_are_not_kept(tree):
    assert _district(tree.root) == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        _procedure(tree.ward_a, "QT-01")
        assert _district(tree.root) == 1  # kept inside the transaction…
        raise RuntimeError("rolled back")
    # …and gone with it: a later write that reaches the same version is not mistaken for it.
    _procedure(tree.ward_b, "QT-02", level="grassroots")
    assert _district(tree.root) == 0


def test_compaction_keeps_the_versions(tree):
    for number in range(3):
        _procedure(tree.ward_a, f"QT-0{number}")
    assert _district(tree.root) == 3
    before = figure_cache.versions(["procedures_procedure", "org_orgunit"])
    rows = FigureChange.objects.count()
    assert figure_cache.compact() == rows - FigureChange.objects.count() > 0
    assert figure_cache.versions(["procedures_procedure", "org_orgunit"]) == before
    with CaptureQueriesContext(connection) as captured:
        assert _district(tree.root) == 3
    assert len(captured) == 2  # still kept: compaction is not a change


def test_a_figure_as_of_today_is_not_carried_into_tomorrow(tree, monkeypatch):
    """While a period runs, its counts are kept for the day they were computed."""
    today = dt.date(2020, 6, 1)
    monkeypatch.setattr(figure_cache.timezone, "localdate", lambda: today)
    _procedure(tree.ward_a, "QT-01")
    assert _district(tree.root) == 1
    today = dt.date(2020, 6, 2)
    assert _district(tree.root) == 1
    assert sorted(FigureCache.objects.values_list("as_of", flat=True)) == [
        dt.date(2020, 6, 1),
        dt.date(2020, 6, 2),
    ]


def test_collect_many_reads_every_kept_count_in_one_go(tree):
    _procedure(tree.ward_a, "QT-01")
    asked = [
        (unit, Period(START, END, "2020"))
        for unit in (tree.root, tree.ward_a, tree.ward_b, tree.cell_a1)
    ]
    first = indicators.collect_many(viewer=indicators.SYSTEM, asked=asked, areas={"org"})
    with CaptureQueriesContext(connection) as captured:
        again = indicators.collect_many(viewer=indicators.SYSTEM, asked=asked, areas={"org"})
    assert len(captured) == 2
    assert [v[CODE].count for v in again] == [v[CODE].count for v in first] == [1, 1, 0, 0]


def test_collect_many_runs_only_the_providers_of_the_codes_asked(tree, settings):
    """A series of one rate (the term report's, per year and per ward) runs the rate's own
    provider per point, not every provider of its area."""
    settings.LONGBIEN_FIGURE_CACHE = False
    asked = [(tree.root, Period(START, END, "2020")), (tree.ward_a, Period(START, END, "2020"))]
    rate = "opinion_cases.rate"
    with CaptureQueriesContext(connection) as narrow:
        only = indicators.collect_many(
            viewer=indicators.SYSTEM, asked=asked, areas={"dialogues"}, codes={rate}
        )
    with CaptureQueriesContext(connection) as whole:
        every = indicators.collect_many(viewer=indicators.SYSTEM, asked=asked, areas={"dialogues"})
    assert [v[rate].count for v in only] == [v[rate].count for v in every]
    assert "dialogues.total" in every[0] and "dialogues.total" not in only[0]
    tables = {t for q in narrow.captured_queries for t in re.findall(r'FROM "(\w+)"', q["sql"])}
    # Besides the cases: the rest days, and whether the root's tree is the only one (asked
    # once per unit object: indicators.in_subtree).
    assert tables - {"core_calendarday", "org_orgunit"} == {"dialogues_opinioncase"}
    assert len(narrow) < len(whole) / 3


def test_an_entry_may_ask_for_codes_of_its_own(tree, settings):
    """The term report asks for every figure of the term and, in the same call, for one rate
    per year: the rate's provider answers the term and the years in one query, the other
    providers only the term."""
    settings.LONGBIEN_FIGURE_CACHE = False
    rate = "opinion_cases.rate"
    term = Period(dt.date(2019, 1, 1), END, "2019–2020")
    years = [Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31), "2019"), Period(START, END, "2020")]
    asked = [(tree.root, term, None), *((tree.root, year, {rate}) for year in years)]
    with CaptureQueriesContext(connection) as together:
        found = indicators.collect_many(viewer=indicators.SYSTEM, asked=asked, areas={"dialogues"})
    alone = indicators.collect(
        viewer=indicators.SYSTEM, unit=tree.root, period=term, areas={"dialogues"}
    )
    assert found[0].keys() == alone.keys() and "dialogues.total" in found[0]
    assert [found[0][code] for code in alone] == list(alone.values())
    assert all("dialogues.total" not in values and rate in values for values in found[1:])
    cases = [q for q in together.captured_queries if 'FROM "dialogues_opinioncase"' in q["sql"]]
    by_year = [
        indicators.collect(
            viewer=indicators.SYSTEM, unit=tree.root, period=year, areas={"dialogues"}
        )[rate]
        for year in years
    ]
    assert [values[rate] for values in found[1:]] == by_year
    with CaptureQueriesContext(connection) as term_only:
        indicators.collect(
            viewer=indicators.SYSTEM, unit=tree.root, period=term, areas={"dialogues"}
        )
    cases_term_only = [
        q for q in term_only.captured_queries if 'FROM "dialogues_opinioncase"' in q["sql"]
    ]
    # The years' rates cost no query of their own: they ride on the term's.
    assert len(cases) == len(cases_term_only)


def test_the_cache_can_be_turned_off(tree, settings):
    settings.LONGBIEN_FIGURE_CACHE = False
    _procedure(tree.ward_a, "QT-01")
    assert _district(tree.root) == 1
    assert not FigureCache.objects.exists()
