from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from longbien.org import scope
from longbien.text import fold

from .models import Procedure


def procedure_list(
    *,
    user: Any,
    query: str = "",
    kind: str = "",
    area: str = "",
    level: str = "",
    current_only: bool = False,
) -> QuerySet[Procedure]:
    """Procedures are shared knowledge: whoever may see the organisation reads them all in scope."""
    # Like documents, procedures issued above a unit apply to it: a ward reads the
    # district's procedures as well as its own.
    paths = scope.scope_paths(user, scope.Area.ORG, scope.VIEW)
    above = Q(owner_unit__path__in=scope.ancestor_paths(paths)) if paths else Q(pk__in=[])
    procedures = Procedure.objects.filter(
        scope.unit_q(user, scope.Area.ORG, scope.VIEW, "owner_unit") | above
    ).select_related("owner_unit")
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
