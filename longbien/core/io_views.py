"""Pages to export a register and to import one with a dry run first."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from longbien.org import scope

from . import filters, io
from .models import ImportJob

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx) hoặc CSV (UTF-8)"))
    reason = forms.CharField(label=gettext_lazy("Lý do / căn cứ"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Tệp quá lớn: tối đa 10 MB mỗi lần nhập."))
        if PurePath(upload.name).suffix.lower() not in {".xlsx", ".csv"}:
            raise ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        return upload


def _register_or_404(name: str) -> io.Register:
    try:
        return io.get_register(name)
    except LookupError as exc:
        raise Http404 from exc


@login_required
def export_view(request: HttpRequest, name: str) -> HttpResponse:
    item = _register_or_404(name)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in io.FORMATS:
        fmt = "xlsx"
    # The export holds what the register's page shows: its filters come with the link.
    narrow = filters.for_export(item.name, request)
    data = io.export_register(user=request.user, name=name, fmt=fmt, narrow=narrow)
    content_type = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
    }[fmt]
    response = HttpResponse(data, content_type=content_type)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{item.name}-{stamp}.{fmt}"'
    return response


@login_required
def import_view(request: HttpRequest, name: str) -> HttpResponse:
    item = _register_or_404(name)
    if not item.importable:
        raise Http404
    if not scope.has_area(request.user, item.area, scope.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu vào danh sách này."))
    pending = request.session.get("pending_import")
    outcome = None
    form = ImportForm()
    if request.method == "POST" and request.POST.get("abandon"):
        # The checked file carries personal data: not imported, it is not kept either.
        if pending:
            io.import_file_discard(pending["path"])
            del request.session["pending_import"]
            messages.success(request, _("Đã hủy lần nhập; tệp đã tải lên đã được xóa."))
        return redirect(request.path)
    if (
        request.method == "POST"
        and request.POST.get("confirm")
        and pending
        and pending.get("register") == name
    ):
        try:
            data = io.import_file_read(pending["path"])
        except ValidationError as error:
            del request.session["pending_import"]
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        try:
            outcome = io.import_register(
                user=request.user,
                name=name,
                data=data,
                fmt=pending["format"],
                dry_run=False,
                reason=pending.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            io.import_file_discard(pending["path"])
            del request.session["pending_import"]
            if outcome.applied:
                messages.success(
                    request,
                    ngettext(
                        "Đã nhập %(total)s dòng: %(new)s mới, %(updated)s cập nhật.",
                        "Đã nhập %(total)s dòng: %(new)s mới, %(updated)s cập nhật.",
                        outcome.total,
                    )
                    % {"total": outcome.total, "new": outcome.new, "updated": outcome.updated},
                )
                return redirect(request.path)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            if pending:  # a new file replaces the one checked before: that one is dropped
                io.import_file_discard(pending["path"])
                del request.session["pending_import"]
            upload = form.cleaned_data["file"]
            fmt = PurePath(upload.name).suffix.lower().lstrip(".")
            data = upload.read()
            try:
                if len(io.read_dataset(data, fmt)) > settings.IMPORT_BACKGROUND_ROWS:
                    # A large file is checked by a worker; the page follows its progress.
                    job = io.import_job_start(
                        user=request.user, name=name, data=data, fmt=fmt, filename=upload.name,
                        dry_run=True, reason=form.cleaned_data["reason"],
                    )  # fmt: skip
                    return redirect(job)
                outcome = io.import_register(
                    user=request.user, name=name, data=data, fmt=fmt, dry_run=True
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                if outcome.ok:
                    path = io.import_file_store(user=request.user, data=data, fmt=fmt)
                    request.session["pending_import"] = {
                        "register": name, "path": path, "format": fmt, "reason": form.cleaned_data["reason"],
                        "filename": upload.name,
                    }  # fmt: skip
    return render(
        request,
        "core/import.html",
        {
            "register": item,
            "form": form,
            "outcome": outcome,
            "pending": request.session.get("pending_import"),
        },
    )


@login_required
def import_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import: its progress, then its outcome; a checked file can be applied."""
    job = ImportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        raise Http404
    if request.method == "POST" and (request.POST.get("apply") or request.POST.get("abandon")):
        try:
            if request.POST.get("apply"):
                return redirect(io.import_job_apply(user=request.user, job=job))
            io.import_job_abandon(job=job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã hủy lần nhập; tệp đã tải lên đã được xóa."))
        return redirect(job)
    running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    return render(
        request,
        "core/import_job.html",
        {
            "job": job,
            "register": io.get_register(job.register),
            "running": running,
            "done_rows": cache.get(job.progress_key, 0) if running else job.total,
        },
    )
