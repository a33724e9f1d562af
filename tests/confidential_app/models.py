from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse

from longbien.core.search import SearchHit
from longbien.fields import LineField
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.scope import Area, ScopedQuerySet


class Secret(models.Model):
    """A denunciation-like record: the confidential declaration and nothing else."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    title = LineField(max_length=200)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTIONS
        unit_field = "unit"
        confidential = True

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("secret_detail", args=[self.pk])


class EveryoneQuerySet(ScopedQuerySet):
    def scope_filter(self, user: Any, action: str = scope.VIEW) -> Q:
        return scope.everything()  # a rule of its own that would let anybody read


class OpenSecret(models.Model):
    """A confidential model whose own restrict hook admits everyone: the gate still holds."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    title = LineField(max_length=200)

    objects = EveryoneQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTIONS
        unit_field = "unit"
        confidential = True

    def __str__(self) -> str:
        return self.title


def search_secrets(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = Secret.objects.restrict(user).filter(title__icontains=query)[:limit]
    return [SearchHit("secret", s.title, "", s.get_absolute_url()) for s in rows]


def provide(*, unit: OrgUnit, start: Any, end: Any) -> dict[str, int]:
    return {"secrets.total": Secret.objects.filter(unit__path__startswith=unit.path).count()}
