"""Term reports made in the background: the requests (services), their reads (selectors) and
the run of one job by a Celery worker (:func:`job_run`, called by
``tasks.report_term_task``).

**The request key.** A request names a unit and a period (a term, a year, or a half of a
year); :func:`request_key` turns it into the job's unique ``key``. Asking again for the same
report (a double click, the API retried, a colleague asking for the same one) finds the same
job: it is not rendered twice. A failed job asked for again is queued again.

**Exactly once.** A worker claims the job with one conditional ``UPDATE`` that also counts
the attempt; Postgres lets only one of two racing workers match it, the other finds nothing
to do. Before it, the worker takes the job's *claimant lock* (a PostgreSQL session advisory
lock, :func:`claimant_lock`) and holds it until the job ends: PostgreSQL frees it the moment
the worker's database session ends, so a job "running" whose lock is free has lost its
worker (killed, or out of memory) and the redelivered message takes it over at once. A
worker that cannot take the lock finds the job busy. A heartbeat older than
:data:`STALE_AFTER` is taken over too (a session whose end PostgreSQL has not noticed yet,
e.g. a worker machine switched off). The lock needs a session of its own: no PgBouncer in
transaction mode between the workers and PostgreSQL. Progress, the file and the end are
written only while the job is still the claimant's attempt (``attempts`` is the claim's
token), each in a short transaction of its own (the job page sees them while it runs). The
PDF is stored under a fresh name first and then, in one ``UPDATE``, set on the job with the
state "done": a file the job does not name (an attempt overtaken by another) is deleted. A
job already done is never rendered again.

**Limits.** The task has ``time_limit``/``soft_time_limit`` (:data:`SOFT_TIME_LIMIT`); the
soft limit ends the job as failed with a Vietnamese message. Memory is a worker setting:
run the reports' queue with ``--max-memory-per-child`` (``worker_max_memory_per_child``,
in KiB; e.g. ``celery -A longbien worker -Q reports --concurrency 1
--max-memory-per-child 800000``): a child past it is replaced after its task, and one killed
by the kernel's OOM killer leaves its job "running"; with ``acks_late`` and
``reject_on_worker_lost`` the message comes back at once and the next process renders the
job again (its claimant lock is free). A whole worker killed leaves its message to Redis's
visibility timeout (``CELERY_VISIBILITY_TIMEOUT``); the job is sent again at once if it is
asked for meanwhile. ``tests/deploy/test_faults.py`` kills both mid-render.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from longbien import periods
from longbien.org import scope
from longbien.org.models import OrgUnit, Term
from longbien.org.types import Actor, Viewer
from longbien.service import service
from longbien.text import fold

from .models import TermReportJob

logger = logging.getLogger(__name__)

AREA = scope.Area.REPORTS
Job = TermReportJob
State = TermReportJob.State
Stage = TermReportJob.Stage
Kind = TermReportJob.PeriodKind

# The task's limits (seconds): the soft one ends the job as failed, the hard one kills it.
SOFT_TIME_LIMIT = 20 * 60
TIME_LIMIT = SOFT_TIME_LIMIT + 60
# A running job whose heartbeat is older than this has lost its worker (no live worker runs
# past the hard limit): a redelivered message takes it over.
STALE_AFTER = dt.timedelta(seconds=TIME_LIMIT + 60)
# The claimant lock's first key (the job's id is the second): "report" in the phone keypad.
LOCK_CLASS = 737678
# How long a run waits for the claimant lock before it finds the job busy (seconds).
LOCK_WAIT = 3.0
# Progress is written at most this often (seconds), unless the stage changes.
PROGRESS_EVERY = 1.0

# The stages of term_report.render's progress callback.
STAGES = {"collecting": Stage.COLLECTING, "charts": Stage.CHARTS, "rendering": Stage.RENDERING}

# What job_run did.
RENDERED, ALREADY_DONE, BUSY, FAILED, MISSING = "rendered", "done", "busy", "failed", "missing"


# --- the request ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """A report's unit and period, as asked."""

    unit: OrgUnit
    kind: str
    term: Term | None = None
    year: int | None = None
    half: int | None = None

    @property
    def key(self) -> str:
        return request_key(
            unit=self.unit, kind=self.kind, term=self.term, year=self.year, half=self.half
        )


