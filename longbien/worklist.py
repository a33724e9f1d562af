"""The work list: what waits for a user, gathered from every app for the home page.

The kernel knows no domain app. Each app registers a *provider* here (in its ``ready()``):
a function ``provider(*, user, unit, today, limit, watch, keys)`` that returns the
:class:`Section` s of work waiting for ``user`` that ``keys.wants`` (tasks overdue or due
soon, evaluations to write, rate or approve; follow-ups and cases). A provider reads
through its app's selectors, so every count is inside the user's scope, narrowed to
``unit``'s subtree when the header's unit picker names one, exactly as the register the
section links to narrows it: the count on the home page is the count of the register the
user lands on.

A provider runs a fixed number of queries whatever the rows (a count and the first
``limit`` rows per section), so the home page stays fast with any amount of work; a section
not asked for (a dashboard shows four of them) runs none.

Apps also name their *key figures* (:func:`register_key_figures`): the indicator codes the
home page shows leadership for the current year, computed by :func:`longbien.indicators.collect`
for the viewer (until the dashboard exists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import ngettext

from . import indicators, periods
from .deadlines import days_overdue
from .org import scope
from .org.models import OrgUnit

# provider(*, user, unit, today, limit, watch, keys) -> iterable of Section
Provider = Callable[..., Iterable["Section"]]


class Keys:
    """The sections asked for: every one (``None``, the home page) or those named (a
    dashboard's exception lists). A provider asks :meth:`wants` before it counts a section,
    so a section nobody shows costs no query."""

    def __init__(self, keys: Iterable[str] | None = None) -> None:
        self.keys = None if keys is None else frozenset(keys)

    def wants(self, key: str) -> bool:
        return self.keys is None or key in self.keys


ALL = Keys()


@dataclass(frozen=True)
class Entry:
    """One piece of work: a record to open and act on."""

    title: str
    url: str
    detail: str = ""  # where it belongs: unit, document, month
    badge: str = ""  # "Quá hạn 3 ngày", "Hạn 12/05/2026"
    tone: str = ""  # a badge colour of the stylesheet: "red", "amber", "green", "grey"


@dataclass(frozen=True)
class Section:
    """A kind of work waiting for the user, its full count and its first entries.

    ``url`` is the register filtered to exactly the ``count`` records ("" when the entries
    are all shown and each links to its record); ``empty`` is said when there are none.
    """

    key: str
    title: str
    count: int
    entries: list[Entry] = field(default_factory=list)
    url: str = ""
    empty: str = ""
    tone: str = ""
    order: int = 100

    @property
    def more(self) -> int:
        """How many records the section counts beyond the entries it lists."""
        return max(self.count - len(self.entries), 0)


def overdue_badge(deadline: dt.date, today: dt.date) -> str:
    """ "Quá hạn 3 ngày": an overdue entry's badge (at least one day: it is overdue)."""
    late = max(days_overdue(deadline, today), 1)
    return ngettext("Quá hạn %(days)d ngày", "Quá hạn %(days)d ngày", late) % {"days": late}


def overdue_entry(title: str, url: str, detail: str, *, deadline: dt.date, today: dt.date) -> Entry:
    """A record past its deadline: red, with :func:`overdue_badge`."""
    return Entry(title=title, url=url, detail=detail, badge=overdue_badge(deadline, today),
                 tone="red")  # fmt: skip


_PROVIDERS: list[Provider] = []
_KEY_FIGURES: list[tuple[int, str]] = []


def register(provider: Provider) -> None:
    """Add an app's provider of work sections (idempotent)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def register_key_figures(*codes: str, order: int = 100) -> None:
    """Name indicator codes shown to leadership on the home page (by ``order``, then as given)."""
    for code in codes:
        if all(code != kept for _order, kept in _KEY_FIGURES):
            _KEY_FIGURES.append((order, code))
    _KEY_FIGURES.sort(key=lambda pair: pair[0])


def collect(
    *,
    user: Any,
    unit: Any = None,
    today: dt.date | None = None,
    limit: int = 5,
    watch: bool = False,
    keys: Iterable[str] | None = None,
) -> list[Section]:
    """Return every app's sections of work for ``user`` (within ``unit`` if given), in order.

    ``watch``: the late work the user may *read* rather than the work they act on (a
    dashboard's exception lists: leadership reads every overdue follow-up and case of its
    scope, though others answer them). ``keys``: only the sections of those keys are counted
    and returned (the others cost no query)."""
    today = today or timezone.localdate()
    asked = Keys(keys)
    sections: list[Section] = []
    for provider in _PROVIDERS:
        found = provider(user=user, unit=unit, today=today, limit=limit, watch=watch, keys=asked)
        sections.extend(s for s in found if asked.wants(s.key))
    return sorted(sections, key=lambda s: s.order)


def key_figures(*, user: Any, unit: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Return the key figures of ``unit``'s subtree for the current year, as the viewer reads them.

    ``{"period": Period, "unit": unit, "values": [Value, ...]}``; the values of areas the viewer
    does not read are left out (and nothing at all when the viewer reads none on ``unit``).
    """
    period = periods.year((today or timezone.localdate()).year)
    result: dict[str, Any] = {"period": period, "unit": unit, "values": []}
    if unit is None or not _KEY_FIGURES:
        return result
    try:
        values = indicators.collect(viewer=user, unit=unit, period=period)
    except PermissionDenied:
        return result
    result["values"] = [values[code] for _order, code in _KEY_FIGURES if code in values]
    return result


def home_unit(user: Any, unit: Any = None) -> Any:
    """The unit a home page counts for: the picked one, else the user's widest own unit."""
    if unit is not None:
        return unit
    grants = sorted(scope.grants(user), key=lambda g: (g.path.count("/"), g.path))
    if not grants:
        return None
    if not grants[0].unit_id:  # a superuser: the whole tree
        return OrgUnit.objects.filter(parent__isnull=True, valid_to__isnull=True).first()
    return OrgUnit.objects.filter(pk=grants[0].unit_id).first()
