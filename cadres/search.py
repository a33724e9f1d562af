"""The cadres' part of the global search: decisions by number or date, tests, training classes.

Evaluations are not searched: who may read a slip is decided on the cadre's own page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from longbien.core.search import DATE, TEXT, Group, Query, SearchHit, group, rank_expression

from . import selectors
from .models import PersonnelDecision, QualificationTest, TrainingClass


def search_cadres(user: Any, query: Query, limit: int) -> Iterable[Group]:
    """Decisions by number ("125-QĐ/QU") or by the person's name, or of a day or month;
    qualification tests and training classes by words of their subject or name, or date."""
    if not selectors.sees_area(user):
        return []
    decisions = selectors.decision_list(user=user)
    tests = selectors.test_list(user=user)
    trainings = selectors.training_list(user=user)
    if query.is_date:
        start, end = query.period or (None, None)
        decisions = decisions.filter(query.date_q("decision_date"))
        tests = tests.filter(query.date_q("held_on"))
        trainings = trainings.filter(start_date__lte=end, end_date__gte=start)
        rank = DATE
    else:
        decisions = (
            decisions.filter(Q(person__name_folded__contains=query.folded) | query.code_q("symbol"))
            .annotate(rank=rank_expression(query, "symbol"))
            .order_by("rank", "-decision_date", "-id")
        )
        tests = tests.filter(subject__icontains=str(query))
        trainings = trainings.filter(name__icontains=str(query))
        rank = TEXT

    def decision_hit(d: PersonnelDecision) -> SearchHit:
        return SearchHit(
            _("Quyết định nhân sự"), f"{d.symbol} – {d.get_kind_display()}: {d.person}",
            str(d.to_position or ""),
            reverse("cadres:person_history", args=[d.person_id]) + "#decisions",
            date=d.decision_date, unit=d.unit.name, code=d.symbol,
            rank=getattr(d, "rank", rank),
        )  # fmt: skip

    def test_hit(t: QualificationTest) -> SearchHit:
        return SearchHit(
            _("Kỳ sát hạch"), t.subject, "", t.get_absolute_url(),
            date=t.held_on, unit=t.unit.name, rank=rank,
        )  # fmt: skip

    def training_hit(t: TrainingClass) -> SearchHit:
        return SearchHit(
            _("Lớp bồi dưỡng"), t.name, "", t.get_absolute_url(),
            date=t.start_date, unit=t.unit.name, rank=rank,
        )  # fmt: skip

    return [
        group(_("Quyết định nhân sự"), decisions, limit, decision_hit, order=50),
        group(_("Kỳ sát hạch"), tests, limit, test_hit, order=60),
        group(_("Lớp bồi dưỡng"), trainings, limit, training_hit, order=70),
    ]
