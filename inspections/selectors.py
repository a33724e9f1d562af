"""Every read of the inspections app: scoped by the user through ``restrict()``.

The overlap check (``overlaps_of``) compares any number of plan items with every other
body's plans in one query: a plan of 200 items costs the same two queries as one item.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.org.models import OrgUnit
from longbien.org.types import Viewer

from .choices import PlanItemStatus
from .models import (
    Case,
    CaseQuerySet,
    Discipline,
    FollowUp,
    FollowUpQuerySet,
    Inspection,
    Plan,
    PlanItem,
)

SAME_UNIT = "unit"
ABOVE = "above"
BELOW = "below"
SAME_TOPIC = "topic"
REASONS = {
    SAME_UNIT: _("cùng đơn vị, trùng thời gian"),
    ABOVE: _("đơn vị cấp trên, trùng thời gian"),
    BELOW: _("đơn vị cấp dưới, trùng thời gian"),
    SAME_TOPIC: _("cùng nội dung trên đơn vị trong khoảng thời gian gần"),
}


def topic_window_months() -> int:
    """How many months apart two visits on the same topic to the same unit still overlap."""
    return int(getattr(settings, "INSPECTION_TOPIC_WINDOW_MONTHS", 6))


@dataclass
class Conflict:
    """Another body's planned item that overlaps an item, and why."""

    item: PlanItem
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


# Each candidate's related units first (its unit's ancestors and itself by their paths, its
# descendants by a range of the path index), then only the plan items aimed at them: a plan of
# 200 items against a city's 55.000 compares a few thousand pairs instead of 11 million.
_OVERLAP_SQL = """
WITH candidate (key, body_id, target_id, path, starts_on, ends_on, topic, own_id) AS (
    SELECT * FROM unnest(%(keys)s::bigint[], %(bodies)s::bigint[], %(targets)s::bigint[],
                         %(paths)s::text[], %(starts)s::date[], %(ends)s::date[],
                         %(topics)s::text[], %(own)s::bigint[])
), related (key, unit_id) AS (
    SELECT c.key, u.id FROM candidate c
      JOIN org_orgunit u ON u.path = ANY(org_path_prefixes(c.path) COLLATE "C")
    UNION
    SELECT c.key, u.id FROM candidate c
      JOIN org_orgunit u ON u.path >= c.path COLLATE "C"
                        AND u.path < (c.path || chr(1114111)) COLLATE "C"
),
-- The items aimed at the related units, looked up once per unit (LATERAL, kept a subquery:
-- the index on target unit and period) within the candidates' whole span widened by the
-- topic window, then matched to each candidate's own period. Materialized: the planner cannot
-- know how few units are related, and joined every candidate to every plan item when left
-- to choose.
span (low, high) AS (
    SELECT (min(starts_on) - make_interval(months => greatest(%(window)s, 0)))::date,
           (max(ends_on) + make_interval(months => greatest(%(window)s, 0)))::date
      FROM candidate
),
unit_items AS MATERIALIZED (
    SELECT i.* FROM (SELECT DISTINCT unit_id FROM related) AS r
     CROSS JOIN span
     CROSS JOIN LATERAL (
        SELECT i.id, i.target_unit_id, i.starts_on, i.ends_on, i.topic_folded, p.body_id
          FROM inspections_planitem i
          JOIN inspections_plan p ON p.id = i.plan_id
         WHERE i.target_unit_id = r.unit_id AND i.status <> 'cancelled'
           AND i.starts_on <= span.high AND i.ends_on >= span.low
        OFFSET 0
     ) AS i
),
hits AS MATERIALIZED (
    SELECT r.key, i.* FROM related r
      JOIN candidate c ON c.key = r.key
      JOIN unit_items i ON i.target_unit_id = r.unit_id AND i.body_id <> c.body_id
       AND i.id <> c.own_id
       AND i.starts_on <= (c.ends_on + make_interval(months => greatest(%(window)s, 0)))::date
       AND i.ends_on >= (c.starts_on - make_interval(months => greatest(%(window)s, 0)))::date
)
SELECT c.key, i.id,
       CASE WHEN NOT (i.starts_on <= c.ends_on AND i.ends_on >= c.starts_on) THEN NULL
            WHEN i.target_unit_id = c.target_id THEN 'unit'
            WHEN left(c.path, length(u.path)) = u.path THEN 'above'
            WHEN left(u.path, length(c.path)) = c.path THEN 'below' END AS tree,
       (i.target_unit_id = c.target_id AND i.topic_folded = c.topic AND c.topic <> ''
        AND i.starts_on <= (c.ends_on + make_interval(months => %(window)s))::date
        AND i.ends_on >= (c.starts_on - make_interval(months => %(window)s))::date) AS topic
  FROM hits i
  JOIN candidate c ON c.key = i.key
  JOIN org_orgunit u ON u.id = i.target_unit_id
 WHERE (i.starts_on <= c.ends_on AND i.ends_on >= c.starts_on
        AND (left(c.path, length(u.path)) = u.path OR left(u.path, length(c.path)) = c.path))
    OR (i.target_unit_id = c.target_id AND i.topic_folded = c.topic AND c.topic <> ''
        AND i.starts_on <= (c.ends_on + make_interval(months => %(window)s))::date
        AND i.ends_on >= (c.starts_on - make_interval(months => %(window)s))::date)
"""


