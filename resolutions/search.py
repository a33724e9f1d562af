from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from longbien.core.search import SearchHit

from .selectors import document_list


def search_documents(user: Any, query: str, limit: int) -> list[SearchHit]:
    documents = document_list(user=user, query=query)[:limit]
    return [
        SearchHit(_("Văn bản"), f"{d.symbol} – {d.title}", d.issuer_display, d.get_absolute_url())
        for d in documents
    ]
