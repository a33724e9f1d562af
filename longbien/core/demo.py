"""Demo data loaders: each app registers one; ``seed_demo`` runs them in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Loader = Callable[..., Any]
_LOADERS: list[tuple[int, str, Loader]] = []


def register(order: int, name: str, loader: Loader) -> None:
    if all(existing != name for _, existing, _ in _LOADERS):
        _LOADERS.append((order, name, loader))


def loaders() -> list[tuple[str, Loader]]:
    return [(name, loader) for _, name, loader in sorted(_LOADERS, key=lambda item: item[0])]
