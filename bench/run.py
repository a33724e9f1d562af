"""Benchmarks, reported as ratios against a baseline measured in the same run.

    python bench/run.py [--rows 5000] [--repeat 3]

It creates a throw-away test database (DATABASE_URL's server, or the embedded one), loads
the Long Biên demo and measures:

* import: people and task rows/s through the portal's import (the services' batch variants:
  validation, scope, audit rows in bulk, one transaction) against PostgreSQL COPY of the same
  rows into a plain table;
* indicators: the 2015–2020 term's indicators for the district against the same counts
  written as raw SQL aggregates.

* the term report's PDF (``bench/term_pdf.py``) against WeasyPrint rendering the same HTML,
  and the peak memory of the portal's render in a child process;
* every other module of :data:`MODULES` found under ``bench/`` (``bench/dashboard.py``).

**Plugging a measurement in.** A module ``bench/<name>.py`` listed in :data:`MODULES` exposes
``measure(args, context) -> dict[str, row]``, a row being ``{"portal_s", "baseline_s",
"ratio", "note", "target", "met"}`` (``baseline_s``/``ratio`` may be None for a figure
without a baseline, which then gives its figure as ``"value"``, e.g. ``"312 MB"``). It is
called once on the district demo (``context["scale"] == "district"``) and, with
``--scale city``, once more after ``seed_demo --scale city`` (``"city"``): name the rows with
the scale. ``context`` holds ``scale``, ``connection``, ``transaction`` and ``built`` (the
Long Biên demo's :class:`~longbien.org.demo.Built`: ``built.units[code]``). A missing module
is skipped.

Nothing here is asserted: the numbers are for reading, and a ratio is comparable across
machines where a time is not. Each run writes ``bench/RESULTS.md`` (the table, the date, the
scale and the machine) and ``bench/out/results.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import io
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longbien.settings.bench")

from timing import best_of_each  # noqa: E402  (bench/ is on the path above)

#: The measurement modules under bench/ (``measure(args, context)``), in the order they run.
MODULES = ("term_pdf", "dashboard", "lists")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--scale", choices=["district", "city"], default="district",
        help="city: also build seed_demo --scale city (about 2 minutes) and measure restrict(), duplicates and the modules on it",
    )  # fmt: skip
    parser.add_argument(
        "--profile", action="store_true",
        help="also write cProfiles of one portal import per register and one term PDF to bench/out/",
    )  # fmt: skip
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    old_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        machine = describe_machine(connection)
        results = run(args, connection, transaction)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    results = {name: complete(row) for name, row in results.items()}
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    for name, row in results.items():
        print(f"{name:<26} {cell(row, 'portal')} · baseline {cell(row, 'baseline')} · ratio "
              f"{cell(row, 'ratio')} · target {row['target']} {verdict(row)}  ({row['note']})")  # fmt: skip
    machine["duration"] = f"{time.perf_counter() - started:,.0f} s"
    (ROOT / "bench" / "RESULTS.md").write_text(results_markdown(args, machine, results))
    print(f"Written: {ROOT / 'bench' / 'RESULTS.md'}")


def describe_machine(connection) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    import weasyprint

    return {
        "speed": f"{python_loop_seconds():.2f} s",
        "cores": str(os.cpu_count()),
        "cpu": cpu or "?",
        "postgresql": server.split()[0],
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "system": f"{platform.system()} {platform.release()}",
    }


def python_loop_seconds() -> float:
    """The machine's speed at Python: ten million additions in a loop, best of three. The
    figures in milliseconds and rows per second scale with it, the ratios much less: compare
    it before comparing two runs' times. A shared machine's speed drifts: on the one of
    2026-12-01 afternoon the loop took from 0,65 to 2,4 s in the same hour, and WeasyPrint
    3,4 s for the city's term PDF that the morning's machine rendered in 0,8 s."""
    import time

    def loop() -> float:
        started, total = time.perf_counter(), 0
        for number in range(10_000_000):
            total += number
        return time.perf_counter() - started

    return min(loop() for _run in range(3))


def complete(row: dict[str, Any]) -> dict[str, Any]:
    """A row with every column: ``target`` "—" and ``met`` None when it has none."""
    return {"baseline_s": None, "ratio": None, "target": "—", "met": None, "note": "", **row}


def cell(row: dict[str, Any], column: str) -> str:
    if column == "portal":
        if row.get("value"):
            return str(row["value"])
        return _seconds(row["portal_s"])
    if column == "baseline":
        return "—" if row["baseline_s"] is None else _seconds(row["baseline_s"])
    return "—" if row["ratio"] is None else f"×{row['ratio']:.2f}"


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def verdict(row: dict[str, Any]) -> str:
    return {True: "met", False: "MISSED", None: "—"}[row["met"]]


def results_markdown(args, machine: dict[str, str], results: dict[str, dict[str, Any]]) -> str:
    """bench/RESULTS.md: the table of one run, with its date, scale and machine."""
    now = dt.datetime.now().astimezone()
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python bench/run.py`); do not edit by hand, run it again.",
        "Each figure is timed against a baseline measured in the same run (best of the runs);",
        "the ratio is what compares across machines.",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M %Z}",
        f"- Scale: {args.scale} (`--rows {args.rows} --repeat {args.repeat}"
        f"{' --scale city' if args.scale == 'city' else ''}`); the whole run took {machine['duration']}",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), PostgreSQL {machine['postgresql']}, "
        f"Python {machine['python']}, WeasyPrint {machine['weasyprint']}, {machine['system']}",
        f"- Speed: ten million additions in a Python loop took {machine['speed']} (best of three):"
        " times in ms and rows/s scale with it, compare it before comparing two runs' times",
        "",
        "| Figure | Portal | Baseline | Ratio | Target | Met | Note |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for name, row in results.items():
        note = str(row["note"]).replace("|", "\\|")
        lines.append(
            f"| {name} | {cell(row, 'portal')} | {cell(row, 'baseline')} | {cell(row, 'ratio')} "
            f"| {row['target']} | {verdict(row)} | {note} |"
        )
    return "\n".join(lines) + "\n"


def run_modules(args, context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every module of :data:`MODULES` present under bench/, each ``measure(args, context)``."""
    results: dict[str, dict[str, Any]] = {}
    for name in MODULES:
        if not (ROOT / "bench" / f"{name}.py").is_file():
            print(f"({name}: bench/{name}.py not found, skipped)")
            continue
        module = importlib.import_module(name)
        # What the bench itself built (the seeded demo, the city) is out of the collector's
        # way, as a worker's start-up heap is (longbien/core/heap.py): a full collection over
        # a bench process that loaded the city took tens of ms and landed on whichever
        # measurement allocated most, not on what a worker pays.
        from longbien.core import heap

        heap.freeze()
        started = time.perf_counter()
        results.update(module.measure(args, context))
        print(f"({name} on the {context['scale']}: {time.perf_counter() - started:.0f} s)")
    return results


