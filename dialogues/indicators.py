"""What the dialogues app counts, for a unit's subtree and a period.

- Dialogues held in the period (``held_on``), by level.
- Commitments made at those dialogues: kept, kept on time or late, open, overdue (as of the
  period's end, or today if sooner), by ``selectors.commitment_figures``.
- Public-opinion cases: received in the period; and the resolution rate of the cases *due*
  in the period, by the same definition as ``selectors.resolution_rate`` (merged duplicates
  count once; resolved + explained are settled, on time by the effective deadline; rejected
  and transferred counted apart). The rate is a share of counts (``formatting.percentage``):
  no case due gives no rate, not 0 %.

- Social critique conferences (Decision 217) and thematic supervisions held in the period,
  their recommendations and how many were responded to by the period's end.
- Feedback on building the Party and government (Decision 218) received in the period, and
  how many of those were answered by the period's end (or today if sooner).
- Citizen reception sessions held in the period, the citizens received, the cases opened.
- "Skilful mass mobilisation" models: a model is recognised for a year, so it counts in the
  period that holds that year's last day (a year, a six-month period ending in December, a
  fourth quarter, a term): by field and by recognition level.

The unit of a dialogue is the unit that held it; of a commitment, the unit that made it; of
a case, the unit it concerns; of everything else, the unit that recorded it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from longbien import indicators
from longbien import spans as spans_
from longbien.indicators import Drill, Indicator
from longbien.org.scope import Area

from . import selectors
from .choices import CritiqueKind, DialogueLevel, ModelField, Recognition
from .models import (
    Commitment,
    Critique,
    Dialogue,
    Feedback,
    MobilisationModel,
    OpinionCase,
    Reception,
    Recommendation,
)

AREA = Area.DIALOGUES
GROUP = _("Đối thoại với Nhân dân")
CASE_GROUP = _("Dư luận xã hội phản ánh")
FRONT_GROUP = _("Giám sát, phản biện xã hội và góp ý xây dựng Đảng")
OUTREACH_GROUP = _("Tiếp công dân và mô hình dân vận khéo")

_LEVEL_LABELS = {
    DialogueLevel.DISTRICT: _("Cuộc đối thoại cấp quận"),
    DialogueLevel.WARD: _("Cuộc đối thoại cấp phường"),
}
_COMMITMENT_LABELS = {
    "made": _("Cam kết tại đối thoại"),
    "kept": _("Cam kết đã thực hiện"),
    "on_time": _("Cam kết thực hiện đúng hạn"),
    "late": _("Cam kết thực hiện quá hạn"),
    "open": _("Cam kết đang thực hiện"),
    "overdue": _("Cam kết quá hạn chưa thực hiện"),
}
_CASE_LABELS = {
    "received": _("Vụ việc tiếp nhận trong kỳ"),
    "due": _("Vụ việc đến hạn trả lời trong kỳ"),
    "resolved": _("Vụ việc đã giải quyết"),
    "explained": _("Vụ việc đã giải thích, trả lời"),
    "settled": _("Vụ việc đã giải quyết hoặc giải thích, trả lời"),
    "on_time": _("Vụ việc trả lời đúng hạn"),
    "late": _("Vụ việc trả lời quá hạn hoặc quá hạn chưa trả lời"),
    "pending": _("Vụ việc đến hạn chưa giải quyết"),
    "rejected": _("Vụ việc không thuộc thẩm quyền (tính riêng)"),
    "transferred": _("Vụ việc chuyển cơ quan khác (tính riêng)"),
}

# The commitment register's filters for each count (dialogues.filters.dialogues).
_COMMITMENT_QUERIES: dict[str, tuple[tuple[str, str], ...]] = {
    "made": (), "kept": (("status", "done"),), "on_time": (("progress", "on_time"),),
    "late": (("progress", "late"),), "open": (("status", "open"),),
    "overdue": (("progress", "overdue"),),
}  # fmt: skip


def _definitions() -> list[Indicator]:
    found = [
        Indicator(f"dialogues.{level}", label, AREA, GROUP,
                  drill=Drill("dialogues:dialogue_list", (("level", level),)))
        for level, label in _LEVEL_LABELS.items()
    ]  # fmt: skip
    found.append(Indicator("dialogues.total", _("Cuộc đối thoại với Nhân dân"), AREA, GROUP,
                           drill=Drill("dialogues:dialogue_list")))  # fmt: skip
    found += [
        Indicator(f"dialogues.commitments.{fact}", label, AREA, GROUP,
                  drill=Drill("dialogues:commitment_list", query, unit="dialogue_unit"))
        for fact, label in _COMMITMENT_LABELS.items()
        for query in [_COMMITMENT_QUERIES[fact]]
    ]  # fmt: skip
    found.append(
        Indicator(
            "dialogues.commitments.on_time_share",
            _("Tỷ lệ cam kết thực hiện đúng hạn"),
            AREA,
            GROUP,
            "dialogues.commitments.on_time",
            "dialogues.commitments.made",
        )  # fmt: skip
    )
    found += [
        Indicator(f"opinion_cases.{fact}", label, AREA, CASE_GROUP,
                  drill=Drill("dialogues:case_list", (("duplicates", "hide"),))
                  if fact == "received" else None)
        for fact, label in _CASE_LABELS.items()
    ]  # fmt: skip
    found.append(
        Indicator(
            "opinion_cases.rate",
            _("Tỷ lệ giải quyết vụ việc dư luận phản ánh"),
            AREA,
            CASE_GROUP,
            "opinion_cases.settled",
            "opinion_cases.due",
        )  # fmt: skip
    )
    found += [
        Indicator("critiques.critique", _("Hội nghị phản biện xã hội"), AREA, FRONT_GROUP,
                  drill=Drill("dialogues:critique_list", (("kind", "critique"),))),
        Indicator("critiques.supervision", _("Cuộc giám sát chuyên đề"), AREA, FRONT_GROUP,
                  drill=Drill("dialogues:critique_list", (("kind", "supervision"),))),
        Indicator("critiques.recommendations", _("Kiến nghị sau phản biện, giám sát"), AREA,
                  FRONT_GROUP),
        Indicator("critiques.responded", _("Kiến nghị đã được phản hồi"), AREA, FRONT_GROUP),
        Indicator("critiques.responded_share", _("Tỷ lệ kiến nghị được phản hồi"), AREA,
                  FRONT_GROUP, "critiques.responded", "critiques.recommendations"),
        Indicator("feedback.received", _("Ý kiến góp ý xây dựng Đảng, chính quyền"), AREA,
                  FRONT_GROUP, drill=Drill("dialogues:feedback_list")),
        Indicator("feedback.answered", _("Ý kiến góp ý đã được trả lời"), AREA, FRONT_GROUP),
        Indicator("feedback.answered_share", _("Tỷ lệ ý kiến góp ý được trả lời"), AREA,
                  FRONT_GROUP, "feedback.answered", "feedback.received"),
        Indicator("receptions.sessions", _("Buổi tiếp công dân"), AREA, OUTREACH_GROUP,
                  drill=Drill("dialogues:reception_list")),
        Indicator("receptions.citizens", _("Lượt công dân được tiếp"), AREA, OUTREACH_GROUP),
        Indicator("receptions.cases", _("Vụ việc tiếp nhận qua tiếp công dân"), AREA,
                  OUTREACH_GROUP),
        Indicator("models.total", _("Mô hình dân vận khéo"), AREA, OUTREACH_GROUP,
                  drill=Drill("dialogues:model_list")),
    ]  # fmt: skip
    found += [
        Indicator(f"models.field.{field}", format_lazy("{}: {}", _("Mô hình dân vận khéo"),
                  field.label), AREA, OUTREACH_GROUP,
                  drill=Drill("dialogues:model_list", (("field", field.value),)))
        for field in ModelField
    ]  # fmt: skip
    found += [
        Indicator(f"models.recognition.{level}", format_lazy(
                  "{} ({})", _("Mô hình dân vận khéo được công nhận"), level.label), AREA,
                  OUTREACH_GROUP, drill=Drill("dialogues:model_list", (("recognition", level.value),)))
        for level in Recognition
    ]  # fmt: skip
    return found


def case_figures(unit: Any, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """The rate's counts for ``unit``'s subtree over every case (indicators are computed for
    the system viewer): ``selectors.rate_of``, the pages' own definition."""
    return _case_figures_each(unit, [(start, end)], today)[0]


