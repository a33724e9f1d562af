"""Faults: the database connection lost in the middle of a request or an import, a file whose
last row is bad, a quarterly report submitted twice at the same moment.

The connection is cut as a server does it: ``pg_terminate_backend`` of the Django
connection's backend, sent from a second connection while a service is half-way through its
writes. Every test commits for real (``transaction=True``), so "nothing written" is what
another connection sees, not the rollback of a test transaction.
"""

from __future__ import annotations

import http.cookies
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from typing import Any

import psycopg2
import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models.signals import post_save
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from longbien.core import io
from longbien.core.views import _database_lost, error_500
from longbien.org.models import OrgUnit, Person
from longbien.reporting import figures
from longbien.reporting import services as report_services
from longbien.reporting.choices import ReportStatus
from longbien.reporting.models import QuarterlyReport
from tests.core.test_import_through_services import UNIT_HEADER
from tests.core.test_io import HEADER as PERSON_HEADER
from tests.core.test_io import _csv

pytestmark = pytest.mark.django_db(transaction=True)

LOST = "Mất kết nối cơ sở dữ liệu, vui lòng thử lại"


def _terminate(pid: int) -> None:
    """End backend ``pid`` from a second connection, waiting until it is gone."""
    params = connection.get_connection_params()
    with closing(psycopg2.connect(**params)) as killer:
        killer.autocommit = True
        with killer.cursor() as cursor:
            # PostgreSQL 14+: wait up to 5 s for the backend to exit.
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)


def _cut_this_connection() -> int:
    """Terminate the calling thread's own database connection; return its backend pid."""
    pid = connection.connection.info.backend_pid
    _terminate(pid)
    return pid


@contextmanager
def cut_on_save(model: type, after: int = 1) -> Iterator[list[int]]:
    """Cut the saving thread's connection right after the ``after``-th save of ``model``."""
    cut: list[int] = []
    saves = 0

    def receiver(sender: Any, **kwargs: Any) -> None:
        nonlocal saves
        saves += 1
        if saves == after and not cut:
            cut.append(_cut_this_connection())

    post_save.connect(receiver, sender=model, weak=False, dispatch_uid="fault-cut")
    try:
        yield cut
    finally:
        post_save.disconnect(sender=model, dispatch_uid="fault-cut")


# --- a request ----------------------------------------------------------------------------


class Browser:
    """A plain HTTP client against the live server, with the session of ``force_login``."""

    def __init__(self, base: str, cookies: dict[str, str]) -> None:
        self.base, self.cookies = base, dict(cookies)

    def send(
        self,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, Any]:
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("Accept-Language", "vi")
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                status, answer, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, answer, text = error.code, error.headers, error.read()
        for header in answer.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return status, text.decode(), answer

    def post_form(self, path: str, data: dict[str, Any]) -> tuple[int, str, Any]:
        status, page, _headers = self.send(path)
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the form"
        return self.send(path, {**data, "csrfmiddlewaretoken": token.group(1)})


