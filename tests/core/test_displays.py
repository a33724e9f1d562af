"""A choice field's label from the kept dict (longbien/core/displays.py) is Django's own."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from longbien.core import displays

CHOICE_FIELDS = [
    (model, field)
    for model in apps.get_models()
    for field in model._meta.concrete_fields
    if field.choices
]


def test_installed_in_every_model() -> None:
    assert models.Model._get_FIELD_display is displays.field_display
    for model, field in CHOICE_FIELDS:
        method = model.__dict__.get(f"get_{field.name}_display")
        if method is None:  # declared by the model itself
            continue
        assert method.func is displays.field_display, (model, field)


def test_there_are_choice_fields_to_compare() -> None:
    assert len(CHOICE_FIELDS) > 20


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_choice_and_a_stranger_read_as_django_reads_them(language: str) -> None:
    with translation.override(language):
        for model, field in CHOICE_FIELDS:
            for value in [value for value, _label in field.flatchoices] + ["không-có", None]:
                instance = model()
                setattr(instance, field.attname, value)
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == displays._django_display(instance, field), (model, field, value)
                assert type(ours) is type(displays._django_display(instance, field))


def test_the_label_follows_the_active_language() -> None:
    """The first language asked does not stay: each language has its own labels."""
    from longbien.org.models import OrgUnit

    field = OrgUnit._meta.get_field("kind")
    value, label = field.flatchoices[0]
    unit = OrgUnit(kind=value)
    with translation.override("en"):
        english = unit.get_kind_display()
        assert english == translation.gettext(str(label))
    with translation.override("vi"):
        vietnamese = unit.get_kind_display()
        assert vietnamese == str(label)  # the msgid is the Vietnamese text
    assert english != vietnamese


def test_a_value_outside_the_choices_reads_as_django_reads_it() -> None:
    from longbien.org.models import OrgUnit

    unit = OrgUnit()
    for value in (["a", "list"], 7, "lạ"):
        unit.kind = value  # type: ignore[assignment]
        assert unit.get_kind_display() == displays._django_display(
            unit, unit._meta.get_field("kind")
        )
