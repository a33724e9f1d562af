"""Celery tasks of the quarterly reports: thin, idempotent, the date as the only argument.

Once a quarter has ended, every reporting unit's report of it is opened (not started), so
that the deadline's reminders reach the units that have not written it; then the reports not
sent yet are reminded before their deadline (``QUARTERLY_REPORT_REMIND_DAYS`` working days)
and once it has passed, each reminder once (``longbien.reminders``): to the holders of the
change right in ``Area.REPORTS`` on the report's unit (its secretary and staff).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import reminders
from longbien.org.scope import Area

from . import services, term_jobs
from .models import QuarterlyReport

# The first days of a quarter, in which the quarter just ended is opened (a worker down on
# the 1st catches up; opening is idempotent anyway).
OPEN_WITHIN_DAYS = 15


def quarter_just_ended(today: dt.date) -> tuple[int, int]:
    """The year and quarter that ended before ``today``'s quarter began."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def _message(report: QuarterlyReport, kind: str) -> reminders.Message:
    facts = {
        "quarter": report.quarter,
        "year": report.year,
        "unit": report.unit.name,
        "deadline": report.due_on.strftime("%d/%m/%Y"),
    }
    if kind == reminders.DUE_SOON:
        title = _("Báo cáo quý %(quarter)s/%(year)s sắp đến hạn gửi") % facts
        body = _(
            "Báo cáo quý %(quarter)s/%(year)s của %(unit)s phải gửi Văn phòng Quận ủy trước "
            "ngày %(deadline)s."
        )
    else:
        title = _("Báo cáo quý %(quarter)s/%(year)s quá hạn gửi") % facts
        body = _(
            "Báo cáo quý %(quarter)s/%(year)s của %(unit)s chưa gửi; hạn gửi là ngày %(deadline)s."
        )
    return reminders.Message(title=title, body=body % facts, url=report.get_absolute_url())


def reports_open_ended_quarter(*, today: dt.date) -> int:
    """In the first days of a quarter, open the reports of the quarter just ended."""
    first_day = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if (today - first_day).days >= OPEN_WITHIN_DAYS:
        return 0
    year, quarter = quarter_just_ended(today)
    return services.reports_open_quarter(year=year, quarter=quarter)


def report_reminders_send(*, today: dt.date, working_days: int) -> dict[str, int]:
    """Remind the units whose report is not sent yet, before and after the deadline."""
    return reminders.deadline_reminders_send(
        items=QuarterlyReport.objects.select_related("unit"),
        today=today,
        working_days=working_days,
        area=Area.REPORTS,
        key_prefix="quarterly-report",
        unit_of=lambda report: report.unit,
        message=_message,
    )


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(
    name="reporting.send_report_reminders_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def send_report_reminders_task(today: str | None = None) -> dict[str, int]:
    """Open the quarter just ended (its first days), then send the reminders due today;
    running it twice opens and sends nothing more."""
    day = _day(today)
    opened = reports_open_ended_quarter(today=day)
    sent = report_reminders_send(today=day, working_days=settings.QUARTERLY_REPORT_REMIND_DAYS)
    return {"opened": opened, **sent}


# --- term reports (issue 14) --------------------------------------------------------------------


@shared_task(
    bind=True,
    name="reporting.report_term_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=term_jobs.TIME_LIMIT,
    soft_time_limit=term_jobs.SOFT_TIME_LIMIT,
    max_retries=5,
)
def report_term_task(self: Any, job_id: int) -> str:
    """Render a term report's job once (``term_jobs.job_run``): a job already done is not
    rendered again, two workers racing render it once, a job left "running" by a killed
    worker (its claimant lock free) is taken over by the redelivered message. A job a live
    worker holds is looked at again when its heartbeat would be stale (a duplicate message).

    Run the ``reports`` queue with ``--max-memory-per-child`` (see ``term_jobs``)."""
    outcome = term_jobs.job_run(job_id)
    if outcome == term_jobs.BUSY and not self.request.is_eager:
        raise self.retry(countdown=term_jobs.seconds_until_stale(job_id))
    return outcome


@shared_task(name="reporting.warm_dashboards_task", time_limit=900, soft_time_limit=840)
def warm_dashboards_task() -> int:
    """Keep the figures of the top units' dashboards (the current term, year and quarter)
    computed (run by Celery beat): what changed since the last run is computed here, not
    while the Standing Committee waits. Kept counts are used only while their records are
    unchanged (longbien.figure_cache), so this never shows an old figure."""
    from longbien.reporting import dashboard

    return dashboard.warm_top_units(today=timezone.localdate())
