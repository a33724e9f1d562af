from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from longbien import confidential
from longbien.org import scope

from . import selectors, services


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    confidential.read(request.user, attachment.record, how=confidential.FILE, note=str(attachment))
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "/")
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@login_required
@require_POST
def upload(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        record = model._default_manager.get(pk=object_id)
    except Exception as exc:  # noqa: BLE001
        raise Http404 from exc
    # As for download and delete: a record the user may not see is not found (404), one they
    # see but may not change is forbidden (403, from the service).
    if not hasattr(model, "Scope") or not scope.can_on(request.user, record, scope.VIEW):
        raise Http404
    upload_file = request.FILES.get("file")
    if upload_file is None:
        messages.error(request, _("Hãy chọn một tệp để tải lên."))
        return redirect(_back(request))
    try:
        services.attachment_add(
            actor=request.user,
            record=record,
            upload=upload_file,
            description=request.POST.get("description", "")[:300],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("Đã đính kèm tệp %(name)s.") % {"name": upload_file.name})
    return redirect(_back(request))


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    services.attachment_delete(
        actor=request.user, attachment=attachment, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Đã xóa tệp."))
    return redirect(_back(request))
