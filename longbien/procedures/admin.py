"""Work procedures in the admin: read-only, narrowed by the model's restrict hook."""

from django.contrib import admin

from longbien.core.admin import ScopedReadOnlyAdmin

from .models import Procedure


@admin.register(Procedure)
class ProcedureAdmin(ScopedReadOnlyAdmin):
    list_display = ["code", "name", "kind", "level", "version", "effective_date", "retired_on"]
    list_filter = ["kind", "area", "level"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["owner_unit"]
