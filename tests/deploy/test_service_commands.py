"""The docker-compose.yml services' commands, run against the real PostgreSQL and Redis servers.

There is no Docker engine on the test machines, so this runs what the services run, each as a
separate process with production settings on a fresh database of its own: the one-shot migrate,
gunicorn, the Celery worker and beat. It then checks /healthz, both container healthchecks and
a task sent through the real worker. The commands are read from docker-compose.yml; only the
bind address, the number of processes and the beat schedule path change for a test machine.
(collectstatic, which the image runs at build time, is left out: it takes over a minute and
/healthz serves no static files.)
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
import yaml
from celery import Celery
from psycopg2 import sql

from tests.conftest import require_or_skip

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 60
# The worker and healthz share a Redis database of their own, apart from the test suite's.
REDIS_DB = 9


def compose_service(name: str) -> dict[str, Any]:
    with (ROOT / "docker-compose.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["services"][name]


def local_command(args: list[str], replace: dict[str, str | None] | None = None) -> list[str]:
    """A compose command with its program from the virtualenv and some options' values replaced.

    A value of None drops the option and its value; a missing option fails the test, so the
    compose file and this test cannot drift apart silently.
    """
    rest = [str(arg) for arg in args[1:]]
    for option, value in (replace or {}).items():
        assert option in rest, f"{option} is gone from the compose command {args}"
        index = rest.index(option)
        if value is None:
            del rest[index : index + 2]
        else:
            rest[index + 1] = value
    program = sys.executable if args[0] == "python" else str(BIN / args[0])
    return [program, *rest]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_execute(dsn: str, *statements: tuple[sql.Composable | str, list[Any]]) -> None:
    connection = psycopg2.connect(dsn)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for statement, params in statements:
                cursor.execute(statement, params)
    finally:
        connection.close()


@pytest.fixture
def service_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The services' environment, on a new database dropped afterwards."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    require_or_skip(bool(redis_url), "REDIS_URL is not set: no Redis server for the services")
    require_or_skip(bool(database_url), "DATABASE_URL is not set: no PostgreSQL server")

    name = f"longbien_svc_{secrets.token_hex(6)}"
    server = urlsplit(database_url)
    admin_dsn = urlunsplit(server._replace(scheme="postgresql", path="/postgres"))
    admin_execute(admin_dsn, (sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)), []))
    try:
        for directory in ("media", "static", "run"):
            (tmp_path / directory).mkdir()
        yield {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "longbien.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": urlunsplit(server._replace(path=f"/{name}")),
            "REDIS_URL": urlunsplit(urlsplit(redis_url)._replace(path=f"/{REDIS_DB}")),
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            # gunicorn's control socket goes here, not into a shared ~/.gunicorn.
            "XDG_RUNTIME_DIR": str(tmp_path / "run"),
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
    finally:
        admin_execute(
            admin_dsn,
            (
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ),
            (sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)), []),
        )


class Services:
    """Processes started with the services' environment, their output in log files."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.log_dir.mkdir()
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def run(self, name: str, args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        with self.log(name).open("wb") as log:
            return subprocess.run(
                args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, timeout=timeout
            )

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        with self.log(name).open("wb") as log:
            # A session of its own, so a kill reaches gunicorn's worker processes too.
            process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def assert_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}\n{self.tails()}")

    def tails(self, lines: int = 40) -> str:
        parts = []
        for path in sorted(self.log_dir.glob("*.log")):
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            parts.append(f"----- {path.name} (last {lines} lines)\n" + "\n".join(text))
        return "\n".join(parts)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


@pytest.fixture
def services(service_env: dict[str, str], tmp_path: Path) -> Iterator[Services]:
    started = Services(service_env, tmp_path / "logs")
    try:
        yield started
    finally:
        started.stop()
        # Shown by pytest only when the test fails.
        print(started.tails())


def get_health(url: str) -> tuple[int, dict[str, Any]]:
    # Always http://127.0.0.1:<port>/healthz, built by the test.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_until_healthy(services: Services, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        services.assert_alive()
        try:
            status, body = get_health(url)
        except (OSError, ValueError) as error:
            last = repr(error)
        else:
            last = f"{status} {body}"
            if (
                status == 200
                and body.get("database") == "ok"
                and body.get("redis") == "ok"
                and str(body.get("celery", "")).startswith("ok")
            ):
                return body
        time.sleep(0.5)
    pytest.fail(f"/healthz not healthy after {STARTUP_TIMEOUT} s, last: {last}\n{services.tails()}")


def test_compose_services_migrate_serve_and_run_tasks(services: Services, tmp_path: Path) -> None:
    migrate = services.run("migrate", local_command(compose_service("migrate")["command"]), 120)
    assert migrate.returncode == 0, f"migrate failed\n{services.tails()}"

    port = free_port()
    services.start(
        "web",
        local_command(
            compose_service("web")["command"],
            {"--bind": f"127.0.0.1:{port}", "--workers": "1"},
        ),
    )
    # One process instead of a pool of two: the same queues, less to start and stop.
    worker_command = local_command(compose_service("worker")["command"], {"--concurrency": None})
    services.start("worker", [*worker_command, "--pool=solo"])
    beat = services.start(
        "beat",
        local_command(
            compose_service("beat")["command"], {"--schedule": str(tmp_path / "beat-schedule")}
        ),
    )

    health = wait_until_healthy(services, f"http://127.0.0.1:{port}/healthz")
    assert health["status"] == "ok"

    # A task through the broker to the real worker and back through the result backend.
    redis_url = services.env["REDIS_URL"]
    client = Celery(
        "longbien-deploy-test", broker=redis_url, backend=redis_url, set_as_current=False
    )
    try:
        result = client.send_task("core.ping_task", args=[41], queue="default")
        assert result.get(timeout=30) == {"pong": 41}
    finally:
        client.close()

    # The containers' healthchecks, as docker would run them.
    web_check = compose_service("web")["healthcheck"]["test"]
    assert web_check[:3] == ["CMD", "python", "-c"]
    assert "http://localhost:8000/" in web_check[3]
    code = web_check[3].replace("http://localhost:8000/", f"http://127.0.0.1:{port}/")
    assert services.run("web-healthcheck", [sys.executable, "-c", code], 30).returncode == 0, (
        services.tails()
    )
    worker_check = compose_service("worker")["healthcheck"]["test"]
    assert worker_check[0] == "CMD-SHELL"
    shell_command = worker_check[1].replace("$$", "$")  # compose's escape for a literal $
    services.env["HOSTNAME"] = socket.gethostname()  # what docker sets and celery names nodes by
    ping = services.run("worker-healthcheck", ["sh", "-c", shell_command], 60)
    assert ping.returncode == 0, services.tails()

    assert beat.poll() is None, f"beat exited\n{services.tails()}"
    services.assert_alive()
