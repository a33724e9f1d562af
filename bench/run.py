"""Benchmarks, reported as ratios against a baseline measured in the same run.

    python bench/run.py [--rows 5000] [--repeat 3]

It creates a throw-away test database (DATABASE_URL's server, or the embedded one), loads
the Long Biên demo and measures:

* import: people and task rows/s through the portal's import (the services' batch variants:
  validation, scope, audit rows in bulk, one transaction) against PostgreSQL COPY of the same
  rows into a plain table;
* indicators: the 2015–2020 term's indicators for the district against the same counts
  written as raw SQL aggregates.

Nothing here is asserted: the numbers are for reading, and a ratio is comparable across
machines where a time is not.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longbien.settings.test")


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--scale", choices=["district", "city"], default="district",
        help="city: also build seed_demo --scale city (about 3 minutes) and time restrict() on it",
    )  # fmt: skip
    parser.add_argument(
        "--profile", action="store_true",
        help="also write a cProfile of one portal import per register to bench/out/<register>.prof",
    )  # fmt: skip
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        results = run(args, connection, transaction)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    for name, row in results.items():
        print(
            f"{name:<12} portal {row['portal_s']:.4f} s · baseline {row['baseline_s']:.4f} s · ratio ×{row['ratio']:.1f}  ({row['note']})"
        )


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
    from longbien import indicators
    from longbien.core import io as portal_io
    from longbien.org.demo import load_long_bien
    from longbien.org.models import OrgUnit, Person, Term, User
    from longbien.procedures.demo import load_demo as load_procedures
    from resolutions.demo import load_demo as load_resolutions
    from resolutions.models import Document

    built = load_long_bien()
    load_procedures(built=built)
    load_resolutions(built=built)
    admin = User.objects.get(username="admin")
    cells = list(OrgUnit.objects.filter(kind="party_cell").values_list("code", flat=True))
    document = (
        Document.objects.filter(status="issued", issuing_unit__code="QU-LB")
        .order_by("signed_date")
        .first()
    )
    results: dict[str, dict] = {}
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

        portal = best_of(args.repeat, portal_import)
        baseline = best_of(args.repeat, copy_import)
        if args.profile:
            import cProfile

            out = ROOT / "bench" / "out"
            out.mkdir(exist_ok=True)
            cProfile.runctx("portal_import()", globals(), {"portal_import": portal_import},
                            filename=str(out / f"{name}.prof"))  # fmt: skip
        results[f"import {name}"] = {
            "portal_s": portal, "baseline_s": baseline, "ratio": portal / baseline,
            "note": f"{args.rows} rows: {args.rows / portal:,.0f} rows/s (target ≥ 2,000) vs COPY {args.rows / baseline:,.0f} rows/s",
        }  # fmt: skip

    term = Term.objects.get(code="2015-2020")
    root = built.units["QU-LB"]

    def portal_indicators() -> None:
        # The same facts as the raw SQL below: documents, tasks, conferences, procedures.
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

    portal = best_of(args.repeat * 3, portal_indicators)
    baseline = best_of(args.repeat * 3, raw_indicators)
    results["indicators"] = {
        "portal_s": portal, "baseline_s": baseline, "ratio": portal / baseline,
        "note": f"the resolutions and procedure indicators of the 2015–2020 term ({Person.objects.count():,} people in the database)",
    }  # fmt: skip
    results.update(run_overlap(args, connection, built))
    if args.scale == "city":
        results.update(run_city(args, connection))
    return results


def run_overlap(args, connection, built) -> dict:
    """The overlap check of a 200-item plan against three other bodies' plans (600 items)."""
    import datetime as dt

    from inspections import selectors
    from inspections.models import Plan, PlanItem
    from longbien.org.models import OrgUnit
    from longbien.text import fold

    targets = list(OrgUnit.objects.filter(path__startswith="QU-LB/P-").order_by("path"))
    plans = [
        Plan.objects.create(body=built.units[code], year=2030, title=f"Kế hoạch {code}")
        for code in ("UBKT-QU", "HDND-LB", "MTTQ-LB", "UBND-LB")
    ]
    rows = []
    for p_index, plan in enumerate(plans):
        for n in range(200):
            month = 1 + (n + p_index) % 12
            topic = f"Nội dung {n % 40}"
            rows.append(PlanItem(
                plan=plan, activity="inspection", subject_type="organisation", topic=topic,
                topic_folded=fold(topic), target_unit=targets[(n * 7 + p_index) % len(targets)],
                starts_on=dt.date(2030, month, 1), ends_on=dt.date(2030, month, 28),
                lead_body=plan.body,
            ))  # fmt: skip
    PlanItem.objects.bulk_create(rows)
    items = list(PlanItem.objects.filter(plan=plans[0]))
    found: dict = {}

    def portal() -> None:
        found.update(selectors.overlaps_of(items))

    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    params = {
        "keys": [i.pk for i in items], "bodies": [plans[0].body_id] * len(items),
        "targets": [i.target_unit_id for i in items],
        "paths": [paths[i.target_unit_id] for i in items],
        "starts": [i.starts_on for i in items], "ends": [i.ends_on for i in items],
        "topics": [i.topic_folded for i in items], "own": [i.pk for i in items], "window": 6,
    }  # fmt: skip

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(selectors._OVERLAP_SQL, params)
            cursor.fetchall()

    portal_s = best_of(args.repeat * 3, portal)
    baseline_s = best_of(args.repeat * 3, raw)
    conflicts = sum(len(v) for v in found.values())
    return {
        "overlap check": {
            "portal_s": portal_s, "baseline_s": baseline_s, "ratio": portal_s / baseline_s,
            "note": f"a 200-item plan against 600 items of three other bodies: {portal_s * 1000:.0f} ms "
            f"(target < 100 ms), {conflicts} conflicts; baseline: the check's SQL alone",
        }
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
    portal_s = best_of(args.repeat * 3, portal)
    baseline_s = best_of(args.repeat * 3, raw)
    return {
        "restrict (city)": {
            "portal_s": portal_s,
            "baseline_s": baseline_s,
            "ratio": portal_s / baseline_s,
            "note": f"a ward secretary's first page and count: {count:,} of {total:,} evaluations visible; the city seeded in {seeded:.0f} s",
        },  # fmt: skip
        **run_duplicates(args, connection),
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

    portal_s = best_of(args.repeat * 3, portal)
    baseline_s = best_of(args.repeat * 3, raw)
    return {
        "duplicates (city)": {
            "portal_s": portal_s, "baseline_s": baseline_s, "ratio": portal_s / baseline_s,
            "note": f"similar open cases on intake among {OpinionCase.objects.count():,} cases: "
            f"{portal_s * 1000:.0f} ms (target < 100 ms), {len(found)} found",
        }
    }  # fmt: skip


if __name__ == "__main__":
    main()
