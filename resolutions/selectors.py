"""Every read on documents and their implementation, narrowed to the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from longbien.deadlines import days_overdue
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.types import Viewer
from longbien.text import fold

from .models import Briefing, Conference, Document, Review, Task, TaskQuerySet, TaskUpdate


def document_list(
    *,
    user: Viewer,
    query: str = "",
    kind: str = "",
    issuer: str = "",
    year: int | None = None,
    status: str = "",
    level: str = "",
) -> QuerySet[Document]:
    documents = Document.objects.restrict(user).select_related("issuing_unit")
    if query:
        documents = documents.filter(title_folded__contains=fold(query))
    if kind:
        documents = documents.filter(kind=kind)
    if issuer:
        documents = documents.filter(
            Q(issuing_unit__code=issuer) | Q(issuer_code=issuer, issuing_unit__isnull=True)
        )
    if year:
        documents = documents.filter(year=year)
    if status:
        documents = documents.filter(status=status)
    if level:
        documents = documents.filter(issuer_level=level)
    today = timezone.localdate()
    # Count only the tasks the user may see: a ward does not learn other wards' workload.
    mine = scope.unit_q(user, scope.Area.RESOLUTIONS, scope.VIEW, "tasks__unit")
    late = mine & Task.objects.overdue_q(today, prefix="tasks__")
    return documents.annotate(
        task_count=Count("tasks", filter=mine, distinct=True),
        overdue_count=Count("tasks", filter=late, distinct=True),
    ).order_by("-signed_date", "-number", "-id")


def document_get(*, user: Viewer, pk: int) -> Document:
    return (
        Document.objects.restrict(user).select_related("issuing_unit", "superseded_by").get(pk=pk)
    )


def document_years(*, user: Viewer) -> list[int]:
    return list(
        Document.objects.restrict(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def _task_base(user: Viewer) -> TaskQuerySet[Task]:
    return Task.objects.restrict(user).select_related("document", "unit", "parent")


def task_list(
    *,
    user: Viewer,
    document: Document | None = None,
    within: OrgUnit | None = None,
    status: str = "",
    overdue: bool = False,
    due_within: int = 0,
    query: str = "",
) -> TaskQuerySet[Task]:
    """The tasks in scope; ``due_within`` keeps the open ones due within that many working days."""
    tasks = _task_base(user)
    if document is not None:
        tasks = tasks.filter(document=document)
    if within is not None:
        tasks = tasks.filter(unit__path__startswith=within.path)
    if status:
        tasks = tasks.filter(status=status)
    if overdue:
        tasks = tasks.overdue(timezone.localdate())
    if due_within:
        tasks = tasks.due_soon(timezone.localdate(), due_within)
    if query:
        tasks = tasks.filter(
            Q(title_folded__contains=fold(query)) | Q(document__title_folded__contains=fold(query))
        )
    return tasks.order_by("deadline", "id")


def task_get(*, user: Viewer, pk: int) -> Task:
    return _task_base(user).get(pk=pk)


def task_updates(*, task: Task) -> QuerySet[TaskUpdate]:
    return task.updates.select_related("reported_by").order_by("-reported_at")


def overdue_board(
    *, user: Viewer, within: OrgUnit | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Group the overdue tasks in scope by unit, the most overdue unit first."""
    today = today or timezone.localdate()
    tasks = task_list(user=user, within=within).overdue(today)
    groups: dict[int, dict[str, Any]] = {}
    for task in tasks.order_by("unit__path", "deadline"):
        group = groups.setdefault(task.unit_id, {"unit": task.unit, "tasks": [], "max_days": 0})
        task.days_late = days_overdue(task.deadline, today)
        group["tasks"].append(task)
        group["max_days"] = max(group["max_days"], task.days_late)
    return sorted(groups.values(), key=lambda g: (-len(g["tasks"]), -g["max_days"]))


def document_timeline(*, user: Viewer, document: Document) -> list[dict[str, Any]]:
    """Tasks, progress reports, reviews and conferences of a document, newest first."""
    events: list[dict[str, Any]] = []
    tasks = list(task_list(user=user, document=document))
    for task in tasks:
        events.append({"when": timezone.localdate(task.created_at), "kind": "task", "obj": task})
    for update in (
        TaskUpdate.objects.restrict(user)
        .filter(task__document=document)
        .select_related("task__unit", "reported_by")
    ):
        events.append(
            {"when": timezone.localtime(update.reported_at).date(), "kind": "update", "obj": update}
        )
    for review in Review.objects.restrict(user).filter(document=document).select_related("unit"):
        events.append({"when": review.held_on, "kind": "review", "obj": review})
    for conference in (
        Conference.objects.restrict(user).filter(document=document).select_related("unit")
    ):
        events.append({"when": conference.held_on, "kind": "conference", "obj": conference})
    return sorted(events, key=lambda e: e["when"], reverse=True)


def conference_list(
    *,
    user: Viewer,
    document: Document | None = None,
    within: OrgUnit | None = None,
    year: int | None = None,
) -> QuerySet[Conference]:
    conferences = Conference.objects.restrict(user).select_related("document", "unit")
    if document is not None:
        conferences = conferences.filter(document=document)
    if within is not None:
        conferences = conferences.filter(unit__path__startswith=within.path)
    if year:
        conferences = conferences.filter(held_on__year=year)
    return conferences.order_by("-held_on", "-id")


def conference_totals(conferences: QuerySet[Conference]) -> dict[str, int]:
    totals = conferences.aggregate(
        held=Count("id"),
        expected=Sum("expected_attendees"),
        present=Sum("present_attendees"),
        reports=Sum("learning_reports"),
    )
    return {key: value or 0 for key, value in totals.items()}


def briefing_list(*, user: Viewer, within: OrgUnit | None = None) -> QuerySet[Briefing]:
    briefings = (
        Briefing.objects.restrict(user).select_related("unit").annotate(issue_count=Count("issues"))
    )
    if within is not None:
        briefings = briefings.filter(unit__path__startswith=within.path)
    return briefings.order_by("-held_on")


def briefing_get(*, user: Viewer, pk: int) -> Briefing:
    return (
        Briefing.objects.restrict(user)
        .select_related("unit")
        .prefetch_related(
            # Only the tasks the user may see: an issue may have become tasks of other wards.
            scope.RestrictedPrefetch(
                "issues__tasks", user, queryset=Task.objects.select_related("unit")
            ),
            "issues__raised_by_unit",
        )
        .get(pk=pk)
    )
