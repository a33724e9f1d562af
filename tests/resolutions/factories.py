"""Small builders for resolution records in tests."""

from __future__ import annotations

import datetime as dt

from resolutions import services
from resolutions.choices import DocumentKind


def make_document(
    actor,
    unit,
    symbol="01-NQ/QU",
    signed=dt.date(2026, 1, 10),
    kind=DocumentKind.RESOLUTION,
    **extra,
):
    return services.document_create(
        actor=actor,
        symbol=symbol,
        kind=kind,
        issuing_unit=unit,
        title=extra.pop("title", "Nghị quyết thử"),
        signed_date=signed,
        **extra,
    )


def make_tasks(actor, document, units, deadline=dt.date(2026, 3, 1), title="Xây dựng kế hoạch"):
    return services.task_assign(
        actor=actor, document=document, units=units, title=title, deadline=deadline
    )
