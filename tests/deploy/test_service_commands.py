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

import json
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from .services import Services, compose_service, free_port, local_command

pytestmark = pytest.mark.services

STARTUP_TIMEOUT = 60


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
