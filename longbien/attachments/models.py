"""Files attached to records, stored outside the web root, served through a permission check."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from longbien.core.links import reverse
from longbien.fields import LineField


def _upload_to(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on a record; its visibility is that of the record."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("loại hồ sơ")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("mã hồ sơ"))
    record = GenericForeignKey("content_type", "object_id")
    record.verbose_name = _("hồ sơ")  # GenericForeignKey takes no label argument
    file = models.FileField(upload_to=_upload_to, max_length=300, verbose_name=_("tệp"))
    original_name = LineField(_("tên tệp"), max_length=255)
    mime_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64, verbose_name=_("mã băm SHA-256"))
    description = LineField(_("mô tả"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("attachment_download", args=[self.pk])
