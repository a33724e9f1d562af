"""What the quarterly reports count, for a unit's subtree and a period (the compliance of the
reporting units, as the dashboard and the term report show it).

The quarters counted are those that end within the period and whose deadline has passed by
today, from the first quarter the portal holds a report of (none are owed from before it was
used for them): each reporting unit of the subtree (valid then)
owes one report per such quarter (*expected*). Of those, *sent* were submitted at least once,
*on time* were first submitted by the effective deadline (a deadline on a rest day moves to the
next working day), *accepted* are accepted. A unit with no report row owes it all the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien import deadlines, indicators
from longbien.indicators import Indicator
from longbien.org.models import OrgUnit
from longbien.org.scope import Area

from .choices import ReportStatus
from .models import QuarterlyReport, due_date, first_collected_quarter, reporting_kinds

AREA = Area.REPORTS
GROUP = _("Báo cáo quý của cơ sở")


def _definitions() -> list[Indicator]:
    return [
        Indicator("quarterly_reports.expected", _("Báo cáo quý phải nộp (đã đến hạn)"), AREA, GROUP),
        Indicator("quarterly_reports.sent", _("Báo cáo quý đã gửi"), AREA, GROUP),
        Indicator("quarterly_reports.on_time", _("Báo cáo quý gửi đúng hạn"), AREA, GROUP),
        Indicator("quarterly_reports.accepted", _("Báo cáo quý đã được tiếp nhận"), AREA, GROUP),
        Indicator("quarterly_reports.on_time_share", _("Tỷ lệ báo cáo quý gửi đúng hạn"), AREA,
                  GROUP, "quarterly_reports.on_time", "quarterly_reports.expected"),
    ]  # fmt: skip


def quarters_due(start: dt.date, end: dt.date, as_of: dt.date) -> list[tuple[int, int]]:
    """The quarters ending within ``start``..``end`` whose deadline has passed by ``as_of``."""
    found = []
    for year in range(start.year, end.year + 1):
        for quarter in (1, 2, 3, 4):
            last_month = 3 * quarter
            last_day = (dt.date(year, last_month % 12 + 1, 1) if last_month < 12
                        else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)  # fmt: skip
            if (
                start <= last_day <= end
                and deadlines.effective_deadline(due_date(year, quarter)) < as_of
            ):
                found.append((year, quarter))
    return found


def provide(*, unit: Any, start: dt.date, end: dt.date) -> dict[str, int]:
    since = first_collected_quarter()
    due = [q for q in quarters_due(start, end, timezone.localdate()) if since and q >= since]
    counts = dict.fromkeys(("expected", "sent", "on_time", "accepted"), 0)
    if due:
        units = list(
            OrgUnit.objects.filter(path__startswith=unit.path, kind__in=reporting_kinds())
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
            .values_list("pk", flat=True)
        )
        counts["expected"] = len(units) * len(due)
        wanted = Q()
        for year, quarter in due:
            wanted |= Q(year=year, quarter=quarter)
        rows = QuarterlyReport.objects.filter(wanted, unit_id__in=units).values_list(
            "year", "quarter", "first_submitted_on", "status"
        )
        for year, quarter, sent_on, status in rows:
            if sent_on is None:
                continue
            counts["sent"] += 1
            deadline = deadlines.effective_deadline(due_date(year, quarter))
            counts["on_time"] += sent_on <= deadline
            counts["accepted"] += status == ReportStatus.ACCEPTED
    return {f"quarterly_reports.{key}": value for key, value in counts.items()}


def register() -> None:
    indicators.register(AREA, provide, *_definitions(), reads=("reporting.QuarterlyReport",))
