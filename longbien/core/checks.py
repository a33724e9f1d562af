"""Start-up checks of the scoped models' declarations (``manage.py check``, ``runserver``).

A model joins the scope rules by declaring an inner ``Scope`` class (``area``, ``unit_field``,
optionally ``confidential``) and a queryset with ``restrict()``. A typo there would not fail
until a page or a report of that area is read; these checks fail at start-up instead.

- ``longbien.E001``: ``Scope.area`` is missing or not one of ``scope.Area``'s values (nor
  ``Scope.view_area``, when declared).
- ``longbien.E002``: ``Scope.unit_field`` does not lead to an ``OrgUnit`` through foreign
  keys (``""`` is for ``OrgUnit`` itself only).
- ``longbien.E003``: the default manager's queryset has no ``restrict()``.
- ``longbien.E004``: a confidential model without an integer primary key (the audit log and
  the access entries name records by integer ids).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from longbien.org import scope


def known_areas() -> set[str]:
    """Return the values of ``scope.Area`` (its upper-case string attributes)."""
    return {
        value
        for name, value in vars(scope.Area).items()
        if name.isupper() and isinstance(value, str)
    }


def unit_model() -> type[models.Model]:
    return apps.get_model("org", "OrgUnit")


def _follow(model: type[models.Model], path: str) -> type[models.Model] | None:
    """Return the model a ``__`` path of forward relations ends at (None if it breaks)."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            return None
        model = field.related_model
    return model


def _is_unit(model: type[models.Model] | None) -> bool:
    return model is not None and issubclass(model, unit_model())


def scoped_model_errors(models_: Iterable[type[models.Model]]) -> list[checks.CheckMessage]:
    """Check the ``Scope`` declarations of ``models_`` (those without one are skipped)."""
    errors: list[checks.CheckMessage] = []
    areas = known_areas()
    for model in models_:
        declared = getattr(model, "Scope", None)
        if declared is None:
            continue
        label = model._meta.label
        area = getattr(declared, "area", None)
        if area not in areas:
            errors.append(
                checks.Error(
                    f"{label}.Scope.area is {area!r}, not one of scope.Area's values.",
                    hint="Use a constant of longbien.org.scope.Area: " + ", ".join(sorted(areas)),
                    obj=model,
                    id="longbien.E001",
                )
            )
        view_area = getattr(declared, "view_area", None)
        if view_area is not None and view_area not in areas:
            errors.append(
                checks.Error(
                    f"{label}.Scope.view_area is {view_area!r}, not one of scope.Area's values.",
                    hint="Use a constant of longbien.org.scope.Area: " + ", ".join(sorted(areas)),
                    obj=model,
                    id="longbien.E001",
                )
            )
        unit_field = getattr(declared, "unit_field", None)
        if unit_field is None:
            problem = "is missing"
        elif unit_field == "":
            problem = "" if _is_unit(model) else 'is "" but the model is not OrgUnit'
        else:
            problem = "" if _is_unit(_follow(model, unit_field)) else "does not lead to an OrgUnit"
        if problem:
            errors.append(
                checks.Error(
                    f"{label}.Scope.unit_field ({unit_field!r}) {problem}.",
                    hint='A path of foreign keys, such as "unit" or "task__unit".',
                    obj=model,
                    id="longbien.E002",
                )
            )
        if not hasattr(model._default_manager.all(), "restrict"):
            errors.append(
                checks.Error(
                    f"{label}'s default manager has no restrict().",
                    hint="objects = ScopedQuerySet.as_manager() (longbien.org.scope).",
                    obj=model,
                    id="longbien.E003",
                )
            )
        if getattr(declared, "confidential", False) and not isinstance(
            model._meta.pk, models.IntegerField
        ):
            errors.append(
                checks.Error(
                    f"{label} is confidential but its primary key is not an integer.",
                    hint="Confidential models keep integer primary keys (the audit log's ids).",
                    obj=model,
                    id="longbien.E004",
                )
            )
    return errors


def check_scoped_models(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The registered check: every installed model (or those of ``app_configs``)."""
    if app_configs is None:
        found = apps.get_models()
    else:
        found = [model for config in app_configs for model in config.get_models()]
    return scoped_model_errors(found)
