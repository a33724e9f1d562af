"""Lists at city scale: query count and time of the large registers' pages and API endpoints.

    DATABASE_URL=postgres://…/lb_city .venv/bin/python bench/lists.py [--repeat 3] [--json FILE]

For the largest registers (cadres' evaluations, people, resolution tasks, public-opinion
cases, inspections) and the organisation-unit page, as the city administrator (``thanhuy``,
or the first user holding ``admin`` on a unit of depth 0) and as a ward secretary
(``bithu.bode``): page 1, a deep page, a search and a filter, each through Django's test
client in this process (no HTTP), timing each request (best of ``--repeat``) and counting its
SQL queries with ``CaptureQueriesContext``. Run directly, it reads the database of
``DATABASE_URL`` as it is (the city one) and writes nothing but the two logins' sessions.

As a module of ``bench/run.py`` (add ``"lists"`` to its ``MODULES``; ``measure(args,
context)``) it returns one row per request:
``lists <scale> <who> <what>``, the time as ``portal_s``, the query count in the note, the
target (API ≤ 5 queries, pages ≤ 8; 100 ms as the single-request budget that a p95 of 100 ms
under load needs).

A deep page is a page-number page far into the register (``?page=`` 1/3 of the way in, or
page 1,000 when the count is capped) for the pages, and for the API the cursor of the row
1/3 of the way in (at most 50,000 rows; the API pages by keyset: ``?cursor=``), so that the
cost of reading deep into a register is what is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API_LIMIT = 5
PAGE_LIMIT = 8
TIME_LIMIT_S = 0.100

#: (name, kind, url, search, filter) per register; ``kind`` is "api" or "page".
REGISTERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("evaluations", "page", "/can-bo-danh-gia/", "q=nguyen", "status=approved"),
    ("evaluations", "api", "/api/v1/cadres/evaluations/", "", "status=approved"),
    ("people", "page", "/to-chuc/can-bo/", "q=nguyen van", "is_active=true"),
    ("people", "api", "/api/v1/org/people/", "q=nguyen van", "is_active=true"),
    ("tasks", "page", "/nghi-quyet/nhiem-vu/", "q=trien khai", "status=in_progress"),
    ("tasks", "api", "/api/v1/resolutions/tasks/", "q=trien khai", "status=in_progress"),
    ("opinion cases", "page", "/dan-van/vu-viec/", "q=duong", "status=received"),
    ("opinion cases", "api", "/api/v1/dialogues/cases/", "q=duong", "status=received"),
    ("inspections", "page", "/kiem-tra/cuoc/", "q=kiem tra", "status=concluded"),
    ("inspections", "api", "/api/v1/inspections/records/", "q=kiem tra", "status=concluded"),
    ("units", "page", "/to-chuc/don-vi/", "q=phuong", ""),
    ("units", "api", "/api/v1/org/units/", "q=phuong", ""),
)


def users() -> dict[str, Any]:
    """The city administrator and a ward secretary of the data set."""
    from longbien.org.models import RoleAssignment, User

    found: dict[str, Any] = {}
    city = User.objects.filter(username="thanhuy").first()
    if city is None:
        assignment = (
            RoleAssignment.objects.filter(role="admin", unit__depth=0)
            .select_related("user")
            .first()
        )
        city = assignment.user if assignment else None
    if city is not None:
        found["city admin"] = city
    ward = User.objects.filter(username="bithu.bode").first()
    if ward is None:
        assignment = (
            RoleAssignment.objects.filter(role="ward_secretary").select_related("user").first()
        )
        ward = assignment.user if assignment else None
    if ward is not None:
        found["ward secretary"] = ward
    return found


def _deep_query(client: Any, kind: str, url: str) -> str:
    """The query string of a deep page: ``page=N`` (pages) or the API's cursor there."""
    if kind == "page":
        response = client.get(url)
        try:
            page = response.context["page_obj"]
        except (KeyError, TypeError):
            page = None
        if page is None:
            return "page=1"
        if getattr(page.paginator, "count_capped", False):
            return "page=1000"  # past the counted rows: 50,000 rows in
        pages = page.paginator.num_pages
        return f"page={max(1, min(1000, pages // 3))}"
    response = client.get(url)
    body = response.json() if response.status_code == 200 else {}
    deep = body.get("deep_cursor_example") if isinstance(body, dict) else None
    if deep:
        return deep
    if isinstance(body, dict) and body.get("next") and "cursor=" in body["next"]:
        return deep_cursor_query(client, url)
    count = body.get("count", 0) if isinstance(body, dict) else 0
    pages = (count - 1) // 50 + 1 if count else 1
    return f"page={max(1, min(1000, pages // 3))}"


