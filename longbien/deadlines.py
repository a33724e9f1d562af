"""Due dates: calendar and working days (Monday–Friday, minus public holidays)."""

from __future__ import annotations

import datetime as dt

# Fixed-date public holidays (Bộ luật Lao động 2019, Điều 112); lunar holidays are configured
# per year in EXTRA_HOLIDAYS because their solar dates move.
FIXED_HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}
EXTRA_HOLIDAYS: set[dt.date] = {
    # Tết Nguyên đán and Giỗ Tổ Hùng Vương, 2025–2027.
    *(dt.date(2025, 1, d) for d in range(27, 32)), dt.date(2025, 4, 7), dt.date(2025, 9, 1),
    *(dt.date(2026, 2, d) for d in range(16, 21)), dt.date(2026, 4, 27), dt.date(2026, 9, 1),
    *(dt.date(2027, 2, d) for d in range(5, 10)), dt.date(2027, 4, 16), dt.date(2027, 9, 1),
}  # fmt: skip


def is_working_day(day: dt.date) -> bool:
    return (
        day.weekday() < 5
        and (day.month, day.day) not in FIXED_HOLIDAYS
        and day not in EXTRA_HOLIDAYS
    )


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Return the date ``days`` working days after ``start``."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def days_overdue(due: dt.date | None, today: dt.date, done: bool = False) -> int:
    """Return how many calendar days ``due`` is past (0 when not overdue or done)."""
    if due is None or done or today <= due:
        return 0
    return (today - due).days
