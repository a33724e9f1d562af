"""Term reports made in the background: the request key (the same request is the same job),
the task's exactly-once run (called twice, a stale running job taken over, a race lost, a
failure and the soft time limit), progress, the pages (the form, the progress fragment and
JSON, the download and its scope) and the API (202 then 200, the record's state and file).

The renderer (``term_report.render``, helper 13's) is replaced by a fake that reports its
stages and returns a few bytes: the PDF itself is tested with the renderer.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
import types
from pathlib import Path

import psycopg2
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from longbien.org.models import Term
from longbien.reporting import tasks, term_jobs
from longbien.reporting.models import TermReportJob

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 fake"
API = "/api/v1/reporting/term-reports/"
State = TermReportJob.State


class FakeRenderer:
    """Reports the three stages as term_report.render does, counts its calls."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.calls: list[tuple] = []
        self.error = error
        self.seen: list[tuple[str, int]] = []

    def __call__(self, *, unit, period, progress=None):
        self.calls.append((unit.code, period.start, period.end))
        for stage, percent in (("collecting", 0), ("collecting", 30), ("collecting", 60),
                               ("charts", 60), ("charts", 80), ("rendering", 80),
                               ("rendering", 100)):  # fmt: skip
            if progress is not None:
                progress(stage, percent)
                job = TermReportJob.objects.filter(unit__code=unit.code, state=State.RUNNING)
                self.seen.append(job.values_list("stage", "percent").get())
        if self.error is not None:
            raise self.error
        return FAKE_PDF


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def fake(monkeypatch, media) -> FakeRenderer:
    renderer = FakeRenderer()
    try:
        module = importlib.import_module("longbien.reporting.term_report")
    except ImportError:  # helper 13's module not there yet: a stand-in
        module = types.ModuleType("longbien.reporting.term_report")
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(module, "render", renderer, raising=False)
    # Every write of progress, whatever the clock says.
    monkeypatch.setattr(term_jobs, "PROGRESS_EVERY", 0.0)
    return renderer


@pytest.fixture
def term(db) -> Term:
    return Term.objects.create(
        code="2015-2020", name="Nhiệm kỳ 2015-2020", start_date=dt.date(2015, 10, 1),
        end_date=dt.date(2020, 9, 30),
    )  # fmt: skip


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend="longbien.org.backends.PersonModelBackend")
    return client


def files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


# --- the request key ----------------------------------------------------------------------------


def test_the_same_request_is_the_same_job(
    tree, users, term, fake, django_capture_on_commit_callbacks
):
    staff, leadership = users["staff"], users["leadership"]
    with django_capture_on_commit_callbacks() as started:
        job, created = term_jobs.job_request(actor=staff, unit=tree.root, term=term)
    assert created and len(started) == 1
    assert job.key == "term-report:QU:term:2015-2020"
    assert (job.state, job.stage, job.percent, job.attempts) == (State.QUEUED, "queued", 0, 0)
    # Asked again, by someone else: the same job, nothing started.
    with django_capture_on_commit_callbacks() as again:
        same, created_again = term_jobs.job_request(actor=leadership, unit=tree.root, term=term)
    assert same.pk == job.pk and not created_again and again == []
    # Another period or unit is another job.
    year, _ = term_jobs.job_request(actor=staff, unit=tree.root, year=2019)
    half, _ = term_jobs.job_request(actor=staff, unit=tree.root, year=2019, half=2)
    ward, _ = term_jobs.job_request(actor=staff, unit=tree.ward_a, term=term)
    assert [year.key, half.key, ward.key] == [
        "term-report:QU:year:2019", "term-report:QU:half:2019-2", "term-report:P-A:term:2015-2020",
    ]  # fmt: skip
    assert half.period().start == dt.date(2019, 7, 1) and half.period().end == dt.date(2019, 12, 31)
    assert TermReportJob.objects.count() == 4


def test_a_request_names_one_period_in_a_unit_of_the_viewer(tree, users, term):
    staff, ward_user = users["staff"], users["ward_secretary"]
    with pytest.raises(ValidationError) as neither:
        term_jobs.job_request(actor=staff, unit=tree.root)
    assert "term" in neither.value.message_dict
    with pytest.raises(ValidationError) as both:
        term_jobs.job_request(actor=staff, unit=tree.root, term=term, year=2019)
    assert "Chọn nhiệm kỳ hoặc năm" in both.value.message_dict["term"][0]
    with pytest.raises(ValidationError) as half_only:
        term_jobs.job_request(actor=staff, unit=tree.root, half=1)
    assert "year" in half_only.value.message_dict
    with pytest.raises(PermissionDenied):
        term_jobs.job_request(actor=ward_user, unit=tree.ward_b, term=term)
    with pytest.raises(PermissionDenied):
        term_jobs.job_request(actor=users["inspection"], unit=tree.root, term=term)
    assert TermReportJob.objects.count() == 0


