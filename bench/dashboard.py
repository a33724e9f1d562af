"""The leadership dashboard of a whole tree for one term (issue 13), against its own aggregates
replayed as raw SQL.

The baseline is every statement the portal's dashboard sends to PostgreSQL when nothing is
kept (captured from a cold build), minus the figure cache's own reads and writes, executed
through a bare cursor: the same aggregates, with none of the ORM, Python, scope, chart or
template work around them. Two portal figures are set against it:

* **cold**: the figure cache emptied first (what the first viewer after a change waits for);
* **kept**: the figures kept since the last build (every later viewer until a record changes).

The query counts of both are given in the note: kept, the count does not grow with the units
compared or the records (``tests/reporting/test_dashboard.py`` pins that).
"""

from __future__ import annotations

from typing import Any

from timing import after, best_of, best_of_each

TARGET = 1.5


def measure(args: Any, context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from longbien import periods
    from longbien.core.models import FigureCache
    from longbien.org.models import OrgUnit, Term, User
    from longbien.reporting import dashboard

    scale = context["scale"]
    if scale == "city":
        viewer = User.objects.get(username="thanhuy")
        unit = OrgUnit.objects.get(code="TU-HN")
        year = 2020
    else:
        viewer = User.objects.get(username="admin")
        unit = OrgUnit.objects.get(code="QU-LB")
        year = 2015
    terms = list(Term.objects.all())
    term = next((t for t in terms if t.start_date.year == year), None)
    if term is None:
        return {}
    period = periods.term_period(term)
    reverse("home")  # the URL resolver is loaded once per process, not per dashboard

    def build() -> Any:
        return dashboard.build(viewer=viewer, unit=unit, period=period, terms=terms)

    def forget() -> None:
        FigureCache.objects.all().delete()

    def cold() -> None:
        build()

    build()  # warm the process (content types, terms, calendars)
    FigureCache.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        board = build()
    cold_queries = len(captured)
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if "core_figure" not in query["sql"] and query["sql"].lstrip().upper().startswith("SELECT")
    ]
    with CaptureQueriesContext(connection) as kept_captured:
        build()
    kept_queries = len(kept_captured)

    def raw() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()

    # Under a second each, as the other such figures: three times the runs asked (best of
    # nine by default), the cold build in turn with its baseline.
    repeat = max(1, args.repeat) * 3
    # The figure cache emptied before each cold build, untimed: the build is what is measured.
    baseline, cold_s = best_of_each(repeat, raw, after(forget, cold))
    build()
    kept_s = best_of(repeat, build)
    what = (
        f"{unit.name}, {term}: {len(board.tiles)} tiles, {len(board.charts)} charts; "
        f"baseline: the cold build's {len(statements)} SELECT statements replayed on a cursor"
    )
    # The target is the whole city's dashboard; the district's is shown beside it for
    # comparison (its SQL takes a few tens of ms, so the Python around it sets its ratio).
    targeted = scale == "city"
    aside = "" if targeted else "; the target is the city's, this row is for comparison"
    return {
        f"dashboard ({scale}, cold)": {
            "portal_s": cold_s, "baseline_s": baseline, "ratio": cold_s / baseline,
            "target": f"≤ {TARGET}×" if targeted else "—",
            "met": cold_s / baseline <= TARGET if targeted else None,
            "note": f"{what}; nothing kept: {cold_queries} queries{aside}",
        },
        f"dashboard ({scale}, kept)": {
            "portal_s": kept_s, "baseline_s": baseline, "ratio": kept_s / baseline,
            "target": f"≤ {TARGET}×" if targeted else "—",
            "met": kept_s / baseline <= TARGET if targeted else None,
            "note": f"figures kept since the last change: {kept_queries} queries{aside}",
        },
    }  # fmt: skip
