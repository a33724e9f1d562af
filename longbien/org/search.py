"""The organisation's part of the global search: units and people, by code or by name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from longbien.core.search import Group, Query, SearchHit, group, rank_expression

from . import selectors


def search_org(user: Any, query: Query, limit: int) -> Iterable[Group]:
    """Units by code or name, people by code (whole or part: "LB00012", "00012") or name."""
    if query.is_date:  # neither has a date worth searching by
        return []
    rank = rank_expression(query, "code")
    units = (
        selectors.unit_list(user=user, active=None)
        .filter(Q(name_folded__contains=query.folded) | query.code_q("code"))
        .annotate(rank=rank)
        .order_by("rank", "path")
    )
    people = (
        selectors.person_list(user=user, include_inactive=True)
        .filter(Q(name_folded__contains=query.folded) | query.code_q("code"))
        .annotate(rank=rank)
        .order_by("rank", "sort_key", "id")
    )
    q = urlencode({"q": str(query)})
    return [
        group(
            _("Đơn vị"),
            units,
            limit,
            lambda u: SearchHit(
                _("Đơn vị"),
                u.name,
                u.get_kind_display(),
                u.get_absolute_url(),
                date=u.valid_from,
                unit=u.parent.name if u.parent_id else "",
                rank=u.rank,
                code=u.code,
            ),  # fmt: skip
            url=f"{reverse('org:unit_list')}?{q}",
            order=10,
        ),
        group(
            _("Cán bộ"),
            people,
            limit,
            lambda p: SearchHit(
                _("Cán bộ"),
                p.full_name,
                str(p.position or ""),
                p.get_absolute_url(),
                unit=p.unit.name,
                rank=p.rank,
                code=p.code,
            ),  # fmt: skip
            url=f"{reverse('org:person_list')}?{q}",
            order=20,
        ),
    ]