# --- the run: exactly once ----------------------------------------------------------------------


def test_the_task_renders_once_and_reports_its_progress(tree, users, term, fake, media):
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    assert tasks.report_term_task.apply(args=[job.pk]).get() == term_jobs.RENDERED
    job.refresh_from_db()
    assert (job.state, job.stage, job.percent, job.attempts) == (State.DONE, "done", 100, 1)
    assert job.started_at and job.finished_at and job.heartbeat_at and job.error == ""
    assert job.file.name.startswith(f"private/term-reports/{tree.root.pk}/")
    assert job.file.read() == FAKE_PDF
    assert fake.calls == [("QU", dt.date(2015, 10, 1), dt.date(2020, 9, 30))]
    # The stages the page saw, in order, capped below 100 until the file is stored.
    assert fake.seen[0] == ("collecting", 0) and ("collecting", 60) in fake.seen
    assert ("charts", 80) in fake.seen and fake.seen[-1] == ("rendering", 99)
    # Delivered again (acks_late): the job is done, nothing is rendered, still one file.
    assert tasks.report_term_task.apply(args=[job.pk]).get() == term_jobs.ALREADY_DONE
    assert len(fake.calls) == 1 and len(files(media)) == 1
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_left_running_by_a_killed_worker_is_finished_once(tree, users, term, fake, media):
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    # A worker claimed it, wrote some progress, then was killed: "running", heartbeat kept.
    killed_at = timezone.now() - term_jobs.STALE_AFTER - dt.timedelta(minutes=1)
    TermReportJob.objects.filter(pk=job.pk).update(
        state=State.RUNNING, stage="charts", percent=65, attempts=1, started_at=killed_at,
        heartbeat_at=killed_at,
    )  # fmt: skip
    # The message redelivered: the stale job is taken over and finished.
    assert tasks.report_term_task.apply(args=[job.pk]).get() == term_jobs.RENDERED
    job.refresh_from_db()
    assert (job.state, job.percent, job.attempts) == (State.DONE, 100, 2)
    # A second redelivery finds it done.
    assert tasks.report_term_task.apply(args=[job.pk]).get() == term_jobs.ALREADY_DONE
    assert len(fake.calls) == 1 and len(files(media)) == 1


def test_a_live_running_job_is_not_taken_by_a_second_worker(
    tree, users, term, fake, media, django_capture_on_commit_callbacks
):
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    now = timezone.now()
    TermReportJob.objects.filter(pk=job.pk).update(
        state=State.RUNNING, attempts=1, started_at=now, heartbeat_at=now
    )
    # The live worker holds the job's claimant lock on its own database session.
    worker = psycopg2.connect(**connection.get_connection_params())
    try:
        with worker.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [term_jobs.LOCK_CLASS, job.pk % 2**31]
            )
            assert cursor.fetchone()[0]
        assert term_jobs.job_run(job.pk) == term_jobs.BUSY
        # The task looks again when the heartbeat would be stale.
        left = term_jobs.seconds_until_stale(job.pk)
        assert term_jobs.STALE_AFTER.seconds - 5 <= left <= term_jobs.STALE_AFTER.seconds + 5
        # Asked for again: the live job is not sent again; once stale, it is.
        with django_capture_on_commit_callbacks() as sent:
            term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
        assert sent == []
    finally:
        # The worker killed: its session's end frees the lock (at once, unlike close()).
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
        worker.close()
    # Its lock free, the job is sent again at once.
    with django_capture_on_commit_callbacks() as sent:
        term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    assert len(sent) == 1
    stale = now - term_jobs.STALE_AFTER - dt.timedelta(seconds=1)
    TermReportJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    with django_capture_on_commit_callbacks() as sent:
        term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    assert len(sent) == 1
    assert fake.calls == [] and files(media) == []


def test_a_worker_overtaken_by_another_attempt_keeps_no_file(tree, users, term, fake, media):
    """Two workers racing: the first is slow, the second takes the job over (its heartbeat
    looked stale) and finishes; the first's late result is dropped with its file."""
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)

    module = importlib.import_module("longbien.reporting.term_report")

    def overtaken(*, unit, period, progress=None):
        # While the first worker renders, another attempt claims the job and finishes it.
        TermReportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - term_jobs.STALE_AFTER * 2
        )
        module.render = fake
        assert term_jobs.job_run(job.pk) == term_jobs.RENDERED
        return b"%PDF-1.7 late"

    module.render = overtaken
    assert term_jobs.job_run(job.pk) == term_jobs.BUSY
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 2
    assert job.file.read() == FAKE_PDF
    assert [p.read_bytes() for p in files(media)] == [FAKE_PDF]


