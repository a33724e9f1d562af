"""Attach files to records: type checked by content, size limited, audited."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.types import Actor
from longbien.service import service

from .models import Attachment

# Detected type -> the file name extensions it may carry.
ALLOWED_TYPES = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
}


def _check_file(upload: UploadedFile) -> str:
    # Django types an upload's size as optional; an uploaded file always has one.
    size = upload.size or 0
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("Tệp quá lớn: tối đa %(size)s.")
                % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Chỉ nhận tệp PDF, Word, Excel, OpenDocument, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."
                )
            }
        )
    if extension not in ALLOWED_TYPES[kind.mime]:
        raise ValidationError({"file": _("Phần mở rộng của tệp không khớp với nội dung tệp.")})
    return kind.mime


@service
def attachment_add(
    *, actor: Actor, record: models.Model, upload: UploadedFile, description: str = ""
) -> Attachment:
    """Attach ``upload`` to ``record``; the actor must be allowed to change the record."""
    if not scope.can_on(actor, record, scope.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền đính kèm tệp vào hồ sơ này."))
    mime = _check_file(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        original_name=PurePath(upload.name or "").name[:255],
        mime_type=mime,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    with audited(actor=actor):
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save()
    return attachment


@service
def save_with_file(
    record: models.Model,
    *,
    actor: Actor,
    reason: str = "",
    file: UploadedFile | None = None,
    attach_to: models.Model | None = None,
) -> None:
    """Save ``record`` in one audited write with ``file`` (if any) attached to it, or to
    ``attach_to`` (a follow-up's evidence goes on its inspection): a refused file saves nothing."""
    with audited(actor=actor, reason=reason):
        record.save()
        if file is not None:
            attachment_add(actor=actor, record=attach_to or record, upload=file)


@service
def attachment_delete(*, actor: Actor, attachment: Attachment, reason: str = "") -> None:
    record = attachment.record
    if record is None or not scope.can_on(actor, record, scope.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền xóa tệp này."))
    stored = attachment.file.name
    with audited(actor=actor, reason=reason):
        attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))
