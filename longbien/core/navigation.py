"""The navigation: each app registers its entries; a user sees only what a role grants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from longbien.org import scope
from longbien.org.choices import Role

from .notifications import account_facts


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


def uses_api(user: Any) -> bool:
    """Tell whether the user works with the API: a whole-tree administrator or a token holder.

    The menu's API docs link is for them only (the docs page itself stays open to every
    signed-in user). The token question shares one query with the bell's unread count
    (:func:`longbien.core.notifications.account_facts`).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or any(
        g.role == Role.ADMIN and g.path.count("/") <= 1 for g in scope.grants(user)
    ):
        return True
    return bool(account_facts(user)["api_token"])


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
