"""Procedures in force at the end of a period, by level, and coordination regulations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from longbien import indicators
from longbien import spans as spans_
from longbien.indicators import Drill, Indicator
from longbien.org.scope import Area

from .models import Procedure, ProcedureKind, ProcedureLevel

GROUP = _("Quy trình công tác")
PROCEDURE = ("kind", ProcedureKind.PROCEDURE.value)


def _drill(*query: tuple[str, str]) -> Drill:
    """The register (longbien/procedures/filters.py) in force on the period's last day
    (``end``; ``start`` is not one of its filters) within the owning unit's subtree."""
    return Drill("procedures:list", query)


# fmt: off
INDICATORS = [
    Indicator("procedures.district", _("Quy trình công tác cấp quận"), Area.ORG, GROUP,
              drill=_drill(PROCEDURE, ("level", ProcedureLevel.DISTRICT.value))),
    Indicator("procedures.grassroots", _("Quy trình công tác cấp cơ sở"), Area.ORG, GROUP,
              drill=_drill(PROCEDURE, ("level", ProcedureLevel.GRASSROOTS.value))),
    Indicator("procedures.inspection", _("Quy trình kiểm tra, giám sát"), Area.ORG, GROUP,
              drill=_drill(PROCEDURE, ("area", "inspection"))),
    Indicator("procedures.coordination", _("Quy chế phối hợp"), Area.ORG, GROUP,
              drill=_drill(("kind", ProcedureKind.COORDINATION.value))),
    Indicator("procedures.iso", _("Quy trình theo ISO 9001:2015"), Area.ORG, GROUP,
              drill=_drill(PROCEDURE, ("iso", "1"))),
]
# fmt: on


@indicators.spanned
def provide(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """Count what is in force on each period's end within ``unit``'s subtree (one query)."""
    procedures = Q(kind=ProcedureKind.PROCEDURE)
    found = spans_.aggregate_each(
        indicators.in_subtree(Procedure.objects.all(), unit, "owner_unit"), spans,
        when=lambda start, end: Q(effective_date__lte=end)
        & (Q(retired_on__isnull=True) | Q(retired_on__gt=end)),
        # In force on some period's end: in force on the last one or retired since.
        within=Q(effective_date__lte=spans_.hull(spans)[1]) if spans else None,
        figures=lambda start, end: {
            "district": Count("id", filter=procedures & Q(level=ProcedureLevel.DISTRICT)),
            "grassroots": Count("id", filter=procedures & Q(level=ProcedureLevel.GRASSROOTS)),
            "inspection": Count("id", filter=procedures & Q(area="inspection")),
            "coordination": Count("id", filter=Q(kind=ProcedureKind.COORDINATION)),
            "iso": Count("id", filter=procedures & Q(iso_9001=True)),
        },
    )  # fmt: skip
    return [{f"procedures.{key}": value for key, value in counts.items()} for counts in found]
