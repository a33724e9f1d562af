"""Global search: each app registers a provider; every provider reads through its selectors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from longbien.org.scope import is_confidential
from longbien.text import fold

#: Columns filled with :func:`longbien.text.fold` end with this (``name_folded``).
FOLDED_SUFFIX = "_folded"


def text_q(fields: Iterable[str], query: str) -> Q:
    """Rows where one of ``fields`` contains ``query``: the one text search of the portal.

    A folded column (``…_folded``, kept by the model with :func:`longbien.text.fold`) is
    compared with the folded query, so "dang", "Dang" and "Đảng" all find "Đảng"; any other
    column (a code, a symbol, a user name) with the query as typed, ignoring case. The list
    pages, the API's ``?q=`` filters and the admin's search all use it.
    """
    folded, typed = fold(query), (query or "").strip()
    condition = Q(pk__in=[])
    for name in fields:
        if name.endswith(FOLDED_SUFFIX):
            condition |= Q(**{f"{name}__contains": folded})
        else:
            condition |= Q(**{f"{name}__icontains": typed})
    return condition


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
