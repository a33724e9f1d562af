"""Answers kept per key in a process: the kernel's one bounded memo.

A few library calls are asked the same question for every row of a page (a function's
signature, whether a callable takes no argument, a view's URL): the answer is kept in a plain
dict, emptied when it reaches its bound, so that keys made on the fly (functions created per
request) cannot grow it without end. What is kept must not depend on anything but the key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

AT_MOST = 4096


def kept_answer(
    table: dict[Any, Any], key: Hashable, compute: Callable[[], T], *, at_most: int = AT_MOST
) -> T:
    """``table[key]``, computed by ``compute()`` the first time, the table emptied once it
    holds ``at_most`` answers; an unhashable key (a ``partial`` of an unhashable object) is
    computed every time."""
    try:
        return table[key]
    except KeyError:
        if len(table) >= at_most:
            table.clear()
        found = table[key] = compute()
        return found
    except TypeError:
        return compute()
