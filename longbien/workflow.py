"""Explicit state machines for records with a life cycle.

Each transition is declared once; a move that the table does not allow is a clear error,
never a silent no-op.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_transition(
    *, obj: Any, to: str, allowed: dict[str, Iterable[str]], field: str = "status"
) -> str:
    """Raise unless ``obj.<field>`` may move to ``to``; return the current state."""
    current = getattr(obj, field)
    if to not in set(allowed.get(current, ())):
        labels = dict(obj._meta.get_field(field).choices)
        raise ValidationError(
            _("Không thể chuyển từ trạng thái “%(current)s” sang “%(target)s”.")
            % {"current": labels.get(current, current), "target": labels.get(to, to)},
            code="invalid_transition",
        )
    return current
