"""Model fields whose text is stored normalised, and the clean-up of rows stored before them.

Every free-text column is one of :class:`LineField` (one line), :class:`ParagraphField`
(several lines) or :class:`CodeField` (a code or a symbol). Each field cleans its value with
:func:`longbien.text.clean_input`, the one rule, wherever a value reaches it:

- ``to_python``, so ``full_clean()`` (which every service calls before its own checks and
  ``save``) leaves the instance holding the cleaned text: the duplicate checks and unique
  constraints see ``9901-QĐ/QU`` whether ``９９０１-QĐ/QU`` was typed, sent or imported;
  lookups (``filter(code=…)``) and ``QuerySet.update`` go through it as well;
- ``pre_save``, for a save that skipped ``full_clean()``;
- ``formfield()``, whose form field cleans too, so ``cleaned_data`` and a form shown again
  hold the cleaned text;
- the API: a ``ModelSerializer`` gives these fields a serializer field that cleans, so the
  model's validators (a symbol's pattern) judge the cleaned text there as in ``full_clean``.

Choices, hashes, paths, keys and other values written by code stay plain ``CharField``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from rest_framework import serializers

from longbien.text import clean_input

logger = logging.getLogger(__name__)


# --- Form fields ------------------------------------------------------------------------


class CleanCharFormField(forms.CharField):
    """A form field giving (and showing again) text cleaned by :func:`clean_input`."""

    multiline = False
    code = False

    def clean_text(self, value: Any) -> Any:
        if isinstance(value, str):
            return clean_input(value, multiline=self.multiline, code=self.code)
        return value

    def to_python(self, value: Any) -> Any:
        return self.clean_text(super().to_python(value))

    def prepare_value(self, value: Any) -> Any:
        return self.clean_text(super().prepare_value(value))


class LineFormField(CleanCharFormField):
    """One line of text: line breaks and tabs become spaces."""


class ParagraphFormField(CleanCharFormField):
    """Text of several lines: line breaks kept as ``\\n``."""

    multiline = True


class CodeFormField(CleanCharFormField):
    """A code or a symbol: full-width forms and typographic dashes become ASCII."""

    code = True


# --- Model fields -----------------------------------------------------------------------


class CleanTextField(models.Field):
    """What the three text fields share (mixed in before ``CharField`` or ``TextField``)."""

    multiline = False
    code = False
    form_field_class: type[CleanCharFormField] = LineFormField

    def clean_text(self, value: Any) -> Any:
        if isinstance(value, str):
            return clean_input(value, multiline=self.multiline, code=self.code)
        return value

    def to_python(self, value: Any) -> Any:
        return self.clean_text(super().to_python(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        cleaned = self.clean_text(value)
        if cleaned != value:
            setattr(model_instance, self.attname, cleaned)
        return cleaned

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or self.form_field_class,
            choices_form_class=choices_form_class,
            **kwargs,
        )


class LineField(CleanTextField, models.CharField):
    """One line of free text (a title, a name, a note): line breaks become spaces."""


class ParagraphField(CleanTextField, models.TextField):
    """Free text of several lines (a summary, an assessment): line breaks kept as ``\\n``."""

    multiline = True
    form_field_class = ParagraphFormField


class CodeField(LineField):
    """A code or a document symbol typed by people: ``９９０１－QĐ／QU`` is ``9901-QĐ/QU``."""

    code = True
    form_field_class = CodeFormField


# --- API fields: what ``ModelSerializer`` builds for the model fields above -----------------


class CleanCharSerializerField(serializers.CharField):
    """A serializer field reading text as the model field stores it."""

    multiline = False
    code = False

    def to_internal_value(self, data: Any) -> str:
        return clean_input(
            super().to_internal_value(data), multiline=self.multiline, code=self.code
        )


class ParagraphSerializerField(CleanCharSerializerField):
    multiline = True


class CodeSerializerField(CleanCharSerializerField):
    code = True


# DRF looks a model field's class (and its bases) up in this mapping, for every serializer.
serializers.ModelSerializer.serializer_field_mapping.update(
    {
        LineField: CleanCharSerializerField,
        ParagraphField: ParagraphSerializerField,
        CodeField: CodeSerializerField,
    }
)


# --- Rows stored before the fields: one clean-up for every app's data migration ---------


def _clean_value(field: models.Field, value: Any) -> Any:
    if isinstance(field, CleanTextField):
        return field.clean_text(value)
    if isinstance(value, list):  # an ArrayField of clean text
        return [_clean_value(field.base_field, item) for item in value]  # type: ignore[attr-defined]
    return value


def _cleans(field: models.Field) -> bool:
    if isinstance(field, ArrayField):
        return isinstance(field.base_field, CleanTextField)
    return isinstance(field, CleanTextField)


def clean_stored_text(
    apps: Any,
    app_label: str,
    *,
    derived: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
    keep: Iterable[str] = (),
    batch_size: int = 1000,
) -> int:
    """Clean the text columns of every row of an app stored before its fields cleaned input.

    Walks the app's models (the historical ones of ``apps`` in a migration) for columns of
    the fields above, reads them in batches by primary key and rewrites the values that
    cleaning changes. ``derived`` maps a model name to a function that gives the columns
    computed from its text (search and sort columns) from the row's cleaned text columns;
    ``keep`` names columns (``"Model.field"``) to leave as stored.

    A row whose cleaned text would duplicate another row's (two symbols that differ only by
    full-width digits, on a unique constraint) is left as it was for that column and logged
    by model, id and column, never by content: the migration goes on, and the next change of
    the record through a service meets the duplicate check. Returns the number of rows
    changed.
    """
    kept = set(keep)
    changed = 0
    for model in apps.get_app_config(app_label).get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        name = model.__name__
        fields = [
            f for f in model._meta.concrete_fields if _cleans(f) and f"{name}.{f.name}" not in kept
        ]
        if not fields:
            continue
        refresh = (derived or {}).get(name)
        manager = model._base_manager
        columns = [f.attname for f in fields]
        last = None
        while True:
            rows = manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            batch = list(rows.values_list("pk", *columns)[:batch_size])
            if not batch:
                break
            last = batch[-1][0]
            for pk, *values in batch:
                stored = dict(zip(columns, values, strict=True))
                cleaned = {
                    column: new
                    for field, column in zip(fields, columns, strict=True)
                    if (new := _clean_value(field, stored[column])) != stored[column]
                }
                if cleaned and _rewrite(manager, pk, stored, cleaned, refresh):
                    changed += 1
    return changed


def _rewrite(
    manager: Any,
    pk: Any,
    stored: dict[str, Any],
    cleaned: dict[str, Any],
    refresh: Callable[[dict[str, Any]], dict[str, Any]] | None,
) -> bool:
    """Write a row's cleaned columns; on a clash, each column alone; log what stays."""

    def write(columns: dict[str, Any]) -> bool:
        values = columns | (refresh(stored | columns) if refresh else {})
        try:
            with transaction.atomic(using=manager.db):
                manager.filter(pk=pk).update(**values)
        except IntegrityError:
            return False
        return True

    if write(cleaned):
        return True
    done = False
    for column, value in cleaned.items():
        if write({column: value}):
            stored = stored | {column: value}
            done = True
        else:
            logger.warning(
                "%s %s: %s left as stored; cleaned it would duplicate another row",
                manager.model._meta.label,
                pk,
                column,
            )
    return done


# --- Paths through fields ----------------------------------------------------------------------


def column_path(model: Any, path: str) -> list[Any] | None:
    """The fields ``path`` (``"unit__path"``) runs through to a column of the row or of a row
    it points to, the column last; None for anything else: a reverse or many-to-many
    relation, a relation as the last step (a related row, not a column), an annotation, a
    transform. The API's keyset ordering and the spans' conditions written as SQL both read
    a path this way."""
    found: list[Any] = []
    names = path.split("__")
    for position, name in enumerate(names):
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.many_to_many or field.one_to_many:
            return None
        last = position == len(names) - 1
        if field.is_relation:
            if last:
                return None
            model = field.related_model
        elif not last:
            return None
        found.append(field)
    return found
