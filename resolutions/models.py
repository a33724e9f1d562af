"""Resolutions, conclusions and other Party documents, and their implementation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien.core.links import reverse
from longbien.deadlines import DueDateQuerySetMixin, days_overdue, effective_deadline, is_overdue
from longbien.fields import CodeField, LineField, ParagraphField
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.scope import ModelT, ScopedQuerySet
from longbien.text import fold

from .choices import BriefingKind, DocumentKind, DocumentStatus, IssuerLevel, ReviewKind, TaskStatus


class DocumentQuerySet(ScopedQuerySet[ModelT]):
    def scope_filter(self, user, action: str = scope.VIEW) -> Q:
        """The "issued above" rule: the user's subtree, and for reading also what came from above.

        A ward reads what the district and the bodies above issued: the district register
        is readable by every role that works on resolutions. A whole-tree scope reads all.
        """
        return scope.issued_above_q(
            user, scope.Area.RESOLUTIONS, action, "issuing_unit", model=self.model
        )


class Document(models.Model):
    """A Party document: issued by a unit of the tree, or by a body above it (external)."""

    symbol = CodeField(_("số hiệu"), max_length=40)
    number = models.PositiveIntegerField(_("số"), editable=False)
    kind_code = models.CharField(_("ký hiệu loại"), max_length=5, editable=False)
    issuer_code = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=20, editable=False)
    kind = models.CharField(_("loại văn bản"), max_length=32, choices=DocumentKind.choices)
    issuing_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Để trống với văn bản của cấp trên (Trung ương, Thành ủy)."),
    )
    issuer_name = LineField(_("cơ quan ban hành"), max_length=200, blank=True)
    issuer_level = models.CharField(
        _("cấp ban hành"), max_length=16, choices=IssuerLevel.choices, editable=False
    )
    title = LineField(_("trích yếu"), max_length=500)
    summary = ParagraphField(_("tóm tắt nội dung"), blank=True)
    topics = ArrayField(
        LineField(max_length=60), verbose_name=_("chủ đề"), default=list, blank=True
    )
    signed_date = models.DateField(_("ngày ký"))
    year = models.PositiveSmallIntegerField(_("năm"), editable=False, db_index=True)
    signer = LineField(_("người ký"), max_length=120, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.ISSUED,
    )
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("thực hiện văn bản cấp trên"),
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("được thay thế bởi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    title_folded = models.CharField(
        _("trích yếu không dấu (tìm kiếm)"), max_length=600, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-signed_date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "number", "kind_code"],
                condition=Q(issuing_unit__isnull=False),
                name="resolutions_symbol_unique_per_unit_year",
            ),
            models.UniqueConstraint(
                fields=["issuer_code", "year", "number", "kind_code"],
                condition=Q(issuing_unit__isnull=True),
                name="resolutions_symbol_unique_per_issuer_year",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year"], name="resolutions_doc_kind_year")]

    class Scope:
        area = "resolutions"
        unit_field = "issuing_unit"

    def __str__(self) -> str:
        return f"{self.symbol}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.year = self.signed_date.year
        self.title_folded = fold(f"{self.symbol} {self.title}")[:600]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resolutions:document_detail", args=[self.pk])

    def scope_allows(self, user, action: str) -> bool:
        return type(self).objects.restrict(user, action).filter(pk=self.pk).exists()

    @property
    def issuer_display(self) -> str:
        return self.issuing_unit.name if self.issuing_unit_id else self.issuer_name


class TaskQuerySet(DueDateQuerySetMixin, ScopedQuerySet[ModelT]):
    """Open, overdue and due-soon tasks: the kernel's deadline rules, "done" defined here."""

    due_field = "deadline"

    def done_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}status": TaskStatus.DONE})