def request_key(
    *, unit: OrgUnit, kind: str, term: Term | None = None, year: int | None = None,
    half: int | None = None,
) -> str:  # fmt: skip
    """The job's unique key: the unit and the period (who asks does not matter)."""
    if kind == Kind.TERM:
        period = f"term:{term.code if term is not None else ''}"
    elif kind == Kind.HALF:
        period = f"half:{year}-{half}"
    else:
        period = f"year:{year}"
    return f"term-report:{unit.code}:{period}"


def make_request(
    *, unit: OrgUnit, term: Term | None = None, year: int | None = None, half: int | None = None
) -> Request:
    """The request of a term, or a year (with a half): exactly one period, in Vietnamese."""
    if term is not None:
        if year is not None or half is not None:
            raise ValidationError(
                {"term": _("Chọn nhiệm kỳ hoặc năm (6 tháng), không chọn cả hai.")}
            )
        return Request(unit=unit, kind=Kind.TERM, term=term)
    if year is None:
        if half is not None:
            raise ValidationError({"year": _("Chọn năm của 6 tháng.")})
        raise ValidationError({"term": _("Chọn nhiệm kỳ, hoặc năm (và 6 tháng) của báo cáo.")})
    if not periods.FIRST_YEAR <= int(year) <= periods.LAST_YEAR:
        raise ValidationError({"year": _("Năm phải từ 2000 đến 2100.")})
    if half is None:
        return Request(unit=unit, kind=Kind.YEAR, year=int(year))
    if int(half) not in (1, 2):
        raise ValidationError({"half": _("Chọn 6 tháng đầu (1) hoặc cuối (2).")})
    return Request(unit=unit, kind=Kind.HALF, year=int(year), half=int(half))


def _start(job: TermReportJob) -> None:
    from .tasks import report_term_task

    pk = job.pk
    transaction.on_commit(lambda: report_term_task.delay(pk))


@service
def job_request(
    *, actor: Actor, unit: OrgUnit, term: Term | None = None, year: int | None = None,
    half: int | None = None,
) -> tuple[TermReportJob, bool]:  # fmt: skip
    """Find or create the job of a report (unit, period) and start it once committed.

    Returns ``(job, created)``. The same request gives the same job: a job queued, running
    or done is returned as it is (nothing started again); a failed one is queued again, and
    one left queued or running for longer than :data:`STALE_AFTER` is sent to the workers
    again.
    Anyone who may see the unit's reports may ask for its report.
    """
    if not scope.can(actor, AREA, scope.VIEW, unit):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo của đơn vị này."))
    wanted = make_request(unit=unit, term=term, year=year, half=half)
    job, created = TermReportJob.objects.get_or_create(
        key=wanted.key,
        defaults={
            "requested_by": actor, "unit": unit, "period_kind": wanted.kind,
            "term": wanted.term, "year": wanted.year, "half": wanted.half,
        },
    )  # fmt: skip
    if created:
        _start(job)
        return job, True
    if job.state == State.FAILED:
        # Queued again (one UPDATE: two users retrying at once start it once).
        restarted = TermReportJob.objects.filter(pk=job.pk, state=State.FAILED).update(
            state=State.QUEUED, stage=Stage.QUEUED, percent=0, error="", requested_by=actor,
            finished_at=None,
        )  # fmt: skip
        if restarted:
            _start(job)
        job.refresh_from_db()
    elif _abandoned(job, timezone.now()):
        # Its message was lost (a broker restarted) or its worker killed: sent again; the
        # claim lets one run render it.
        _start(job)
    return job, False


