"""How a write runs: every service is the outermost transaction.

Decorate each service with :func:`service`. Called from a view, an API action, a Celery task
or a command, it opens a *durable* transaction (Django refuses one nested in another atomic
block), so a caller cannot stretch a service's transaction over other work of its own, and
the service's ``transaction.on_commit`` hooks (e-mails, tasks) run when it returns.

A service may call other services: inside one, they run as savepoints of the outer one. Work
that must be one transaction over several services (an import of a whole file, the demo
loaders) says so with :func:`batch`, which opens the durable transaction itself.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

_depth: ContextVar[int] = ContextVar("longbien_service_depth", default=0)


class _Unset:
    """The default of an update service's optional argument: "not given", unlike None."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


def given(**values: Any) -> dict[str, Any]:
    """Return the keyword arguments that were given (not :data:`UNSET`)."""
    return {name: value for name, value in values.items() if value is not UNSET}


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Run the services called inside as one transaction (durable unless already in one)."""
    depth = _depth.get()
    token = _depth.set(depth + 1)
    try:
        with transaction.atomic(durable=depth == 0):
            yield
    finally:
        _depth.reset(token)


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Make ``func`` a service: the outermost (durable) transaction, or a savepoint of one."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with batch():
            return func(*args, **kwargs)

    return run


def in_service() -> bool:
    """Tell whether the code runs inside a service (or a batch)."""
    return _depth.get() > 0
