"""The kernel's bounded memo (``longbien.core.memo.kept_answer``)."""

from __future__ import annotations

from longbien.core import memo


def test_an_answer_is_computed_once_per_key_and_the_table_stays_bounded():
    table: dict = {}
    asked: list[int] = []

    def compute(n: int) -> int:
        asked.append(n)
        return n * 2

    assert [memo.kept_answer(table, n % 3, lambda n=n: compute(n % 3)) for n in range(9)] == [
        0, 2, 4, 0, 2, 4, 0, 2, 4,
    ]  # fmt: skip
    assert asked == [0, 1, 2]
    for n in range(memo.AT_MOST + 10):
        memo.kept_answer(table, ("k", n), lambda: 0)
    assert len(table) <= memo.AT_MOST


def test_an_unhashable_key_is_computed_every_time():
    table: dict = {}
    asked: list[int] = []
    for _ in range(3):
        assert memo.kept_answer(table, ([1],), lambda: asked.append(1) or 7) == 7
    assert asked == [1, 1, 1] and not table