def overlaps_of(
    items: Iterable[PlanItem], *, window: int | None = None
) -> dict[Any, list[Conflict]]:
    """Return each item's conflicts with the plans of other bodies, keyed by the item's pk
    (or its position in ``items`` for an unsaved item).

    An item conflicts with another body's item (not cancelled) aimed at the same unit, a unit
    above or below it in the tree, in an overlapping period; or on the same topic at the same
    unit within ``window`` months (``INSPECTION_TOPIC_WINDOW_MONTHS``). Two queries in all.
    """
    items = list(items)
    if not items:
        return {}
    window = topic_window_months() if window is None else window
    keys = [item.pk if item.pk else -(index + 1) for index, item in enumerate(items)]
    units = {
        u.pk: u.path
        for u in OrgUnit.objects.filter(pk__in={i.target_unit_id for i in items}).only("path")
    }
    bodies = dict(
        Plan.objects.filter(pk__in={i.plan_id for i in items}).values_list("pk", "body_id")
    )
    params = {
        "keys": keys,
        "bodies": [bodies.get(i.plan_id) for i in items],
        "targets": [i.target_unit_id for i in items],
        "paths": [units.get(i.target_unit_id, "") for i in items],
        "starts": [i.starts_on for i in items],
        "ends": [i.ends_on for i in items],
        "topics": [i.topic_folded or "" for i in items],
        "own": [i.pk or 0 for i in items],
        "window": window,
    }
    with connection.cursor() as cursor:
        cursor.execute(_OVERLAP_SQL, cast(Any, params))
        rows = cursor.fetchall()
    others = PlanItem.objects.select_related("plan__body", "target_unit", "target_person").in_bulk(
        {row[1] for row in rows}
    )
    found: dict[Any, dict[int, Conflict]] = defaultdict(dict)
    for key, other_id, tree, topic in rows:
        conflict = found[key].setdefault(other_id, Conflict(others[other_id]))
        if tree:
            conflict.reasons.append(tree)
        if topic:
            conflict.reasons.append(SAME_TOPIC)
    return {
        key: sorted(conflicts.values(), key=lambda c: (c.item.starts_on, c.item.pk))
        for key, conflicts in found.items()
    }


# --- Plans ------------------------------------------------------------------------------------


def plan_list(user: Viewer) -> QuerySet[Plan]:
    return (
        Plan.objects.restrict(user)
        .select_related("body")
        .annotate(
            item_count=Count("items", filter=~Q(items__status=PlanItemStatus.CANCELLED)),
            approved_count=Count("items", filter=Q(items__status=PlanItemStatus.APPROVED)),
        )
    )


