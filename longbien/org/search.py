from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from longbien.core.search import SearchHit

from . import selectors


def search_org(user: Any, query: str, limit: int) -> list[SearchHit]:
    units = selectors.unit_list(user=user, query=query, active=None)[:limit]
    people = selectors.person_list(user=user, query=query, include_inactive=True)[:limit]
    hits = [
        SearchHit(_("Đơn vị"), u.name, u.get_kind_display(), u.get_absolute_url()) for u in units
    ]
    hits += [SearchHit(_("Cán bộ"), p.full_name, p.unit.name, p.get_absolute_url()) for p in people]
    return hits
