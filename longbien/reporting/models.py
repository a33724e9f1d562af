"""Ward quarterly reports: one per reporting unit and quarter, prefilled from the indicators.

The figures of a report are not stored while it is written: they are the indicators of the
unit's subtree for the quarter, computed when read. Submitting freezes them (``frozen``: the
counts as submitted); an accepted report keeps them forever, and every later summary reads the
frozen counts. A figure the ward corrects keeps both values (:class:`FigureCorrection`).

``version`` is the optimistic lock: every write names the version it read, and a stale one is
refused (two people editing one report: the second save is refused, nothing overwritten).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from longbien import periods
from longbien.deadlines import DueDateQuerySetMixin, effective_deadline
from longbien.fields import ParagraphField
from longbien.org.models import OrgUnit
from longbien.org.scope import Area, ModelT, ScopedQuerySet

from .choices import ReportStatus, Section


def reporting_kinds() -> tuple[str, ...]:
    """The kinds of unit that report each quarter (``QUARTERLY_REPORT_UNIT_KINDS``)."""
    return tuple(settings.QUARTERLY_REPORT_UNIT_KINDS)


def due_date(year: int, quarter: int) -> dt.date:
    """The deadline of a quarter's report: the configured day of the month after the quarter
    (``QUARTERLY_REPORT_DUE_DAY``, default the 15th); a deadline on a rest day counts as the
    next working day (``longbien.deadlines.effective_deadline``)."""
    month = 3 * quarter + 1
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1,
                   int(settings.QUARTERLY_REPORT_DUE_DAY))  # fmt: skip


class QuarterlyReportQuerySet(DueDateQuerySetMixin, ScopedQuerySet[ModelT]):
    due_field = "due_on"

    def done_q(self, prefix: str = "") -> Q:
        # Sent is what the deadline asks for; a returned report is due again.
        return Q(**{f"{prefix}status__in": (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)})


class QuarterlyReport(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportStatus.choices,
        default=ReportStatus.NOT_STARTED, db_index=True,
    )  # fmt: skip
    due_on = models.DateField(_("hạn gửi"))
    results = ParagraphField(_("kết quả đạt được"), blank=True)
    limitations = ParagraphField(_("hạn chế, nguyên nhân"), blank=True)
    next_tasks = ParagraphField(_("nhiệm vụ quý tới"), blank=True)
    proposals = ParagraphField(_("đề xuất, kiến nghị"), blank=True)
    # The counts as submitted ({code: count}); empty until the first submission.
    frozen = models.JSONField(_("số liệu đã chốt"), default=dict, blank=True)
    frozen_at = models.DateTimeField(_("thời điểm chốt số liệu"), null=True, blank=True)
    first_submitted_on = models.DateField(_("ngày gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    # The version that was submitted: a repeated submission of it is the same submission.
    submitted_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tiếp nhận"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = QuarterlyReportQuerySet.as_manager()

    class Scope:
        area = Area.REPORTS
        unit_field = "unit"

    class Meta:
        verbose_name = _("báo cáo quý")
        verbose_name_plural = _("báo cáo quý")
        ordering = ["-year", "-quarter", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"], name="reporting_one_report_a_quarter",
                violation_error_message=_("Đơn vị đã có báo cáo của quý này."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="reporting_quarter_1_to_4",
                violation_error_message=_("Quý phải từ 1 đến 4."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["year", "quarter", "unit"], name="reporting_quarter")]

    def __str__(self) -> str:
        return _("Báo cáo %(quarter)s – %(unit)s") % {
            "quarter": periods.quarter(self.year, self.quarter).label, "unit": self.unit.name,
        }  # fmt: skip

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    def section(self, name: str) -> str:
        return str(getattr(self, name, "") or "")

    @property
    def on_time(self) -> bool | None:
        """Sent by the deadline (None while not sent)."""
        if self.first_submitted_on is None:
            return None
        return self.first_submitted_on <= effective_deadline(self.due_on)


class FigureCorrection(models.Model):
    """A figure the ward corrected, with why: both the computed and the corrected value stay."""

    report = models.ForeignKey(
        QuarterlyReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE,
        related_name="corrections",
    )  # fmt: skip
    code = models.CharField(_("chỉ tiêu"), max_length=100)
    computed = models.BigIntegerField(_("số liệu hệ thống"))
    corrected = models.BigIntegerField(_("số liệu đính chính"))
    explanation = ParagraphField(_("giải trình"))

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.REPORTS
        unit_field = "report__unit"

    class Meta:
        verbose_name = _("đính chính số liệu")
        verbose_name_plural = _("đính chính số liệu")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="reporting_one_correction"),
            models.CheckConstraint(
                condition=Q(corrected__gte=0), name="reporting_correction_not_negative",
                violation_error_message=_("Số liệu không được âm."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.code}: {self.computed} → {self.corrected}"

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()


class ReturnComment(models.Model):
    """Staff's comment on a section when returning a report (one round per return)."""

    report = models.ForeignKey(
        QuarterlyReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE,
        related_name="comments",
    )  # fmt: skip
    round = models.PositiveSmallIntegerField(_("lần trả lại"))
    section = models.CharField(_("phần"), max_length=12, choices=Section.choices)
    comment = ParagraphField(_("ý kiến"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người góp ý"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.REPORTS
        unit_field = "report__unit"

    class Meta:
        verbose_name = _("ý kiến trả lại")
        verbose_name_plural = _("ý kiến trả lại")
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {str(self.comment)[:70]}"

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()
