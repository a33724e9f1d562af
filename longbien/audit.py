"""The audit trail: one mechanism (django-auditlog) for every domain record.

Services wrap their writes in :func:`audited` so each log entry carries the actor and the
optional reason. Reads of confidential records are kept apart (:mod:`longbien.confidential`),
and so is their history: :func:`entries_for` gives it only to a user admitted to the record.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from auditlog.cid import get_cid
from auditlog.context import auditlog_value, set_extra_data
from auditlog.diff import get_field_value, get_fields_in_model, is_primitive, model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog as registry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from longbien import confidential
from longbien.bulk import copy_rows
from longbien.org import scope

# Fields derived from others (search folding, sort keys, tree paths) stay out of the diffs.
DERIVED_FIELDS = ["path", "depth", "name_folded", "sort_key", "title_folded"]


@contextlib.contextmanager
def audited(*, actor: Any, reason: str = "") -> Iterator[None]:
    """Attribute every log entry written inside the block to ``actor`` with ``reason``."""
    previous = auditlog_value.get(None)
    data: dict[str, Any] = {"actor": actor if getattr(actor, "pk", None) else None}
    if previous:
        data["remote_addr"] = previous.get("remote_addr")
    if reason:
        data["additional_data"] = {"reason": reason}
    elif previous and previous.get("additional_data"):
        # A service called inside a reasoned block (an import, a merge) keeps that reason.
        data["additional_data"] = previous["additional_data"]
    try:
        with set_extra_data(data):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def log_export(*, actor: Any, model: type[models.Model], register: str, rows: int) -> LogEntry:
    """Record a bulk export (who took which register, how many rows) in the audit trail."""

    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="*",
        object_repr=f"{register}: {rows}",
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=actor if getattr(actor, "pk", None) else None,
        additional_data={"export": register, "rows": rows},
    )


def log_access(*, actor: Any, instance: models.Model, note: str = "") -> None:
    """Record that ``actor`` read ``instance``: see :func:`longbien.confidential.read`."""
    confidential.read(actor, instance, how=confidential.DETAIL, note=note)


@dataclass
class AuditRow:
    """A log entry as a reader sees it: field labels and readable values, not raw ids."""

    timestamp: Any
    actor: Any
    action: int
    changes: list[tuple[str, str, str]]
    additional_data: dict[str, Any]
    record: str = ""


# Bookkeeping columns that say nothing to a reader.
HIDDEN_FIELDS = {
    *DERIVED_FIELDS,
    "id",
    "created_at",
    "year",
    "number",
    "kind_code",
    "issuer_code",
    "password",
    "last_login",
}


def entries_for(instance: models.Model, limit: int = 50, user: Any = None) -> list[AuditRow]:
    """Return one record's newest log entries, readable: labels, choice names, object names.

    A confidential record's history is given only to a ``user`` admitted to the record.
    """
    if scope.is_confidential(instance) and (user is None or not scope.can_on(user, instance)):
        return []
    entries = (
        LogEntry.objects.get_for_object(instance)
        .select_related("actor")
        .order_by("-timestamp")[:limit]
    )
    return audit_rows(entries, user=user)


def audit_rows(entries: Any, user: Any = None) -> list[AuditRow]:
    """Make log entries (of any models) readable, with one query per referenced model.

    A link to a confidential record (a discipline decision's case) is shown only to a
    ``user`` admitted to that record; for anyone else the change is left out, so the history
    neither names the record nor tells that it exists.
    """
    entries = list(entries)
    fields_of: dict[int, dict[str, Any]] = {}
    wanted: dict[type[models.Model], set[str]] = {}
    for entry in entries:
        if entry.content_type_id:
            # From Django's per-process cache of content types, not a query per entry.
            entry.content_type = ContentType.objects.get_for_id(entry.content_type_id)
        if entry.content_type_id not in fields_of:
            model = entry.content_type.model_class()
            fields_of[entry.content_type_id] = (
                {
                    f.name: f
                    for f in model._meta.get_fields()
                    if getattr(f, "concrete", False) or (f.many_to_many and not f.auto_created)
                }
                if model
                else {}
            )
        fields = fields_of[entry.content_type_id]
        for name, values in entry.changes_dict.items():
            field = fields.get(name)
            if field is not None and field.is_relation and field.many_to_one:
                wanted.setdefault(field.related_model, set()).update(
                    str(v) for v in values if v not in (None, "None", "")
                )
    names: dict[tuple[type[models.Model], str], str] = {}
    for related, pks in wanted.items():
        valid = [pk for pk in pks if pk.isdigit()]
        rows = related._default_manager.filter(pk__in=valid)
        if scope.is_confidential(related):
            rows = (
                cast("scope.ScopedQuerySet[Any]", rows).restrict(user)
                if user is not None
                else rows.none()
            )
        for obj in rows:
            names[(related, str(obj.pk))] = str(obj)
    return [_row(entry, fields_of[entry.content_type_id], names) for entry in entries]


def _row(entry: LogEntry, fields: dict[str, Any], names: dict[tuple[Any, str], str]) -> AuditRow:
    changes = []
    order = {name: index for index, name in enumerate(fields)}  # the model's field order
    for name, values in sorted(
        entry.changes_dict.items(), key=lambda item: order.get(item[0], len(order))
    ):
        field = fields.get(name)
        if field is None or name in HIDDEN_FIELDS:
            continue  # reverse relations and bookkeeping
        label = str(capfirst(field.verbose_name))
        if isinstance(values, dict):  # a many-to-many change: records added or removed
            listed = ", ".join(str(item) for item in values.get("objects", []))
            verb = _("bỏ") if values.get("operation") == "delete" else _("thêm")
            changes.append((label, "", f"{verb}: {listed}"))
            continue
        old, new = (list(values) + [None, None])[:2]
        if field.is_relation and field.many_to_one and scope.is_confidential(field.related_model):
            known = [v for v in (old, new) if v not in (None, "None", "")]
            if any((field.related_model, str(v)) not in names for v in known):
                continue  # a confidential record the reader is not admitted to
        changes.append((label, _readable(field, old, names), _readable(field, new, names)))
    record = (
        f"{capfirst(entry.content_type.name)}: {entry.object_repr}"
        if entry.content_type_id
        else entry.object_repr
    )
    return AuditRow(
        entry.timestamp, entry.actor, entry.action, changes, entry.additional_data or {}, record
    )


def _readable(field: Any, value: Any, names: dict[tuple[Any, str], str]) -> str:
    """Show a stored value the way the pages show it (Vietnamese dates, names, labels)."""
    if value in (None, "None", ""):
        return ""
    if field.is_relation and field.many_to_one:
        return names.get((field.related_model, str(value)), f"#{value}")
    choices = dict(getattr(field, "choices", None) or [])
    if choices:
        return str(choices.get(value, value))
    if value in ("True", "False"):
        return str(_("có")) if value == "True" else str(_("không"))
    text = str(value)
    try:
        if isinstance(field, models.DateTimeField):
            moment = dt.datetime.fromisoformat(text)
            if timezone.is_naive(moment):
                # django-auditlog stores date-times as naive UTC (it drops the offset).
                moment = moment.replace(tzinfo=dt.UTC)
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
        if isinstance(field, models.DateField):
            return dt.date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
        if isinstance(field, (models.DecimalField, models.FloatField)):
            return text.replace(".", ",")
        if text.startswith("[") and text.endswith("]"):
            items = ast.literal_eval(text)
            if isinstance(items, list):
                return ", ".join(str(item) for item in items)
    except (ValueError, SyntaxError):
        pass
    return text


_ENTRY_COLUMNS = [
    "content_type_id", "object_pk", "object_id", "object_repr", "action", "changes_text",
    "changes", "cid", "timestamp", "actor_id", "actor_email", "remote_addr", "remote_port",
    "additional_data",
]  # fmt: skip


class _Entries:
    """The audit rows of one batch, as the tuples COPY writes (an import writes thousands).

    The columns auditlog would fill one entry at a time, with what is the same for every row of
    the batch (the content type, the correlation id, the actor and reason of the enclosing
    :func:`audited`, the time) worked out once.
    """

    def __init__(self, model: type[models.Model], action: int) -> None:
        self.action = action
        self.content_type_id = ContentType.objects.get_for_model(model).pk
        self.cid = get_cid()
        context = _context_fields()
        actor = context.get("actor")
        extra = context.get("additional_data")
        self.tail = (
            timezone.now().isoformat(),
            actor.pk if actor is not None else None,
            context.get("actor_email"),
            context.get("remote_addr"),
            context.get("remote_port"),
            None if extra is None else json.dumps(extra),
        )
        self.rows: list[tuple[Any, ...]] = []

    def add(self, instance: models.Model, changes: dict[str, Any] | None) -> None:
        pk = instance.pk
        self.rows.append(
            (
                self.content_type_id,
                str(pk),
                pk if isinstance(pk, int) else None,
                smart_str(instance),
                self.action,
                "",
                None if changes is None else json.dumps(changes),
                self.cid,
                *self.tail,
            )  # fmt: skip
        )

    def write(self) -> None:
        if self.rows:
            copy_rows(LogEntry, _ENTRY_COLUMNS, self.rows)


def _context_fields() -> dict[str, Any]:
    """What auditlog's context (the enclosing :func:`audited`) puts on each log entry.

    The same as its ``pre_save`` receiver does one entry at a time, worked out once for a batch.
    """
    context = auditlog_value.get(None)
    if not context:
        return {}
    fields: dict[str, Any] = {}
    actor = context.get("actor")
    if actor is not None and getattr(actor, "pk", None):
        fields["actor"] = actor
        fields["actor_email"] = getattr(actor, "email", None)
    for key, value in context.items():
        if key != "actor" and hasattr(LogEntry, key):
            fields[key] = value() if callable(value) else value
    return fields


def _value_reader(field: Any, use_json: bool) -> Any:
    """A function reading ``field``'s value as auditlog's ``get_field_value`` would, chosen once.

    The plain cases (a foreign key's id, a stored value as text) are read directly; date-times
    and JSON keep auditlog's own conversion.
    """
    if isinstance(field, models.DateTimeField | models.JSONField) or use_json:
        return lambda obj: get_field_value(obj, field, use_json)
    if (
        not getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False)
        and (field.one_to_one or field.many_to_one)
        and hasattr(field, "rel_class")
    ):
        attname = field.get_attname()
        return lambda obj: smart_str(getattr(obj, attname), strings_only=True)
    name = field.name

    def read(obj: models.Model) -> Any:
        value = getattr(obj, name)
        return value if type(value) is str else str(smart_str(value))

    return read


def _text(value: Any) -> Any:
    """``smart_str(value)``; text is its own (the readers give most values as text)."""
    return value if isinstance(value, str) else smart_str(value)


def log_updated_in_bulk(pairs: Sequence[tuple[models.Model, models.Model]]) -> None:
    """Write the "changed" audit rows of records updated by ``bulk_update`` (before, after).

    As auditlog would one by one, inside the enclosing :func:`audited` block.
    """

    if not pairs or not registry.contains(type(pairs[0][1])):
        return
    use_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    model = type(pairs[0][1])
    entries = _Entries(model, LogEntry.Action.UPDATE)
    registered = registry.get_model_fields(model)
    readers = None  # masked values: leave them to auditlog's own diff
    if not registered["mask_fields"]:
        # model_instance_diff(before, after) compares the concrete fields: worked out once.
        readers = [
            (f.name, _value_reader(f, use_json))
            for f in model._meta.concrete_fields
            if (not registered["include_fields"] or f.name in registered["include_fields"])
            and f.name not in registered["exclude_fields"]
        ]
    for before, after in pairs:
        if readers is None:
            changes = model_instance_diff(before, after, use_json_for_changes=use_json)
        else:
            changes = {}
            for name, read in readers:
                old, new = read(before), read(after)
                if old != new:
                    changes[name] = (old, new) if use_json else (_text(old), _text(new))
        if changes:
            entries.add(after, changes)
    entries.write()


def log_created_in_bulk(instances: Sequence[models.Model]) -> None:
    """Write the "created" audit rows of records inserted by ``bulk_create``, in one insert.

    ``bulk_create`` sends no signals, so auditlog writes nothing by itself. The rows are the
    ones auditlog would write one by one (the same diff of the registered fields, the actor
    and reason of the enclosing :func:`audited` block), so batch and single services leave
    the same trail.
    """

    if not instances:
        return
    model = type(instances[0])
    if not registry.contains(model):
        return
    use_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    entries = _Entries(model, LogEntry.Action.CREATE)
    # New records have no reverse one-to-one partner yet; say so rather than ask, row by row.
    reverse_one_to_one = [f.cache_name for f in model._meta.related_objects if f.one_to_one]
    # model_instance_diff(None, instance) field by field, with the field list worked out once.
    settings_of_model = registry.get_model_fields(model)
    fields = [
        f
        for f in get_fields_in_model(instances[0])
        if (
            not settings_of_model["include_fields"] or f.name in settings_of_model["include_fields"]
        )
        and f.name not in settings_of_model["exclude_fields"]
        and f.name not in settings_of_model["mask_fields"]
    ]
    if settings_of_model["mask_fields"]:
        fields = []  # masked values: leave them to auditlog's own diff
    defaults = {f.name: get_field_value(None, f, use_json) for f in fields}
    for cache_name in reverse_one_to_one:
        instances[0]._state.fields_cache.setdefault(cache_name, None)
    # A reverse relation reads the same for every new record (its manager's name, or nothing):
    # worked out once, from the first.
    constant = {
        f.name: get_field_value(instances[0], f, use_json)
        for f in fields
        if f.auto_created and not f.concrete
    }
    readers = [
        (
            f.name,
            defaults[f.name],
            # The default as the entry shows it, once per field rather than once per record.
            defaults[f.name]
            if use_json and is_primitive(defaults[f.name])
            else smart_str(defaults[f.name]),
            (lambda obj, value=constant[f.name]: value)
            if f.name in constant
            else _value_reader(f, use_json),
        )
        for f in fields
    ]
    for instance in instances:
        for cache_name in reverse_one_to_one:
            instance._state.fields_cache.setdefault(cache_name, None)
        changes: dict[str, Any] | None
        if fields:
            changes = {}
            for name, old, shown, read in readers:
                value = read(instance)
                if value != old:
                    # Text is its own smart_str: most values are read as text already.
                    if not isinstance(value, str) and (not use_json or not is_primitive(value)):
                        value = smart_str(value)
                    changes[name] = (shown, value)
        else:
            changes = model_instance_diff(None, instance, use_json_for_changes=use_json)
        entries.add(instance, changes)
    entries.write()
