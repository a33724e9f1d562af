"""The admin base every app uses: read-only and narrowed to the user's scope.

Writes go through the portal's pages, the API and their services, which check the scope and
write the audit trail with a reason; the admin is for looking things up. The only writes left
to it are an account's own credentials (creating an account, setting its password, issuing an
API token, lifting a login lockout), and only for superusers: ``superuser_may`` names them.

The third-party admins (groups, API tokens, the audit log, login lockouts) are made read-only
here too, so that every page of the admin follows one rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import QuerySet
from django.http import HttpRequest

from longbien import confidential
from longbien.org import scope
from longbien.text import fold

from .search import text_q


def _superuser(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_superuser)


class ReadOnlyAdminMixin:
    """Refuse add, change and delete, except what ``superuser_may`` grants to superusers."""

    superuser_may: frozenset[str] = frozenset()

    def _superuser_may(self, request: HttpRequest, what: str) -> bool:
        return what in self.superuser_may and _superuser(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser_may(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser_may(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser_may(request, "delete")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        if not self.has_delete_permission(request):
            actions.pop("delete_selected", None)
        return actions


def scope_queryset(queryset: QuerySet, request: HttpRequest) -> QuerySet:
    """Narrow ``queryset`` to the user's scope when its model has a scoped queryset."""
    if hasattr(queryset, "restrict"):
        return queryset.restrict(request.user)
    return queryset


class ScopedReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The one admin base: read-only, and narrowed by ``restrict(user)`` like every read.

    A model whose records are scoped by another rule (accounts, roles) overrides
    :meth:`scope_queryset`; a model with no scope (positions, terms) is shown whole.
    """

    def scope_queryset(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        return scope_queryset(queryset, request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_queryset(super().get_queryset(request), request)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Search as the portal does (:func:`longbien.core.search.text_q`).

        ``search_fields`` name folded columns (``title_folded``), which Django's own search
        compares with the term as typed: "Đảng" would find nothing. Here "Đảng", "đảng" and
        "dang" all find "Đảng".
        """
        fields = self.get_search_fields(request)
        if not fields or not fold(search_term):
            return queryset, False
        duplicates = any(lookup_spawns_duplicates(self.opts, name) for name in fields)
        return queryset.filter(text_q(fields, search_term, queryset.model)), duplicates


class ScopedReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A read-only inline whose rows are narrowed to the user's scope too.

    A ward's test may list people of other wards: only the rows in scope are shown.
    """

    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope_queryset(super().get_queryset(request), request)


def _audit_reader(request: HttpRequest) -> bool:
    # The whole trail names people of every unit: only a whole-tree audit scope reads it here.
    return _superuser(request) or scope.covers_a_root(request.user, scope.Area.AUDIT)


def _audit_readers_only(base: type[admin.ModelAdmin]) -> dict[str, Any]:
    def has_view_permission(self: Any, request: HttpRequest, obj: Any = None) -> bool:
        return _audit_reader(request) and base.has_view_permission(self, request, obj)

    def has_module_permission(self: Any, request: HttpRequest) -> bool:
        return _audit_reader(request) and base.has_module_permission(self, request)

    def get_queryset(self: Any, request: HttpRequest) -> QuerySet:
        # Confidential records' entries stay hidden here too.
        return confidential.hide_entries(request.user, base.get_queryset(self, request))

    return {
        "has_view_permission": has_view_permission,
        "has_module_permission": has_module_permission,
        "get_queryset": get_queryset,
    }


def _lock_third_party_admins() -> None:
    """Re-register the third-party admins with writes refused (credentials: superusers only)."""
    # Imported here so that their admins are registered before being replaced.
    import auditlog.admin  # noqa: F401
    import axes.admin  # noqa: F401
    import django.contrib.auth.admin  # noqa: F401
    import rest_framework.authtoken.admin  # noqa: F401
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt
    from rest_framework.authtoken.models import TokenProxy

    site = admin.site
    rights = {TokenProxy: frozenset({"add", "delete"}), AccessAttempt: frozenset({"delete"})}
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label not in {"auth", "authtoken", "auditlog", "axes"}:
            continue
        if isinstance(model_admin, ReadOnlyAdminMixin):
            continue
        attrs: dict[str, Any] = {"superuser_may": rights.get(model, frozenset())}
        base = type(model_admin)
        if model is LogEntry:
            attrs.update(_audit_readers_only(base))
        locked = type(f"ReadOnly{base.__name__}", (ReadOnlyAdminMixin, base), attrs)
        site.unregister(model)
        site.register(model, locked)


_lock_third_party_admins()
