"""The permission matrix of every page and endpoint, driven by the route table (tests/routes.py).

A URL pattern without an entry in the table fails the build. Every entry is requested as each
role (district roles on the root, ward roles on ward A) and anonymously, with ward A's records
and, where the URL names a record, with ward B's (out of the ward roles' scope: 404). A refused
write changes nothing (no audit row, no new row, the record's stored values unchanged); an
accepted write with a real payload leaves its audit row, written by the acting user.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from tests.permissions import ROLES
from tests.route_data import build_bundle, rolled_back
from tests.routes import BY_KEY, ROUTES, WARD, Route, Write, project_routes

REFUSED = {401, 403, 404, 405}
# Ward B's records are asked for by the ward roles (out of their scope) and, as a control, by
# the whole-district staff user (in scope); the other roles' answers are those of ward A's.
OUT_OF_SCOPE_ASKERS = [*WARD, "staff"]
BACKEND = "longbien.org.backends.PersonModelBackend"


@pytest.fixture(scope="module", autouse=True)
def quiet_request_log():
    """Refusals and the expected 500s would print a traceback each; the statuses tell enough."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker):
    """One set of records for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), rolled_back():
        yield build_bundle()


@pytest.fixture(scope="module")
def clients(bundle, django_db_blocker) -> dict[str, Client]:
    """A logged-in client per role (sessions live in the module's transaction) and an anonymous one."""
    result = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            client = Client(raise_request_exception=False)
            client.force_login(bundle.users[role], backend=BACKEND)
            result[role] = client
    result["anonymous"] = Client(raise_request_exception=False)
    return result


def _want(expected, anonymous: int) -> dict[str, int]:
    want = {role: expected.get(role, 403) for role in ROLES}
    want["anonymous"] = anonymous
    return want


def _diff_message(method: str, url: str, got: dict, want: dict, route: Route) -> str:
    diff = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
    lines = [f"{method.upper()} {url} [{route.key}]: (got, want) {diff}"]
    known = {k: route.defects[k] for k in diff if k in route.defects}
    if known:
        lines.append(f"DEFECT in the application (the table holds the correct value): {known}")
    return "\n".join(lines)


# --- (a) every URL pattern has an entry -----------------------------------------------------


def test_every_url_pattern_has_an_entry_in_the_route_table():
    walked = project_routes()
    missing = sorted(set(walked) - set(BY_KEY))
    assert not missing, (
        "URL patterns without a permission-matrix entry in tests/routes.py (add a Route with "
        "the status every role gets, in and out of scope): "
        + ", ".join(f"{key!r} ({walked[key]})" for key in missing)
    )


def test_the_route_table_names_only_existing_patterns_once():
    keys = [route.key for route in ROUTES]
    assert len(keys) == len(set(keys)), "a key appears twice in tests/routes.py"
    stale = sorted(set(keys) - set(project_routes()))
    assert not stale, f"entries in tests/routes.py for URL patterns that no longer exist: {stale}"


# --- (b) and (e): reads, in and out of scope ------------------------------------------------


def _get_all(clients, url: str) -> dict[str, int]:
    return {who: client.get(url).status_code for who, client in clients.items()}


@pytest.mark.parametrize("key", [route.key for route in ROUTES])
def test_route_get_matrix(key, bundle, clients, db):
    route = BY_KEY[key]
    url = route.url(bundle, bundle.a)
    got = _get_all(clients, url)
    want = _want(route.get, route.anonymous)
    assert got == want, _diff_message("get", url, got, want, route)


@pytest.mark.parametrize("key", [route.key for route in ROUTES if route.scoped])
def test_out_of_scope_record_is_not_found(key, bundle, clients, db):
    """Ward B's record requested by ward A's roles: 404 (neither 403, nor 200)."""
    route = BY_KEY[key]
    url = route.url(bundle, bundle.b)
    asked = {who: clients[who] for who in OUT_OF_SCOPE_ASKERS}
    got = _get_all(asked, url)
    want = {who: _want(route.out_expected(), route.anonymous)[who] for who in asked}
    assert got == want, _diff_message("get", url, got, want, route)
    for role in WARD:
        assert got[role] != 200, f"{role} reads ward B's record at {url}"


# --- (c) and (d): writes --------------------------------------------------------------------


def _snapshot(bundle, side, write: Write) -> dict[str, Any]:
    state: dict[str, Any] = {"audit": LogEntry.objects.count()}
    if write.model:
        state["rows"] = apps.get_model(write.model)._base_manager.count()
    if write.record:
        record = write.record(bundle, side)
        state["record"] = type(record)._base_manager.filter(pk=record.pk).values().first()
    return state


def _send(client: Client, url: str, write: Write, payload: Any):
    method = getattr(client, write.method)
    if write.json:
        return method(url, data=json.dumps(payload or {}), content_type="application/json")
    if write.method == "post":
        return method(url, data=payload or {})
    # Form-encoded PATCH/PUT/DELETE are not used by the pages.
    return method(url, data=json.dumps(payload or {}), content_type="application/json")


def _audit_written(bundle, side, write: Write, user, after_id: int) -> bool:
    target = write.audited(bundle, side)
    entries = LogEntry.objects.filter(pk__gt=after_id, actor=user)
    if isinstance(target, str):
        model = apps.get_model(target)
        return entries.filter(content_type=ContentType.objects.get_for_model(model)).exists()
    return entries.filter(
        content_type=ContentType.objects.get_for_model(type(target)), object_pk=str(target.pk)
    ).exists()


def _write_matrix(route: Route, bundle, clients, side, expected, only=None) -> None:
    write = route.write
    assert write is not None
    url = route.url(bundle, side)
    if only is not None:
        clients = {who: clients[who] for who in only}
    want = {
        who: status for who, status in _want(expected, write.anonymous).items() if who in clients
    }
    got: dict[str, int] = {}
    problems: list[str] = []
    for who, client in clients.items():
        payload = write.data(bundle, side, who) if write.data else None
        with rolled_back():
            before = _snapshot(bundle, side, write)
            last_id = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            cookies = copy.deepcopy(client.cookies)
            status = _send(client, url, write, payload).status_code
            # Logging out (or in) replaces the client's session; the next role keeps its own.
            client.cookies = cookies
            got[who] = status
            if want[who] in REFUSED or who == "anonymous":
                after = _snapshot(bundle, side, write)
                if after != before:
                    problems.append(f"{who} was refused ({status}) but something changed: "
                                    f"{before} -> {after}")  # fmt: skip
            elif status == want[who] and write.audited and write.data is not None:
                user = bundle.users[who]
                if not _audit_written(bundle, side, write, user, last_id):
                    problems.append(f"{who}'s accepted write ({status}) left no audit row")
    assert got == want, _diff_message(write.method, url, got, want, route)
    assert not problems, f"{write.method.upper()} {url} [{route.key}]: " + "; ".join(problems)


WRITES = [route.key for route in ROUTES if route.write]


@pytest.mark.parametrize("key", WRITES)
def test_route_write_matrix(key, bundle, clients, db):
    route = BY_KEY[key]
    _write_matrix(route, bundle, clients, bundle.a, route.write.expected)


@pytest.mark.parametrize("key", [key for key in WRITES if BY_KEY[key].scoped])
def test_out_of_scope_write_is_refused_and_changes_nothing(key, bundle, clients, db):
    route = BY_KEY[key]
    write = route.write
    expected = (
        write.out if write.out is not None else {**write.expected, **dict.fromkeys(WARD, 404)}
    )
    _write_matrix(route, bundle, clients, bundle.b, expected, only=OUT_OF_SCOPE_ASKERS)
