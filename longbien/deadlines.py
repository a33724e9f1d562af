"""Deadlines: the one calendar of working days, the effective deadline and what is overdue.

**Working days.** Monday to Friday, minus Vietnam's public holidays as the ``holidays``
package computes them for any year (Tết Nguyên đán and Giỗ Tổ Hùng Vương from the lunar
calendar, the days off in lieu and the Saturdays worked in exchange it knows of), corrected by
the days staff record as data (:class:`longbien.core.models.CalendarDay`): an extra day off
announced for a year, or a swapped working day (a Saturday worked). A recorded day always wins.

**Effective deadline.** A deadline that falls on a rest day runs to the end of the next working
day (Bộ luật Dân sự 2015, Điều 148, khoản 5).

**Overdue.** An item not done is overdue on ``today`` when its effective deadline is before
``today``; on the day of the effective deadline itself it is still on time.

**Days overdue** are the calendar days elapsed since the end of the effective deadline: the first
day after the effective deadline is day 1. A task due Saturday (effective deadline Monday) is not
overdue on Monday and is 1 day overdue on Tuesday; a task due Friday is 3 days overdue on Monday.

Queries use :class:`DueDateQuerySetMixin`: because the effective deadline only moves a date
forwards to the next working day, the due dates overdue on ``today`` are exactly those before
:func:`overdue_cutoff` (the day after the last working day before ``today``), so the SQL stays a
plain, indexed ``deadline < cutoff``.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import DateField, F, Func, Q

ONE_DAY = dt.timedelta(days=1)
# Longest run of consecutive rest days tolerated before the calendar is declared broken (Tết
# with its weekends is about nine days).
_MAX_REST_RUN = 60
# How long the days recorded as data are kept in a process at most, whatever else happens (a
# net under the version stamp below, for a row changed by hand in SQL).
DATA_TTL_SECONDS = 60.0
# The shared cache's key for the recorded days' version: bumped by every change (saved or
# deleted through the ORM: the services, the admin, an import), read once per request or task.
VERSION_KEY = "longbien:deadlines:recorded-days"


@functools.cache
def _vietnam(year: int) -> Any:
    """Return the package's Vietnam calendar for ``year`` and the next (derived, cached)."""
    import holidays  # loaded on first use: its calendars are large, most requests need none

    # The next year's calendar too: a Saturday worked in late December may pay for a day off
    # in the next year's Tết, and the package lists it with that year.
    return holidays.country_holidays("VN", years=(year, year + 1), language="vi")


