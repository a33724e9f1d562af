"""Celery tasks of the core app."""

from celery import shared_task


@shared_task(name="core.ping_task")
def ping_task(value: int) -> dict:
    """Echo the value back, so a health check can prove a worker runs tasks end to end."""
    return {"pong": value}
