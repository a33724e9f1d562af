"""The start-up check of the models' Scope declarations (longbien/core/checks.py)."""

from __future__ import annotations

import pytest
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from longbien.core.checks import check_scoped_models, scoped_model_errors
from longbien.org.models import OrgUnit
from longbien.org.scope import Area
from longbien.procedures.models import Procedure
from resolutions.models import Task


def _ids(errors) -> set[str]:
    return {error.id for error in errors}


def test_the_project_passes_the_scope_checks():
    assert check_scoped_models() == []
    registered = checks.run_checks(tags=[checks.Tags.models])
    assert [e for e in registered if e.id.startswith("longbien.")] == []


def test_a_misspelt_area_and_a_broken_unit_path_are_reported(monkeypatch):
    class Scope:
        area = "procedure"  # not an Area value
        unit_field = "owner_unit__nowhere"

    monkeypatch.setattr(Procedure, "Scope", Scope)
    errors = [e for e in checks.run_checks(tags=[checks.Tags.models]) if e.obj is Procedure]
    assert _ids(errors) == {"longbien.E001", "longbien.E002"}


def test_a_unit_field_that_leads_elsewhere_than_a_unit_is_reported(monkeypatch):
    class Scope:
        area = Area.RESOLUTIONS
        unit_field = "document"  # a document, not a unit

    monkeypatch.setattr(Task, "Scope", Scope)
    assert _ids(scoped_model_errors([Task])) == {"longbien.E002"}


def test_an_empty_unit_field_is_for_the_unit_model_only(monkeypatch):
    class Scope:
        area = Area.RESOLUTIONS
        unit_field = ""

    monkeypatch.setattr(Task, "Scope", Scope)
    assert _ids(scoped_model_errors([Task])) == {"longbien.E002"}
    assert scoped_model_errors([OrgUnit]) == []


@isolate_apps("tests.confidential_app")
def test_no_restrict_and_a_confidential_model_without_an_integer_key_are_reported():
    class LooseSecret(models.Model):
        id = models.UUIDField(primary_key=True)
        unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

        class Scope:
            area = Area.INSPECTIONS
            unit_field = "unit"
            confidential = True

        class Meta:
            app_label = "confidential_app"

        def __str__(self) -> str:
            return str(self.pk)

    errors = scoped_model_errors([LooseSecret])
    assert _ids(errors) == {"longbien.E003", "longbien.E004"}
    assert all(isinstance(error, checks.Error) for error in errors)


@pytest.mark.parametrize("missing", ["area", "unit_field"])
def test_a_missing_declaration_is_reported(monkeypatch, missing):
    values = {"area": Area.ORG, "unit_field": "owner_unit"}
    del values[missing]
    monkeypatch.setattr(Procedure, "Scope", type("Scope", (), values))
    expected = {"area": "longbien.E001", "unit_field": "longbien.E002"}[missing]
    assert _ids(scoped_model_errors([Procedure])) == {expected}
