"""Pickers' lookups: what an autocomplete may offer, registered by each app.

A form's person, document or unit is picked by typing part of a name, code or symbol (the
``AutocompleteSelect`` widgets of :mod:`longbien.core.widgets`, enhanced by
``static/js/pickers.js``). The browser asks ``/tra-cuu/<name>/?q=…`` and gets at most
:data:`LIMIT` hits as JSON. Each app registers its lookups in its ``AppConfig.ready()``, so the
kernel imports no domain app::

    lookups.register(lookups.Lookup(
        name="van-ban",
        queryset=selectors.document_choices,       # (user=..., **params) -> scoped QuerySet
        search_fields=("title_folded", "symbol"),  # folded columns, codes, symbols
        label=lambda d: f"{d.symbol} · {d.title}",
        params=("status",),                         # query-string narrowing the queryset
    ))

``queryset`` is a selector: it reads through ``restrict()`` (or the scope's unit rules) and is
the very queryset the form field validates the posted ids against
(:class:`longbien.core.forms.AutocompleteModelChoiceField`), so a hit the user may not pick is
never offered and an id typed by hand outside the scope is refused. Hits of a confidential
model are read through :func:`longbien.confidential.read` (one access entry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from longbien import confidential
from longbien.text import fold

from .search import text_q

#: At most this many hits per request.
LIMIT = 20
#: Fewer typed characters than this give no hits (an empty box shows nothing).
MIN_LENGTH = 1


@dataclass(frozen=True)
class Lookup:
    """One kind of thing a picker offers (people, documents, units)."""

    name: str
    queryset: Callable[..., models.QuerySet]
    search_fields: tuple[str, ...]
    label: Callable[[Any], str]
    #: Columns matched exactly (codes, symbols): an exact match is listed first.
    exact_fields: tuple[str, ...] = ()
    #: Query-string parameters passed to ``queryset`` (each value checked by it).
    params: tuple[str, ...] = ()
    #: The value posted for a hit (``pk``, or a code for fields using ``to_field_name``);
    #: a field may ask for one of ``other_values`` instead (``?value=code``).
    value_field: str = "pk"
    other_values: tuple[str, ...] = ()
    ordering: tuple[str, ...] = field(default_factory=tuple)

    def rows(self, user: Any, **params: Any) -> models.QuerySet:
        """The rows the user may pick (``ValueError`` for a parameter the selector refuses)."""
        return self.queryset(user=user, **{k: v for k, v in params.items() if v not in ("", None)})

    def search(self, user: Any, query: str, params: dict[str, Any], limit: int = LIMIT) -> list:
        """The first ``limit`` rows matching ``query`` (exact codes first), read by the user."""
        rows = self.rows(user, **params)
        typed = (query or "").strip()
        if len(fold(typed)) < MIN_LENGTH:
            return []
        rows = rows.filter(text_q(self.search_fields, typed, rows.model))
        if self.exact_fields:
            exact = Q(pk__in=[])
            for name in self.exact_fields:
                exact |= Q(**{f"{name}__iexact": typed})
            rows = rows.annotate(
                _exact=Case(
                    When(exact, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            ).order_by(
                "_exact",
                *(self.ordering or rows.query.order_by or rows.model._meta.ordering or ("pk",)),
            )
        elif self.ordering:
            rows = rows.order_by(*self.ordering)
        hits = list(rows[:limit])
        if not hits:  # nothing shown, nothing read (a keystroke is not a list page)
            return []
        return confidential.read(user, hits, how=confidential.LIST, model=rows.model)

    def value_name(self, value: str = "") -> str:
        """The column posted: ``value_field``, or ``value`` when one of ``other_values``."""
        name = value or self.value_field
        if name != self.value_field and name not in self.other_values:
            raise ValueError(f"unknown value field: {name!r}")
        return name

    def value_of(self, obj: Any, value: str = "") -> str:
        """The value a picker posts for ``obj``."""
        return str(getattr(obj, self.value_name(value)))

    def as_json(self, obj: Any, value: str = "") -> dict[str, str]:
        return {"value": self.value_of(obj, value), "text": str(self.label(obj))}


_LOOKUPS: dict[str, Lookup] = {}


def register(lookup: Lookup) -> Lookup:
    """Add (or replace, when an app's ``ready()`` runs twice) the lookup named ``lookup.name``."""
    _LOOKUPS[lookup.name] = lookup
    return lookup


def get(name: str) -> Lookup:
    """The lookup named ``name`` (``LookupError`` when no app registered it)."""
    try:
        return _LOOKUPS[name]
    except KeyError:
        raise LookupError(name) from None


def names() -> list[str]:
    return sorted(_LOOKUPS)
