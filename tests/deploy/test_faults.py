"""Faults of the services (issue 15), with the docker-compose.yml commands run as local
processes, production settings and the Long Biên demo data on a fresh database of their own.

- A Celery worker, or one of its pool processes, killed (SIGKILL) while it renders a term
  report (issue 14): the message, acknowledged late, comes back (to a new worker, or at once
  to a new pool process), which takes the job over (its claimant lock was freed with the
  killed process's database session) and finishes it once: one whole PDF, one job, not
  rendered again once done.
- Redis restarted with report jobs queued and no worker: its append-only file keeps them; a
  worker started afterwards finishes every one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis
from celery import Celery

from tests.conftest import require_or_skip

from .conftest import server_urls
from .services import (
    Services,
    compose_service,
    free_port,
    fresh_database,
    local_command,
    redis_url_db,
    replace_options,
    service_environment,
    wait_for,
)

pytestmark = pytest.mark.services

# The worker-kill test's Redis database, apart from the suite's and test_service_commands'.
KILL_REDIS_DB = 8
TERM = "2015-2020"
JOB_TABLE = "reporting_termreportjob"

# The jobs asked for through the service, as the web page asks (``term_jobs.job_request``),
# by a user who may see the unit's reports; prints their ids and whether each was new.
REQUEST_JOBS = """
import json, os
from longbien.org import scope
from longbien.org.models import OrgUnit, Term, User
from longbien.reporting import term_jobs
term = Term.objects.get(code=os.environ["FAULT_TERM"])
codes = os.environ["FAULT_UNITS"].split(",")
viewers = User.objects.filter(role_assignments__isnull=False).distinct().order_by("pk")
made = []
for unit in OrgUnit.objects.filter(code__in=codes).order_by("code"):
    actor = next(u for u in viewers if scope.can(u, term_jobs.AREA, scope.VIEW, unit))
    job, created = term_jobs.job_request(actor=actor, unit=unit, term=term)
    made.append([job.pk, created])
print("JOBS=" + json.dumps(made))
"""


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database migrated by the compose command, with the demo data (seed_demo)."""
    database_url, redis_url = server_urls()
    root = tmp_path_factory.mktemp("demo-db")
    with fresh_database(database_url) as url:
        loader = Services(service_environment(root, url, redis_url), root / "logs")
        migrate = loader.run("migrate", local_command(compose_service("migrate")["command"]), 120)
        assert migrate.returncode == 0, f"migrate failed\n{loader.tails()}"
        seed = loader.run("seed", [*manage_command(), "seed_demo", "--force"], 120)
        assert seed.returncode == 0, f"seed_demo failed\n{loader.tails()}"
        yield url


@pytest.fixture
def services(demo_database: str, tmp_path: Path) -> Iterator[Services]:
    """Processes on the demo database; each test sets its REDIS_URL before starting any."""
    env = service_environment(tmp_path, demo_database, "")
    started = Services(env, tmp_path / "logs")
    try:
        yield started
    finally:
        started.stop()
        print(started.tails())  # shown by pytest only when the test fails


def manage_command() -> list[str]:
    """``python manage.py`` as the compose migrate service runs it."""
    command = local_command(compose_service("migrate")["command"])
    assert command[1] == "manage.py", command
    return command[:2]


def worker_command() -> list[str]:
    """The compose worker as one process (--pool=solo): one SIGKILL lands mid-task."""
    command = local_command(compose_service("worker")["command"], {"--concurrency": None})
    return [*command, "--pool=solo"]


def request_jobs(services: Services, units: list[str]) -> list[int]:
    manage = manage_command()
    env = {"FAULT_TERM": TERM, "FAULT_UNITS": ",".join(units)}
    done = services.run("request", [*manage, "shell", "-c", REQUEST_JOBS], 60, env=env)
    output = services.log("request").read_text(encoding="utf-8")
    assert done.returncode == 0, services.tails()
    made = json.loads(output.split("JOBS=", 1)[1].splitlines()[0])
    assert [created for _, created in made] == [True] * len(units), made
    return [pk for pk, _ in made]


def jobs(services: Services, where: str = "", params: tuple[Any, ...] = ()) -> list[dict]:
    connection = psycopg2.connect(services.env["DATABASE_URL"])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, key, state, stage, attempts, file, finished_at"  # noqa: S608
                f" FROM {JOB_TABLE} {where} ORDER BY id",
                params,
            )
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()


def clear_jobs(services: Services) -> None:
    """The demo database is the module's: no job left by another test."""
    connection = psycopg2.connect(services.env["DATABASE_URL"])
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {JOB_TABLE}")  # noqa: S608
    finally:
        connection.close()


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def job(services: Services, pk: int) -> dict:
    return jobs(services, "WHERE id = %s", (pk,))[0]


def assert_whole_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), path
    assert data.rstrip().endswith(b"%%EOF"), path
    pdftotext = shutil.which("pdftotext")
    require_or_skip(pdftotext is not None, "pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        [str(pdftotext), "-layout", str(path), "-"], capture_output=True, check=True, timeout=30
    ).stdout.decode()
    assert "BÁO CÁO" in text and "2015–2020" in text, text[:500]


def pdfs(media: Path) -> list[Path]:
    return sorted(media.rglob("*.pdf"))


def rendered_count(services: Services, name: str) -> int:
    log = services.log(name).read_text(encoding="utf-8", errors="replace")
    return sum(
        1 for line in log.splitlines() if "report_term_task" in line and "'rendered'" in line
    )


