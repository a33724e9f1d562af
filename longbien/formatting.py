"""Vietnamese number, percentage and date formatting, and the one percentage rule.

Percentages are always computed from counts: one share on its own by :func:`percentage`,
rounded half up; the shares of a whole (a distribution with a total row) by :func:`shares`,
which rounds them so that they add up to exactly 100.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal


def percentage(part: int, whole: int, places: int = 1) -> Decimal | None:
    """Return ``part / whole`` as a percentage rounded half up, or None when ``whole`` is 0."""
    if not whole:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_HALF_UP)


def shares(counts: Sequence[int], places: int = 1) -> list[Decimal | None]:
    """Return each count's share of their total, rounded so that the shares sum to 100.

    Largest-remainder (Hamilton) rounding: every share is first rounded down to ``places``
    decimals, then the units still missing to reach exactly 100 go, one each, to the shares
    that lost the most in rounding down (ties: the larger count, then the earlier one). Each
    share thus differs from its exact value by less than one unit of the last place, a count
    of zero stays at 0, and a total row always reads 100 (e.g. 281, 705, 12 and 6 of 1,004
    give 28.0, 70.2, 1.2 and 0.6). With a zero total every share is None, as with
    :func:`percentage`.
    """
    if places < 0:
        raise ValueError("places must not be negative")
    if any(count < 0 for count in counts):
        raise ValueError("counts must not be negative")
    total = sum(counts)
    if not total:
        return [None] * len(counts)
    whole = 100 * 10**places  # 100 percent, counted in units of the last decimal place
    floors, remainders = [], []
    for count in counts:
        floor, remainder = divmod(count * whole, total)
        floors.append(floor)
        remainders.append(remainder)
    missing = whole - sum(floors)  # fewer than len(counts): each floor lost less than 1
    ranked = sorted(range(len(counts)), key=lambda i: (-remainders[i], -counts[i], i))
    for index in ranked[:missing]:
        floors[index] += 1
    quantum = Decimal(1).scaleb(-places)
    return [(Decimal(units) * quantum).quantize(quantum) for units in floors]


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
