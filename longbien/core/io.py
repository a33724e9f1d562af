"""Import and export of registers (django-import-export), shared by the UI and the commands.

Every import is checked in full first (a dry run that collects every row's errors); it is
applied only when no row has an error, in one transaction: all rows or none.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources

from longbien.audit import audited, log_export
from longbien.org import scope

from .models import ImportJob

FORMATS = {"xlsx", "csv"}


class ScopedResource(resources.ModelResource):
    """A resource that exports only what the user may see and imports only into their scope."""

    scope_area: str = scope.Area.ORG

    def __init__(self, user: Any = None, progress_key: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.progress_key = progress_key
        self.rows_done = 0

    def after_import_row(self, row, row_result, **kwargs) -> None:
        """Publish progress through the cache (the import's transaction hides the rows)."""
        super().after_import_row(row, row_result, **kwargs)
        self.rows_done += 1
        if self.progress_key and self.rows_done % 20 == 0:
            cache.set(self.progress_key, self.rows_done, 3600)

    def get_queryset(self) -> models.QuerySet:
        return self._meta.model.objects.restrict(self.user)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not self.in_scope(instance):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(_("Bản ghi nằm ngoài phạm vi đơn vị bạn được giao."))
            )
        super().validate_instance(instance, errors, validate_unique)

    def in_scope(self, instance: models.Model) -> bool:
        if not scope.can_on(self.user, instance, scope.CHANGE):
            return False
        if instance.pk:
            stored = type(instance)._default_manager.filter(pk=instance.pk).first()
            if stored is not None and not scope.can_on(self.user, stored, scope.CHANGE):
                return False
        return True


@dataclass(frozen=True)
class Register:
    name: str
    label: Any
    resource: type[ScopedResource]
    area: str
    export_action: str = scope.VIEW


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


def export_register(*, user: Any, name: str, fmt: str = "xlsx") -> bytes:
    """Export a register as xlsx or csv bytes, restricted to what the user may see."""
    item = get_register(name)
    if fmt not in FORMATS:
        raise ValidationError(_("Định dạng không hỗ trợ: chỉ xlsx hoặc csv."))
    if not scope.has_area(user, item.area, item.export_action):
        raise PermissionDenied(_("Bạn không có quyền xuất danh sách này."))
    resource = item.resource(user=user)
    # Native types in Excel: numbers and dates as such, not as text.
    dataset = resource.export(force_native_type=fmt == "xlsx")
    log_export(actor=user, model=resource._meta.model, register=item.name, rows=len(dataset))
    data = _escape_formulae(dataset).export(fmt)
    return data.encode("utf-8-sig") if isinstance(data, str) else data


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

    @property
    def ok(self) -> bool:
        return not self.errors


FORMULA_STARTS = ("=", "+", "@")


def _escape_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """Write text that would start a spreadsheet formula with a leading apostrophe.

    Only text cells change (numbers and dates stay native); :func:`read_dataset` removes
    the apostrophe again, so an export imports back unchanged.
    """
    escaped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        escaped.append(
            [f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in row]
        )
    return escaped


def _unescape_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    restored = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        restored.append(
            [
                c[1:] if isinstance(c, str) and c[:1] == "'" and c[1:2] in FORMULA_STARTS else c
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
            prefix = (
                "" if field_name == NON_FIELD_ERRORS else f"{headers.get(field_name, field_name)}: "
            )
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
    resource = item.resource(user=user, progress_key=progress_key)
    with transaction.atomic(), audited(actor=user, reason=reason or _("Nhập từ tệp")):
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
    outcome = _outcome(result, resource, len(dataset), applied=False)
    outcome.applied = not dry_run and outcome.ok
    return outcome


def import_job_start(
    *, user: Any, name: str, data: bytes, fmt: str, filename: str, dry_run: bool, reason: str = ""
) -> ImportJob:
    """Queue a large import for a worker: the file is stored, the job row tracks the outcome."""
    item = get_register(name)
    if not scope.has_area(user, item.area, scope.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu vào danh sách này."))
    total = len(read_dataset(data, fmt))
    path = default_storage.save(f"imports/{user.pk}/{uuid.uuid4().hex}.{fmt}", ContentFile(data))
    job = ImportJob.objects.create(
        user=user, register=name, path=path, fmt=fmt, filename=filename[:255], dry_run=dry_run,
        reason=reason, total=total,
    )  # fmt: skip
    from .tasks import import_records_task

    transaction.on_commit(lambda: import_records_task.delay(job.pk))
    return job


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Run a queued job (the Celery task calls this); running it again after a crash is safe."""
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        data = default_storage.open(job.path).read()
        outcome = import_register(
            user=job.user, name=job.register, data=data, fmt=job.fmt, dry_run=job.dry_run,
            reason=job.reason, progress_key=job.progress_key,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as error:
        job.errors = [{"line": 0, "messages": getattr(error, "messages", [str(error)])}]
        job.status = ImportJob.Status.DONE
    else:
        job.applied, job.new, job.updated = outcome.applied, outcome.new, outcome.updated
        job.errors = [{"line": e.line, "messages": e.messages} for e in outcome.errors]
        job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    cache.delete(job.progress_key)
    if job.applied:
        default_storage.delete(job.path)
    return job


def _outcome(result: Any, resource: ScopedResource, total: int, *, applied: bool) -> ImportOutcome:
    totals = result.totals
    return ImportOutcome(
        applied=applied,
        total=total,
        new=totals.get("new", 0),
        updated=totals.get("update", 0),
        errors=_collect(result, resource),
    )
