"""Vietnamese number, percentage and date formatting, and the one percentage rule.

Percentages are always computed from counts by :func:`percentage`, rounded half up.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def percentage(part: int, whole: int, places: int = 1) -> Decimal | None:
    """Return ``part / whole`` as a percentage rounded half up, or None when ``whole`` is 0."""
    if not whole:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_HALF_UP)


def vn_number(value: int | float | Decimal | None, places: int = 0) -> str:
    """Format ``1004`` as ``1.004`` and ``95.4`` (places=1) as ``95,4``."""
    if value is None:
        return "–"
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = sign + ".".join(groups)
    return f"{text},{fraction}" if fraction else text


def vn_percent(value: Decimal | float | None, places: int = 1) -> str:
    """Format a percentage value as ``95,4%``; None (no denominator) as a dash."""
    if value is None:
        return "–"
    return vn_number(value, places) + "%"


def vn_share(part: int, whole: int, places: int = 1) -> str:
    """Format ``part`` of ``whole`` as a percentage the Vietnamese way."""
    return vn_percent(percentage(part, whole, places), places)


def vn_date(value: dt.date | None) -> str:
    """Format a date as "ngày 22 tháng 11 năm 2019" (day < 10 and months 1–2 zero-padded)."""
    if value is None:
        return ""
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


def vn_short_date(value: dt.date | None) -> str:
    """Format a date as 22/11/2019."""
    return value.strftime("%d/%m/%Y") if value else ""
