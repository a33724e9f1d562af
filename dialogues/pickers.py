"""The dialogues' picker lookup: open public-opinion cases (``/tra-cuu/vu-viec/``), for the
merge page's "merge into" field, typed for by words of the content (without diacritics) or
by the case's number ("#12" or "12"). A hit names no citizen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from longbien.core import lookups
from longbien.org.types import Viewer

from . import selectors
from .choices import CaseStatus
from .models import OpinionCase

OPEN = (CaseStatus.RECEIVED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS)


def open_case_rows(*, user: Viewer, exclude: str = "") -> QuerySet[OpinionCase]:
    """The open cases the user may see that a case can be merged into (not merged itself),
    narrowed by ``exclude`` (the case being merged)."""
    rows = (
        selectors.case_list(user)
        .filter(status__in=OPEN, merged_into__isnull=True)
        .order_by("-received_on", "-pk")
    )
    if exclude:
        if not str(exclude).isdigit():
            raise ValueError(f"unknown case: {exclude!r}")
        rows = rows.exclude(pk=int(exclude))
    return rows


def case_label(case: OpinionCase) -> str:
    content = case.content if len(case.content) <= 80 else case.content[:79] + "…"
    return f"#{case.pk} · {content} · {case.unit.name} · {case.received_on:%d/%m/%Y}"


@dataclass(frozen=True)
class CaseLookup(lookups.Lookup):
    """Typed "#12" (or "12"), the case of that number first; otherwise the folded words."""

    def search(self, user: Any, query: str, params: dict[str, Any], limit: int = lookups.LIMIT):
        typed = (query or "").strip()
        number = typed.lstrip("#").strip()
        if number.isdigit():
            found = list(self.rows(user, **params).filter(pk=int(number))[:1])
            words = super().search(user, number, params, limit) if not typed.startswith("#") else []
            return found + [case for case in words if case not in found][: limit - len(found)]
        return super().search(user, typed, params, limit)


def register() -> None:
    lookups.register(
        CaseLookup(
            name="vu-viec",
            queryset=open_case_rows,
            search_fields=("content_folded",),
            label=case_label,
            params=("exclude",),
            ordering=("-received_on", "-pk"),
        )
    )
