from __future__ import annotations

from collections.abc import Sequence

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


def attachments_for_many(
    *, user: Viewer, objs: Sequence[models.Model]
) -> dict[int, list[Attachment]]:
    """Return the attachments of each of ``objs`` (one model) the user may see, by pk.

    Two queries whatever the number of records: which of them the user may see (through the
    model's ``restrict()``), and their files.
    """
    found: dict[int, list[Attachment]] = {obj.pk: [] for obj in objs}
    if not objs:
        return found
    model = type(objs[0])
    visible = list(
        model._default_manager.restrict(user)  # type: ignore[attr-defined]
        .filter(pk__in=list(found))
        .values_list("pk", flat=True)
    )
    files = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=visible
    ).select_related("uploaded_by")
    for attachment in files.order_by("pk"):
        found[attachment.object_id].append(attachment)
    return found


def attachment_get(*, user: Viewer, pk: int) -> Attachment | None:
    """Return the attachment if the user may see the record it belongs to."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        return None
    record = attachment.record
    if record is None or not scope.can_on(user, record, scope.VIEW):
        return None
    return attachment
