"""The resolutions' part of the global search: documents and tasks, by symbol, text or date."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from longbien.core.search import DATE, TEXT, Group, Query, SearchHit, group, rank_expression

from .models import Document, Task
from .selectors import document_list, task_list


def search_documents(user: Any, query: Query, limit: int) -> Iterable[Group]:
    """Documents by symbol ("12-NQ/QU" exact first) or words of their title, or signed on a
    day or in a month; tasks by words of their title, or due on that day or in that month."""
    documents = document_list(user=user)
    tasks = task_list(user=user)
    if query.is_date:
        documents = documents.filter(query.date_q("signed_date")).order_by("-signed_date", "-id")
        tasks = tasks.filter(query.date_q("deadline")).order_by("deadline", "unit__path", "id")
        document_rank, task_rank = DATE, DATE
        q = ""
    else:
        documents = (
            documents.filter(Q(title_folded__contains=query.folded) | query.code_q("symbol"))
            .annotate(rank=rank_expression(query, "symbol"))
            .order_by("rank", "-signed_date", "-id")
        )
        tasks = tasks.filter(title_folded__contains=query.folded).order_by("deadline", "id")
        document_rank, task_rank = -1, TEXT  # a document's rank is its symbol's match
        q = "?" + urlencode({"q": str(query)})

    def document_hit(d: Document) -> SearchHit:
        return SearchHit(
            _("Văn bản"), f"{d.symbol} – {d.title}", d.get_kind_display(), d.get_absolute_url(),
            date=d.signed_date, unit=d.issuer_display, code=d.symbol,
            rank=d.rank if document_rank < 0 else document_rank,
        )  # fmt: skip

    def task_hit(t: Task) -> SearchHit:
        return SearchHit(
            _("Nhiệm vụ"), t.title, f"{t.document.symbol} · {t.get_status_display()}",
            t.get_absolute_url(), date=t.deadline, unit=t.unit.name,
            rank=task_rank,
        )  # fmt: skip

    return [
        group(
            _("Văn bản"),
            documents,
            limit,
            document_hit,
            url=reverse("resolutions:document_list") + q if q else "",
            order=30,
        ),  # fmt: skip
        group(
            _("Nhiệm vụ"),
            tasks,
            limit,
            task_hit,
            url=reverse("resolutions:task_list") + q if q else "",
            order=40,
        ),  # fmt: skip
    ]