@functools.cache
def _national(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Return the public holidays and the weekend days worked in ``year``."""
    calendar = _vietnam(year)
    rest = frozenset(day for day in calendar if day.year == year)
    worked = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return rest, worked


class _RecordedDays:
    """The days recorded as data (date → is a working day), and each year's rest days.

    Kept in the process and read again only when they changed: every request and Celery task
    starts by comparing a version stamp in the shared cache (Redis: no database query) with
    the one they were read at; a change anywhere (:func:`changed`, connected to the model's
    saves and deletes) bumps the stamp, and clears this process's copy at once. At most
    :data:`DATA_TTL_SECONDS` old in any case.
    """

    def __init__(self) -> None:
        self._days: dict[dt.date, bool] | None = None
        self._rest: dict[int, list[dt.date]] = {}
        self._moved: dict[tuple[dt.date, ...], dict[int, list[dt.date]]] = {}
        self._loaded_at = 0.0
        self._version: Any = None
        self._checked = False
        self._pending = False  # changed in a transaction not yet committed
        self._lock = threading.Lock()

    def get(self) -> dict[dt.date, bool]:
        days, now = self._days, time.monotonic()
        if days is not None and not self._checked:
            self._checked = True
            if _shared_version() != self._version:
                days = None
        if days is None or now - self._loaded_at > DATA_TTL_SECONDS:
            # The models modules import this one (due-date querysets): a real cycle.
            from longbien.core.models import CalendarDay

            version = _shared_version()  # before the rows: a change in between reads again
            days = {
                day: kind == CalendarDay.Kind.WORKING_DAY
                for day, kind in CalendarDay.objects.values_list("date", "kind")
            }
            with self._lock:
                self._days, self._rest, self._loaded_at = days, {}, now
                self._moved = {}
                self._version, self._checked = version, True
        return days

    def rest_of_year(self, year: int) -> list[dt.date]:
        """The rest days of ``year``, sorted (worked out once per read of the recorded days)."""
        self.get()
        found = self._rest.get(year)
        if found is None:
            first = dt.date(year, 1, 1)
            days = (
                first + dt.timedelta(days=n)
                for n in range((dt.date(year, 12, 31) - first).days + 1)
            )
            found = [day for day in days if not is_working_day(day)]
            self._rest[year] = found
        return found

    def moved(self, rest: tuple[dt.date, ...]) -> dict[int, list[dt.date]]:
        """``rest`` (sorted rest days) grouped by how many days each moves a deadline
        (:class:`EffectiveDeadline`), worked out once per read of the recorded days: a
        dashboard asks it of the same term's rest days for each of its deadline figures."""
        self.get()
        found = self._moved.get(rest)
        if found is None:
            found = {}
            for day, effective in zip(rest, effective_deadlines(list(rest)), strict=True):
                found.setdefault((effective - day).days, []).append(day)
            self._moved[rest] = found
        return found

    def recheck(self, *args: Any, **kwargs: Any) -> None:
        """Compare the version stamp again before the next use (a request or a task starts).

        A change made here in a transaction that then rolled back (no commit came) is
        forgotten too: the days read meanwhile may hold it.
        """
        from django.db import connection

        self._checked = False
        if self._pending and not connection.in_atomic_block:
            self._pending = False
            self.clear()

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget the recorded days in this process."""
        with self._lock:
            self._days, self._rest, self._moved = None, {}, {}

    def changed(self, *args: Any, **kwargs: Any) -> None:
        """A recorded day was saved or deleted: forget them here, and in every other process
        (a new version stamp now, and again once the transaction commits: a process that
        read in between reads again)."""
        from django.db import transaction

        self._pending = True
        self.clear()
        _bump_shared_version()
        transaction.on_commit(self._committed)

    def _committed(self) -> None:
        self._pending = False
        self.clear()
        _bump_shared_version()


def _shared_version() -> Any:
    from django.core.cache import cache

    try:
        return cache.get(VERSION_KEY)
    except Exception:  # noqa: BLE001 - the cache down: read the days (a query) rather than fail
        return object()


def _bump_shared_version() -> None:
    import uuid

    from django.core.cache import cache

    # The cache down: the other processes read the days on every request while it is down
    # (their version check fails), and within DATA_TTL_SECONDS in any case.
    with contextlib.suppress(Exception):
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


recorded_days = _RecordedDays()


def rest_day_name(day: dt.date) -> str:
    """Return the public holiday's Vietnamese name, or "" (for the calendar page)."""
    return _vietnam(day.year).get(day, "")


def public_holidays(year: int) -> list[dt.date]:
    """Return the national calendar's days off in ``year`` (holidays and days in lieu)."""
    return sorted(_national(year)[0])


def worked_weekends(year: int) -> list[dt.date]:
    """Return the weekend days the national calendar has people work in ``year``."""
    return sorted(_national(year)[1])


def is_working_day(day: dt.date) -> bool:
    recorded = recorded_days.get().get(day)
    if recorded is not None:
        return recorded
    rest, worked = _national(day.year)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in rest


def next_working_day(day: dt.date) -> dt.date:
    """Return ``day`` itself when it is a working day, else the first working day after it."""
    for _step in range(_MAX_REST_RUN):
        if is_working_day(day):
            return day
        day += ONE_DAY
    raise ValueError(f"no working day within {_MAX_REST_RUN} days of {day}")


def previous_working_day(day: dt.date) -> dt.date:
    """Return the last working day strictly before ``day``."""
    for _step in range(_MAX_REST_RUN):
        day -= ONE_DAY
        if is_working_day(day):
            return day
    raise ValueError(f"no working day within {_MAX_REST_RUN} days before {day}")


def effective_deadline(due: dt.date) -> dt.date:
    """A deadline on a rest day runs to the end of the next working day (BLDS 2015, Điều 148)."""
    return next_working_day(due)


def rest_days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the rest days from ``start`` to ``end`` inclusive, sorted."""
    found: list[dt.date] = []
    for year in range(start.year, end.year + 1):
        days = recorded_days.rest_of_year(year)
        found += days[bisect.bisect_left(days, start) : bisect.bisect_right(days, end)]
    return found


def effective_deadlines(rest: list[dt.date]) -> list[dt.date]:
    """:func:`effective_deadline` of each of ``rest`` (sorted rest days) in one backward pass:
    a rest day followed by another runs to the same working day as the next one."""
    found: list[dt.date] = list(rest)
    for index in range(len(rest) - 1, -1, -1):
        following = rest[index] + ONE_DAY
        if index + 1 < len(rest) and rest[index + 1] == following:
            found[index] = found[index + 1]
        else:
            found[index] = next_working_day(following)
    return found


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Return the date ``days`` working days after ``start`` (``start`` itself not counted)."""
    current = start
    for _counted in range(days):
        current = next_working_day(current + ONE_DAY)
    return current


def overdue_cutoff(today: dt.date) -> dt.date:
    """Return the first due date that is *not* overdue on ``today``.

    Overdue means ``effective_deadline(due) < today``. Every due date up to the last working
    day before ``today`` has its effective deadline on or before that day; every later due date
    is ``today`` or a rest day between that working day and ``today``, whose effective deadline is
    ``today`` or later. So ``due`` is overdue exactly when ``due < overdue_cutoff(today)``.
    """
    return previous_working_day(today) + ONE_DAY


def is_overdue(due: dt.date | None, today: dt.date, done: bool = False) -> bool:
    return due is not None and not done and effective_deadline(due) < today


def days_overdue(due: dt.date | None, today: dt.date, done: bool = False) -> int:
    """Return the calendar days since the end of the effective deadline (0 when on time)."""
    if due is None or not is_overdue(due, today, done):
        return 0
    return (today - effective_deadline(due)).days


def _array_literal(days: list[dt.date]) -> str:
    """``days`` as one PostgreSQL array literal ('{2020-01-04,…}'): one string for the driver
    to quote instead of a date to adapt per day (a term's rest days, in each of a
    dashboard's hundreds of clauses, took the driver a tenth of a second)."""
    return "{" + ",".join(day.isoformat() for day in days) + "}"


class EffectiveDeadline(Func):
    """A date column's effective deadline: the next working day when it falls on one of
    ``rest`` (rest days), the date itself otherwise (NULL stays NULL).

    The rest days are grouped by how many days they move a deadline (a Saturday 2, a Sunday
    1, Tết up to 9: about ten groups over any range), one array parameter each: ``CASE WHEN
    column = ANY(%s::date[]) THEN column + 2 WHEN … ELSE column END``. A constant array's
    ``= ANY`` is a hash lookup in PostgreSQL, so a term's hundreds of rest days cost each row a
    few probes (an ``array_position`` over them made a scan of 22.000 cases take 120 ms
    instead of 25) and the ORM nothing (a branch per day took half a second to build).
    """

    output_field = DateField()

    def __init__(self, expression: Any, rest: Sequence[dt.date]) -> None:
        super().__init__(expression)
        self.rest = sorted(rest)
        self.moved = recorded_days.moved(tuple(self.rest))
        # Written once (copies of the expression share it): a condition with a term's rest
        # days is compiled once per period of a dashboard.
        self.literals = {days: _array_literal(rest) for days, rest in self.moved.items()}

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        if not self.moved:
            return column, list(params)
        branches, found = [], []
        for days in sorted(self.moved):
            branches.append(f"WHEN {column} = ANY(%s::date[]) THEN {column} + {int(days)}")
            found += [*params, self.literals[days], *params]
        return f"(CASE {' '.join(branches)} ELSE {column} END)", [*found, *params]


class DueDateQuerySetMixin:
    """The one definition of open, overdue and due-soon records, for a QuerySet class.

    A model's queryset sets ``due_field`` and says what "done" is in :meth:`done_q`; every
    page, indicator, export and reminder then asks :meth:`open`, :meth:`overdue`,
    :meth:`overdue_q` (inside an aggregate or across a relation) and :meth:`due_soon`.
    """

    due_field = "deadline"

    def done_q(self, prefix: str = "") -> Q:
        """Rows that are finished (``prefix`` reaches the model across a relation)."""
        raise NotImplementedError

    def open(self) -> Any:
        return self.exclude(self.done_q())  # type: ignore[attr-defined]

    def overdue_q(self, day: dt.date, prefix: str = "", done: Q | None = None) -> Q:
        """Rows overdue on ``day``; ``done`` replaces what "done" means (as of a past day)."""
        finished = self.done_q(prefix) if done is None else done
        return Q(**{f"{prefix}{self.due_field}__lt": overdue_cutoff(day)}) & ~finished

    def overdue(self, day: dt.date) -> Any:
        """Open rows whose effective deadline is before ``day``."""
        return self.open().filter(**{f"{self.due_field}__lt": overdue_cutoff(day)})

    def on_time_q(self, completed_field: str, start: dt.date, end: dt.date) -> Q:
        """Rows due between ``start`` and ``end`` finished by their effective deadline.

        ``completed <= deadline`` except for deadlines on a rest day, which map to their
        effective deadline (:class:`EffectiveDeadline`: the range's rest days and their
        effective deadlines as two array parameters, whatever their number).
        """
        due = self.due_field
        rest = rest_days_between(start, end)
        by_the_day = Q(**{f"{completed_field}__lte": F(due)})
        if not rest:
            return by_the_day
        # Finished by the deadline itself, or else by its effective deadline (never earlier):
        # PostgreSQL stops at the first, so most rows never look their deadline up among the
        # rest days (the lookup was a third of a city-wide count of 100.000 tasks).
        # A tuple: the expression's identity (hashed when conditions are compared) is then
        # one C-level hash, not a Python walk over hundreds of dates.
        return by_the_day | Q(**{f"{completed_field}__lte": EffectiveDeadline(F(due), tuple(rest))})

    def due_work_each(
        self, spans: Sequence[tuple[dt.date, dt.date]], completed_field: str = "completed_on"
    ) -> list[dict[str, int]]:
        """The rows due in each period, as of the period's end (or today, if sooner): ``total``,
        ``done`` by then, ``done_on_time`` (by the effective deadline), ``overdue`` then (as
        the overdue boards say it, "done" as of then). One query for all the periods
        (:mod:`longbien.spans`); the figures of the tasks and of the follow-ups."""
        from longbien import spans as spans_

        return spans_.aggregate_each(
            self,  # type: ignore[arg-type]
            spans,
            when=spans_.between(self.due_field),
            figures=self._due_work_figures(spans, completed_field),
        )

    def due_work_each_branch(
        self,
        path_field: str,
        units: Sequence[Any],
        spans: Sequence[tuple[dt.date, dt.date]],
        completed_field: str = "completed_on",
    ) -> list[list[dict[str, int]]]:
        """:meth:`due_work_each` of each of ``units`` (children of one unit, their subtrees
        told by ``path_field``), in one query: per unit, each period's figures."""
        from longbien import spans as spans_

        return spans_.aggregate_each_branch(
            self,  # type: ignore[arg-type]
            path_field,
            units,
            spans,
            when=spans_.between(self.due_field),
            figures=self._due_work_figures(spans, completed_field),
        )

    def _due_work_figures(
        self, spans: Sequence[tuple[dt.date, dt.date]], completed_field: str
    ) -> Callable[[dt.date, dt.date], dict[str, Any]]:
        from django.db.models import Count
        from django.utils import timezone

        from longbien import spans as spans_

        today = timezone.localdate()
        # The rest days of all the periods: one on-time condition for every period.
        by_deadline = self.on_time_q(completed_field, *spans_.hull(spans)) if spans else Q()

        def figures(start: dt.date, end: dt.date) -> dict[str, Any]:
            as_of = min(today, end)
            done_by_then = self.done_q() & Q(**{f"{completed_field}__lte": as_of})
            return {
                "total": Count("pk"),
                "done": Count("pk", filter=done_by_then),
                "done_on_time": Count("pk", filter=done_by_then & by_deadline),
                "overdue": Count("pk", filter=self.overdue_q(as_of, done=done_by_then)),
            }

        return figures

    def due_soon(self, day: dt.date, working_days: int) -> Any:
        """Open rows not overdue on ``day`` whose deadline is at most ``working_days`` ahead.

        A deadline on a rest day counts from its effective deadline: its effective deadline
        is within the window exactly when the deadline itself is (the window ends on a
        working day).
        """
        return self.open().filter(
            **{
                f"{self.due_field}__gte": overdue_cutoff(day),
                f"{self.due_field}__lte": add_working_days(day, working_days),
            }
        )
