"""Helpers of the service tests: the docker-compose.yml commands run as local processes with
production settings, on a fresh database of their own (there is no Docker engine on the test
machines). The fixtures are in conftest.py."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
import yaml
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def compose_service(name: str) -> dict[str, Any]:
    with (ROOT / "docker-compose.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["services"][name]


def replace_options(args: list[str], replace: dict[str, str | None] | None = None) -> list[str]:
    """The arguments with some options' values replaced; a value of None drops the option and
    its value. A missing option fails the test, so the compose file and the tests cannot drift
    apart silently."""
    rest = [str(arg) for arg in args]
    for option, value in (replace or {}).items():
        assert option in rest, f"{option} is gone from the compose command {args}"
        index = rest.index(option)
        if value is None:
            del rest[index : index + 2]
        else:
            rest[index + 1] = value
    return rest


def local_command(args: list[str], replace: dict[str, str | None] | None = None) -> list[str]:
    """A compose command with its program from the virtualenv and some options' values replaced
    (see :func:`replace_options`)."""
    program = sys.executable if args[0] == "python" else str(BIN / args[0])
    return [program, *replace_options(args[1:], replace)]


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


@contextlib.contextmanager
def fresh_database(database_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``database_url``: its URL, dropped afterwards."""
    name = f"longbien_svc_{secrets.token_hex(6)}"
    server = urlsplit(database_url)
    admin_dsn = urlunsplit(server._replace(scheme="postgresql", path="/postgres"))
    admin_execute(admin_dsn, (sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)), []))
    try:
        yield urlunsplit(server._replace(path=f"/{name}"))
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


def redis_url_db(redis_url: str, db: int) -> str:
    """The same Redis server, another database: ``db`` for this test process (under
    pytest-xdist the second process takes ``db + 2``, the third ``db + 4``, … up to four
    processes), so that two processes' Celery workers never share a queue."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    db += 2 * (int(worker) % 4 if worker.isdigit() else 0)
    return urlunsplit(urlsplit(redis_url)._replace(path=f"/{db}"))


def service_environment(tmp_path: Path, database_url: str, redis_url: str) -> dict[str, str]:
    """The services' environment (production settings) with files under ``tmp_path``."""
    for directory in ("media", "static", "run"):
        (tmp_path / directory).mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "longbien.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        # gunicorn's control socket goes here, not into a shared ~/.gunicorn.
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }


class Services:
    """Processes started with the services' environment, their output in log files."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.log_dir.mkdir(exist_ok=True)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def run(
        self, name: str, args: list[str], timeout: float, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        with self.log(name).open("wb") as log:
            return subprocess.run(
                args,
                cwd=ROOT,
                env={**self.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )

    def start(
        self, name: str, args: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        with self.log(name).open("wb") as log:
            # A session of its own, so a kill reaches gunicorn's worker processes too.
            process = subprocess.Popen(
                args,
                cwd=ROOT,
                env={**self.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> int:
        """SIGKILL to the process and its group (a pool's children too); the exit code."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=15)

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


def wait_for(
    what: str, check: Callable[[], Any], timeout: float, services: Services, every: float = 0.2
) -> Any:
    """Poll ``check`` until it returns something true (returned), failing with the logs after
    ``timeout`` seconds or as soon as a service process has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        services.assert_alive()
        found = check()
        if found:
            return found
        time.sleep(every)
    pytest.fail(f"{what}: not after {timeout} s\n{services.tails()}")
