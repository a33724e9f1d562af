"""The one timing rule of the benchmarks: the best of ``repeat`` runs (the least disturbed).

A figure and its baseline are timed in alternation (:func:`best_of_each`): on a shared
machine whose speed drifts during a run (another tenant, the CPU's clock), timing all of one
and then all of the other would put the drift into the ratio.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(repeat: int, func: Callable[[], Any]) -> float:
    return best_of_each(repeat, func)[0]


def after(setup: Callable[[], Any], func: Callable[[], Any]) -> Callable[[], Any]:
    """``func`` timed after ``setup``, which is run before each run and not timed (emptying
    a cache for a cold run is not the work measured)."""

    def timed() -> Any:
        return func()

    timed.setup = setup  # type: ignore[attr-defined]
    return timed


def best_of_each(repeat: int, *funcs: Callable[[], Any]) -> list[float]:
    """The best time of each of ``funcs``, run in turn ``repeat`` times (a, b, a, b, …); a
    function made by :func:`after` has its setup run first, untimed."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for index, func in enumerate(funcs):
            setup = getattr(func, "setup", None)
            if setup is not None:
                setup()
            started = time.perf_counter()
            func()
            best[index] = min(best[index], time.perf_counter() - started)
    return best
