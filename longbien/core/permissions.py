from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from longbien.org import scope


class AreaPermission(permissions.BasePermission):
    """Allow reads to users with a view grant in the view's area, writes with a change grant."""

    message = _("Bạn không có quyền truy cập chức năng này.")

    def has_permission(self, request, view) -> bool:
        area = getattr(view, "scope_area", None)
        if area is None:
            # A router's index of endpoints holds no records: any signed-in user may read it.
            return request.method in permissions.SAFE_METHODS
        action = scope.VIEW if request.method in permissions.SAFE_METHODS else scope.CHANGE
        return scope.has_area(request.user, area, action)
