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
from django.utils.translation import gettext_lazy as _

from longbien import periods
from longbien.core.links import reverse
from longbien.deadlines import DueDateQuerySetMixin, effective_deadline
from longbien.fields import ParagraphField
from longbien.org.choices import UnitKind
from longbien.org.models import OrgUnit
from longbien.org.scope import Area, ModelT, ScopedQuerySet

from .choices import ReportStatus, Section


def reporting_kinds() -> tuple[str, ...]:
    """The kinds of unit that report each quarter (``QUARTERLY_REPORT_UNIT_KINDS``)."""
    return tuple(settings.QUARTERLY_REPORT_UNIT_KINDS)


def dashboard_kinds() -> tuple[str, ...]:
    """The kinds of unit a dashboard is drawn for and compares side by side: the districts
    (under a city) and the units that report each quarter (under a district)."""
    return (UnitKind.DISTRICT_COMMITTEE, *reporting_kinds())


def first_collected_quarter() -> tuple[int, int] | None:
    """The first quarter whose report the portal holds for any unit: reports are owed from
    that quarter on (none before the portal was used for them). None when it holds none."""
    first = QuarterlyReport.objects.order_by("year", "quarter").values_list("year", "quarter")
    found = first.first()
    return (found[0], found[1]) if found is not None else None


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


# --- term reports (issue 14): the background job that renders one -------------------------------


def _term_report_path(instance: TermReportJob, filename: str) -> str:
    # Under the private media tree (never served by the web server): the download view alone
    # sends the file, after checking the viewer's scope.
    return f"private/term-reports/{instance.unit_id}/{filename}"


class TermReportJob(models.Model):
    """The generation of a term (or annual, six-monthly) report of a unit's subtree.

    ``key`` names the request (unit and period): the same request finds the same job, so a
    double click or a retried API call renders nothing twice. A Celery worker renders it
    (``tasks.report_term_task``); ``stage``/``percent`` are its progress, written in short
    transactions of their own so the page sees them while it runs; ``heartbeat_at`` says it is
    alive (a job "running" whose heartbeat is stale was left by a killed worker and is taken
    over by the redelivered message).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    class Stage(models.TextChoices):
        QUEUED = "queued", _("Đang chờ đến lượt")
        COLLECTING = "collecting", _("Đang tổng hợp số liệu")
        CHARTS = "charts", _("Đang vẽ biểu đồ")
        RENDERING = "rendering", _("Đang dàn trang")
        SAVING = "saving", _("Đang lưu tệp")
        DONE = "done", _("Hoàn thành")

    class PeriodKind(models.TextChoices):
        TERM = "term", _("Nhiệm kỳ")
        YEAR = "year", _("Năm")
        HALF = "half", _("Sáu tháng")

    key = models.CharField(_("mã yêu cầu"), max_length=200, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(_("loại kỳ"), max_length=8, choices=PeriodKind.choices)
    term = models.ForeignKey(
        "org.Term", verbose_name=_("nhiệm kỳ"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    half = models.PositiveSmallIntegerField(_("sáu tháng"), null=True, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=8, choices=State.choices, default=State.QUEUED, db_index=True
    )
    stage = models.CharField(_("bước"), max_length=12, choices=Stage.choices, default=Stage.QUEUED)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(_("tệp"), upload_to=_term_report_path, max_length=300, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("cập nhật tiến độ lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.REPORTS
        unit_field = "unit"

    class Meta:
        verbose_name = _("báo cáo tổng kết")
        verbose_name_plural = _("báo cáo tổng kết")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="reporting_term_job_percent_0_100",
            ),
            models.CheckConstraint(
                condition=(
                    Q(period_kind="term", term__isnull=False)
                    | Q(period_kind="year", year__isnull=False, half__isnull=True)
                    | Q(period_kind="half", year__isnull=False, half__in=(1, 2))
                ),
                name="reporting_term_job_period",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return _("Báo cáo tổng kết %(period)s – %(unit)s") % {
            "period": self.period().label, "unit": self.unit.name,
        }  # fmt: skip

    def get_absolute_url(self) -> str:
        return reverse("reporting:term_job", args=[self.pk])

    def period(self) -> periods.Period:
        if self.period_kind == self.PeriodKind.TERM:
            return periods.term_period(self.term)
        if self.period_kind == self.PeriodKind.HALF:
            return periods.half(int(self.year or 0), int(self.half or 0))
        return periods.year(int(self.year or 0))

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
