"""/healthz: the database, Redis and Celery, reachable without login by load balancers."""

import pytest
from django.urls import reverse


@pytest.fixture
def no_redis(settings):
    settings.REDIS_URL = ""


def test_healthz_reports_the_database(client, db, no_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert body["redis"] == "not configured"
    assert body["celery"] == "eager"


def test_healthz_needs_no_login_and_is_never_cached(client, db, no_redis):
    assert reverse("healthz") == "/healthz"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "_auth_user_id" not in client.session


def test_healthz_is_get_only(client, db, no_redis):
    assert client.post("/healthz").status_code == 405


def test_healthz_fails_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("error")
    assert body["status"] == "error"
    assert "celery" in body


def test_healthz_fails_when_the_database_is_down(client, db, no_redis):
    from unittest import mock

    from django.db import connection
    from django.db.utils import OperationalError

    down = OperationalError("database is down")
    with mock.patch.object(connection, "cursor", side_effect=down):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error: OperationalError"
    assert body["status"] == "error"