def test_progress_is_throttled_and_never_goes_back(tree, users, term, fake):
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    TermReportJob.objects.filter(pk=job.pk).update(state=State.RUNNING, attempts=1)
    clock = iter([100.0, 100.2, 100.4, 101.5, 101.6])
    progress = term_jobs.Progress(job.pk, 1, every=1.0)
    progress.clock = lambda: next(clock)
    with CaptureQueriesContext(connection) as queries:
        progress("collecting", 10)  # the first write
        progress("collecting", 20)  # 0.2 s later, same stage: skipped
        progress("charts", 60)  # a new stage: written at once
        progress("charts", 70)  # 1.1 s after the last write: written
        progress("charts", 50)  # going back: kept at 70, nothing written
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == progress.writes == 3
    job.refresh_from_db()
    assert (job.stage, job.percent) == ("charts", 70)
    # Another attempt's progress does not touch the job.
    term_jobs.Progress(job.pk, 7)("rendering", 90)
    job.refresh_from_db()
    assert (job.stage, job.percent) == ("charts", 70)


def test_a_failure_and_the_time_limit_fail_the_job_in_vietnamese(tree, users, term, fake, media):
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    fake.error = SoftTimeLimitExceeded()
    assert tasks.report_term_task.apply(args=[job.pk]).get() == term_jobs.FAILED
    job.refresh_from_db()
    assert job.state == State.FAILED and "Quá thời gian cho phép (20 phút)" in job.error
    assert job.finished_at is not None and files(media) == []
    # A failed job is not rendered by a redelivery; asked for again, it is queued again.
    assert term_jobs.job_run(job.pk) == term_jobs.FAILED
    fake.error = RuntimeError("boom")
    again, created = term_jobs.job_request(actor=users["leadership"], unit=tree.root, term=term)
    assert again.pk == job.pk and not created
    assert (again.state, again.error, again.requested_by) == (State.QUEUED, "", users["leadership"])
    assert term_jobs.job_run(job.pk) == term_jobs.FAILED
    job.refresh_from_db()
    assert job.error.startswith("Lỗi hệ thống khi tạo báo cáo") and "boom" not in job.error
    fake.error = None
    term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    assert term_jobs.job_run(job.pk) == term_jobs.RENDERED
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 3 and len(files(media)) == 1


# --- the pages ------------------------------------------------------------------------------------


