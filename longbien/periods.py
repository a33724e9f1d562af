"""Periods the work is counted in: term, year, six months, quarter, month.

Every view and indicator that takes a period reads it here: :func:`from_query` turns a
page's query (``term``, ``year``, ``half``, ``quarter``, ``month``) into a :class:`Period`,
refusing an invalid value with a Vietnamese message instead of falling back silently (a
form would otherwise act on another period than the one typed).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    term: Any = None  # the term, when the period is one

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


def half(value: int, number: int) -> Period:
    if number not in (1, 2):
        raise ValueError("half must be 1 or 2")
    first, last = (1, 6) if number == 1 else (7, 12)
    return Period(
        dt.date(value, first, 1),
        dt.date(value, last, calendar.monthrange(value, last)[1]),
        _("%(half)s tháng %(which)s năm %(year)s")
        % {"half": 6, "which": _("đầu") if number == 1 else _("cuối"), "year": value},
    )


def term_period(term: Any) -> Period:
    return Period(term.start_date, term.end_date, str(term), term)


def _number(query: Mapping[str, Any], name: str, low: int, high: int, message: str) -> int | None:
    raw = str(query.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValidationError({name: message % {"value": raw}}, code="invalid_period")
    return value


def from_query(
    query: Mapping[str, Any], *, terms: Mapping[str, Any] | None = None, default: str = "year"
) -> Period:
    """Read a period from a page's query: a term's code, or a year with a half, quarter or month.

    Nothing given: this year (``default="year"``) or this month (``default="month"``). An
    invalid value raises ``ValidationError`` keyed by the parameter, in Vietnamese.
    """
    code = str(query.get("term") or "").strip()
    if code:
        term = (terms or {}).get(code)
        if term is None:
            raise ValidationError(
                {"term": _("Không có nhiệm kỳ “%(value)s”.") % {"value": code}},
                code="invalid_period",
            )
        return term_period(term)
    today = timezone.localdate()
    numbers: dict[str, int | None] = {}
    errors: dict[str, list[str]] = {}
    for name, low, high, message in (
        ("year", FIRST_YEAR, LAST_YEAR, _("Năm “%(value)s” không hợp lệ: chọn từ 2000 đến 2100.")),
        ("month", 1, 12, _("Tháng “%(value)s” không hợp lệ: chọn từ 1 đến 12.")),
        ("quarter", 1, 4, _("Quý “%(value)s” không hợp lệ: chọn từ 1 đến 4.")),
        ("half", 1, 2, _("“%(value)s” không hợp lệ: chọn 6 tháng đầu (1) hoặc cuối (2).")),
    ):  # fmt: skip
        try:
            numbers[name] = _number(query, name, low, high, message)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors, code="invalid_period")
    the_year, number_month = numbers["year"], numbers["month"]
    number_quarter, number_half = numbers["quarter"], numbers["half"]
    if number_month is not None:
        return month(the_year or today.year, number_month)
    if number_quarter is not None:
        return quarter(the_year or today.year, number_quarter)
    if number_half is not None:
        return half(the_year or today.year, number_half)
    if the_year is not None:
        return year(the_year)
    return month(today.year, today.month) if default == "month" else year(today.year)


def numbers_from_query(
    query: Mapping[str, Any], *names: str, defaults: Mapping[str, int] | None = None
) -> tuple[dict[str, int | None], list[str]]:
    """Read a page's year/month/quarter/half filters: their values, and the errors to show.

    A filter left empty takes its default (or None); an invalid one is reported, in
    Vietnamese, and takes its default too, so a list page still shows, with the message.
    """
    defaults = defaults or {}
    given = {name: str(query.get(name) or "").strip() for name in names}
    try:
        from_query({name: value for name, value in given.items() if value})
    except ValidationError as error:
        messages = error.message_dict
    else:
        messages = {}
    values: dict[str, int | None] = {}
    for name in names:
        if given[name] and name not in messages:
            values[name] = int(given[name])
        else:
            values[name] = defaults.get(name)
    return values, [m for name in names for m in messages.get(name, [])]
