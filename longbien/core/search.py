"""Global search: each app registers a provider; every provider reads through its selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from longbien.org.scope import is_confidential


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    subtitle: str
    url: str


Provider = Callable[[Any, str, int], list[SearchHit]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider, *, model: Any = None) -> None:
    """Add a provider; one for a confidential ``model`` is skipped: it is never searched."""
    if is_confidential(model):
        return
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def search(user: Any, query: str, limit: int = 20) -> list[SearchHit]:
    query = (query or "").strip()
    if len(query) < 2:
        return []
    hits: list[SearchHit] = []
    for provider in _PROVIDERS:
        hits.extend(provider(user, query, limit))
    return hits
