"""Fixtures of the service tests (helpers in ``tests.deploy.services``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

from .services import Services, fresh_database, redis_url_db, service_environment

# The services of test_service_commands share a Redis database of their own, apart from the
# test suite's.
REDIS_DB = 9


def server_urls() -> tuple[str, str]:
    """DATABASE_URL and REDIS_URL, skipping (failing in CI) when one is not set."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    require_or_skip(bool(redis_url), "REDIS_URL is not set: no Redis server for the services")
    require_or_skip(bool(database_url), "DATABASE_URL is not set: no PostgreSQL server")
    return database_url, redis_url


@pytest.fixture
def service_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The services' environment, on a new database dropped afterwards."""
    database_url, redis_url = server_urls()
    with fresh_database(database_url) as url:
        yield service_environment(tmp_path, url, redis_url_db(redis_url, REDIS_DB))


@pytest.fixture
def services(service_env: dict[str, str], tmp_path: Path) -> Iterator[Services]:
    started = Services(service_env, tmp_path / "logs")
    try:
        yield started
    finally:
        started.stop()
        # Shown by pytest only when the test fails.
        print(started.tails())