def deep_cursor_query(client: Any, url: str, fraction: float = 1 / 3) -> str:
    """``cursor=…`` of the row ``fraction`` of the way into the API list at ``url`` (capped at
    50,000 rows in), built from the list's own queryset and keyset ordering, as following
    ``next`` a thousand times would reach it."""
    from django.urls import resolve
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory, force_authenticate

    from longbien.core.api import _key_value, _with_keys, encode_cursor, keyset_ordering

    match = resolve(url)
    user = client.session and _session_user(client)
    raw = APIRequestFactory().get(url)
    force_authenticate(raw, user=user)
    view = match.func.cls(**match.func.initkwargs)
    view.action_map = {"get": "list"}
    view.args, view.kwargs, view.format_kwarg = (), {}, None
    view.request = Request(raw)
    view.request.user = user
    view.action = "list"
    rows = view.filter_queryset(view.get_queryset())
    keys = keyset_ordering(rows)
    if keys is None:
        return ""
    count = rows.order_by()[:150_001].count()
    offset = min(50_000, int(count * fraction))
    row = _with_keys(rows, keys).order_by(*keys)[offset]
    values = [_key_value(row, index) for index in range(len(keys))]
    return f"cursor={encode_cursor(values, False)}"


def _session_user(client: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def time_request(client: Any, url: str, repeat: int) -> tuple[float, int, int]:
    """Best time, query count and status of ``GET url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best = float("inf")
    queries = status = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            elapsed = time.perf_counter() - started
        best = min(best, elapsed)
        queries, status = len(captured), response.status_code
    return best, queries, status


def measure_all(repeat: int = 3, scale: str = "city") -> dict[str, dict[str, Any]]:
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    logged_in: dict[str, Any] = {}
    plans: dict[tuple[str, str, str], dict[str, str | None]] = {}
    # The deep pages are found with the test client's template context (the page's
    # paginator), which costs much per render: the timings run without it.
    instrumented = False
    try:
        setup_test_environment()
        instrumented = True
    except RuntimeError:  # set up already (bench/run.py, pytest)
        pass
    try:
        for who, user in users().items():
            client = logged_in[who] = Client()
            client.force_login(user, backend="longbien.org.backends.PersonModelBackend")
            for name, kind, url, search, filtered in REGISTERS:
                cases: dict[str, str | None] = {
                    "page 1": url, "deep": None,
                    "search": f"{url}?{search}" if search else None,
                    "filter": f"{url}?{filtered}" if filtered else None,
                }  # fmt: skip
                try:
                    cases["deep"] = f"{url}?{_deep_query(client, kind, url)}"
                except Exception as error:  # noqa: BLE001 - a bench reports and goes on
                    print(f"  deep page of {url}: {error!r}")
                plans[(who, name, kind)] = cases
    finally:
        if instrumented:
            teardown_test_environment()
    from django.conf import settings

    if "*" not in settings.ALLOWED_HOSTS and "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    rows: dict[str, dict[str, Any]] = {}
    for (who, name, kind), cases in plans.items():
        client = logged_in[who]
        limit = API_LIMIT if kind == "api" else PAGE_LIMIT
        for what, target in cases.items():
            if target is None:
                continue
            seconds, queries, status = time_request(client, target, repeat)
            key = f"lists {scale} {who}: {name} {kind} {what}"
            rows[key] = {
                "portal_s": seconds,
                "baseline_s": None,
                "ratio": None,
                "queries": queries,
                "status": status,
                "url": target,
                "note": f"{queries} queries, HTTP {status}, {target}",
                "target": f"≤ {limit} queries, ≤ {TIME_LIMIT_S * 1000:.0f} ms",
                "met": status == 200 and queries <= limit and seconds <= TIME_LIMIT_S,
            }
            print(f"{key:<62} {seconds * 1000:8.1f} ms {queries:3d} q  {status}  {target}")
    return rows


def measure(args: Any, context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``bench/run.py``'s interface: the rows of :func:`measure_all` on this scale's data."""
    return measure_all(repeat=getattr(args, "repeat", 3), scale=context["scale"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longbien.settings.bench")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    rows = measure_all(repeat=args.repeat)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    missed = [key for key, row in rows.items() if not row["met"]]
    print(f"{len(rows) - len(missed)} of {len(rows)} within the targets")


if __name__ == "__main__":
    main()
