"""Demo data loaders: each app registers one; ``seed_demo`` runs them in order.

An app may also register a city-scale loader (``seed_demo --scale city``): it adds the app's
records to the city tree that ``longbien.org.demo.load_city`` builds, in bulk, through
:func:`longbien.bulk.copy_rows` (PostgreSQL COPY), with the derived columns filled in as the services
would, so that the records stay consistent (paths, roll-ups, states).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

Loader = Callable[..., Any]
_LOADERS: list[tuple[int, str, Loader]] = []
_CITY_LOADERS: list[tuple[int, str, Loader]] = []


def register(order: int, name: str, loader: Loader) -> None:
    if all(existing != name for _, existing, _ in _LOADERS):
        _LOADERS.append((order, name, loader))


def loaders() -> list[tuple[str, Loader]]:
    return [(name, loader) for _, name, loader in sorted(_LOADERS, key=lambda item: item[0])]


def register_city(order: int, name: str, loader: Loader) -> None:
    if all(existing != name for _, existing, _ in _CITY_LOADERS):
        _CITY_LOADERS.append((order, name, loader))


def city_loaders() -> list[tuple[str, Loader]]:
    return [(name, loader) for _, name, loader in sorted(_CITY_LOADERS, key=lambda item: item[0])]


def analyze() -> None:
    """Refresh the planner's statistics (the server here does not autovacuum); outside a
    transaction, vacuum too: a subtree tally's rows are rewritten once per batch loaded (1,5
    million dead row versions after the city's evaluations), and a vacuumed table's pages are
    all-visible, which index-only scans need."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
