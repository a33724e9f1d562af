"""What the resolutions app counts, for a unit's subtree and a period."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext_lazy as _

from longbien import indicators
from longbien import spans as spans_
from longbien.indicators import Drill, Indicator
from longbien.org.scope import Area

from .choices import BriefingKind, DocumentKind, IssuerLevel, ReviewKind
from .models import Briefing, Conference, Document, Review, Task

GROUP = _("Lãnh đạo, chỉ đạo thực hiện nghị quyết")

# The registers of the records counted (resolutions/filters.py): documents by issuing unit and
# signing date, drafts left out; leaf tasks by unit and deadline, their result as of the end.
DOCUMENTS = "resolutions:document_list"
TASKS = "resolutions:task_list"
ISSUED = ("issued", "1")
LEAF = ("leaf", "1")

# fmt: off
INDICATORS = [
    *(
        Indicator(
            f"documents.{level}.{kind}",
            f"{kind_label} ({level_label})",
            Area.RESOLUTIONS,
            GROUP,
            drill=Drill(DOCUMENTS, (ISSUED, ("level", level), ("kind", kind))),
        )
        for level, level_label in IssuerLevel.choices[1:]
        for kind, kind_label in DocumentKind.choices
    ),
    Indicator("documents.total", _("Văn bản ban hành"), Area.RESOLUTIONS, GROUP,
              drill=Drill(DOCUMENTS, (ISSUED,))),
    Indicator("tasks.total", _("Nhiệm vụ có thời hạn trong kỳ"), Area.RESOLUTIONS, GROUP,
              drill=Drill(TASKS, (LEAF,))),
    Indicator("tasks.done", _("Nhiệm vụ đã hoàn thành"), Area.RESOLUTIONS, GROUP,
              drill=Drill(TASKS, (LEAF, ("result", "done")))),
    Indicator("tasks.done_on_time", _("Nhiệm vụ hoàn thành đúng hạn"), Area.RESOLUTIONS, GROUP,
              drill=Drill(TASKS, (LEAF, ("result", "on_time")))),
    Indicator("tasks.overdue", _("Nhiệm vụ quá hạn chưa hoàn thành"), Area.RESOLUTIONS, GROUP,
              drill=Drill(TASKS, (LEAF, ("result", "overdue")))),
    Indicator(
        "tasks.on_time_share",
        _("Tỷ lệ nhiệm vụ hoàn thành đúng hạn"),
        Area.RESOLUTIONS,
        GROUP,
        "tasks.done_on_time",
        "tasks.total",
    ),
    Indicator("conferences.held", _("Hội nghị học tập, quán triệt"), Area.RESOLUTIONS, GROUP,
              drill=Drill("resolutions:conference_list")),
    Indicator("conferences.expected", _("Lượt người phải dự học tập"), Area.RESOLUTIONS, GROUP),
    Indicator("conferences.present", _("Lượt người dự học tập"), Area.RESOLUTIONS, GROUP),
    Indicator(
        "conferences.attendance",
        _("Tỷ lệ dự học tập bình quân"),
        Area.RESOLUTIONS,
        GROUP,
        "conferences.present",
        "conferences.expected",
    ),
    Indicator("conferences.learning_reports", _("Bài thu hoạch"), Area.RESOLUTIONS, GROUP),
    Indicator("briefings.held", _("Cuộc giao ban"), Area.RESOLUTIONS, GROUP),
    *(
        Indicator(f"briefings.{kind.value}", kind.label, Area.RESOLUTIONS, GROUP)
        for kind in BriefingKind
    ),
    Indicator("reviews.interim", _("Hội nghị sơ kết thực hiện văn bản"), Area.RESOLUTIONS, GROUP),
    Indicator("reviews.final", _("Hội nghị tổng kết thực hiện văn bản"), Area.RESOLUTIONS, GROUP),
]
# fmt: on


@indicators.spanned
def provide(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """Count documents issued and conferences, reviews and briefings held in ``unit``'s
    subtree over each period of ``spans``: five queries, whatever the number of periods
    (the tasks: :func:`provide_tasks`)."""
    documents = spans_.aggregate_each_by(
        indicators.in_subtree(Document.objects.exclude(status="draft"), unit, "issuing_unit"),
        spans, ("issuer_level", "kind"), when=spans_.between("signed_date"),
        figures=lambda start, end: {"n": Count("id")},
    )  # fmt: skip
    conferences = spans_.aggregate_each(
        indicators.in_subtree(Conference.objects.all(), unit), spans,
        when=spans_.between("held_on"),
        figures=lambda start, end: {
            "held": Count("id"), "expected": Sum("expected_attendees"),
            "present": Sum("present_attendees"), "reports": Sum("learning_reports"),
        },
    )  # fmt: skip
    held = {
        prefix: spans_.aggregate_each_by(
            indicators.in_subtree(model.objects.all(), unit),
            spans,
            "kind",
            when=spans_.between("held_on"),
            figures=lambda start, end: {"n": Count("id")},
        )  # fmt: skip
        for prefix, model in (("reviews", Review), ("briefings", Briefing))
    }
    found = []
    for index in range(len(spans)):
        counts: dict[str, int] = {}
        total = 0
        for (level, kind), figures in documents[index].items():
            counts[f"documents.{level}.{kind}"] = figures["n"]
            total += figures["n"]
        for level, _label in IssuerLevel.choices[1:]:
            for kind, _kind_label in DocumentKind.choices:
                counts.setdefault(f"documents.{level}.{kind}", 0)
        counts["documents.total"] = total
        figures = conferences[index]
        counts.update(
            {
                "conferences.held": figures["held"],
                "conferences.expected": figures["expected"] or 0,
                "conferences.present": figures["present"] or 0,
                "conferences.learning_reports": figures["reports"] or 0,
            }
        )
        for prefix, kinds in (("reviews", ReviewKind), ("briefings", BriefingKind)):
            for kind in kinds.values:
                counts[f"{prefix}.{kind}"] = held[prefix][index].get(kind, {}).get("n", 0)
        counts["briefings.held"] = sum(counts[f"briefings.{kind}"] for kind in BriefingKind.values)
        found.append(counts)
    return found


def _leaf_tasks() -> Any:
    # Leaf tasks only, so a task passed down to sub-units is counted once. (NOT EXISTS, an
    # anti-join the planner estimates well: a LEFT JOIN … IS NULL was estimated at one row
    # and joined to the units in a nested loop.)
    return Task.objects.filter(~Exists(Task.objects.filter(parent=OuterRef("pk"))))


def _task_indicators(figures: dict[str, int]) -> dict[str, int]:
    return {f"tasks.{key}": n for key, n in figures.items()}


@indicators.spanned
def provide_tasks(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """The tasks due in ``unit``'s subtree in each period, as of the period's end (so a past
    quarter's figures do not change when work finishes later): one query. A provider of its
    own, so that the on-time share compared across units runs only this query."""
    tasks = indicators.in_subtree(_leaf_tasks(), unit)
    return [_task_indicators(figures) for figures in tasks.due_work_each(spans)]


@indicators.branched(provide_tasks)
def provide_tasks_branches(*, units: list[Any], spans: list[spans_.Span]) -> list[list[dict]]:
    """:func:`provide_tasks` of each of ``units`` (the units compared side by side), in one
    query."""
    found = _leaf_tasks().due_work_each_branch("unit__path", units, spans)
    return [[_task_indicators(figures) for figures in per_unit] for per_unit in found]


def providers() -> list[tuple[indicators.Provider, list[Indicator], tuple[Any, ...]]]:
    """The providers in the order of their indicators, each with the models it reads: the
    tasks' counts between the documents' and the conferences'."""
    first = next(i for i, d in enumerate(INDICATORS) if d.code.startswith("tasks."))
    after = max(i for i, d in enumerate(INDICATORS) if d.code.startswith("tasks.")) + 1
    others = (Document, Conference, Review, Briefing)
    return [
        (provide, INDICATORS[:first], others),
        (provide_tasks, INDICATORS[first:after], (Task,)),
        (provide, INDICATORS[after:], others),
    ]
