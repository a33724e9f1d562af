from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from longbien.org import scope
from longbien.org.types import Viewer

from .models import Attachment


def attachments_for(*, user: Viewer, obj: models.Model) -> list[Attachment]:
    """Return the attachments of ``obj`` if the user may see ``obj``, else none."""
    if not scope.can_on(user, obj, scope.VIEW):
        return []
    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("uploaded_by")
    )


def attachment_get(*, user: Viewer, pk: int) -> Attachment | None:
    """Return the attachment if the user may see the record it belongs to."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        return None
    record = attachment.record
    if record is None or not scope.can_on(user, record, scope.VIEW):
        return None
    return attachment
