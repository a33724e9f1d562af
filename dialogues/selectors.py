"""Every read of the dialogues app, scoped through ``restrict()``.

``resolution_rate`` is the article's figure (493 of 502 = 98,2 %) computed from the records;
``similar_cases`` is the duplicate suggestion, answered by the database (a GIN index on each
case's folded words) in bounded time whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Max, Min, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from longbien import deadlines, formatting, indicators
from longbien import spans as spans_
from longbien.org import scope
from longbien.org.choices import Role
from longbien.org.models import OrgUnit
from longbien.org.types import Viewer

from .choices import APART_OUTCOMES, CaseStatus, CommitmentStatus, Outcome
from .models import (
    Commitment,
    CommitmentQuerySet,
    Critique,
    Dialogue,
    DialogueIssue,
    Feedback,
    MobilisationModel,
    OpinionCase,
    OpinionCaseQuerySet,
    Reception,
    Recommendation,
    words,
)

AREA = scope.Area.DIALOGUES


def dialogue_list(user: Viewer) -> QuerySet[Dialogue]:
    return (
        Dialogue.objects.restrict(user)
        .select_related("unit")
        .annotate(
            issue_count=Count("issues", distinct=True),
            commitment_count=Count("issues__commitment", distinct=True),
        )
    )


def dialogue_issues(user: Viewer, dialogue: Dialogue) -> list[DialogueIssue]:
    return list(
        DialogueIssue.objects.restrict(user).filter(dialogue=dialogue)
        .select_related("commitment__owner_unit").prefetch_related("cases").order_by("id")
    )  # fmt: skip


@dataclass
class Promises:
    """How a dialogue's (or a unit's) commitments stand: kept on time, kept late, open, overdue."""

    total: int
    kept: int
    on_time: int
    late: int
    open: int
    overdue: int


def commitment_figures(
    rows: CommitmentQuerySet[Commitment], today: dt.date | None = None
) -> Promises:
    """The commitments of ``rows`` counted in one query, by the kernel's deadline rules."""
    today = today or timezone.localdate()
    on_time = _on_time(rows, *_deadline_bounds(rows, today))
    return _promises(rows.aggregate(**_promise_aggregates(rows, today, on_time)))


def commitment_figures_each(
    rows: CommitmentQuerySet[Commitment],
    spans: Sequence[spans_.Span],
    *,
    when: spans_.When,
    today: dt.date | None = None,
) -> list[Promises]:
    """:func:`commitment_figures` of the rows ``when`` picks for each period, overdue as of
    the period's end (or ``today`` if sooner), in two queries whatever the periods."""
    today = today or timezone.localdate()
    bounds = _deadline_bounds(rows.filter(when(*spans_.hull(spans))), today) if spans else (
        today, today
    )  # fmt: skip
    on_time = _on_time(rows, *bounds)
    found = spans_.aggregate_each(
        rows, spans, when=when,
        figures=lambda start, end: _promise_aggregates(rows, min(today, end), on_time),
    )  # fmt: skip
    return [_promises(figures) for figures in found]


def _deadline_bounds(
    rows: CommitmentQuerySet[Commitment], today: dt.date
) -> tuple[dt.date, dt.date]:
    bounds = rows.aggregate(first=Min("deadline"), last=Max("deadline"))
    return bounds["first"] or today, bounds["last"] or today


_DONE = Q(status=CommitmentStatus.DONE)  # one condition for every period (longbien.spans)


def _on_time(rows: CommitmentQuerySet[Commitment], first: dt.date, last: dt.date) -> Q:
    """Kept by the effective deadline (the rest days from the first deadline to the last)."""
    return _DONE & rows.on_time_q("completed_on", first, last)


def _promise_aggregates(
    rows: CommitmentQuerySet[Commitment], today: dt.date, on_time: Q
) -> dict[str, Any]:
    done = _DONE
    return {
        "total": Count("pk"), "kept": Count("pk", filter=done),
        "on_time": Count("pk", filter=on_time), "overdue": Count("pk", filter=rows.overdue_q(today)),
    }  # fmt: skip


def _promises(figures: dict[str, int]) -> Promises:
    return Promises(
        total=figures["total"], kept=figures["kept"], on_time=figures["on_time"],
        late=figures["kept"] - figures["on_time"], open=figures["total"] - figures["kept"],
        overdue=figures["overdue"],
    )  # fmt: skip


def commitment_list(user: Viewer) -> CommitmentQuerySet[Commitment]:
    return Commitment.objects.restrict(user).select_related("owner_unit", "issue__dialogue__unit")


def open_commitments(user: Viewer, unit: OrgUnit) -> CommitmentQuerySet[Commitment]:
    """A unit's open commitments (its subtree's), overdue first then by deadline."""
    return (
        commitment_list(user)
        .filter(owner_unit__path__startswith=unit.path)
        .open()
        .order_by("deadline", "id")
    )


