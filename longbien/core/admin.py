"""The admin base every app uses: read-only and narrowed to the user's scope.

Writes go through the portal's pages and their services, which check the scope and write
the audit trail with a reason; the admin is for looking things up.
"""

from django.contrib import admin


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
