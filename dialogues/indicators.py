"""What the dialogues app counts, for a unit's subtree and a period.

- Dialogues held in the period (``held_on``), by level.
- Commitments made at those dialogues: kept, kept on time or late, open, overdue (as of the
  period's end, or today if sooner), by ``selectors.commitment_figures``.
- Public-opinion cases: received in the period; and the resolution rate of the cases *due*
  in the period, by the same definition as ``selectors.resolution_rate`` (merged duplicates
  count once; resolved + explained are settled, on time by the effective deadline; rejected
  and transferred counted apart). The rate is a share of counts (``formatting.percentage``):
  no case due gives no rate, not 0 %.

The unit of a dialogue is the unit that held it; of a commitment, the unit that made it; of
a case, the unit it concerns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien import indicators
from longbien.indicators import Indicator
from longbien.org.scope import Area

from . import selectors
from .choices import DialogueLevel
from .models import Commitment, Dialogue, OpinionCase

AREA = Area.DIALOGUES
GROUP = _("Đối thoại với Nhân dân")
CASE_GROUP = _("Dư luận xã hội phản ánh")

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


def _definitions() -> list[Indicator]:
    found = [
        Indicator(f"dialogues.{level}", label, AREA, GROUP)
        for level, label in _LEVEL_LABELS.items()
    ]
    found.append(Indicator("dialogues.total", _("Cuộc đối thoại với Nhân dân"), AREA, GROUP))
    found += [
        Indicator(f"dialogues.commitments.{fact}", label, AREA, GROUP)
        for fact, label in _COMMITMENT_LABELS.items()
    ]
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
        Indicator(f"opinion_cases.{fact}", label, AREA, CASE_GROUP)
        for fact, label in _CASE_LABELS.items()
    ]
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
    return found


def case_figures(unit: Any, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """The rate's counts for ``unit``'s subtree over every case (indicators are computed for
    the system viewer): ``selectors.rate_of``, the pages' own definition."""
    rate = selectors.rate_of(OpinionCase.objects.all(), unit, start, end, today)
    return {
        "due": rate.due, "resolved": rate.resolved, "explained": rate.explained,
        "settled": rate.settled, "on_time": rate.on_time, "late": rate.late,
        "pending": rate.pending, "rejected": rate.rejected, "transferred": rate.transferred,
    }  # fmt: skip


def provide(*, unit: Any, start: dt.date, end: dt.date) -> dict[str, int]:
    counts: dict[str, int] = {f"dialogues.{level}": 0 for level in DialogueLevel.values}
    held = Dialogue.objects.filter(unit__path__startswith=unit.path, held_on__range=(start, end))
    for row in held.values("level").annotate(n=Count("id")):
        counts[f"dialogues.{row['level']}"] = row["n"]
    counts["dialogues.total"] = sum(counts.values())

    as_of = min(timezone.localdate(), end)
    promises = Commitment.objects.filter(
        issue__dialogue__unit__path__startswith=unit.path,
        issue__dialogue__held_on__range=(start, end),
    )
    figures = selectors.commitment_figures(promises, today=as_of)
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

    counts["opinion_cases.received"] = OpinionCase.objects.filter(
        unit__path__startswith=unit.path, merged_into__isnull=True,
        received_on__range=(start, end),
    ).count()  # fmt: skip
    for fact, value in case_figures(unit, start, end).items():
        counts[f"opinion_cases.{fact}"] = value
    return counts


def register() -> None:
    indicators.register(AREA, provide, *_definitions())
