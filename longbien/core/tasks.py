"""Celery tasks of the core app."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(name="core.ping_task")
def ping_task(value: int) -> dict:
    """Echo the value back, so a health check can prove a worker runs tasks end to end."""
    return {"pong": value}


@shared_task(
    name="core.send_mail_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
    time_limit=120,
    soft_time_limit=100,
)
def send_mail_task(subject: str, body: str, recipients: list[str]) -> int:
    """Send one e-mail to each recipient (separately: addresses stay private); retry on faults."""
    sent = 0
    for address in recipients:
        sent += send_mail(subject, body, None, [address])
    return sent


@shared_task(
    name="core.import_records_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=3600,
    soft_time_limit=3500,
)
def import_records_task(job_id: int) -> str:
    """Check or apply a stored import file; the job row keeps the outcome."""
    # io imports this module (a job is queued from there): a real cycle.
    from . import io
    from .models import ImportJob

    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return "missing"
    return io.import_job_run(job=job).status


@shared_task(
    name="core.purge_import_files_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def purge_import_files_task() -> int:
    """Delete uploaded import files past ``IMPORT_FILE_RETENTION_DAYS`` (run by Celery beat)."""
    from . import io  # io imports this module (a job is queued from there): a real cycle

    return io.import_files_purge()


@shared_task(name="core.compact_figure_changes_task", time_limit=300, soft_time_limit=270)
def compact_figure_changes_task() -> int:
    """Fold the figure cache's record of writes into one row per table (run by Celery beat):
    the versions stay as they are, reading them stays one short query."""
    from longbien import figure_cache

    return figure_cache.compact()