# --- Cases ------------------------------------------------------------------------------------


def case_list(user: Viewer) -> OpinionCaseQuerySet[OpinionCase]:
    return OpinionCase.objects.restrict(user).select_related("unit", "assigned_unit")


def sees_citizen(user: Viewer, case: OpinionCase) -> bool:
    """The citizen's name, phone and address (personal data, Nghị định 13/2023): for the
    mass-mobilisation role over the case's unit and for the unit the case is assigned to."""
    if any(
        g.role == Role.MASS_MOBILISATION and case.unit.path.startswith(g.path)
        for g in scope.grants(user)
    ):
        return True
    return case.assigned_unit_id is not None and scope.can(
        user, AREA, scope.CHANGE, case.assigned_unit
    )


def similar_cases(
    user: Viewer, *, content: str, unit: OrgUnit, exclude: int | None = None, limit: int = 5
) -> list[OpinionCase]:
    """Open cases of the same unit (or its parent, or below it) whose words are mostly those of
    ``content``, ignoring diacritics, case and word order: the duplicate suggestion.

    The database finds the cases sharing a word through the GIN index on ``words`` and ranks
    them by how many of the typed words they share; at least half must be shared.
    """
    wanted = words(content)
    if not wanted:
        return []
    parent_path = unit.path.rsplit("/", 2)[0] + "/" if unit.parent_id else unit.path
    rows = (
        case_list(user)
        .filter(words__overlap=wanted, merged_into__isnull=True)
        .filter(Q(unit__path__startswith=unit.path) | Q(unit__path=parent_path))
        .exclude(status__in=(CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.TRANSFERRED))
    )
    if exclude:
        rows = rows.exclude(pk=exclude)
    shared = RawSQL(
        "(SELECT count(*) FROM unnest(dialogues_opinioncase.words) AS w WHERE w = ANY(%s))",
        (wanted,),
        output_field=IntegerField(),
    )
    rows = rows.annotate(shared=shared).filter(shared__gte=(len(wanted) + 1) // 2)
    return list(rows.order_by("-shared", "-received_on", "-id")[:limit])


# --- The resolution rate --------------------------------------------------------------------


@dataclass
class Rate:
    """The resolution rate of the cases due in a period: (resolved + explained) ÷ due, with the
    on-time and late counts beside it; rejected and transferred cases counted apart."""

    due: int
    resolved: int
    explained: int
    on_time: int
    late: int
    pending: int
    rejected: int
    transferred: int
    rate: Any  # a Decimal percentage, or None when no case was due

    @property
    def settled(self) -> int:
        return self.resolved + self.explained


def resolution_rate(
    user: Viewer, unit: OrgUnit, start: dt.date, end: dt.date, today: dt.date | None = None
) -> Rate:
    """The rate for the cases concerning ``unit``'s subtree due between ``start`` and ``end``.

    A case counts in the period its (last) due date falls in; merged duplicates count once,
    in the case they were merged into. Resolved or explained is settled, on time when
    answered by the effective deadline (a deadline on a rest day runs to the next working
    day), late otherwise; a case still unanswered after its deadline is late and pending.
    """
    return rate_of(case_list(user), unit, start, end, today)


def rate_of(
    rows: OpinionCaseQuerySet[OpinionCase],
    unit: OrgUnit,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> Rate:
    """The rate over ``rows`` (already scoped by the caller: a user's cases, or every case for
    an indicator) concerning ``unit``'s subtree and due between ``start`` and ``end``: the one
    definition the pages, the API and the indicators share. One query."""
    return rate_of_each(rows, unit, [(start, end)], today)[0]


def rate_of_each(
    rows: OpinionCaseQuerySet[OpinionCase],
    unit: OrgUnit,
    spans: Sequence[spans_.Span],
    today: dt.date | None = None,
) -> list[Rate]:
    """:func:`rate_of` for each period of ``spans``, in one query whatever their number."""
    counted, figures = _rate_figures(indicators.in_subtree(rows, unit), spans, today)
    found = spans_.aggregate_each(counted, spans, when=spans_.between("due_on"), figures=figures)
    return [_rate(counts) for counts in found]


def rate_of_each_branch(
    rows: OpinionCaseQuerySet[OpinionCase],
    units: Sequence[OrgUnit],
    spans: Sequence[spans_.Span],
    today: dt.date | None = None,
) -> list[list[Rate]]:
    """:func:`rate_of_each` for each of ``units`` (children of one unit, compared side by
    side), in one query whatever their number: per unit, each period's rate."""
    counted, figures = _rate_figures(rows, spans, today)
    found = spans_.aggregate_each_branch(
        counted, "unit__path", units, spans, when=spans_.between("due_on"), figures=figures
    )
    return [[_rate(counts) for counts in per_unit] for per_unit in found]


def _rate_figures(
    rows: OpinionCaseQuerySet[OpinionCase],
    spans: Sequence[spans_.Span],
    today: dt.date | None,
) -> tuple[OpinionCaseQuerySet[OpinionCase], spans_.Figures]:
    """The cases the rate counts and its figures, the same for every period (each counted
    over the period's cases)."""
    today = today or timezone.localdate()
    # Due in the period and come due by today (or already answered, rejected, transferred):
    # a case with days left is not yet counted, neither as settled nor as late.
    rows = rows.filter(Q(due_on__lte=today) | ~Q(outcome=""), merged_into__isnull=True)
    settled = Q(outcome__in=(Outcome.RESOLVED, Outcome.EXPLAINED))
    overdue_open = (
        ~settled & ~Q(outcome__in=APART_OUTCOMES) & Q(due_on__lt=deadlines.overdue_cutoff(today))
    )

    # On time by the effective deadline: the rest days of all the periods at once (a case
    # due in a period maps alike), one condition for every period.
    on_time = settled & rows.on_time_q("answered_on", *spans_.hull(spans)) if spans else Q()
    figures = {
        "counted": Count("pk", filter=~Q(outcome__in=APART_OUTCOMES)),
        "resolved": Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
        "explained": Count("pk", filter=Q(outcome=Outcome.EXPLAINED)),
        "on_time": Count("pk", filter=on_time),
        "overdue_open": Count("pk", filter=overdue_open),
        "rejected": Count("pk", filter=Q(outcome=Outcome.REJECTED)),
        "transferred": Count("pk", filter=Q(outcome=Outcome.TRANSFERRED)),
    }
    return rows, lambda start, end: figures


def _rate(figures: dict[str, int]) -> Rate:
    due = figures["counted"]
    settled_count = figures["resolved"] + figures["explained"]
    return Rate(
        due=due, resolved=figures["resolved"], explained=figures["explained"],
        on_time=figures["on_time"], late=settled_count - figures["on_time"] + figures["overdue_open"],
        pending=due - settled_count, rejected=figures["rejected"],
        transferred=figures["transferred"],
        rate=formatting.percentage(settled_count, due),
    )  # fmt: skip


# --- Around the cases: critique and supervision, feedback, reception, models --------------


def critique_list(user: Viewer) -> QuerySet[Critique]:
    """Critique conferences and thematic supervisions, with their recommendations counted
    (made, responded)."""
    return (
        Critique.objects.restrict(user)
        .select_related("unit")
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            responded_count=Count(
                "recommendations", filter=Q(recommendations__responded_on__isnull=False),
                distinct=True,
            ),
        )
    )  # fmt: skip


def critique_recommendations(user: Viewer, critique: Critique) -> list[Recommendation]:
    return list(Recommendation.objects.restrict(user).filter(critique=critique).order_by("id"))


def recommendation_list(user: Viewer) -> QuerySet[Recommendation]:
    return Recommendation.objects.restrict(user).select_related("critique__unit")


def feedback_list(user: Viewer) -> QuerySet[Feedback]:
    return Feedback.objects.restrict(user).select_related("unit")


@dataclass
class Answered:
    """How many items were received and how many of them answered."""

    received: int
    answered: int

    @property
    def waiting(self) -> int:
        return self.received - self.answered

    @property
    def share(self) -> Any:
        return formatting.percentage(self.answered, self.received)


def feedback_figures(rows: QuerySet[Feedback], as_of: dt.date | None = None) -> Answered:
    """Feedback received and answered (by ``as_of``, today if not given), in one query."""
    figures = rows.aggregate(**feedback_aggregates(as_of or timezone.localdate()))
    return Answered(received=figures["received"], answered=figures["answered"])


def feedback_aggregates(as_of: dt.date) -> dict[str, Any]:
    """What :func:`feedback_figures` counts, as aggregates (for a series of periods)."""
    return {"received": Count("pk"), "answered": Count("pk", filter=Q(responded_on__lte=as_of))}


def reception_list(user: Viewer) -> QuerySet[Reception]:
    """Citizen reception sessions with the number of cases received at each."""
    return (
        Reception.objects.restrict(user)
        .select_related("unit")
        .annotate(case_count=Count("cases", filter=Q(cases__merged_into__isnull=True)))
    )


def reception_cases(user: Viewer, reception: Reception) -> OpinionCaseQuerySet[OpinionCase]:
    """The cases received at a reception session, as far as the user may see them."""
    return case_list(user).filter(reception=reception).order_by("received_on", "id")


def model_list(user: Viewer) -> QuerySet[MobilisationModel]:
    return MobilisationModel.objects.restrict(user).select_related("unit")
