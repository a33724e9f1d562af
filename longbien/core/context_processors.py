from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from longbien.org import scope
from longbien.org.choices import Role
from longbien.org.models import OrgUnit

from .navigation import items_for, menu_html
from .notifications import account_facts


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME, "nav_items": []}
    role_labels = dict(Role.choices)
    items = items_for(user)
    current = getattr(request, "current_unit", None)
    picker_units = SimpleLazyObject(lambda: _picker_units(user))
    return {
        "portal_name": settings.PORTAL_NAME,
        "nav_items": items,
        "nav_html": SimpleLazyObject(lambda: menu_html(items, request.path)),
        "user_roles": [str(role_labels[r]) for r in sorted(scope.roles(user)) if r in role_labels],
        "current_unit": current,
        "picker_units": picker_units,
        "picker_options": SimpleLazyObject(lambda: _picker_options(picker_units, current)),
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
    }


def _picker_options(units: Any, current: Any) -> SafeString:
    """The picker's units as ``<option>``s, the chosen one selected, a child indented: drawn
    here rather than by a template loop over thirty units on every page."""
    chosen = current.code if current is not None else None
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (u.code, " selected" if u.code == chosen else "", "— " if u.rel_depth else "", u.name)
            for u in units
        ),
    )


def _unread(user: Any) -> int:
    # One query with the menu's token question (see navigation.uses_api).
    return account_facts(user)["unread"]


def _picker_units(user: Any) -> list[Any]:
    """The units of the header picker: each scope root and the units right below it."""
    grants = {g.path: g for g in scope.grants(user)}
    query = Q(pk__in=[])
    for path in scope.scope_paths(user, scope.Area.ORG):
        depth = path.count("/") - 1 if path else -1
        query |= Q(path__startswith=path, depth__lte=depth + 1)
    units = list(
        OrgUnit.objects.filter(query, valid_to__isnull=True)
        .only("code", "name", "path", "depth")
        .order_by("path")
    )
    roots = [
        u.path
        for u in units
        if u.path in grants
        or not any(u.path.startswith(p) and u.path != p for p in (v.path for v in units))
    ]
    for unit in units:
        unit.rel_depth = 0 if unit.path in roots else 1
    return units
