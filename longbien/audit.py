"""The audit trail: one mechanism (django-auditlog) for every domain record.

Services wrap their writes in :func:`audited` so each log entry carries the actor and the
optional reason; :func:`log_access` records a read of a confidential record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, set_extra_data
from auditlog.models import LogEntry
from django.db import models

# Fields derived from others (search folding, sort keys, tree paths) stay out of the diffs.
DERIVED_FIELDS = ["path", "depth", "name_folded", "sort_key", "title_folded"]


@contextlib.contextmanager
def audited(*, actor: Any, reason: str = "") -> Iterator[None]:
    """Attribute every log entry written inside the block to ``actor`` with ``reason``."""
    previous = auditlog_value.get(None)
    data: dict[str, Any] = {"actor": actor if getattr(actor, "pk", None) else None}
    if previous:
        data["remote_addr"] = previous.get("remote_addr")
    if reason:
        data["additional_data"] = {"reason": reason}
    try:
        with set_extra_data(data):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def log_access(*, actor: Any, instance: models.Model, note: str = "") -> LogEntry:
    """Record that ``actor`` read ``instance`` (confidential records)."""
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=actor if getattr(actor, "pk", None) else None,
        additional_data={"note": note} if note else None,
    )


def entries_for(instance: models.Model) -> models.QuerySet[LogEntry]:
    """Return the log entries of one record, newest first, with their actors."""
    return LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp")
