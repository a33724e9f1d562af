"""The lists under load: locust (``bench/locustfile.py``) against gunicorn, bounded in time.

    DATABASE_URL=postgres://…/lb_city .venv/bin/python bench/load.py [--users 30] [--run-time 360]

Starts gunicorn (``--workers``, test settings: DEBUG off, no HTTPS redirect) on the database of
``DATABASE_URL`` (a city-scale one: ``seed_demo --scale city``), logs the city administrator
and a ward secretary in (sessions made directly, as the login page would), runs locust
headless with ``--users`` users for ``--run-time`` seconds, stops gunicorn and prints the
p95 of each endpoint (``bench/out/load.json`` and ``bench/out/load_stats.csv``). Target:
p95 ≤ 100 ms for every endpoint.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent
TARGET_P95_MS = 100
#: The settings gunicorn serves with and the sessions are made with.
SETTINGS = "longbien.settings.bench"


def sessions() -> str:
    """``who=sessionkey`` pairs for the city administrator and a ward secretary.

    Made with gunicorn's settings, whatever the caller's environment names: a session is
    signed with the settings' secret key, and one signed with another is "corrupted" there.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from lists import users

    pairs = []
    for who, user in users().items():
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "longbien.org.backends.PersonModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        pairs.append(f"{who.replace(' ', '_')}={store.session_key}")
    return ",".join(pairs)


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on {port} within {seconds} s")


def warm_up(port: int, sessions_pairs: str, workers: int) -> None:
    """Every URL the users will ask, as each of them, once per worker (``workers`` requests at
    a time, so that every worker gets some): a cold worker's first page of a kind (imports,
    templates, the calendar) is not what the run measures."""
    import urllib.error
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from registers import REGISTERS, UNITS_PAGE

    urls = [UNITS_PAGE]
    for _register, page, api, search, filtered in REGISTERS:
        urls += [page, api, f"{page}?{search}", f"{api}?{search}", f"{page}?{filtered}",
                 f"{api}?{filtered}", f"{page}?page=5"]  # fmt: skip

    def fetch(url: str, key: str) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{url.replace(' ', '+')}",
            headers={"Cookie": f"sessionid={key}", "Accept-Language": "vi"},
        )
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=60).read()  # noqa: S310 - our own server

    keys = [pair.split("=", 1)[1] for pair in sessions_pairs.split(",")]
    for pair in sessions_pairs.split(","):
        who, key = pair.split("=", 1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{REGISTERS[0][2]}",
            headers={"Cookie": f"sessionid={key}", "Accept-Language": "vi"},
        )
        try:
            urllib.request.urlopen(request, timeout=60).read()  # noqa: S310 - our own server
        except urllib.error.HTTPError as refused:
            # A run of refusals would time the login page, not the registers.
            raise RuntimeError(f"{who}'s session is refused by the server: {refused}") from None
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for key in keys:
            for url in urls:
                list(pool.map(lambda _n, u=url, k=key: fetch(u, k), range(workers)))


