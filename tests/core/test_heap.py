"""The start-up heap is frozen out of the collector's full passes (longbien/core/heap.py)."""

from __future__ import annotations

import gc

from longbien.core import heap


def test_the_apps_froze_what_they_made_at_start_up() -> None:
    assert gc.get_freeze_count() > 10_000


def test_freeze_moves_what_exists_now() -> None:
    before = gc.get_freeze_count()
    made = [{"n": n} for n in range(1_000)]
    heap.freeze()
    assert gc.get_freeze_count() >= before + len(made)
