from __future__ import annotations

from django.db.models import QuerySet

from longbien.org.types import Viewer
from longbien.text import fold

from .models import Procedure


def procedure_list(
    *,
    user: Viewer,
    query: str = "",
    kind: str = "",
    area: str = "",
    level: str = "",
    current_only: bool = False,
) -> QuerySet[Procedure]:
    """Procedures in scope, and those issued above it (the model's restrict hook)."""
    procedures = Procedure.objects.restrict(user).select_related("owner_unit")
    if query:
        procedures = procedures.filter(name_folded__contains=fold(query))
    if kind:
        procedures = procedures.filter(kind=kind)
    if area:
        procedures = procedures.filter(area=area)
    if level:
        procedures = procedures.filter(level=level)
    if current_only:
        procedures = procedures.filter(retired_on__isnull=True)
    return procedures.order_by("level", "area", "code", "version")