PEOPLE_HEADER = [
    "Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Mã đơn vị", "Chức vụ",
    "Diện quản lý", "Đang công tác",
]  # fmt: skip
TASK_HEADER = [
    "ID", "ID văn bản", "Số hiệu văn bản", "ID nhiệm vụ cấp trên", "Nội dung nhiệm vụ",
    "Yêu cầu cụ thể", "Mã đơn vị chủ trì", "Thời hạn", "Trạng thái", "Tiến độ (%)",
    "Ngày hoàn thành",
]  # fmt: skip


def run(args, connection, transaction) -> dict:
    from term_pdf import forget_figures

    from longbien import indicators
    from longbien.core import demo as core_demo
    from longbien.core import io as portal_io
    from longbien.org.demo import load_long_bien
    from longbien.org.models import OrgUnit, Person, Term, User
    from longbien.service import batch
    from resolutions.models import Document

    # The district demo, as seed_demo loads it (every app: the term report needs them all).
    started = time.perf_counter()
    with batch():
        built = load_long_bien()
        for _name, loader in core_demo.loaders():
            loader(built=built)
    print(f"(the district demo loaded in {time.perf_counter() - started:.0f} s)")
    context: dict[str, Any] = {
        "scale": "district", "connection": connection, "transaction": transaction, "built": built,
    }  # fmt: skip
    # First, on the demo as seeded (the imports below add thousands of people and tasks).
    results: dict[str, dict] = run_modules(args, context)
    admin = User.objects.get(username="admin")
    cells = list(OrgUnit.objects.filter(kind="party_cell").values_list("code", flat=True))
    document = (
        Document.objects.filter(status="issued", issuing_unit__code="QU-LB")
        .order_by("signed_date")
        .first()
    )
    counter = iter(range(1000))

    def people_rows(prefix: str) -> list[list[str]]:
        return [
            [f"{prefix}{n:06d}", f"Nguyễn Văn Thử {n}", "01/02/1980", "Nam", "03/02/2005",
             cells[n % len(cells)], "", "", "1"]
            for n in range(args.rows)
        ]  # fmt: skip

    progress = [
        ("Chưa thực hiện", "0", ""),
        ("Đang thực hiện", "50", ""),
        ("Hoàn thành", "100", "10/12/2025"),
    ]

    def task_rows(prefix: str) -> list[list[str]]:
        return [
            ["", document.pk, "", "", f"{prefix} nhiệm vụ thử {n}", "", cells[n % len(cells)],
             "31/12/2025", *progress[n % 3]]
            for n in range(args.rows)
        ]  # fmt: skip

    codes = list(
        Person.objects.filter(code__startswith="LB").order_by("code").values_list("code", flat=True)
    )

    def evaluation_rows(prefix: str) -> list[list[str]]:
        # Months recorded on paper, self-rated and approved (the grid's step), a fresh year each run.
        year = 2030 + int(prefix[1:])
        return [
            [codes[n % len(codes)], year + n // (len(codes) * 12), n // len(codes) % 12 + 1, "HTTNV", "HTTNV"]
            for n in range(args.rows)
        ]  # fmt: skip

    registers = {
        # register: (file header, rows, the plain table COPY fills as the baseline)
        "people": (PEOPLE_HEADER, people_rows, "code text, full_name text, birth text, sex text, joined text, unit text, position text, level text, active text"),
        "evaluations": (["Mã cán bộ", "Năm", "Tháng", "Tự xếp loại", "Xếp loại"], evaluation_rows, "code text, year text, month text, self_rating text, rating text"),
        "tasks": (TASK_HEADER, task_rows, "id text, document text, symbol text, parent text, title text, description text, unit text, deadline text, status text, progress text, completed text"),
    }  # fmt: skip
    for name, (header, make_rows, columns) in registers.items():

        def portal_import(name=name, header=header, make_rows=make_rows) -> None:
            buffer = io.StringIO()
            csv.writer(buffer).writerows([header, *make_rows(f"B{next(counter):02d}")])
            outcome = portal_io.import_register(
                user=admin, name=name, data=buffer.getvalue().encode(), fmt="csv", dry_run=False
            )
            assert outcome.applied, outcome.errors[:3]

        def copy_import(name=name, make_rows=make_rows, columns=columns) -> None:
            buffer = io.StringIO()
            csv.writer(buffer).writerows(make_rows(f"C{next(counter):02d}"))
            buffer.seek(0)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS bench_{name} ({columns})")
                cursor.cursor.copy_expert(f"COPY bench_{name} FROM STDIN WITH (FORMAT csv)", buffer)

        portal, baseline = best_of_each(args.repeat, portal_import, copy_import)
        if args.profile:
            import cProfile

            out = ROOT / "bench" / "out"
            out.mkdir(exist_ok=True)
            cProfile.runctx("portal_import()", globals(), {"portal_import": portal_import},
                            filename=str(out / f"{name}.prof"))  # fmt: skip
        results[f"import {name}"] = {
            "portal_s": portal, "baseline_s": baseline, "ratio": portal / baseline,
            "target": "≥ 2,000 rows/s", "met": args.rows / portal >= 2000,
            "note": f"{args.rows} rows: {args.rows / portal:,.0f} rows/s vs COPY {args.rows / baseline:,.0f} rows/s",
        }  # fmt: skip

    term = Term.objects.get(code="2015-2020")
    root = built.units["QU-LB"]

    def portal_indicators() -> None:
        # The same facts as the raw SQL below: documents, tasks, conferences, procedures,
        # computed (the figure cache emptied first: kept figures would time a cache read).
        forget_figures()
        indicators.collect(
            viewer=indicators.SYSTEM,
            unit=root,
            start=term.start_date,
            end=term.end_date,
            areas={"resolutions", "org"},
        )

    sql = """
        SELECT d.issuer_level, d.kind, count(*) FROM resolutions_document d JOIN org_orgunit u ON u.id = d.issuing_unit_id
         WHERE u.path LIKE %(path)s AND d.signed_date BETWEEN %(start)s AND %(end)s AND d.status <> 'draft' GROUP BY 1, 2;
        SELECT count(*), count(*) FILTER (WHERE t.status = 'done') FROM resolutions_task t JOIN org_orgunit u ON u.id = t.unit_id
         WHERE u.path LIKE %(path)s AND t.deadline BETWEEN %(start)s AND %(end)s;
        SELECT count(*), sum(c.expected_attendees), sum(c.present_attendees), sum(c.learning_reports) FROM resolutions_conference c
          JOIN org_orgunit u ON u.id = c.unit_id WHERE u.path LIKE %(path)s AND c.held_on BETWEEN %(start)s AND %(end)s;
        SELECT p.level, count(*) FROM procedures_procedure p JOIN org_orgunit u ON u.id = p.owner_unit_id
         WHERE u.path LIKE %(path)s AND p.effective_date <= %(end)s GROUP BY 1;
    """
    params = {"path": root.path + "%", "start": term.start_date, "end": term.end_date}

    def raw_indicators() -> None:
        with connection.cursor() as cursor:
            for statement in filter(str.strip, sql.split(";")):
                cursor.execute(statement, params)
                cursor.fetchall()

    portal, baseline = best_of_each(args.repeat * 3, portal_indicators, raw_indicators)
    results["indicators"] = {
        "portal_s": portal, "baseline_s": baseline, "ratio": portal / baseline,
        "note": f"the resolutions and procedure indicators of the 2015–2020 term ({Person.objects.count():,} people in the database), figure cache emptied before each run",
    }  # fmt: skip
    results.update(run_overlap(args, connection, built))
    if args.scale == "city":
        results.update(run_city(args, connection))
        context["scale"] = "city"
        results.update(run_modules(args, context))
    return results


def _plan_items(plan, targets, count: int, year: int, shift: int = 0) -> list:
    import datetime as dt

    from inspections.models import PlanItem
    from longbien.text import fold

    rows = []
    for n in range(count):
        month = 1 + (n + shift) % 12
        topic = f"Nội dung {n % 40}"
        rows.append(PlanItem(
            plan=plan, activity="inspection", subject_type="organisation", topic=topic,
            topic_folded=fold(topic), target_unit=targets[(n * 7 + shift) % len(targets)],
            starts_on=dt.date(year, month, 1), ends_on=dt.date(year, month, 28),
            lead_body=plan.body,
        ))  # fmt: skip
    return rows


def _time_overlap(args, connection, items, against: str) -> dict:
    """Time ``overlaps_of(items)`` against its SQL alone."""
    from inspections import selectors
    from longbien.org.models import OrgUnit

    found: dict = {}

    def portal() -> None:
        found.update(selectors.overlaps_of(items))

    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    params = {
        "keys": [i.pk for i in items], "bodies": [items[0].plan.body_id] * len(items),
        "targets": [i.target_unit_id for i in items],
        "paths": [paths[i.target_unit_id] for i in items],
        "starts": [i.starts_on for i in items], "ends": [i.ends_on for i in items],
        "topics": [i.topic_folded for i in items], "own": [i.pk for i in items], "window": 6,
    }  # fmt: skip

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(selectors._OVERLAP_SQL, params)
            cursor.fetchall()

    portal_s, baseline_s = best_of_each(args.repeat * 3, portal, raw)
    conflicts = sum(len(v) for v in found.values())
    return {
        "portal_s": portal_s, "baseline_s": baseline_s, "ratio": portal_s / baseline_s,
        "target": "< 100 ms", "met": portal_s < 0.1,
        "note": f"a 200-item plan against {against}: {conflicts:,} conflicts; baseline: the "
        "check's SQL alone",
    }  # fmt: skip


def run_overlap(args, connection, built) -> dict:
    """The overlap check of a 200-item plan against three other bodies' plans (600 items)."""
    from inspections.models import Plan, PlanItem
    from longbien.org.models import OrgUnit

    targets = list(OrgUnit.objects.filter(path__startswith="QU-LB/P-").order_by("path"))
    plans = [
        Plan.objects.create(body=built.units[code], year=2030, title=f"Kế hoạch {code}")
        for code in ("UBKT-QU", "HDND-LB", "MTTQ-LB", "UBND-LB")
    ]
    rows = []
    for index, plan in enumerate(plans):
        rows += _plan_items(plan, targets, 200, 2030, index)
    PlanItem.objects.bulk_create(rows)
    items = list(PlanItem.objects.filter(plan=plans[0]).select_related("plan"))
    return {
        "overlap check": _time_overlap(args, connection, items, "600 items of three other bodies")
    }


#: Items a year in each body's plan at city scale: about three visits a year to each ward of a
#: district by each of its bodies (a district's inspection committee carried out a few dozen
#: inspections a year in the article's term).
CITY_ITEMS_PER_BODY_YEAR = 40


def run_city_overlap(args, connection) -> dict:
    """The overlap check of a 200-item plan against the city's plans: every body (district
    committees, their inspection committees, councils, fronts, people's committees) with a
    plan of :data:`CITY_ITEMS_PER_BODY_YEAR` items a year for four years, aimed at the wards of
    its district; the plan checked is the district inspection committee's, of 200 items."""
    from inspections.models import Plan, PlanItem
    from longbien.org.models import OrgUnit

    kinds = ("district_committee", "committee_agency", "peoples_council", "fatherland_front",
             "peoples_committee")  # fmt: skip
    bodies = list(OrgUnit.objects.filter(kind__in=kinds).order_by("path"))
    wards = list(OrgUnit.objects.filter(kind="ward_committee").order_by("path"))
    rows = []
    checked = None
    for year in range(2031, 2035):  # after the district run's 2030 plans
        for index, body in enumerate(bodies):
            district = "/".join(body.path.split("/")[:2]) + "/"
            targets = [w for w in wards if w.path.startswith(district)] or wards
            plan = Plan.objects.create(body=body, year=year, title=f"Kế hoạch {body.code} {year}")
            checking = body.code == "UBKT-QU" and year == 2034
            size = 200 if checking else CITY_ITEMS_PER_BODY_YEAR
            rows += _plan_items(plan, targets, size, year, index)
            if checking:
                checked = plan
            if len(rows) >= 10_000:
                PlanItem.objects.bulk_create(rows)
                rows = []
    PlanItem.objects.bulk_create(rows)
    total = PlanItem.objects.count()
    items = list(PlanItem.objects.filter(plan=checked).select_related("plan"))
    return {
        "overlap check (city)": _time_overlap(
            args, connection, items,
            f"the city's plans ({len(bodies)} bodies × 4 years × {CITY_ITEMS_PER_BODY_YEAR} "
            f"items, {total:,} items in all)",
        )
    }  # fmt: skip


def run_city(args, connection) -> dict:
    """restrict() at city volume: a ward secretary's evaluations, own records included."""
    from django.core.management import call_command

    from cadres.models import Evaluation
    from longbien.org.choices import Role
    from longbien.org.models import OrgUnit, Person, RoleAssignment, User

    started = time.perf_counter()
    call_command("seed_demo", "--scale", "city", stdout=io.StringIO())
    seeded = time.perf_counter() - started
    ward = OrgUnit.objects.get(code="Q01-P01")
    # A secretary of one ward whose own record sits in another district (moved since).
    person = Person.objects.filter(code__startswith="HN", unit__path__startswith="TU-HN/Q05/",
                                   management_level="grassroots_committee").first()  # fmt: skip
    user = User.objects.create_user(username="bench-secretary", person=person)
    RoleAssignment.objects.create(user=user, role=Role.WARD_SECRETARY, unit=ward)
    user = User.objects.get(pk=user.pk)
    count = Evaluation.objects.restrict(user).count()

    def portal() -> None:
        list(Evaluation.objects.restrict(user).order_by("-year", "-month", "id")[:50])
        Evaluation.objects.restrict(user).count()

    sql = """
        SELECT id, year, month FROM cadres_evaluation WHERE id IN (
          SELECT e.id FROM cadres_evaluation e WHERE e.unit_id IN (SELECT id FROM org_orgunit WHERE path LIKE %(path)s)
          UNION SELECT e.id FROM cadres_evaluation e WHERE e.person_id = %(person)s)
        ORDER BY year DESC, month DESC, id LIMIT 50;
        SELECT count(*) FROM (
          SELECT e.id FROM cadres_evaluation e WHERE e.unit_id IN (SELECT id FROM org_orgunit WHERE path LIKE %(path)s)
          UNION SELECT e.id FROM cadres_evaluation e WHERE e.person_id = %(person)s) AS visible;
    """
    params = {"path": ward.path + "%", "person": person.pk}

    def raw() -> None:
        with connection.cursor() as cursor:
            for statement in filter(str.strip, sql.split(";")):
                cursor.execute(statement, params)
                cursor.fetchall()

    total = Evaluation.objects.count()
    portal_s, baseline_s = best_of_each(args.repeat * 3, portal, raw)
    return {
        "restrict (city)": {
            "portal_s": portal_s,
            "baseline_s": baseline_s,
            "ratio": portal_s / baseline_s,
            "note": f"a ward secretary's first page and count: {count:,} of {total:,} evaluations visible; the city seeded in {seeded:.0f} s",
        },  # fmt: skip
        **run_duplicates(args, connection),
        **run_city_overlap(args, connection),
    }


def run_duplicates(args, connection) -> dict:
    """The duplicate suggestion on intake against the city's public-opinion cases."""
    from dialogues import selectors
    from dialogues.models import OpinionCase, words
    from longbien.org.models import OrgUnit, User

    viewer = User.objects.get(username="thanhuy")
    case = (
        OpinionCase.objects.exclude(unit__path__startswith="TU-HN/QU-LB/")
        .filter(status__in=("received", "assigned", "in_progress"), merged_into__isnull=True)
        .order_by("id")
        .first()
    )
    unit = OrgUnit.objects.get(pk=case.unit_id)
    content = " ".join(reversed(case.content.split()))  # the same words in another order
    found: list = []

    def portal() -> None:
        found[:] = selectors.similar_cases(viewer, content=content, unit=unit)

    wanted = words(content)
    parent = unit.path.rsplit("/", 2)[0] + "/"
    sql = """
        SELECT id FROM (
          SELECT c.id, c.received_on,
                 (SELECT count(*) FROM unnest(c.words) AS w WHERE w = ANY(%(wanted)s)) AS shared
            FROM dialogues_opinioncase c JOIN org_orgunit u ON u.id = c.unit_id
           WHERE c.words && %(wanted)s::varchar[] AND c.merged_into_id IS NULL
             AND (u.path LIKE %(path)s OR u.path = %(parent)s)
             AND c.status NOT IN ('closed', 'rejected', 'transferred')) AS hits
         WHERE shared >= %(half)s ORDER BY shared DESC, received_on DESC, id DESC LIMIT 5
    """
    params = {"wanted": wanted, "path": unit.path + "%", "parent": parent,
              "half": (len(wanted) + 1) // 2}  # fmt: skip

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    portal_s, baseline_s = best_of_each(args.repeat * 3, portal, raw)
    return {
        "duplicates (city)": {
            "portal_s": portal_s, "baseline_s": baseline_s, "ratio": portal_s / baseline_s,
            "target": "< 100 ms", "met": portal_s < 0.1,
            "note": f"similar open cases on intake among {OpinionCase.objects.count():,} cases: "
            f"{len(found)} found",
        }
    }  # fmt: skip


if __name__ == "__main__":
    main()
