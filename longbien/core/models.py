"""In-app notifications (reminders of deadlines and the like)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one user; ``key`` makes sending idempotent (one reminder per event)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="core_notification_unread")]

    def __str__(self) -> str:
        return self.title


class ImportJob(models.Model):
    """A large import checked or applied by a Celery worker, with its outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi hệ thống")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    register = models.CharField(_("danh mục"), max_length=40)
    path = models.CharField(max_length=300)
    fmt = models.CharField(max_length=10)
    filename = models.CharField(_("tệp"), max_length=255)
    dry_run = models.BooleanField(_("chỉ kiểm tra"), default=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("số dòng"), default=0)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    applied = models.BooleanField(default=False)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("việc nhập dữ liệu")
        verbose_name_plural = _("việc nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.register}: {self.filename}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("io_job", args=[self.pk])

    @property
    def progress_key(self) -> str:
        return f"import-job:{self.pk}:rows"
