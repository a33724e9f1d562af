"""A choice field's label (``get_status_display()``) looked up in a dict kept per language.

Django builds ``dict(make_hashable(field.flatchoices))`` on every call, and hashing a lazy
label translates it: a register page of 50 rows shows five or six choice columns, which made
a few thousand ``gettext`` calls per page (a tenth of its time). The labels of a field in a
language do not change while the process runs (choices are fixed when the model class is
made), so each field's labels are translated once per language and kept.

:func:`install` (``CoreConfig.ready``) puts :func:`field_display` in place of
``Model._get_FIELD_display``; what it returns is what Django's returns
and in every loaded model's ``get_FOO_display`` (``tests/core/test_displays.py`` compares
both for every choice field of every model).
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_LABELS: dict[tuple[Any, str | None], dict[Any, Any]] = {}
_django_display = models.Model._get_FIELD_display


def labels(field: models.Field, language: str | None = None) -> dict[Any, Any]:
    """``{value: label}`` of ``field``'s choices in ``language`` (the active one by default)."""
    key = (field, language if language is not None else get_language())
    try:
        return _LABELS[key]
    except KeyError:
        pass
    found = {
        make_hashable(value): force_str(label, strings_only=True)
        for value, label in field.flatchoices
    }
    _LABELS[key] = found
    return found


def field_display(instance: models.Model, field: models.Field) -> Any:
    """What ``Model._get_FIELD_display`` returns: the label of the instance's value, or the
    value itself when it is not one of the choices."""
    value = getattr(instance, field.attname)
    return labels(field).get(make_hashable(value), force_str(value, strings_only=True))


def install() -> None:
    """Every loaded model's ``get_FOO_display`` (Django binds the method when the class is
    made, so the models already loaded are changed one by one) and the models made later."""
    from django.apps import apps

    models.Model._get_FIELD_display = field_display  # type: ignore[method-assign]
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            bound = model.__dict__.get(name)
            if field.choices and isinstance(bound, partialmethod) and bound.func is _django_display:
                setattr(model, name, partialmethod(field_display, field=field))
