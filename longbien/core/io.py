"""Import and export of registers (django-import-export), shared by the UI and the commands.

Every import is checked in full first (a dry run that collects every row's errors); it is
applied only when no row has an error, in one transaction: all rows or none.
"""

from __future__ import annotations

import datetime as dt
import functools
import io as std_io
import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import tablib
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    MultipleObjectsReturned,
    PermissionDenied,
    ValidationError,
)
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from longbien import confidential
from longbien.audit import audited, log_export
from longbien.fields import CleanTextField
from longbien.org import scope
from longbien.service import batch

from .models import ImportJob

FORMATS = {"xlsx", "csv"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    """A row of the file that changes a stored record: what the dry run lists."""

    line: int
    record: str
    fields: list[FieldChange]


def _comparable(field: models.Field, value: Any) -> Any:
    """``value`` as stored: text cleaned as its field cleans it, no text as ``""``."""
    if isinstance(field, CleanTextField):
        return "" if value is None else field.clean_text(value)
    if isinstance(field, ArrayField) and isinstance(value, list | tuple):
        return [_comparable(field.base_field, item) for item in value]
    if value is None and isinstance(field, models.CharField | models.TextField):
        return ""
    return value


class ScopedResource(resources.ModelResource):
    """A resource that exports only what the user may see and imports only into their scope."""

    scope_area: str = scope.Area.ORG
    #: Service argument names that stand for a column (``units`` → the ``unit`` column).
    error_fields: dict[str, str] = {}

    def __init__(self, user: Any = None, progress_key: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.progress_key = progress_key
        self.rows_done = 0
        # Lookups (each resource has its own copies of the widgets) see what the user sees.
        for column in self.fields.values():
            if hasattr(column.widget, "user"):
                column.widget.user = user

    def after_import_row(self, row, row_result, **kwargs) -> None:
        """Publish progress through the cache (the import's transaction hides the rows)."""
        super().after_import_row(row, row_result, **kwargs)
        self.rows_done += 1
        if self.progress_key and self.rows_done % 20 == 0:
            cache.set(self.progress_key, self.rows_done, 3600)

    def get_queryset(self) -> models.QuerySet:
        return self._meta.model.objects.restrict(self.user)

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        # Rows are written by services only (ServiceResource); a plain resource only exports.
        raise ValidationError(_("Danh sách này chỉ xuất ra, không nhập vào được."))


class PreloadedLookup:
    """A lookup widget's memory: the codes of a whole file found in one query, then reused.

    Mixed into a ``ForeignKeyWidget``; :meth:`ServiceResource.before_import` hands each such
    widget its column. A value not preloaded is looked up (and remembered) as before.
    """

    def lookup_key(self, value: Any) -> str:
        return "" if value is None else str(value).strip()

    def preload(self, values: Any) -> None:
        keys = {self.lookup_key(v) for v in values} - {""}
        if not keys:
            return
        memo = self.__dict__.setdefault("_memo", {})
        try:
            found = list(self.get_queryset(None, None).filter(**{f"{self.field}__in": keys}))
        except (ValueError, TypeError, ValidationError):
            return  # a cell that is not a valid key reports itself when its row is read
        for obj in found:
            memo[self.lookup_key(getattr(obj, self.field))] = obj

    def remembered(self, value: Any) -> Any:
        return self.__dict__.get("_memo", {}).get(self.lookup_key(value))

    def remember(self, value: Any, obj: Any) -> None:
        if obj is not None:
            self.__dict__.setdefault("_memo", {})[self.lookup_key(value)] = obj


# --- Widgets: cells read and written the Vietnamese way -------------------------------------


class ChoiceLabelWidget(widgets.Widget):
    """Read and write a choice by its Vietnamese label (the value is accepted too)."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = [(value, str(label)) for value, label in choices]

    def clean(self, value, row=None, **kwargs):
        text = (str(value) if value is not None else "").strip()
        if not text:
            return None
        for choice, label in self.choices:
            if text.lower() in (choice.lower(), label.lower()):
                return choice
        raise ValueError(
            _("Giá trị “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {
                "value": text,
                "allowed": ", ".join(label for _v, label in self.choices),
            }
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class LookupWidget(PreloadedLookup, widgets.ForeignKeyWidget):
    """A foreign key by code or id, looked up within the importing user's scope.

    The model's ``restrict()`` for the user (set on the widget by the resource) narrows the
    lookup, so a code outside the user's scope is "not found", exactly as an unknown code;
    :meth:`scoped` may narrow it differently. Found objects are remembered for the file (and
    a file's codes are preloaded in one query), so a thousand rows of one unit cost one query.
    Unknown, ambiguous and unreadable values give a Vietnamese message (:meth:`unknown`).
    """

    user: Any = None  # the importing user, set by the resource

    def scoped(self, user: Any) -> models.QuerySet:
        queryset = self.model._default_manager.all()
        if user is not None and hasattr(queryset, "restrict"):
            queryset = queryset.restrict(user)
        return queryset

    def get_queryset(self, value, row, *args, **kwargs):
        return self.scoped(kwargs.get("user") or self.user)

    def clean(self, value, row=None, **kwargs):
        found = self.remembered(value)
        if found is not None:
            return found
        try:
            found = super().clean(value, row, **kwargs)
        except (self.model.DoesNotExist, MultipleObjectsReturned) as exc:
            raise ValueError(self.unknown(value)) from exc
        except (TypeError, ValueError, ValidationError) as exc:
            raise ValueError(self.invalid(value)) from exc
        self.remember(value, found)
        return found

    def unknown(self, value: Any) -> str:
        return _("Không tìm thấy %(model)s “%(value)s”.") % {
            "model": self.model._meta.verbose_name,
            "value": value,
        }

    def invalid(self, value: Any) -> str:
        return _("Giá trị “%(value)s” không hợp lệ.") % {"value": value}


class BooleanWidget(widgets.Widget):
    """A yes/no cell written "Có" / "Không"; 1/0, x and true/false are read as well."""

    TRUE = frozenset({"có", "co", "1", "x", "true", "yes"})
    FALSE = frozenset({"không", "khong", "0", "false", "no"})

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)  # an Excel number cell
        text = str(value).strip().lower()
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            _("Giá trị “%(value)s” không hợp lệ; dùng Có hoặc Không.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("Có") if value else _("Không")


class LinesWidget(widgets.Widget):
    """A list of one-line texts (a document's topics), one item per line of the cell.

    A one-line text is stored without line breaks (:func:`longbien.text.clean_input`), so the
    line break is the one separator that can never occur inside an item: a topic holding a
    comma or a semicolon comes back whole. In Excel a line break in a cell is Alt+Enter.
    """

    def clean(self, value, row=None, **kwargs):
        return [item.strip() for item in str(value or "").splitlines() if item.strip()]

    def render(self, value, obj=None, **kwargs):
        return "\n".join(value or [])


def name_column(attribute: str, header: str) -> fields.Field:
    """A read-only column that shows a looked-up record by name (``unit__name``).

    It sits beside the code column the import reads (``Đơn vị`` beside ``Mã đơn vị``): a
    reader sees the name, the import finds the record by its code and ignores this column.
    """
    return fields.Field(attribute=attribute, column_name=header, readonly=True)


_WHOLE_NUMBER = re.compile(r"-?\d{1,18}", re.ASCII)


class IntegerWidget(widgets.IntegerWidget):
    """django-import-export's integer cell, a plain ``123`` read directly.

    Its own ``clean`` asks the active language's separators (``sanitize_separators``) and goes
    through ``Decimal`` for every cell; a file's thousands of ids and percentages are digits.
    Anything else ("1.000", "12,0", an Excel float) keeps the library's reading and errors.
    """

    def clean(self, value, row=None, **kwargs):
        if type(value) is int:
            return value
        if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
            return int(value)
        return super().clean(value, row, **kwargs)


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


class DateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.date()  # Excel cells hold datetimes
        try:
            # What strptime("%d/%m/%Y") reads, read directly: a file's thousands of dates.
            found = _DAY_MONTH_YEAR.fullmatch(value) if isinstance(value, str) else None
            if found is not None:
                day, month, year = (int(part) for part in found.groups())
                return dt.date(year, month, day)
            return super().clean(value, row, **kwargs)
        except ValueError as exc:
            raise ValueError(
                _("Ngày không hợp lệ: “%(value)s” (dùng dạng ngày/tháng/năm).") % {"value": value}
            ) from exc


def _plain(value: Any) -> Any:
    """An id cell's value as stored: a related record by its primary key."""
    return value.pk if isinstance(value, models.Model) else value


class FileInstanceLoader(ModelInstanceLoader):
    """Load every stored row a file may update in one query, for any number of id columns.

    A row whose id cells cannot be read is treated as new; its cells report their own error.
    """

    def __init__(self, resource: Any, dataset: Any = None) -> None:
        super().__init__(resource, dataset)
        self.id_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.stored: dict[tuple, Any] = {}
        if dataset is None or not dataset.dict:
            return
        keys = {key for key in map(self._key, dataset.dict) if key is not None}
        if not keys:
            return
        # Each id column narrows the query (a person's evaluations of the file's years only),
        # and a related record is compared by its id, never fetched one stored row at a time.
        model_fields = self.get_queryset().model._meta
        columns = []
        for id_field in self.id_fields:
            try:
                columns.append(model_fields.get_field(id_field.attribute).attname)
            except FieldDoesNotExist:
                columns.append(id_field.attribute)
        queryset = self.get_queryset().filter(
            **{
                f"{column}__in": {key[position] for key in keys}
                for position, column in enumerate(columns)
            }
        )
        for instance in queryset:
            key = tuple(getattr(instance, column) for column in columns)
            if key in keys:
                self.stored[key] = instance

    def _key(self, row: Any) -> tuple | None:
        try:
            key = tuple(_plain(field.clean(row)) for field in self.id_fields)
        except (ValueError, KeyError, TypeError, ValidationError):
            return None
        return None if any(value in (None, "") for value in key) else key

    def get_instance(self, row: Any) -> Any:
        key = self._key(row)
        return self.stored.get(key) if key is not None else None


class ServiceResource(ScopedResource):
    """A resource whose rows are written by the app's services, never by django-import-export.

    A new row calls :meth:`create`, a changed row :meth:`update` with the stored record (as
    it is in the database) and only the columns that changed; both call the app's services,
    so an imported row has exactly the effects of the same change made on a page: tree
    paths, position histories, roll-ups, workflow, scope, audit. A column the services do
    not let an import change is refused with a message naming it (``fixed_on_update``).
    Rows of a dry run go through the same services inside a transaction that is rolled back,
    so the preview shows what the import will do.
    """

    class Meta:
        # No savepoint per row from django-import-export: each service call is atomic, and
        # the import's own transaction holds the whole file (rows are never bulk-saved by
        # django-import-export: save_instance below hands them to the services).
        use_bulk = True
        instance_loader_class = FileInstanceLoader
        # No diff from django-import-export: the preview's before → after of each changed
        # row is ServiceResource.changes (the stored values against the cleaned cells), and
        # an unchanged row is skipped (skip_row below compares the same values).
        skip_diff = True
        skip_html_diff = True

    #: Columns (attributes) that an import may set on a new row but never change.
    fixed_on_update: tuple[str, ...] = ()
    #: New rows go to :meth:`create_many` in one call at the end of the file (a batch
    #: service: the same checks with set-based queries, bulk inserts, audit rows in bulk).
    #: Only for registers whose new rows never refer to each other.
    batch_create: bool = False

    def __init__(self, user: Any = None, reason: str = "", **kwargs: Any) -> None:
        super().__init__(user=user, **kwargs)
        self.reason = reason
        self._pending: list[tuple[int, Any, dict[str, Any]]] = []
        #: The rows of the file that change a stored record, with each field's before → after.
        self.changes: list[RowChange] = []

    def create(self, *, values: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def create_many(self, *, rows: list[dict[str, Any]]) -> list[ValidationError | None]:
        """Create every new row at once; return each row's error (None where it is fine)."""
        raise NotImplementedError

    def update(self, *, stored: models.Model, changes: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def import_attributes(self) -> list[str]:
        """Return the model attributes the file may write (not read-only, not a lookup)."""
        return list(self._stored_columns)

    @functools.cached_property
    def _stored_columns(self) -> dict[str, str]:
        """Each attribute the file may write, with its column (``unit`` → ``unit_id``): once."""
        model = self._meta.model
        pk = model._meta.pk.name
        return {
            f.attribute: getattr(model._meta.get_field(f.attribute), "attname", f.attribute)
            for f in self.get_import_fields()
            if f.attribute and "__" not in f.attribute and not f.readonly and f.attribute != pk
        }

    def _values(self, instance: models.Model) -> dict[str, Any]:
        """The writable values of ``instance`` as the services would store them.

        Text is compared after the cleaning of :mod:`longbien.fields` (a cell "Hà Nội " equals
        the stored "Hà Nội") and an empty text cell equals an empty stored text.
        """
        model = type(instance)
        return {
            name: _comparable(model._meta.get_field(name), getattr(instance, attname))
            for name, attname in self._stored_columns.items()
        }

    def _differences(self, stored: models.Model, instance: models.Model) -> list[str]:
        before, after = self._values(stored), self._values(instance)
        return [name for name in self._stored_columns if before[name] != after[name]]

    def _describe(self, name: str, value: Any) -> str:
        """A value as the dry run shows it: a record by its name, a choice by its label."""
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, models.Model):
            return str(value)
        if isinstance(value, list):
            return "; ".join(str(item) for item in value)
        column = self._columns_by_attribute.get(name)
        if column is not None:
            return str(column.widget.render(value))
        return str(value)

    @functools.cached_property
    def _columns_by_attribute(self) -> dict[str, Any]:
        return {f.attribute: f for f in self.fields.values() if f.attribute}

    def _record_change(self, line: int, stored: models.Model, instance: models.Model) -> None:
        names = self._differences(stored, instance)
        if not names:
            return
        self.changes.append(
            RowChange(
                line=line,
                record=str(stored),
                fields=[
                    FieldChange(
                        label=self._columns_by_attribute[name].column_name,
                        before=self._describe(name, getattr(stored, name)),
                        after=self._describe(name, getattr(instance, name)),
                    )
                    for name in names
                ],
            )
        )

    def import_instance(self, instance, row, **kwargs) -> None:
        if instance.pk is not None:
            instance._import_before = self._values(instance)  # for skip_row, without a deepcopy
        super().import_instance(instance, row, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        """Skip a stored row whose cells change nothing (an export imported back)."""
        if not self._meta.skip_unchanged or import_validation_errors or instance.pk is None:
            return False
        before = getattr(instance, "_import_before", None)
        return before is not None and before == self._values(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Cells that could not be read are reported here; every other rule is the service's.
        if import_validation_errors:
            raise ValidationError(dict(import_validation_errors))

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        self.before_save_instance(instance, row, **kwargs)
        if is_create and instance.pk is not None:
            # An id the user may not see, or none at all: never a new record under a typo.
            headers = {f.attribute: f.column_name for f in self.fields.values()}
            pk = type(instance)._meta.pk.name
            raise ValidationError(
                {
                    pk: _(
                        "Không tìm thấy bản ghi có %(column)s “%(value)s”; để trống ô này "
                        "khi thêm mới."
                    )  # fmt: skip
                    % {"column": headers.get(pk, pk), "value": instance.pk}
                }
            )
        if is_create and self.batch_create:
            values = {name: getattr(instance, name) for name in self.import_attributes()}
            self._pending.append((kwargs.get("row_number", 0), row, values))
            return
        try:
            if is_create:
                values = {name: getattr(instance, name) for name in self.import_attributes()}
                saved = self.create(values=values)
            else:
                saved = self._update_from(instance, line=kwargs.get("row_number", 0) + 1)
        except PermissionDenied as denied:
            raise ValidationError({NON_FIELD_ERRORS: [str(denied)]}) from denied
        except ValidationError as error:
            raise ValidationError(error.update_error_dict({})) from error
        if saved is not None and saved.pk and instance.pk is None:
            instance.pk = saved.pk
        self.after_save_instance(instance, row, **kwargs)

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        # Every code of the file looked up at once: one query per column, not one per row.
        headers = set(dataset.headers or ())
        for column in self.get_import_fields():
            if isinstance(column.widget, PreloadedLookup) and column.column_name in headers:
                column.widget.preload(dataset[column.column_name])

    def after_import(self, dataset, result, **kwargs) -> None:
        if self._pending:
            self._flush(result)
        super().after_import(dataset, result, **kwargs)

    def _flush(self, result: Any) -> None:
        pending, self._pending = self._pending, []
        try:
            errors = self.create_many(rows=[values for _n, _r, values in pending])
        except PermissionDenied as denied:
            errors = [ValidationError({NON_FIELD_ERRORS: [str(denied)]})] * len(pending)
        for (number, row, _values), error in zip(pending, errors, strict=True):
            if error is not None:
                result.append_invalid_row(number, row, ValidationError(error.update_error_dict({})))
                result.totals["new"] -= 1
                result.totals["invalid"] += 1

    def _update_from(self, instance: models.Model, *, line: int = 0) -> models.Model | None:
        model = type(instance)
        stored = model._default_manager.get(pk=instance.pk)
        changes = {name: getattr(instance, name) for name in self._differences(stored, instance)}
        fixed = [name for name in changes if name in self.fixed_on_update]
        if fixed:
            headers = {f.attribute: f.column_name for f in self.fields.values()}
            raise ValidationError(
                {
                    name: [
                        _("Không sửa được cột “%(column)s” bằng nhập tệp.")
                        % {"column": headers.get(name, name)}
                    ]
                    for name in fixed
                }
            )
        if not changes:
            return stored
        self._record_change(line, stored, instance)
        return self.update(stored=stored, changes=changes)


@dataclass(frozen=True)
class Register:
    name: str
    label: Any
    resource: type[ScopedResource]
    area: str
    export_action: str = scope.VIEW
    # An export-only register (the confidential cases) has no import page and refuses files.
    importable: bool = True


_REGISTERS: dict[str, Register] = {}


def register(*items: Register) -> None:
    for item in items:
        _REGISTERS[item.name] = item


def get_register(name: str) -> Register:
    try:
        return _REGISTERS[name]
    except KeyError as exc:
        raise LookupError(name) from exc


def registers() -> list[Register]:
    return list(_REGISTERS.values())


def export_register(*, user: Any, name: str, fmt: str = "xlsx", narrow: Any = None) -> bytes:
    """Export a register as xlsx or csv bytes, restricted to what the user may see.

    ``narrow`` (the register's list filters, :func:`longbien.core.filters.for_export`) takes
    the restricted rows and keeps those the list page shows.
    """
    item = get_register(name)
    if fmt not in FORMATS:
        raise ValidationError(_("Định dạng không hỗ trợ: chỉ xlsx hoặc csv."))
    if not scope.has_area(user, item.area, item.export_action):
        raise PermissionDenied(_("Bạn không có quyền xuất danh sách này."))
    resource = item.resource(user=user)
    rows = resource.get_queryset()
    if narrow is not None:
        rows = narrow(rows)
    # Native types in Excel: numbers and dates as such, not as text.
    dataset = resource.export(
        confidential.read(user, rows, how=confidential.EXPORT)
        if confidential.is_confidential(resource._meta.model)
        else (rows if narrow is not None else None),
        force_native_type=fmt == "xlsx",
    )
    log_export(actor=user, model=resource._meta.model, register=item.name, rows=len(dataset))
    dataset = _escape_formulae(dataset)
    if fmt == "xlsx":
        return _workbook(dataset, title=str(item.label))
    return dataset.export("csv").encode("utf-8-sig")


#: Characters an Excel sheet name may not hold; a sheet name has at most 31 of them.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: How a date cell reads in the workbook: a real date, shown the Vietnamese way.
EXCEL_DATE_FORMAT = "DD/MM/YYYY"


def sheet_title(label: str) -> str:
    """The register's name as an Excel sheet name (no ``[]:*?/\\``, at most 31 characters)."""
    title = " ".join(_SHEET_FORBIDDEN.sub(" ", label).split())[:31].strip().strip("'")
    return title or "Sheet1"


def _workbook(dataset: tablib.Dataset, *, title: str) -> bytes:
    """Write an export as a workbook: one sheet named after the register, dates as dates.

    Headers are bold and stay in view; a date cell is an Excel date shown dd/mm/yyyy; a cell
    of several lines (a document's topics) wraps.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    headers = list(dataset.headers or [])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in dataset:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            value = cell.value
            if isinstance(value, dt.date):
                cell.number_format = EXCEL_DATE_FORMAT
                width = 10
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                width = max(len(line) for line in value.splitlines())
            else:
                width = len(str(value)) if value is not None else 0
            widths[cell.column - 1] = max(widths[cell.column - 1], width)
    for index, width in enumerate(widths, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    buffer = std_io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class RowError:
    line: int
    messages: list[str]


@dataclass
class ImportOutcome:
    applied: bool
    total: int
    new: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Each stored record the file changes, with its fields' before → after values.
    changes: list[RowChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# What a spreadsheet may read as the start of a formula (OWASP's CSV injection list, with the
# full-width forms some spreadsheets read the same way).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# A plain number ("-5", "+84912345678", "1.004,5") is never a formula: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*")


def _reads_as_formula(text: str) -> bool:
    """Say whether a spreadsheet could run ``text``, or ``text`` is such text with apostrophes.

    Text already made of apostrophes and such text is escaped once more, so that
    :func:`_unescape_formulae` gives every stored value back exactly.
    """
    text = text.lstrip("'")
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def _export_cell(value: Any) -> Any:
    """Make one exported cell safe: the one place every register's cells pass through.

    Text loses the control characters a workbook cannot hold (a row stored before input was
    cleaned, or written around the services, still exports), and text a spreadsheet would
    run as a formula gets a leading apostrophe. Numbers and dates stay native.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{value}" if _reads_as_formula(value) else value


def _escape_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """Give every cell of an export through :func:`_export_cell` (xlsx and csv alike).

    :func:`read_dataset` removes the apostrophe again, so an export imports back unchanged.
    """
    escaped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        escaped.append([_export_cell(c) for c in row])
    return escaped


def _unescape_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    restored = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        restored.append(
            [
                c[1:] if isinstance(c, str) and c[:1] == "'" and _reads_as_formula(c[1:]) else c
                for c in row
            ]
        )
    return restored


def read_dataset(data: bytes, fmt: str) -> tablib.Dataset:
    if fmt not in FORMATS:
        raise ValidationError(_("Định dạng không hỗ trợ: chỉ xlsx hoặc csv."))
    try:
        if fmt == "csv":
            return _unescape_formulae(tablib.Dataset().load(data.decode("utf-8-sig"), format="csv"))
        return _unescape_formulae(tablib.Dataset().load(data, format="xlsx"))
    except Exception as exc:  # noqa: BLE001  (tablib raises many kinds on a broken file)
        raise ValidationError(
            _("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) hoặc CSV (UTF-8).")
        ) from exc


def _collect(result: Any, resource: ScopedResource) -> list[RowError]:
    headers = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    errors: list[RowError] = []
    for error in result.base_errors:
        errors.append(RowError(0, [str(error.error)]))
    for number, row_errors in result.row_errors():
        errors.append(RowError(number + 1, [_message(e.error) for e in row_errors]))
    for invalid in result.invalid_rows:
        messages = []
        for field_name, field_errors in invalid.error_dict.items():
            # A service names its own arguments; those that are not a column get no prefix.
            field_name = resource.error_fields.get(field_name, field_name)
            prefix = f"{headers[field_name]}: " if field_name in headers else ""
            messages.extend(prefix + str(m) for m in field_errors)
        errors.append(RowError(invalid.number + 1, messages))
    return sorted(errors, key=lambda e: e.line)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error) or error.__class__.__name__


def import_register(
    *,
    user: Any,
    name: str,
    data: bytes,
    fmt: str,
    dry_run: bool = True,
    reason: str = "",
    progress_key: str = "",
) -> ImportOutcome:
    """Check (``dry_run``) or apply an import; nothing is written unless every row is valid."""
    item = get_register(name)
    if not item.importable:
        raise PermissionDenied(_("Danh sách này chỉ xuất ra, không nhập vào."))
    if not scope.has_area(user, item.area, scope.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu vào danh sách này."))
    dataset = read_dataset(data, fmt)
    if not dataset.headers:
        raise ValidationError(_("Tệp không có dòng tiêu đề."))
    return _run(item, user, dataset, dry_run=dry_run, reason=reason, progress_key=progress_key)


def _run(
    item: Register,
    user: Any,
    dataset: tablib.Dataset,
    *,
    dry_run: bool,
    reason: str,
    progress_key: str = "",
) -> ImportOutcome:
    """One pass in one transaction: any row error or invalid row rolls every row back."""
    reason = reason or _("Nhập từ tệp")
    if issubclass(item.resource, ServiceResource):
        resource = item.resource(user=user, progress_key=progress_key, reason=reason)
    else:
        resource = item.resource(user=user, progress_key=progress_key)
    with batch(), audited(actor=user, reason=reason):
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
    _raise_lost_connection(result)
    outcome = _outcome(result, resource, len(dataset), applied=False)
    outcome.applied = not dry_run and outcome.ok
    outcome.changes = sorted(getattr(resource, "changes", []), key=lambda c: c.line)
    return outcome


def _raise_lost_connection(result: Any) -> None:
    """Raise the database fault a row ran into: the system failed there, not the row.

    django-import-export records any exception of a row as that row's error; a connection
    lost half-way would list the driver's text against every later row and a background job
    would end "done". Raised, nothing is written (the file's transaction is gone with the
    connection), the page answers the 503 and a job is marked failed.
    """
    errors = [*result.base_errors, *(e for _n, row in result.row_errors() for e in row)]
    for error in errors:
        if isinstance(error.error, OperationalError | InterfaceError):
            raise error.error


#: Jobs a worker has nothing more to do for.
FINISHED = (ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.ABANDONED)
#: Where uploaded import files are kept, one folder per user, until applied or abandoned.
IMPORT_DIR = "imports"
#: How many changed records a background check keeps to show (the page says when it cuts).
IMPORT_JOB_CHANGES_SHOWN = 500


def import_job_start(
    *, user: Any, name: str, data: bytes, fmt: str, filename: str, dry_run: bool, reason: str = ""
) -> ImportJob:
    """Queue a large import for a worker: the file is stored, the job row tracks the outcome."""
    item = get_register(name)
    if not scope.has_area(user, item.area, scope.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu vào danh sách này."))
    total = len(read_dataset(data, fmt))
    path = import_file_store(user=user, data=data, fmt=fmt)
    job = ImportJob.objects.create(
        user=user, register=name, path=path, fmt=fmt, filename=filename[:255], dry_run=dry_run,
        reason=reason, total=total,
    )  # fmt: skip
    from .tasks import import_records_task  # the task module imports this one: a real cycle

    transaction.on_commit(lambda: import_records_task.delay(job.pk))
    return job


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Run a queued job (the Celery task calls this); running it again after a crash is safe.

    The uploaded file is deleted when the job ends, unless it is a clean check waiting to be
    applied (then :func:`import_job_abandon` or :func:`import_files_purge` deletes it).
    """
    if job.status in FINISHED:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        data = import_file_read(job.path)
        outcome = import_register(
            user=job.user, name=job.register, data=data, fmt=job.fmt, dry_run=job.dry_run,
            reason=job.reason, progress_key=job.progress_key,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as error:
        job.errors = [{"line": 0, "messages": getattr(error, "messages", [str(error)])}]
        job.status = ImportJob.Status.DONE
    except Exception:
        # A fault of the system: the job says so and the file does not outlive it.
        import_file_discard(job.path)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, path="", finished_at=timezone.now()
        )
        cache.delete(job.progress_key)
        raise
    else:
        job.applied, job.new, job.updated = outcome.applied, outcome.new, outcome.updated
        job.errors = [{"line": e.line, "messages": e.messages} for e in outcome.errors]
        if job.dry_run and not job.errors:  # what applying it would change, as on the page
            job.changes_total = len(outcome.changes)
            job.changes = [asdict(c) for c in outcome.changes[:IMPORT_JOB_CHANGES_SHOWN]]
        job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    if not (job.dry_run and not job.errors):
        import_file_discard(job.path)  # applied, or refused: it will never be applied
        job.path = ""
    job.save()
    cache.delete(job.progress_key)
    return job


def import_file_store(*, user: Any, data: bytes, fmt: str) -> str:
    """Store an uploaded import file under a random name; return its storage path."""
    return default_storage.save(
        f"{IMPORT_DIR}/{user.pk}/{uuid.uuid4().hex}.{fmt}", ContentFile(data)
    )


def import_file_read(path: str) -> bytes:
    """Read a stored import file; a deleted one (abandoned, or past its retention) is an error."""
    if path:
        try:
            with default_storage.open(path) as stored:
                return stored.read()
        except FileNotFoundError:
            pass
    raise ValidationError(
        _("Tệp nhập không còn được lưu (đã hủy hoặc quá hạn lưu giữ); hãy tải tệp lên lại.")
    )


def import_file_discard(path: str) -> None:
    """Delete a stored import file (it carries personal data), if it is still there."""
    if path:
        default_storage.delete(path)


def import_job_apply(*, user: Any, job: ImportJob) -> ImportJob:
    """Apply a checked file: a new job imports it, and the checked job's copy is deleted."""
    if job.status != ImportJob.Status.DONE or not job.dry_run or job.errors:
        raise ValidationError(_("Chỉ nhập được tệp đã kiểm tra xong và không có lỗi."))
    applied = import_job_start(
        user=user, name=job.register, data=import_file_read(job.path), fmt=job.fmt,
        filename=job.filename, dry_run=False, reason=job.reason,
    )  # fmt: skip
    import_file_discard(job.path)
    job.path, job.changes = "", []  # the values it listed are personal data too
    job.save(update_fields=["path", "changes"])
    return applied


def import_job_abandon(*, job: ImportJob) -> ImportJob:
    """Drop a checked file the user chose not to import: it is deleted, the job marked so."""
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        raise ValidationError(_("Tệp đang được kiểm tra; hãy đợi kiểm tra xong rồi hủy."))
    import_file_discard(job.path)
    job.path, job.changes = "", []
    if job.status == ImportJob.Status.DONE and not job.applied:
        job.status = ImportJob.Status.ABANDONED
    job.save(update_fields=["path", "changes", "status"])
    return job


def import_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete uploaded import files older than ``IMPORT_FILE_RETENTION_DAYS``; return how many.

    A job's file goes first, the job marked abandoned if it was still waiting; then any file
    no job names (a small import checked on the page and never confirmed), by its age.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    removed = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(path=""):
        import_file_discard(job.path)
        waiting = job.status not in FINISHED or (job.dry_run and not job.errors)
        ImportJob.objects.filter(pk=job.pk).update(
            path="", changes=[], status=ImportJob.Status.ABANDONED if waiting else job.status
        )
        removed += 1
    for path in _stored_import_files():
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


def _stored_import_files() -> list[str]:
    try:
        folders, files = default_storage.listdir(IMPORT_DIR)
    except FileNotFoundError:
        return []
    paths = [f"{IMPORT_DIR}/{name}" for name in files]
    for folder in folders:
        inside = default_storage.listdir(f"{IMPORT_DIR}/{folder}")[1]
        paths.extend(f"{IMPORT_DIR}/{folder}/{name}" for name in inside)
    return paths


def _outcome(result: Any, resource: ScopedResource, total: int, *, applied: bool) -> ImportOutcome:
    totals = result.totals
    return ImportOutcome(
        applied=applied,
        total=total,
        new=totals.get("new", 0),
        updated=totals.get("update", 0),
        errors=_collect(result, resource),
    )
