"""Resolutions' picker lookup: documents, typed for by symbol or title (``/tra-cuu/van-ban/``)."""

from __future__ import annotations

from django.db.models import QuerySet

from longbien.core import lookups
from longbien.formatting import vn_short_date
from longbien.org.types import Viewer

from .choices import DocumentStatus, IssuerLevel
from .models import Document


def document_rows(*, user: Viewer, status: str = "", level: str = "") -> QuerySet[Document]:
    """The documents the user may see (``restrict``), narrowed to a status or issuer level."""
    rows = Document.objects.restrict(user).order_by("-signed_date", "-pk")
    if status:
        if status not in DocumentStatus.values:
            raise ValueError(f"unknown status: {status!r}")
        rows = rows.filter(status=status)
    if level:
        if level not in IssuerLevel.values:
            raise ValueError(f"unknown level: {level!r}")
        rows = rows.filter(issuer_level=level)
    return rows


def document_label(document: Document) -> str:
    title = document.title if len(document.title) <= 90 else document.title[:89] + "…"
    return f"{document.symbol} · {title} · {vn_short_date(document.signed_date)}"


DOCUMENTS = lookups.register(
    lookups.Lookup(
        name="van-ban",
        queryset=document_rows,
        search_fields=("title_folded", "symbol"),
        exact_fields=("symbol",),
        label=document_label,
        params=("status", "level"),
        ordering=("-signed_date", "-pk"),
    )
)
