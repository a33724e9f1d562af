"""The inspections' picker lookup: approved plan items (``/tra-cuu/noi-dung-ke-hoach/``), for
the inspection form's "carried out under the plan" field, typed for by topic or target unit."""

from __future__ import annotations

from django.db.models import QuerySet

from longbien.core import lookups
from longbien.org.types import Viewer

from . import selectors
from .choices import PlanItemStatus
from .models import PlanItem


def plan_item_rows(*, user: Viewer, year: str = "", status: str = "") -> QuerySet[PlanItem]:
    """The plan items the user may see, approved ones by default (an inspection carries out an
    approved item), narrowed to a year."""
    rows = selectors.plan_item_list(user).order_by("-plan__year", "starts_on", "pk")
    status = status or PlanItemStatus.APPROVED
    if status not in PlanItemStatus.values:
        raise ValueError(f"unknown status: {status!r}")
    rows = rows.filter(status=status)
    if year:
        if not str(year).isdigit():
            raise ValueError(f"unknown year: {year!r}")
        rows = rows.filter(plan__year=int(year))
    return rows


def plan_item_label(item: PlanItem) -> str:
    topic = item.topic if len(item.topic) <= 80 else item.topic[:79] + "…"
    return f"{item.plan.body.name} · {item.target_unit.name} · {topic} · {item.months_label}"


def register() -> None:
    lookups.register(
        lookups.Lookup(
            name="noi-dung-ke-hoach",
            queryset=plan_item_rows,
            search_fields=("topic_folded", "target_unit__name_folded", "target_unit__code"),
            exact_fields=("target_unit__code",),
            label=plan_item_label,
            params=("year", "status"),
            ordering=("-plan__year", "starts_on", "pk"),
        )
    )
