"""The navigation: each app registers its entries; a user sees only what a role grants."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

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


@functools.lru_cache(maxsize=512)
def _url(url_name: str, prefix: str, urlconf: Any) -> str:
    """An entry's address: the URLconf does not change in a process, every page asked
    for the same forty. ``prefix`` (the script prefix ``reverse`` reads) and ``urlconf`` are
    part of the key."""
    return reverse(url_name, urlconf=urlconf)


def items_for(user: Any) -> list[dict[str, Any]]:
    prefix, urlconf = get_script_prefix(), get_urlconf()
    entries = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        allowed = (
            item.visible(user) if item.visible else scope.has_area(user, item.area, item.action)
        )
        if allowed:
            entries.append(
                {
                    "label": item.label,
                    "url": _url(item.url_name, prefix, urlconf),
                    "group": item.group,
                    "name": item.url_name,
                }
            )
    return entries


def menu_html(items: list[dict[str, Any]], current_path: str) -> SafeString:
    """The side menu's entries (``<li>``) in their groups, the current page's marked.

    Drawn here rather than by a template loop: forty entries on every page, and the
    template's variable lookups cost more than the page's own table of fifty rows' links.
    """
    parts: list[str] = []
    group: Any = None
    for item in items:
        if item["group"] != group:
            group = item["group"]
            if group:
                parts.append(format_html('<li class="group">{}</li>', group))
        parts.append(
            format_html(
                '<li><a href="{}"{}>{}</a></li>',
                item["url"],
                mark_safe(' aria-current="page"') if item["url"] == current_path else "",  # noqa: S308 - a constant
                item["label"],
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part escaped by format_html
