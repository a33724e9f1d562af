"""What the cadres app counts for a unit subtree and a period (the indicator registry)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from longbien import indicators
from longbien import spans as spans_
from longbien.org.models import Person
from longbien.org.scope import Area

from .choices import DecisionKind, EvaluationStatus, Rating
from .models import (
    PersonnelDecision,
    TaskAssignment,
    TestParticipant,
    TrainingClass,
    TrainingParticipant,
)
from .selectors import rating_counts_each

GROUP = _("Cán bộ")
EVALUATIONS_TOTAL = "cadres.evaluations"
# The approved slips by unit and month (cadres/filters.py: the months ``start``..``end`` touch).
APPROVED = ("status", EvaluationStatus.APPROVED.value)


def rating_code(rating: str) -> str:
    return f"cadres.evaluations.{rating}"


@indicators.spanned
def provide(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """The cadre figures of ``unit``'s subtree over each period of ``spans``: six queries,
    whatever the number of periods."""
    found: list[dict[str, int]] = [
        {rating_code(k): v for k, v in ratings.items()}
        for ratings in rating_counts_each(unit=unit, spans=spans)
    ]
    for counts in found:
        counts[EVALUATIONS_TOTAL] = sum(counts.values())
    tested = spans_.aggregate_each(
        indicators.in_subtree(TestParticipant.objects.filter(score__isnull=False), unit),
        spans,
        when=spans_.between("test__held_on"),
        figures=lambda start, end: {"people": Count("person_id", distinct=True)},
    )
    decisions = spans_.aggregate_each_by(
        indicators.in_subtree(PersonnelDecision.objects.all(), unit),
        spans,
        "kind",
        when=spans_.between("decision_date"),
        figures=lambda start, end: {"n": Count("id")},
    )
    # Members admitted by the end of the period (as the "without assignment" list counts them).
    # Assigned in a year the period touches: one condition per range of years, the same
    # object for the quarters of a year (longbien.spans reads a condition once).
    assigned = functools.cache(
        lambda first, last: Q(pk__in=_assigned(unit, dt.date(first, 1, 1), dt.date(last, 12, 31)))
    )
    members = spans_.aggregate_each(
        indicators.in_subtree(Person.objects.filter(is_active=True), unit),
        spans,
        when=spans_.by_end("party_member_since"),
        figures=lambda start, end: {
            "members": Count("pk"),
            "assigned": Count("pk", filter=assigned(start.year, end.year)),
        },
    )
    training = spans_.aggregate_each(
        indicators.in_subtree(TrainingParticipant.objects.all(), unit, "person__unit"),
        spans,
        when=spans_.overlapping("training__start_date", "training__end_date"),
        figures=lambda start, end: {
            "enrolled": Count("id"),
            "completed": Count("id", filter=Q(completed=True)),
        },
    )
    classes = spans_.aggregate_each(
        indicators.in_subtree(TrainingClass.objects.all(), unit),
        spans,
        when=spans_.overlapping("start_date", "end_date"),
        figures=lambda start, end: {"classes": Count("pk")},
    )
    for index, counts in enumerate(found):
        counts["cadres.people_tested"] = tested[index]["people"]
        for kind in DecisionKind.values:
            counts[f"cadres.decisions.{kind}"] = decisions[index].get(kind, {}).get("n", 0)
        counts["cadres.members"] = members[index]["members"]
        counts["cadres.members_assigned"] = members[index]["assigned"]
        counts["cadres.members_unassigned"] = (
            counts["cadres.members"] - counts["cadres.members_assigned"]
        )
        counts["cadres.training_classes"] = classes[index]["classes"]
        counts["cadres.training_enrolled"] = training[index]["enrolled"]
        counts["cadres.training_completed"] = training[index]["completed"]
    return found


def _assigned(unit: Any, start: dt.date, end: dt.date) -> Any:
    """The people with a task assignment in ``unit``'s subtree in a year the period touches."""
    return indicators.in_subtree(
        TaskAssignment.objects.filter(year__gte=start.year, year__lte=end.year), unit
    ).values("person_id")


def _definitions() -> list[indicators.Indicator]:
    items = [
        indicators.Indicator(
            EVALUATIONS_TOTAL, _("Phiếu đánh giá hằng tháng đã duyệt"), Area.CADRES, GROUP,
            drill=indicators.Drill("cadres:evaluation_list", (APPROVED,)),
        )
    ]  # fmt: skip
    for value, label in Rating.choices:
        items.append(
            indicators.Indicator(
                rating_code(value), label, Area.CADRES, GROUP,
                drill=indicators.Drill("cadres:evaluation_list", (APPROVED, ("rating", value))),
            )
        )  # fmt: skip
        items.append(
            indicators.Indicator(
                f"{rating_code(value)}.share",
                format_lazy(_("Tỷ lệ: {label}"), label=label),
                Area.CADRES, GROUP, numerator=rating_code(value), denominator=EVALUATIONS_TOTAL,
                partition=True,
            )
        )  # fmt: skip
    items.append(
        indicators.Indicator("cadres.people_tested", _("Cán bộ được sát hạch"), Area.CADRES, GROUP)
    )
    for value, label in DecisionKind.choices:
        items.append(
            indicators.Indicator(
                f"cadres.decisions.{value}",
                format_lazy(_("Quyết định nhân sự: {label}"), label=label),
                Area.CADRES, GROUP,
                drill=indicators.Drill("cadres:decision_list", (("kind", value),)),
            )
        )  # fmt: skip
    items += [
        indicators.Indicator("cadres.members", _("Đảng viên"), Area.CADRES, GROUP),
        indicators.Indicator("cadres.members_assigned", _("Đảng viên được phân công nhiệm vụ"), Area.CADRES, GROUP),
        indicators.Indicator("cadres.members_unassigned", _("Đảng viên chưa được phân công"), Area.CADRES, GROUP),
        indicators.Indicator(
            "cadres.members_assigned.share", _("Tỷ lệ đảng viên được phân công"), Area.CADRES, GROUP,
            numerator="cadres.members_assigned", denominator="cadres.members",
        ),
        indicators.Indicator("cadres.training_classes", _("Lớp bồi dưỡng cán bộ"), Area.CADRES, GROUP),
        indicators.Indicator("cadres.training_enrolled", _("Lượt học viên lớp bồi dưỡng"), Area.CADRES, GROUP),
        indicators.Indicator("cadres.training_completed", _("Lượt học viên hoàn thành"), Area.CADRES, GROUP),
        indicators.Indicator(
            "cadres.training_completed.share", _("Tỷ lệ hoàn thành lớp bồi dưỡng"), Area.CADRES, GROUP,
            numerator="cadres.training_completed", denominator="cadres.training_enrolled",
        ),
    ]  # fmt: skip
    return items


def register() -> None:
    indicators.register(
        Area.CADRES,
        provide,
        *_definitions(),
        reads=(
            "cadres.Evaluation", "cadres.EvaluationTally", "cadres.PersonnelDecision",
            "cadres.QualificationTest", "cadres.TestParticipant", "cadres.TaskAssignment",
            "cadres.TrainingClass", "cadres.TrainingParticipant", "org.Person",
        ),
    )  # fmt: skip