def _abandoned(job: TermReportJob, now: dt.datetime) -> bool:
    if job.state == State.QUEUED:
        return job.created_at < now - STALE_AFTER
    if job.state == State.RUNNING:
        if job.heartbeat_at is None or job.heartbeat_at < now - STALE_AFTER:
            return True
        with claimant_lock(job.pk) as free:
            return free  # no live worker holds it: its worker was killed
    return False


# --- reads ------------------------------------------------------------------------------------


def job_list(user: Viewer) -> QuerySet[TermReportJob]:
    """The jobs of the units whose reports the user may see, the newest first."""
    return (
        TermReportJob.objects.restrict(user)
        .select_related("unit", "term", "requested_by")
        .order_by("-created_at", "-id")
    )


def job_get(user: Viewer, pk: int) -> TermReportJob:
    """One job the user may see (``TermReportJob.DoesNotExist`` otherwise)."""
    return job_list(user).get(pk=pk)


def download_name(job: TermReportJob) -> str:
    """The file's name for the browser: ASCII (folded Vietnamese), e.g.
    ``bao-cao-tong-ket-QU-nhiem-ky-2015-2020.pdf``."""
    label = slugify(fold(job.period().label)) or "ky"
    return f"bao-cao-tong-ket-{slugify(job.unit.code) or job.unit_id}-{label}.pdf"


# --- the run ----------------------------------------------------------------------------------


def _renderer() -> Callable[..., bytes]:
    module = importlib.import_module(f"{__package__}.term_report")
    render: Callable[..., bytes] = module.render
    return render


@contextmanager
def claimant_lock(job_id: int, wait: float = 0.0) -> Iterator[bool]:
    """Try the job's claimant lock on this database session, for up to ``wait`` seconds:
    True while this session holds it, released on leaving. PostgreSQL releases it too when the
    session ends (its worker killed). Session-level: outside transactions, and re-entrant in
    one session."""
    key = [LOCK_CLASS, job_id % 2**31]
    deadline = time.monotonic() + wait
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            held = bool(cursor.fetchone()[0])
        if held or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    try:
        yield held
    finally:
        if held:
            with suppress(DatabaseError), connection.cursor() as cursor:
                # A session lost meanwhile has released it already.
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def _claim(job_id: int, now: dt.datetime, *, locked: bool) -> int | None:
    """Take the job: the attempt's number, or None when another worker has it or it is
    finished. Holding the claimant lock (``locked``), a job queued or running (its worker
    gone) is taken; without it, only a job whose heartbeat is stale."""
    stale = now - STALE_AFTER
    if locked:
        takeable = Q(state__in=[State.QUEUED, State.RUNNING])
    else:
        takeable = Q(state__in=[State.QUEUED, State.RUNNING], heartbeat_at__lt=stale)
    with transaction.atomic():
        claimed = (
            TermReportJob.objects.filter(pk=job_id)
            .filter(takeable)
            .update(
                state=State.RUNNING, stage=Stage.COLLECTING, percent=0, error="",
                attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, finished_at=None,
            )
        )  # fmt: skip
        if not claimed:
            return None
        return int(TermReportJob.objects.filter(pk=job_id).values_list("attempts", flat=True)[0])


def _mine(job_id: int, attempt: int) -> QuerySet[TermReportJob]:
    return TermReportJob.objects.filter(pk=job_id, attempts=attempt, state=State.RUNNING)


class Progress:
    """The callback given to the renderer: writes the stage and percent (throttled: a new
    stage at once, else at most every :data:`PROGRESS_EVERY` seconds), with the heartbeat,
    each write its own short transaction."""

    def __init__(self, job_id: int, attempt: int, every: float | None = None) -> None:
        self.job_id, self.attempt = job_id, attempt
        self.every = PROGRESS_EVERY if every is None else every
        self.clock: Callable[[], float] = time.monotonic
        self.stage = Stage.COLLECTING.value
        self.percent = 0
        self.written_at = 0.0
        self.writes = 0

    def __call__(self, stage: str, percent: int) -> None:
        new_stage = STAGES.get(stage, self.stage)
        percent = max(self.percent, min(99, max(0, int(percent))))
        clock = self.clock()
        if new_stage == self.stage and (
            percent == self.percent or clock - self.written_at < self.every
        ):
            return
        self.stage, self.percent, self.written_at = new_stage, percent, clock
        with transaction.atomic():
            _mine(self.job_id, self.attempt).update(
                stage=new_stage, percent=percent, heartbeat_at=timezone.now()
            )
        self.writes += 1


