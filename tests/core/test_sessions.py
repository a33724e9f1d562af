"""Sessions through the cache (longbien.core.sessions): no query for a session the cache
holds, and a cache that is down costs a query, never the request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

BACKEND = "longbien.org.backends.PersonModelBackend"


def _session_reads(queries) -> int:
    return sum('"django_session"' in q["sql"] for q in queries)


def test_a_page_reads_its_session_from_the_cache(client, users):
    client.force_login(users["staff"], backend=BACKEND)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert _session_reads(captured.captured_queries) == 0


def test_a_cache_that_is_down_costs_a_query_not_the_request(client, users, monkeypatch):
    from django.core.cache import caches

    client.force_login(users["staff"], backend=BACKEND)

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    backend = type(caches["default"])  # RedisCache in CI, LocMemCache without REDIS_URL
    for name in ("get", "set", "has_key"):
        monkeypatch.setattr(backend, name, down)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/nghi-quyet/nhiem-vu/")
    assert response.status_code == 200
    assert response.wsgi_request.user == users["staff"]
    assert _session_reads(captured.captured_queries) == 1


@pytest.mark.parametrize("url", ["/dang-xuat/"])
def test_logging_out_drops_the_cached_copy(client, users, url):
    from django.core.cache import cache

    client.force_login(users["staff"], backend=BACKEND)
    key = client.session.session_key
    client.get("/")
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None
    client.post(url)
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is None
    assert client.get("/").status_code == 302  # to the login page
