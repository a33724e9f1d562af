from rest_framework import permissions

from longbien.org import scope


class AreaPermission(permissions.BasePermission):
    """Allow reads to users with a view grant in the view's area, writes with a change grant."""

    message = "Bạn không có quyền truy cập chức năng này."

    def has_permission(self, request, view) -> bool:
        action = scope.VIEW if request.method in permissions.SAFE_METHODS else scope.CHANGE
        return scope.has_area(request.user, view.scope_area, action)