def _case_figures_each(
    unit: Any, spans: list[spans_.Span], today: dt.date | None = None
) -> list[dict[str, int]]:
    return [
        _rate_counts(rate)
        for rate in selectors.rate_of_each(OpinionCase.objects.all(), unit, spans, today)
    ]


def _rate_counts(rate: selectors.Rate) -> dict[str, int]:
    return {
        "due": rate.due, "resolved": rate.resolved, "explained": rate.explained,
        "settled": rate.settled, "on_time": rate.on_time, "late": rate.late,
        "pending": rate.pending, "rejected": rate.rejected, "transferred": rate.transferred,
    }  # fmt: skip


@indicators.spanned
def provide(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """The dialogues' figures of each period of ``spans``: eleven queries, whatever the number
    of periods."""
    today = timezone.localdate()
    held = spans_.aggregate_each_by(
        indicators.in_subtree(Dialogue.objects.all(), unit), spans, "level",
        when=spans_.between("held_on"),
        figures=lambda start, end: {"n": Count("id")},
    )  # fmt: skip
    promises = selectors.commitment_figures_each(
        indicators.in_subtree(Commitment.objects.all(), unit, "issue__dialogue__unit"), spans,
        when=spans_.between("issue__dialogue__held_on"), today=today,
    )  # fmt: skip
    received = spans_.aggregate_each(
        indicators.in_subtree(OpinionCase.objects.filter(merged_into__isnull=True), unit),
        spans, when=spans_.between("received_on"),
        figures=lambda start, end: {"n": Count("pk")},
    )  # fmt: skip
    around = _around_the_cases(unit, spans, today)
    found = []
    for index, (by_level, figures) in enumerate(zip(held, promises, strict=True)):
        counts = {
            f"dialogues.{level}": by_level.get(level, {}).get("n", 0)
            for level in DialogueLevel.values
        }
        counts["dialogues.total"] = sum(counts.values())
        counts.update(
            {
                "dialogues.commitments.made": figures.total,
                "dialogues.commitments.kept": figures.kept,
                "dialogues.commitments.on_time": figures.on_time,
                "dialogues.commitments.late": figures.late,
                "dialogues.commitments.open": figures.open,
                "dialogues.commitments.overdue": figures.overdue,
            }
        )
        counts["opinion_cases.received"] = received[index]["n"]
        counts.update(around[index])
        found.append(counts)
    return found


@indicators.spanned
def provide_cases(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """The resolution rate's counts: a provider of its own, so that a rate asked for many
    periods or units (the term report's series, the dashboard's comparison) runs only its
    one query, and is kept apart from the dialogues' other records."""
    return [_case_indicators(figures) for figures in _case_figures_each(unit, spans)]


@indicators.branched(provide_cases)
def provide_cases_branches(*, units: list[Any], spans: list[spans_.Span]) -> list[list[dict]]:
    """:func:`provide_cases` of each of ``units`` (the units compared side by side), in one
    query."""
    found = selectors.rate_of_each_branch(OpinionCase.objects.all(), units, spans)
    return [[_case_indicators(_rate_counts(rate)) for rate in per_unit] for per_unit in found]


def _case_indicators(figures: dict[str, int]) -> dict[str, int]:
    return {f"opinion_cases.{fact}": value for fact, value in figures.items()}


def _years_ending_in(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The years whose last day falls in the period (an empty range when none does)."""
    last = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    return start.year, last


def _around_the_cases(unit: Any, spans: list[spans_.Span], today: dt.date) -> list[dict[str, int]]:
    held = spans_.aggregate_each_by(
        indicators.in_subtree(Critique.objects.all(), unit), spans, "kind",
        when=spans_.between("held_on"),
        figures=lambda start, end: {"n": Count("id")},
    )  # fmt: skip
    made = spans_.aggregate_each(
        indicators.in_subtree(Recommendation.objects.all(), unit, "critique__unit"), spans,
        when=spans_.between("critique__held_on"),
        figures=lambda start, end: {
            "made": Count("pk"), "responded": Count("pk", filter=Q(responded_on__lte=min(today, end))),
        },
    )  # fmt: skip
    feedback = spans_.aggregate_each(
        indicators.in_subtree(Feedback.objects.all(), unit), spans,
        when=spans_.between("received_on"),
        figures=lambda start, end: selectors.feedback_aggregates(min(today, end)),
    )  # fmt: skip
    sessions = spans_.aggregate_each(
        indicators.in_subtree(Reception.objects.all(), unit), spans,
        when=spans_.between("held_on"),
        figures=lambda start, end: {"sessions": Count("pk"), "citizens": Sum("citizens")},
    )  # fmt: skip
    reception_cases = spans_.aggregate_each(
        indicators.in_subtree(
            OpinionCase.objects.filter(merged_into__isnull=True), unit, "reception__unit"
        ), spans, when=spans_.between("reception__held_on"),
        figures=lambda start, end: {"n": Count("pk")},
    )  # fmt: skip
    models = spans_.aggregate_each_by(
        indicators.in_subtree(MobilisationModel.objects.all(), unit), spans, ("field", "recognition"),
        when=lambda start, end: Q(year__range=_years_ending_in(start, end)),
        figures=lambda start, end: {"n": Count("id")},
    )  # fmt: skip
    found = []
    for index in range(len(spans)):
        counts = {f"critiques.{kind}": held[index].get(kind, {}).get("n", 0)
                  for kind in CritiqueKind.values}  # fmt: skip
        counts["critiques.recommendations"] = made[index]["made"]
        counts["critiques.responded"] = made[index]["responded"]
        counts["feedback.received"] = feedback[index]["received"]
        counts["feedback.answered"] = feedback[index]["answered"]
        counts["receptions.sessions"] = sessions[index]["sessions"]
        counts["receptions.citizens"] = sessions[index]["citizens"] or 0
        counts["receptions.cases"] = reception_cases[index]["n"]
        counts["models.total"] = 0
        for name in ModelField.values:
            counts[f"models.field.{name}"] = 0
        for name in Recognition.values:
            counts[f"models.recognition.{name}"] = 0
        for (field, recognition), figures in models[index].items():
            counts["models.total"] += figures["n"]
            counts[f"models.field.{field}"] += figures["n"]
            counts[f"models.recognition.{recognition}"] += figures["n"]
        found.append(counts)
    return found


def register() -> None:
    reads = (
        "dialogues.Dialogue", "dialogues.DialogueIssue", "dialogues.Commitment",
        "dialogues.OpinionCase", "dialogues.Critique", "dialogues.Recommendation",
        "dialogues.Feedback", "dialogues.Reception", "dialogues.MobilisationModel",
    )  # fmt: skip
    # In the definitions' order (the order pages list them in), each with its provider: the
    # cases received with the dialogues' other counts, the rate's counts on their own.
    definitions = _definitions()
    first_case = next(
        i for i, d in enumerate(definitions)
        if d.code.startswith("opinion_cases.") and d.code != "opinion_cases.received"
    )  # fmt: skip
    after_cases = next(
        i for i, d in enumerate(definitions)
        if i > first_case and not d.code.startswith("opinion_cases.")
    )  # fmt: skip
    indicators.register(AREA, provide, *definitions[:first_case], reads=reads)
    indicators.register(
        AREA, provide_cases, *definitions[first_case:after_cases], reads=("dialogues.OpinionCase",)
    )
    indicators.register(AREA, provide, *definitions[after_cases:], reads=reads)
