"""Self-improvement plans (kế hoạch tu dưỡng, rèn luyện) and their monthly reviews."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer

from ..models import (
    PlanReview,
    SelfImprovementPlan,
)


def plan_list(
    *,
    user: Viewer,
    unit: OrgUnit | None = None,
    year: int | None = None,
    person: Person | None = None,
) -> QuerySet[SelfImprovementPlan]:
    plans = (
        SelfImprovementPlan.objects.restrict(user)
        .select_related("person", "person__position", "unit")
        .annotate(review_count=Count("reviews"))
    )
    if unit is not None:
        plans = plans.filter(unit__path__startswith=unit.path)
    if year:
        plans = plans.filter(year=year)
    if person is not None:
        plans = plans.filter(person=person)
    return plans.order_by("-year", "person__sort_key", "id")


def plan_get(*, user: Viewer, pk: int) -> SelfImprovementPlan:
    return (
        SelfImprovementPlan.objects.restrict(user)
        .select_related("person", "person__position", "unit")
        .get(pk=pk)
    )


def plan_reviews(*, plan: SelfImprovementPlan) -> QuerySet[PlanReview]:
    return plan.reviews.order_by("month")


def public_head_plans(*, unit: OrgUnit, year: int) -> QuerySet[SelfImprovementPlan]:
    """The heads' plans of ``unit``'s subtree, posted publicly (no login, nothing else personal)."""
    return (
        SelfImprovementPlan.objects.filter(
            unit__path__startswith=unit.path,
            year=year,
            person__is_active=True,
            person__position__is_head=True,
        )
        .select_related("person__position", "unit")
        .only(
            "id",
            "year",
            "commitments",
            "unit__name",
            "unit__path",
            "person__full_name",
            "person__sort_key",
            "person__position__name",
            "person__position__rank",
        )  # fmt: skip
        .order_by("unit__path", "person__position__rank", "person__sort_key")
    )
