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

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien import deadlines, indicators
from longbien import spans as spans_
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


@indicators.spanned
def provide(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """The compliance counts of each period of ``spans``: two queries, whatever the number of
    periods (the reports counted per quarter and per when their unit ceased, in the
    database; the periods' quarters and units picked from those counts)."""
    since = first_collected_quarter()
    today = timezone.localdate()
    due = [
        [q for q in quarters_due(start, end, today) if since and q >= since] for start, end in spans
    ]
    found = [dict.fromkeys(("expected", "sent", "on_time", "accepted"), 0) for _span in spans]
    quarters = sorted({q for quarters in due for q in quarters})
    if quarters:
        first_start = spans_.hull(spans)[0]
        units = dict(
            OrgUnit.objects.filter(path__startswith=unit.path, kind__in=reporting_kinds())
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first_start))
            .values_list("pk", "valid_to")
        )
        wanted, on_time = Q(), Q()
        for year, quarter in quarters:
            deadline = deadlines.effective_deadline(due_date(year, quarter))
            wanted |= Q(year=year, quarter=quarter)
            on_time |= Q(year=year, quarter=quarter, first_submitted_on__lte=deadline)
        sent = Q(first_submitted_on__isnull=False)
        rows = (
            QuarterlyReport.objects.filter(wanted, unit_id__in=list(units))
            .values_list("year", "quarter", "unit__valid_to")
            .annotate(
                n_sent=Count("pk", filter=sent),
                n_on_time=Count("pk", filter=on_time),
                n_accepted=Count("pk", filter=sent & Q(status=ReportStatus.ACCEPTED)),
            )
            .order_by()
        )
        for (start, _end), quarters_owed, counts in zip(spans, due, found, strict=True):
            owed = set(quarters_owed)
            valid = sum(1 for until in units.values() if until is None or until >= start)
            counts["expected"] = valid * len(owed)
            for year, quarter, until, *figures in rows:
                if (year, quarter) in owed and (until is None or until >= start):
                    for key, value in zip(("sent", "on_time", "accepted"), figures, strict=True):
                        counts[key] += value
    return [
        {f"quarterly_reports.{key}": value for key, value in counts.items()} for counts in found
    ]


def register() -> None:
    indicators.register(AREA, provide, *_definitions(), reads=("reporting.QuarterlyReport",))