@pytest.fixture
def browser(live_server, client, users) -> Browser:
    client.force_login(users["admin"], backend="longbien.org.backends.PersonModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Browser(live_server.url, {settings.SESSION_COOKIE_NAME: session})


def test_a_request_whose_connection_dies_answers_a_vietnamese_503_and_the_next_works(browser, tree):
    units, entries = OrgUnit.objects.count(), LogEntry.objects.count()
    form = {"code": "CB-A9", "name": "Chi bộ A9", "kind": "party_cell", "parent": tree.ward_a.pk}
    # The unit's row and its audit row are written, then the connection dies before the commit.
    with cut_on_save(OrgUnit) as cut:
        status, page, headers = browser.post_form("/to-chuc/don-vi/them/", form)
    assert cut, "the connection was never cut: the test did not test anything"
    assert status == 503 and headers["Retry-After"] == "5", page
    assert LOST in page and "Traceback" not in page and "psycopg2" not in page
    assert OrgUnit.objects.count() == units and LogEntry.objects.count() == entries
    assert not OrgUnit.objects.filter(code="CB-A9").exists()
    # The next request gets a new connection: the same form now saves.
    status, page, _headers = browser.post_form("/to-chuc/don-vi/them/", form)
    assert status in (200, 302), page[:500]
    assert OrgUnit.objects.filter(code="CB-A9", parent=tree.ward_a).exists()
    assert LogEntry.objects.count() > entries


def test_the_api_answers_the_lost_connection_in_json(live_server, users, tree):
    # A token, not the session: a session-authenticated API write needs the CSRF token.
    token = Token.objects.create(user=users["admin"])
    unit = {"code": "CB-A8", "name": "Chi bộ A8", "kind": "party_cell", "parent": "P-A"}
    with cut_on_save(OrgUnit) as cut:
        status, text, headers = Browser(live_server.url, {}).send(
            "/api/v1/org/units/",
            body=json.dumps(unit).encode(),
            headers={"Authorization": f"Token {token.key}", "Content-Type": "application/json"},
        )
    assert cut
    assert status == 503 and headers["Content-Type"] == "application/json"
    assert LOST in json.loads(text)["detail"]
    assert not OrgUnit.objects.filter(code="CB-A8").exists()


def _error_page(error: Exception) -> Any:
    """The page the portal's handler500 gives while ``error`` is being handled."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    try:
        raise error
    except type(error):
        return error_500(request)


def test_only_a_lost_connection_is_the_503(users):
    """A statement refused on a live connection (here a timeout) stays the plain 500."""
    with (
        pytest.raises(OperationalError) as timed_out,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(1)")
    assert not _database_lost(timed_out.value)
    page = _error_page(timed_out.value)
    assert page.status_code == 500 and "Lỗi hệ thống" in page.content.decode()
    _cut_this_connection()
    with pytest.raises(OperationalError) as lost:
        OrgUnit.objects.count()
    assert _database_lost(lost.value)
    with pytest.raises(InterfaceError) as closed:
        OrgUnit.objects.count()
    assert _database_lost(closed.value)
    for error in (lost.value, closed.value):
        page = _error_page(error)
        assert page.status_code == 503 and LOST in page.content.decode()
    close_old_connections()
    assert OrgUnit.objects.count() == 5  # a new connection


# --- an import ----------------------------------------------------------------------------


def _unit_rows(count: int) -> list[list[Any]]:
    return [UNIT_HEADER] + [
        [f"CB-N{n:03}", f"Chi bộ mới {n}", "Chi bộ", "P-A", "", ""] for n in range(count)
    ]


def _xlsx(rows: list[list[Any]]) -> bytes:
    import tablib

    dataset = tablib.Dataset(*rows[1:], headers=rows[0])
    return dataset.export("xlsx")


def test_an_import_whose_connection_dies_half_way_writes_nothing_and_the_next_works(users, tree):
    admin = users["admin"]
    units, entries = OrgUnit.objects.count(), LogEntry.objects.count()
    data = _xlsx(_unit_rows(20))
    with cut_on_save(OrgUnit, after=10) as cut, pytest.raises((OperationalError, InterfaceError)):
        io.import_register(user=admin, name="units", data=data, fmt="xlsx", dry_run=False)
    assert cut
    # What a request's end (or a Celery task's) does: drop the dead connection.
    close_old_connections()
    assert OrgUnit.objects.count() == units and LogEntry.objects.count() == entries
    outcome = io.import_register(user=admin, name="units", data=data, fmt="xlsx", dry_run=False)
    assert outcome.ok and outcome.applied and outcome.new == 20, outcome.errors
    assert OrgUnit.objects.filter(code__startswith="CB-N").count() == 20


def test_a_background_import_whose_connection_dies_fails_the_job_and_writes_nothing(
    users, tree, django_capture_on_commit_callbacks
):
    from longbien.core.models import ImportJob

    admin = users["admin"]
    units, entries = OrgUnit.objects.count(), LogEntry.objects.count()
    with (
        cut_on_save(OrgUnit, after=10) as cut,
        pytest.raises((OperationalError, InterfaceError)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        io.import_job_start(
            user=admin, name="units", data=_xlsx(_unit_rows(20)), fmt="xlsx",
            filename="don-vi.xlsx", dry_run=False,
        )  # fmt: skip
    assert cut
    close_old_connections()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.path == "" and not job.applied
    assert OrgUnit.objects.count() == units
    assert LogEntry.objects.count() == entries


def test_a_bad_last_row_of_a_thousand_writes_none_of_them(users, tree):
    rows = [PERSON_HEADER] + [
        [f"N{n:04}", f"Nguyễn Văn {n}", "01/02/1980", "Nam", "", "CB-A1", "", "", "1"]
        for n in range(999)
    ]
    rows.append(["N0999", "Nguyễn Văn Cuối", "31/02/1980", "Nam", "", "CB-A1", "", "", "1"])
    entries = LogEntry.objects.count()
    started = time.monotonic()
    outcome = io.import_register(
        user=users["staff"], name="people", data=_csv(rows), fmt="csv", dry_run=False
    )
    assert time.monotonic() - started < 60
    assert not outcome.applied and [e.line for e in outcome.errors] == [1001]
    assert Person.objects.count() == 0 and LogEntry.objects.count() == entries


# --- a double submission ------------------------------------------------------------------


def _in_thread(work: Callable[[], Any], results: dict[str, Any], key: str) -> threading.Thread:
    def run() -> None:
        try:
            results[key] = work()
        except Exception as error:  # noqa: BLE001  (reported by the test)
            results[key] = error
        finally:
            connection.close()  # each thread has its own connection

    return threading.Thread(target=run, name=f"fault-{key}")


def test_two_submissions_of_the_same_version_at_once_are_one_submission(users, tree, monkeypatch):
    secretary = users["ward_secretary"]
    report = report_services.report_open(actor=secretary, unit=tree.ward_a, year=2026, quarter=1)
    report = report_services.report_save(
        actor=secretary, report=report, version=report.version, results="Hoàn thành.",
        limitations="Còn chậm.", next_tasks="Tiếp tục.", proposals="",
    )  # fmt: skip
    version = report.version
    entries = LogEntry.objects.filter(object_pk=str(report.pk)).count()

    # The first submission holds the row lock a while, so the second arrives during it.
    live_counts = figures.live_counts
    inside = threading.Event()

    def slow_live_counts(*args: Any, **kwargs: Any) -> Any:
        inside.set()
        time.sleep(1)
        return live_counts(*args, **kwargs)

    monkeypatch.setattr(figures, "live_counts", slow_live_counts)

    def submit() -> QuarterlyReport:
        stale = QuarterlyReport.objects.get(pk=report.pk)  # each request reads its own copy
        return report_services.report_submit(actor=secretary, report=stale, version=version)

    results: dict[str, Any] = {}
    first, second = _in_thread(submit, results, "first"), _in_thread(submit, results, "second")
    first.start()
    assert inside.wait(10), "the first submission never reached the figures"
    second.start()
    assert first.is_alive(), "the first submission ended before the second began"
    first.join(20)
    second.join(20)
    assert not first.is_alive() and not second.is_alive()
    for outcome in results.values():
        assert isinstance(outcome, QuarterlyReport), outcome
    stored = QuarterlyReport.objects.get(pk=report.pk)
    assert stored.status == ReportStatus.SUBMITTED
    assert (stored.version, stored.submitted_version) == (version + 1, version)
    assert results["first"].submitted_at == results["second"].submitted_at == stored.submitted_at
    # One audit row for the one submission.
    assert LogEntry.objects.filter(object_pk=str(report.pk)).count() == entries + 1
