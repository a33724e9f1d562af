"""Periods the work is counted in: term, year, quarter, month."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def year(value: int) -> Period:
    return Period(dt.date(value, 1, 1), dt.date(value, 12, 31), _("Năm %(year)s") % {"year": value})


def quarter(value: int, number: int) -> Period:
    if number not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1..4")
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    return Period(
        dt.date(value, first_month, 1),
        dt.date(value, last_month, calendar.monthrange(value, last_month)[1]),
        _("Quý %(quarter)s năm %(year)s")
        % {"quarter": ["I", "II", "III", "IV"][number - 1], "year": value},
    )


def month(value: int, number: int) -> Period:
    return Period(
        dt.date(value, number, 1),
        dt.date(value, number, calendar.monthrange(value, number)[1]),
        _("Tháng %(month)s/%(year)s") % {"month": number, "year": value},
    )


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def term_period(term: object) -> Period:
    return Period(term.start_date, term.end_date, str(term))  # type: ignore[attr-defined]