@pytest.mark.parametrize("killed", ["worker", "pool process"])
def test_a_worker_killed_mid_report_leaves_a_job_finished_once(
    services: Services, killed: str
) -> None:
    """The worker killed outright (one process, --pool=solo): a new worker gets the message
    after the visibility timeout. A pool process killed (the compose prefork pool, as by the
    kernel's OOM killer): its worker puts the message back at once and a new process runs it."""
    _, redis_url = server_urls()
    services.env["REDIS_URL"] = redis_url_db(redis_url, KILL_REDIS_DB)
    broker = redis.Redis.from_url(services.env["REDIS_URL"])
    broker.flushdb()  # nothing left by an earlier run
    clear_jobs(services)
    media = Path(services.env["DJANGO_MEDIA_ROOT"])

    if killed == "worker":
        worker = services.start("worker-1", worker_command())
    else:
        prefork = local_command(compose_service("worker")["command"], {"--concurrency": "1"})
        worker = services.start("worker-1", prefork)
    [pk] = request_jobs(services, ["QU-LB"])  # the whole district: the longest report

    # Killed as soon as it runs (collecting, charts or laying out the PDF): mid-task.
    wait_for("the job running", lambda: job(services, pk)["state"] == "running", 60, services)
    if killed == "worker":
        assert services.kill("worker-1") != 0
    else:
        [pool_process] = child_pids(worker.pid)
        os.kill(pool_process, signal.SIGKILL)
    stopped = job(services, pk)
    assert (stopped["state"], stopped["attempts"], stopped["file"]) == ("running", 1, "")
    assert stopped["stage"] in {"collecting", "charts", "rendering"}, stopped
    assert pdfs(media) == []

    log = "worker-1"
    if killed == "worker":
        # Its message was delivered and never acknowledged: Redis holds it for redelivery. A
        # new worker, with a visibility timeout of a second, gets it at once (production
        # waits CELERY_VISIBILITY_TIMEOUT, an hour).
        [(_, delivered_at)] = broker.zrange("unacked_index", 0, -1, withscores=True)
        time.sleep(max(0.0, delivered_at + 1.5 - time.time()))
        services.start("worker-2", worker_command(), env={"CELERY_VISIBILITY_TIMEOUT": "1"})
        log = "worker-2"
    wait_for("the job done", lambda: job(services, pk)["state"] == "done", 60, services)

    finished = job(services, pk)
    assert finished["attempts"] == 2, finished  # the killed attempt, then this one
    assert jobs(services) == [finished]  # no second job
    [pdf] = pdfs(media)  # one file, the job's: the killed attempt stored none
    assert pdf == media / finished["file"]
    assert_whole_pdf(pdf)

    # Delivered again once done: nothing is rendered again.
    url = services.env["REDIS_URL"]
    client = Celery("longbien-faults", broker=url, backend=url, set_as_current=False)
    try:
        again = client.send_task("reporting.report_term_task", args=[pk], queue="reports")
        assert again.get(timeout=30) == "done"
    finally:
        client.close()
    assert rendered_count(services, log) == 1, services.tails()
    assert job(services, pk) == finished
    assert pdfs(media) == [pdf]
    services.assert_alive()


def test_jobs_queued_survive_a_redis_restart(services: Services, tmp_path: Path) -> None:
    clear_jobs(services)
    server = shutil.which("redis-server")
    require_or_skip(server is not None, "redis-server is not installed")
    # The compose file's Redis (append-only), every write synced for the test, on a free port.
    data = tmp_path / "redis"
    data.mkdir()
    port = free_port()
    compose = compose_service("redis")["command"]
    assert compose[0] == "redis-server"
    redis_command = [
        str(server),
        *replace_options(compose[1:], {"--appendonly": "yes", "--appendfsync": "always"}),
        *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), "--save", ""),
    ]
    services.start("redis-1", redis_command)
    services.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    broker = redis.Redis(port=port, socket_timeout=10)
    wait_for("Redis up", lambda: _pings(broker), 15, services)
    media = Path(services.env["DJANGO_MEDIA_ROOT"])

    # Three wards' reports asked for with no worker running: queued in Redis.
    units = ["P-BODE", "P-GIATHUY", "P-LONGBIEN"]
    pks = request_jobs(services, units)
    assert broker.llen("reports") == len(units)

    # Redis shut down and started again on the same files: the queue is read back.
    broker.shutdown(nosave=True)
    assert services.processes.pop("redis-1").wait(timeout=15) == 0
    services.start("redis-2", redis_command)
    wait_for("Redis up again", lambda: _pings(broker), 15, services)
    assert broker.llen("reports") == len(units)
    assert {row["state"] for row in jobs(services)} == {"queued"}

    services.start("worker", worker_command())
    wait_for(
        "every job done",
        lambda: [row["state"] for row in jobs(services)] == ["done"] * len(units),
        75,
        services,
    )
    rows = jobs(services)
    assert [row["id"] for row in rows] == pks
    assert [row["attempts"] for row in rows] == [1] * len(units)
    files = pdfs(media)
    assert sorted(media / row["file"] for row in rows) == files
    for pdf in files:
        assert_whole_pdf(pdf)
    assert rendered_count(services, "worker") == len(units)
    assert broker.llen("reports") == 0
    services.assert_alive()


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.BusyLoadingError, redis.TimeoutError):
        return False