def test_leadership_asks_watches_and_downloads(
    tree, users, term, fake, media, django_capture_on_commit_callbacks
):
    client = login(users["leadership"])
    page = client.get(reverse("reporting:term_list"))
    assert page.status_code == 200
    assert [c[0] for c in page.context["form"].fields["unit"].choices] == ["QU", "P-A", "P-B"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:term_list"), {"unit": "QU", "term": "2015-2020"})
    job = TermReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()  # the eager task ran once the request's transaction committed
    assert job.state == State.DONE and job.requested_by == users["leadership"]
    detail = client.get(job.get_absolute_url())
    body = detail.content.decode()
    assert "Tải báo cáo (PDF)" in body and reverse("reporting:term_download", args=[job.pk]) in body
    assert 'http-equiv="refresh"' not in body and "hx-trigger" not in body
    download = client.get(reverse("reporting:term_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == FAKE_PDF
    assert download["Content-Disposition"] == (
        'attachment; filename="bao-cao-tong-ket-qu-nhiem-ky-2015-2020.pdf"'
    )
    # The same request again: the same job, a message, nothing rendered.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("reporting:term_list"), {"unit": "QU", "term": "2015-2020"},
                            follow=True)  # fmt: skip
    assert "Báo cáo này đã được tạo" in again.content.decode()
    assert TermReportJob.objects.count() == 1 and len(fake.calls) == 1
    listing = client.get(reverse("reporting:term_list")).content.decode()
    assert job.get_absolute_url() in listing and "Nhiệm kỳ 2015-2020" in listing


def test_the_job_page_polls_while_running(tree, users, term, fake):
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, year=2019, half=1)
    TermReportJob.objects.filter(pk=job.pk).update(state=State.RUNNING, stage="charts", percent=70)
    client = login(users["staff"])
    body = client.get(job.get_absolute_url()).content.decode()
    assert "Đang vẽ biểu đồ" in body and 'value="70"' in body
    progress_url = reverse("reporting:term_progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in body and 'hx-trigger="every 2s"' in body
    assert '<meta http-equiv="refresh" content="2">' in body and "htmx-2.min.js" in body
    fragment = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert "Đang vẽ biểu đồ" in fragment.content.decode()
    data = client.get(progress_url).json()
    assert data["state"] == "running" and data["stage"] == "charts" and data["percent"] == 70
    assert data["stage_label"] == "Đang vẽ biểu đồ" and data["file_url"] is None
    # Not done yet: nothing to download.
    assert client.get(reverse("reporting:term_download", args=[job.pk])).status_code == 404


def test_a_ward_sees_its_own_jobs_only(tree, users, term, fake, media):
    mine, _ = term_jobs.job_request(actor=users["ward_secretary"], unit=tree.ward_a, term=term)
    theirs, _ = term_jobs.job_request(actor=users["staff"], unit=tree.ward_b, term=term)
    district, _ = term_jobs.job_request(actor=users["staff"], unit=tree.root, term=term)
    for job in (mine, theirs, district):
        assert term_jobs.job_run(job.pk) == term_jobs.RENDERED
    ward = login(users["ward_staff"])
    page = ward.get(reverse("reporting:term_list"))
    assert [c[0] for c in page.context["form"].fields["unit"].choices] == ["P-A"]
    assert [j.pk for j in page.context["jobs"]] == [mine.pk]
    assert ward.get(reverse("reporting:term_download", args=[mine.pk])).status_code == 200
    for job in (theirs, district):
        for name in ("term_job", "term_progress", "term_download"):
            assert ward.get(reverse(f"reporting:{name}", args=[job.pk])).status_code == 404
    # Asking for another ward's report is refused on the form, nothing created.
    response = ward.post(reverse("reporting:term_list"), {"unit": "P-B", "year": "2019"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert TermReportJob.objects.count() == 3
    # Without the reports area: 403; anonymous: to the login page.
    assert login(users["inspection"]).get(reverse("reporting:term_list")).status_code == 403
    assert Client().get(reverse("reporting:term_download", args=[mine.pk])).status_code == 302


# --- the API --------------------------------------------------------------------------------------


def _post(client: Client, data: dict):
    return client.post(API, data=json.dumps(data), content_type="application/json")


def test_the_api_starts_a_report_once(
    tree, users, term, fake, media, django_capture_on_commit_callbacks
):
    client = login(users["leadership"])
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, {"unit": "QU", "term": "2015-2020"})
    assert first.status_code == 202, first.content
    assert first.json()["state"] == "queued"  # as created; the task ran on commit
    job_id = first.json()["id"]
    with django_capture_on_commit_callbacks(execute=True) as again:
        second = _post(client, {"unit": "QU", "term": "2015-2020"})
    assert second.status_code == 200 and second.json()["id"] == job_id and again == []
    record = client.get(f"{API}{job_id}/").json()
    assert record["state"] == "done" and record["percent"] == 100 and record["stage"] == "done"
    assert record["file_url"] == f"http://testserver/bao-cao-quy/nhiem-ky/{job_id}/tai-ve/"
    assert record["period_label"] == "Nhiệm kỳ 2015-2020" and record["unit"] == "QU"
    assert [row["id"] for row in client.get(API).json()["results"]] == [job_id]
    assert len(fake.calls) == 1
    # Input refused in Vietnamese, nothing created.
    bad = _post(client, {"unit": "QU"})
    assert bad.status_code == 400 and "term" in bad.json()
    half = _post(client, {"unit": "QU", "year": 2019, "half": 3})
    assert half.status_code == 400 and "half" in half.json()
    assert TermReportJob.objects.count() == 1


def test_the_api_keeps_to_the_callers_scope(tree, users, term, fake):
    ward = login(users["ward_secretary"])
    out = _post(ward, {"unit": "P-B", "year": 2020})
    assert out.status_code == 400 and "unit" in out.json()
    theirs, _ = term_jobs.job_request(actor=users["staff"], unit=tree.ward_b, year=2020)
    assert ward.get(f"{API}{theirs.pk}/").status_code == 404
    assert ward.get(API).json()["results"] == []
    assert login(users["inspection"]).get(API).status_code == 403
    assert _post(login(users["mass_mobilisation"]), {"unit": "QU", "year": 2020}).status_code == 403
    assert Client().get(API).status_code == 401
    assert TermReportJob.objects.count() == 1


def test_the_api_is_in_the_schema(users):
    schema = login(users["staff"]).get(reverse("api:schema"))
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/reporting/term-reports/" in text and "file_url" in text


def test_the_real_renderer_makes_the_pdf_through_the_task(tree, users, term, media):
    """Helper 13's ``term_report.render`` (no records: a report saying so), through the task."""
    job, _ = term_jobs.job_request(actor=users["staff"], unit=tree.ward_a, year=2019, half=1)
    assert tasks.report_term_task.apply(args=[job.pk]).get() == term_jobs.RENDERED
    job.refresh_from_db()
    assert (job.state, job.stage, job.percent, job.error) == (State.DONE, "done", 100, "")
    data = job.file.read()
    assert data.startswith(b"%PDF-") and len(data) > 5000
    assert len(files(media)) == 1
