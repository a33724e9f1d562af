"""The navigation: each app registers its entries; a user sees only what a role grants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from longbien.org import scope


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    area: str
    action: str = scope.VIEW
    group: Any = ""
    order: int = 100
    visible: Callable[[Any], bool] | None = field(default=None, compare=False)


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)


def items_for(user: Any) -> list[dict[str, Any]]:
    entries = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        allowed = (
            item.visible(user) if item.visible else scope.has_area(user, item.area, item.action)
        )
        if allowed:
            entries.append(
                {
                    "label": item.label,
                    "url": reverse(item.url_name),
                    "group": item.group,
                    "name": item.url_name,
                }
            )
    return entries