def plan_items(user: Viewer, plan: Plan) -> list[PlanItem]:
    return list(
        PlanItem.objects.restrict(user)
        .filter(plan=plan)
        .select_related("target_unit", "target_person", "lead_body", "plan__body")
        .order_by("starts_on", "id")
    )


def plan_item_list(user: Viewer) -> QuerySet[PlanItem]:
    return PlanItem.objects.restrict(user).select_related(
        "plan__body", "target_unit", "target_person", "lead_body"
    )


@dataclass
class Lane:
    """One body's row on the coordination timeline: its visits placed on months."""

    body: OrgUnit
    visits: list[dict[str, Any]]


def coordination(user: Viewer, unit: OrgUnit, year: int) -> dict[str, Any]:
    """Every body's planned visits to ``unit`` (and the units above and below it) in ``year``,
    one lane per body, months across, overlaps marked. Items the user may read only."""
    ancestors = [p for p in _prefixes(unit.path)]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    items = list(
        PlanItem.objects.restrict(user)
        .filter(starts_on__lte=end, ends_on__gte=start)
        .exclude(status=PlanItemStatus.CANCELLED)
        .filter(Q(target_unit__path__startswith=unit.path) | Q(target_unit__path__in=ancestors))
        .select_related("plan__body", "target_unit", "target_person")
        .order_by("plan__body__sort_key", "starts_on", "id")
    )
    conflicts = overlaps_of(items)
    lanes: dict[int, Lane] = {}
    for item in items:
        first = max(item.starts_on, start).month
        last = min(item.ends_on, end).month
        lane = lanes.setdefault(item.plan.body_id, Lane(item.plan.body, []))
        lane.visits.append({
            "item": item, "first": first, "last": last, "span": last - first + 1,
            "conflicts": conflicts.get(item.pk, []),
        })  # fmt: skip
    for lane in lanes.values():
        lane.visits.sort(key=lambda v: (v["first"], v["item"].pk))
    return {"unit": unit, "year": year, "months": list(range(1, 13)), "lanes": list(lanes.values()),
            "conflict_count": sum(1 for v in conflicts.values() if v)}  # fmt: skip


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts) - 1)]


# --- Inspections, follow-ups, discipline ------------------------------------------------------


def inspection_list(user: Viewer) -> QuerySet[Inspection]:
    return Inspection.objects.restrict(user).select_related(
        "unit", "person", "conducting_body", "plan_item"
    )


def follow_up_list(user: Viewer) -> FollowUpQuerySet[FollowUp]:
    return FollowUp.objects.restrict(user).select_related("owner_unit", "inspection__unit")


def follow_up_board(
    user: Viewer, unit: OrgUnit | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """A unit's follow-ups: overdue first, then open by deadline, then the last done."""
    today = today or timezone.localdate()
    rows = follow_up_list(user)
    if unit is not None:
        rows = rows.filter(owner_unit__path__startswith=unit.path)
    return {
        "overdue": list(rows.overdue(today).order_by("deadline", "id")),
        "open": list(rows.open().exclude(rows.overdue_q(today)).order_by("deadline", "id")),
        "done": list(rows.filter(rows.done_q()).order_by("-completed_on", "-id")[:20]),
        "today": today,
    }


def discipline_list(user: Viewer) -> QuerySet[Discipline]:
    return Discipline.objects.restrict(user).select_related("unit", "person", "deciding_body")


def person_disciplines(user: Viewer, person: Any) -> list[Discipline]:
    return list(discipline_list(user).filter(person=person).order_by("-decided_on", "-id"))


def case_list(user: Viewer) -> CaseQuerySet[Case]:
    """Cases for the inspection role within its scope; nobody else gets a row."""
    return Case.objects.restrict(user).select_related("unit", "person", "handling_body")