def _fail(job_id: int, attempt: int, message: str) -> None:
    with transaction.atomic():
        _mine(job_id, attempt).update(state=State.FAILED, error=message, finished_at=timezone.now())


def job_run(job_id: int, *, now: dt.datetime | None = None) -> str:
    """Render the job's PDF once (see the module's doc); returns what happened:
    ``rendered``, ``done`` (it was already), ``busy`` (another worker has it), ``failed``
    or ``missing``. Runs outside any transaction (a worker; eager tasks run on commit)."""
    # A short wait: the session of a pool process killed a moment ago may not be closed yet.
    with claimant_lock(job_id, wait=LOCK_WAIT) as locked:
        return _run(job_id, _claim(job_id, now or timezone.now(), locked=locked))


def _run(job_id: int, attempt: int | None) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if attempt is None:
        state = TermReportJob.objects.filter(pk=job_id).values_list("state", flat=True).first()
        if state is None:
            return MISSING
        outcomes = {State.DONE.value: ALREADY_DONE, State.FAILED.value: FAILED}
        return outcomes.get(str(state), BUSY)
    job = TermReportJob.objects.select_related("unit", "term").get(pk=job_id)
    progress = Progress(job_id, attempt)
    try:
        data = _renderer()(unit=job.unit, period=job.period(), progress=progress)
    except SoftTimeLimitExceeded:
        _fail(job_id, attempt, _(
            "Quá thời gian cho phép (%(minutes)s phút) nên đã dừng tạo báo cáo. Hãy yêu cầu lại "
            "vào lúc ít việc, hoặc chọn đơn vị, kỳ báo cáo nhỏ hơn."
        ) % {"minutes": SOFT_TIME_LIMIT // 60})  # fmt: skip
        return FAILED
    except Exception:
        logger.exception("term report job %s failed", job_id)
        _fail(job_id, attempt, _("Lỗi hệ thống khi tạo báo cáo; hãy yêu cầu lại. Nếu vẫn lỗi, "
                                 "báo quản trị hệ thống."))  # fmt: skip
        return FAILED
    with transaction.atomic():
        _mine(job_id, attempt).update(stage=Stage.SAVING, percent=99, heartbeat_at=timezone.now())
    # Stored under a fresh name first; the job names it only in the UPDATE that ends it.
    field = job.file.field
    name = field.generate_filename(job, f"{uuid.uuid4().hex}.pdf")
    stored = field.storage.save(name, ContentFile(data), max_length=field.max_length)
    with transaction.atomic():
        finished = _mine(job_id, attempt).update(
            state=State.DONE, stage=Stage.DONE, percent=100, file=stored,
            finished_at=timezone.now(), heartbeat_at=timezone.now(), error="",
        )  # fmt: skip
    if not finished:  # overtaken by another attempt: this file is nobody's
        field.storage.delete(stored)
        return BUSY
    return RENDERED


def seconds_until_stale(job_id: int, now: dt.datetime | None = None) -> int:
    """How long until a running job's heartbeat is stale (at least a minute)."""
    beat = TermReportJob.objects.filter(pk=job_id).values_list("heartbeat_at", flat=True).first()
    if beat is None:
        return 60
    left = (beat + STALE_AFTER - (now or timezone.now())).total_seconds()
    return max(60, int(left) + 5)


def job_status(job: TermReportJob) -> dict[str, Any]:
    """The job's progress as the page's poll and the API read it."""
    return {
        "id": job.pk, "state": job.state, "state_label": job.get_state_display(),
        "stage": job.stage, "stage_label": job.get_stage_display(), "percent": job.percent,
        "finished": job.finished, "error": job.error,
    }  # fmt: skip
