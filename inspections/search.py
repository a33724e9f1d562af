"""The inspections' part of the global search: inspections and supervisions, plan items.

Both read through the app's selectors (``restrict()``), so a hit is a record the user may open.
Cases have a provider too, registered with ``model=Case``: the kernel never runs a provider of
a confidential model (cases are searched inside their own register, whose reads are recorded);
it is registered so that the register of providers says what each model has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from longbien.core import search
from longbien.core.search import DATE, TEXT, Group, Query, SearchHit, group

from . import selectors
from .models import Case, Inspection, PlanItem


def search_inspections(user: Any, query: Query, limit: int) -> Iterable[Group]:
    """Inspections and supervisions by words of their topic or of the unit's name, or started or
    concluded on a day or in a month; plan items by words of their topic or in a month planned."""
    inspections = selectors.inspection_list(user)
    items = selectors.plan_item_list(user)
    if query.is_date:
        inspections = inspections.filter(query.date_q("starts_on", "concluded_on"))
        first, last = query.period or (None, None)
        items = items.filter(starts_on__lte=last, ends_on__gte=first)
        rank = DATE
    else:
        inspections = inspections.filter(
            Q(topic_folded__contains=query.folded) | Q(unit__name_folded__contains=query.folded)
        )
        items = items.filter(
            Q(topic_folded__contains=query.folded)
            | Q(target_unit__name_folded__contains=query.folded)
        )
        rank = TEXT
    inspections = inspections.order_by("-starts_on", "-id")
    items = items.order_by("-plan__year", "starts_on", "id")

    def inspection_hit(inspection: Inspection) -> SearchHit:
        return SearchHit(
            inspection.get_activity_display(), inspection.topic,
            f"{inspection.get_kind_display()} · {inspection.get_status_display()}",
            inspection.get_absolute_url(), date=inspection.concluded_on or inspection.starts_on,
            unit=inspection.unit.name, rank=rank,
        )  # fmt: skip

    def item_hit(item: PlanItem) -> SearchHit:
        return SearchHit(
            _("Kế hoạch kiểm tra, giám sát"), item.topic,
            f"{item.plan.body.name} · {item.get_activity_display()} · {item.months_label}",
            item.get_absolute_url(), date=item.starts_on, unit=item.target_unit.name, rank=rank,
        )  # fmt: skip

    return [
        group(_("Kiểm tra, giám sát"), inspections, limit, inspection_hit, order=60),
        group(_("Kế hoạch kiểm tra, giám sát"), items, limit, item_hit, order=61),
    ]


def search_cases(user: Any, query: Query, limit: int) -> Iterable[Group]:  # pragma: no cover
    """Never run: the kernel skips the provider of a confidential model (see the module)."""
    return []


def register() -> None:
    search.register(search_inspections, model=(Inspection, PlanItem))
    search.register(search_cases, model=Case)
