"""Kernel records: in-app notifications, import jobs, the working calendar's recorded days
and the reads of confidential records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.links import reverse
from longbien.fields import LineField, ParagraphField


class Notification(models.Model):
    """A message to one user; ``key`` makes sending idempotent (one reminder per event)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("khóa chống gửi trùng"), max_length=200)
    title = LineField(_("tiêu đề"), max_length=300)
    body = ParagraphField(_("nội dung"), blank=True)
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
        ABANDONED = "abandoned", _("Đã hủy")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    register = models.CharField(_("danh mục"), max_length=40)
    # The uploaded file (personal data): emptied once the file is deleted, which happens when
    # the job is applied, fails, is abandoned, or outlives IMPORT_FILE_RETENTION_DAYS.
    path = models.CharField(_("tệp lưu tạm"), max_length=300, blank=True)
    fmt = models.CharField(_("định dạng"), max_length=10)
    filename = LineField(_("tệp"), max_length=255)
    dry_run = models.BooleanField(_("chỉ kiểm tra"), default=True)
    reason = LineField(_("lý do"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("số dòng"), default=0)
    new = models.PositiveIntegerField(_("số dòng mới"), default=0)
    updated = models.PositiveIntegerField(_("số dòng cập nhật"), default=0)
    applied = models.BooleanField(_("đã ghi"), default=False)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # A clean check's before → after values of the records the file changes (the first
    # ``io.IMPORT_JOB_CHANGES_SHOWN`` of them): personal data, emptied with the file.
    changes = models.JSONField(_("thay đổi"), default=list, blank=True)
    changes_total = models.PositiveIntegerField(_("số bản ghi thay đổi"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc nhập dữ liệu")
        verbose_name_plural = _("việc nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.register}: {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("io_job", args=[self.pk])

    @property
    def progress_key(self) -> str:
        return f"import-job:{self.pk}:rows"


class CalendarDay(models.Model):
    """A day whose status differs from the national calendar, recorded by staff.

    The ``holidays`` package gives the public holidays; this table adds what it does not know
    (an extra day off announced for one year) or overrides it (a Saturday worked in exchange).
    Read by :mod:`longbien.deadlines`; changed only through ``calendar_day_set`` and
    ``calendar_day_remove``.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ (nghỉ bù, nghỉ thêm)")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=16, choices=Kind.choices)
    note = LineField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"


class AccessEntry(models.Model):
    """One read of confidential records (:mod:`longbien.confidential`): who, what, how, when.

    Kept apart from the audit log: reads are many, and only the confidential area's role may
    see them. A list or an export is one entry naming every record it showed.
    """

    class How(models.TextChoices):
        LIST = "list", _("Danh sách")
        DETAIL = "detail", _("Xem chi tiết")
        API = "api", _("API")
        EXPORT = "export", _("Xuất tệp")
        FILE = "file", _("Tải tệp đính kèm")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xem"),
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    how = models.CharField(_("cách xem"), max_length=10, choices=How.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("loại hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The record of a detail, API detail or file read; empty for a list or an export.
    object_id = models.CharField(_("mã bản ghi"), max_length=64, blank=True)
    object_ids = models.JSONField(_("các bản ghi"), default=list, blank=True)
    count = models.PositiveIntegerField(_("số bản ghi"), default=0)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    remote_addr = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt xem hồ sơ mật")
        verbose_name_plural = _("lượt xem hồ sơ mật")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_access_record"),
            models.Index(fields=["user", "at"], name="core_access_user"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.username} {self.get_how_display()} {timezone.localtime(self.at):%d/%m/%Y %H:%M}"
        )


class FigureChange(models.Model):
    """A write to a table that indicators read: one row per statement, written by a
    PostgreSQL statement trigger (:mod:`longbien.figure_cache`), whatever wrote it (a service,
    a bulk import, the admin, raw SQL). A table's version is the sum of its rows' weights;
    compaction folds rows into one with their summed weight, so versions only grow."""

    table_name = models.CharField(_("bảng"), max_length=63, db_index=True)
    weight = models.BigIntegerField(_("số lần ghi"), default=1)

    class Meta:
        verbose_name = _("thay đổi dữ liệu số liệu")
        verbose_name_plural = _("thay đổi dữ liệu số liệu")

    def __str__(self) -> str:
        return f"{self.table_name} +{self.weight}"


class FigureCache(models.Model):
    """One indicator provider's counts for a unit subtree, a period and a day, kept with the
    version of the tables the provider reads (:mod:`longbien.figure_cache`). Stored in the
    database so that it commits and rolls back with the records it was computed from."""

    provider = models.CharField(_("nguồn số liệu"), max_length=200)
    unit_id = models.BigIntegerField(_("mã đơn vị"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    as_of = models.DateField(_("tính đến ngày"))
    version = models.BigIntegerField(_("phiên bản dữ liệu"))
    counts = models.JSONField(_("số liệu"))
    computed_at = models.DateTimeField(_("thời điểm tính"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu đã tính")
        verbose_name_plural = _("số liệu đã tính")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "unit_id", "start", "end", "as_of"],
                name="core_figurecache_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.unit_id} {self.start}–{self.end} ({self.as_of})"