class Task(models.Model):
    """An implementation task derived from a document, assigned to a unit."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("nhiệm vụ cấp trên"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = LineField(_("nội dung nhiệm vụ"), max_length=500)
    description = ParagraphField(_("yêu cầu cụ thể"), blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="resolution_tasks",
    )
    deadline = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_briefing_issue = models.ForeignKey(
        "BriefingIssue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("từ vấn đề giao ban"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    title_folded = models.CharField(
        _("nội dung không dấu (tìm kiếm)"), max_length=500, editable=False, db_index=True,
        default="",
    )  # fmt: skip

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="resolutions_task_progress_max_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100%."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="resolutions_task_done_has_date",
                violation_error_message=_("Nhiệm vụ hoàn thành phải có ngày hoàn thành."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="resolutions_task_due")]

    class Scope:
        area = "resolutions"
        unit_field = "unit"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title_folded = fold(self.title)[:500]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resolutions:task_detail", args=[self.pk])

    def is_overdue_on(self, day: dt.date) -> bool:
        return is_overdue(self.deadline, day, done=self.status == TaskStatus.DONE)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def days_overdue(self) -> int:
        return days_overdue(
            self.deadline, timezone.localdate(), done=self.status == TaskStatus.DONE
        )

    @property
    def done_on_time(self) -> bool:
        return (
            self.status == TaskStatus.DONE
            and self.completed_on is not None
            and self.completed_on <= effective_deadline(self.deadline)
        )


class TaskUpdate(models.Model):
    """A progress report on a task; evidence files are attachments of the update."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="updates", verbose_name=_("nhiệm vụ")
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    note = ParagraphField(_("nội dung báo cáo"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người báo cáo"),
    )
    reported_at = models.DateTimeField(_("thời điểm báo cáo"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="resolutions_update_progress_max_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100%."),
            )
        ]

    class Scope:
        area = "resolutions"
        unit_field = "task__unit"

    def __str__(self) -> str:
        return f"{self.task} – {self.progress}%"


class Review(models.Model):
    """An interim or final review (sơ kết / tổng kết) of a document's implementation."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("văn bản")
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=ReviewKind.choices)
    held_on = models.DateField(_("ngày tổ chức"))
    level = models.CharField(_("cấp"), max_length=16, choices=IssuerLevel.choices[1:])
    outcome = ParagraphField(_("kết quả, đánh giá"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sơ kết, tổng kết")
        verbose_name_plural = _("sơ kết, tổng kết")
        ordering = ["-held_on"]

    class Scope:
        area = "resolutions"
        unit_field = "unit"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document.symbol} ({self.held_on})"


class Conference(models.Model):
    """A study conference (học tập, quán triệt) on a document, held by a unit."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("văn bản")
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("ngày tổ chức"))
    expected_attendees = models.PositiveIntegerField(_("số người phải dự"))
    present_attendees = models.PositiveIntegerField(_("số người dự"))
    learning_reports = models.PositiveIntegerField(_("số bài thu hoạch"), default=0)
    missing_reports_note = ParagraphField(_("người chưa nộp bài thu hoạch"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hội nghị học tập, quán triệt")
        verbose_name_plural = _("hội nghị học tập, quán triệt")
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(present_attendees__lte=F("expected_attendees")),
                name="resolutions_conf_present_le_expected",
                violation_error_message=_("Số người dự không được nhiều hơn số người phải dự."),
            ),
            models.CheckConstraint(
                condition=Q(learning_reports__lte=F("present_attendees")),
                name="resolutions_conf_reports_le_present",
                violation_error_message=_("Số bài thu hoạch không được nhiều hơn số người dự."),
            ),
            models.CheckConstraint(
                condition=Q(expected_attendees__gt=0),
                name="resolutions_conf_expected_positive",
                violation_error_message=_("Số người phải dự phải lớn hơn 0."),
            ),
        ]

    class Scope:
        area = "resolutions"
        unit_field = "unit"

    def __str__(self) -> str:
        return f"{self.document.symbol} – {self.unit} ({self.held_on})"

    def get_absolute_url(self) -> str:
        return reverse("resolutions:conference_list") + f"?document={self.document_id}"


class Briefing(models.Model):
    """A periodic briefing (giao ban) chaired by a unit; its conclusions become tasks."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại giao ban"), max_length=20, choices=BriefingKind.choices)
    held_on = models.DateField(_("ngày giao ban"))
    attendees = ParagraphField(_("thành phần dự"))
    summary = ParagraphField(_("kết luận chung"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("giao ban")
        verbose_name_plural = _("giao ban")
        ordering = ["-held_on"]

    class Scope:
        area = "resolutions"
        unit_field = "unit"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("resolutions:briefing_detail", args=[self.pk])


class BriefingIssue(models.Model):
    """An issue raised at a briefing, and the unit it concerns."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="issues", verbose_name=_("cuộc giao ban")
    )
    raised_by_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị nêu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = ParagraphField(_("vấn đề, kiến nghị"))
    conclusion = ParagraphField(_("ý kiến kết luận"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vấn đề giao ban")
        verbose_name_plural = _("vấn đề giao ban")
        ordering = ["id"]

    class Scope:
        area = "resolutions"
        unit_field = "briefing__unit"

    def __str__(self) -> str:
        return self.text[:80]