class CpuUse:
    """CPU seconds spent by gunicorn (its master and workers), PostgreSQL (every ``postgres``
    process, with the backends it has reaped) and the machine as a whole between two readings
    of ``/proc``: where the cores went during the run, so that a missed p95 says whether the
    portal's work or the machine's size set it."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.start = self.read()

    def read(self) -> dict[str, float]:
        processes: dict[int, tuple[str, int, float]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue  # ended meanwhile
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            # utime, stime, cutime, cstime: the process's and its reaped children's.
            used = sum(int(value) for value in fields[11:15]) / self.TICK
            processes[int(entry.name)] = (name, int(fields[1]), used)
        web = {self.server_pid}
        for pid, (_name, parent, _used) in processes.items():
            if parent == self.server_pid:
                web.add(pid)
        totals = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(value) for value in totals]
        return {
            "gunicorn": sum(processes[pid][2] for pid in web if pid in processes),
            "postgresql": sum(used for name, _p, used in processes.values() if name.startswith("postgres")),
            "busy": (sum(ticks) - ticks[3] - ticks[4]) / self.TICK,  # all but idle and iowait
            "all": sum(ticks) / self.TICK,
            "children": _children_cpu(),
        }  # fmt: skip

    def since_start(self, end: dict[str, float], requests: int) -> dict[str, float]:
        """What was used from the first reading to ``end`` (a later :meth:`read`)."""
        used = {key: end[key] - self.start[key] for key in end}
        per_request = max(requests, 1)
        return {
            "gunicorn_s": used["gunicorn"],
            "postgresql_s": used["postgresql"],
            "locust_s": used["children"],  # load.py's only child to end in between
            "gunicorn_ms_per_request": 1000 * used["gunicorn"] / per_request,
            "postgresql_ms_per_request": 1000 * used["postgresql"] / per_request,
            "busy_percent": 100 * used["busy"] / used["all"] if used["all"] else 0.0,
        }


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=int, default=10)
    # 360 s: about 8.500 requests, 60 to 340 per endpoint. In a minute an endpoint had 5 to 20,
    # and the "p95" of 12 samples is their maximum; in 180 s, 25 to 80, and the p95 was the
    # second-largest: one request caught in a burst of arrivals (two cores shared by
    # PostgreSQL, gunicorn and locust) decided which endpoints missed, a different few each run.
    parser.add_argument("--run-time", type=int, default=360, help="seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--label", default="", help="a name for this run in load.json")
    args = parser.parse_args()

    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS,
           "LB_LOAD_SESSIONS": sessions()}  # fmt: skip
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "longbien.wsgi:application", "--bind",
         f"127.0.0.1:{args.port}", "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    prefix = out / "load"
    try:
        wait_for(args.port)
        warm_up(args.port, env["LB_LOAD_SESSIONS"], args.workers)
        cpu = CpuUse(server.pid)
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.run_time}s",
             "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "5"],
            cwd=ROOT, env=env, check=False, timeout=args.run_time + 60,
        )  # fmt: skip
        reading = cpu.read()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    used = cpu.since_start(reading, rows.get("Aggregated", {}).get("requests", 0))
    width = max(len(name) for name in rows)
    for name, row in sorted(rows.items()):
        verdict = "met" if row["p95_ms"] <= TARGET_P95_MS and not row["failures"] else "MISSED"
        print(f"{name:<{width}}  p95 {row['p95_ms']:7.0f} ms  median {row['median_ms']:6.0f} ms"
              f"  {row['requests']:5d} req  {row['failures']:3d} failed  {verdict}")  # fmt: skip
    results_file = out / "load.json"
    runs = json.loads(results_file.read_text()) if results_file.exists() else {}
    runs[args.label or time.strftime("%Y-%m-%d %H:%M")] = {
        "users": args.users, "run_time_s": args.run_time, "workers": args.workers, "rows": rows,
        "cpu": used,
    }  # fmt: skip
    results_file.write_text(json.dumps(runs, indent=2, ensure_ascii=False))
    (ROOT / "bench" / "LOAD.md").write_text(load_markdown(args, rows, used))
    print(f"Written: {ROOT / 'bench' / 'LOAD.md'}")


def load_markdown(args: argparse.Namespace, rows: dict[str, dict], used: dict[str, float]) -> str:
    """bench/LOAD.md: the last load run (the aggregate first, then the slowest endpoints)."""
    import platform

    total = rows.get("Aggregated", {})
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    lines = [
        "# Load results",
        "",
        "Written by `bench/load.py` (locust against gunicorn on a city-scale database); do not",
        "edit by hand, run it again. Everything (PostgreSQL, gunicorn, locust) shares the machine.",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- {args.users} users (think time 0.5–2 s, `bench/locustfile.py`), {args.run_time} s, "
        f"{args.workers} gunicorn workers; machine: {os.cpu_count()} cores ({cpu})",
        f"- All requests: {total.get('requests', 0):,} at {total.get('rps', 0):.1f} req/s, median "
        f"{total.get('median_ms', 0):.0f} ms, p95 {total.get('p95_ms', 0):.0f} ms (target ≤ "
        f"{TARGET_P95_MS} ms, no request failed: "
        f"{'met' if total.get('p95_ms', 1e9) <= TARGET_P95_MS and not total.get('failures') else 'MISSED'}), "
        f"{total.get('failures', 0)} failed",
        f"- CPU during the run (`/proc`): gunicorn {used['gunicorn_s']:.0f} s "
        f"({used['gunicorn_ms_per_request']:.1f} ms a request), PostgreSQL "
        f"{used['postgresql_s']:.0f} s ({used['postgresql_ms_per_request']:.1f} ms a request), "
        f"locust {used['locust_s']:.0f} s; the machine's {os.cpu_count()} cores "
        f"{used['busy_percent']:.0f} % busy",
        "",
        "| Endpoint | Requests | Median | p95 | Met |",
        "|---|---:|---:|---:|---|",
    ]
    endpoints = sorted((r for r in rows.items() if r[0] != "Aggregated"),
                       key=lambda item: -item[1]["p95_ms"])  # fmt: skip
    for name, row in endpoints:
        met = "met" if row["p95_ms"] <= TARGET_P95_MS and not row["failures"] else "MISSED"
        lines.append(f"| {name} | {row['requests']} | {row['median_ms']:.0f} ms "
                     f"| {row['p95_ms']:.0f} ms | {met} |")  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
