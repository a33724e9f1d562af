"""Inspection and supervision (kiểm tra, giám sát): plans, records, follow-ups, discipline,
and the confidential denunciations and disciplinary complaints (tố cáo, khiếu nại kỷ luật).

Every record belongs to a unit of the tree, which decides who sees it (``Scope``). Cases are
confidential (``Scope.confidential``): the kernel (``longbien.confidential``) keeps them to
the inspection role, records every read and keeps their text out of everything else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from longbien.core.links import reverse
from longbien.deadlines import DueDateQuerySetMixin
from longbien.fields import CodeField, LineField, ParagraphField
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.scope import Area, ModelT, ScopedQuerySet, either, unit_q

from .choices import (
    CASE_SETTLED,
    Activity,
    CaseKind,
    CaseLevel,
    CaseOutcome,
    CaseStatus,
    DayCount,
    DisciplineForm,
    FollowUpStatus,
    InspectionKind,
    InspectionStatus,
    PlanItemStatus,
    SubjectType,
)


class Plan(models.Model):
    """A body's annual inspection and supervision plan (kế hoạch kiểm tra, giám sát năm)."""

    body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan lập kế hoạch"), on_delete=models.PROTECT,
        related_name="inspection_plans",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("năm"))
    title = LineField(_("tên kế hoạch"), max_length=300)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTION_PLANS
        unit_field = "body"

    class Meta:
        verbose_name = _("kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát")
        ordering = ["-year", "body__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year"], name="inspections_plan_one_per_body_year",
                violation_error_message=_("Cơ quan này đã có kế hoạch kiểm tra, giám sát của năm này."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.pk])


class PlanItemQuerySet(ScopedQuerySet[ModelT]):
    def scope_filter(self, user: Any, action: str = scope.VIEW) -> Q:
        """Items of the bodies in the user's subtree; for reading, also those aimed at it.

        A ward sees what every body plans to inspect or supervise in the ward (that is what
        coordination is about); it changes only its own plan's items.
        """
        area = Area.INSPECTION_PLANS
        own = unit_q(user, area, action, "plan__body")
        if action != scope.VIEW:
            return own
        return either(self.model, own, unit_q(user, area, action, "target_unit", self.model))


class PlanItem(models.Model):
    """One planned inspection or supervision: of whom, on what, when, led by which body."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="items"
    )
    activity = models.CharField(_("hoạt động"), max_length=16, choices=Activity.choices)
    subject_type = models.CharField(_("đối tượng"), max_length=16, choices=SubjectType.choices)
    topic = LineField(_("nội dung"), max_length=300)
    topic_folded = models.CharField(max_length=300, editable=False, db_index=True)
    # The organisation inspected, or the member's unit when a member is.
    target_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị được kiểm tra, giám sát"), on_delete=models.PROTECT,
        related_name="planned_visits",
    )  # fmt: skip
    target_person = models.ForeignKey(
        Person, verbose_name=_("đảng viên được kiểm tra, giám sát"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="planned_visits",
    )  # fmt: skip
    # The planned period, whole months: the first day of the first month, the last of the last.
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    lead_body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan chủ trì đoàn"), on_delete=models.PROTECT,
        related_name="led_plan_items",
    )  # fmt: skip
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PlanItemStatus.choices,
        default=PlanItemStatus.DRAFT,
    )  # fmt: skip
    justification = ParagraphField(_("giải trình trùng lặp"), blank=True)
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người duyệt"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    objects = PlanItemQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTION_PLANS
        unit_field = "plan__body"

    class Meta:
        verbose_name = _("nội dung kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("nội dung kế hoạch kiểm tra, giám sát")
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(
                fields=["target_unit", "starts_on", "ends_on"], name="insp_item_target_period"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="inspections_item_period",
                violation_error_message=_("Tháng kết thúc phải sau tháng bắt đầu."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_activity_display()}: {self.topic}"

    def get_absolute_url(self) -> str:
        return f"{self.plan.get_absolute_url()}#muc-{self.pk}"

    @property
    def months_label(self) -> str:
        start, end = self.starts_on, self.ends_on
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.month:02d}/{start.year}"
        return f"{start.month:02d}/{start.year}–{end.month:02d}/{end.year}"


class Inspection(models.Model):
    """An inspection or supervision carried out: the team, the findings, the conclusion."""

    activity = models.CharField(_("hoạt động"), max_length=16, choices=Activity.choices)
    subject_type = models.CharField(_("đối tượng"), max_length=16, choices=SubjectType.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=InspectionKind.choices)
    topic = LineField(_("nội dung"), max_length=300)
    topic_folded = models.CharField(max_length=300, editable=False, db_index=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị được kiểm tra, giám sát"), on_delete=models.PROTECT,
        related_name="inspections",
    )  # fmt: skip
    person = models.ForeignKey(
        Person, verbose_name=_("đảng viên được kiểm tra, giám sát"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="inspections",
    )  # fmt: skip
    conducting_body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan tiến hành"), on_delete=models.PROTECT,
        related_name="conducted_inspections",
    )  # fmt: skip
    plan_item = models.ForeignKey(
        PlanItem, verbose_name=_("theo kế hoạch"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="inspections",
    )  # fmt: skip
    team = ParagraphField(_("đoàn kiểm tra, giám sát"), blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc dự kiến"), null=True, blank=True)
    findings = ParagraphField(_("kết quả kiểm tra, giám sát"), blank=True)
    conclusion = ParagraphField(_("kết luận"), blank=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED, db_index=True,
    )  # fmt: skip
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTIONS
        unit_field = "unit"

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = _("cuộc kiểm tra, giám sát")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["starts_on", "unit"], name="insp_inspection_period"),
            # The register's order (newest first, read backwards): its pages and API cursors.
            models.Index(fields=["starts_on", "id"], name="insp_inspection_keyset"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=models.F("starts_on")),
                name="inspections_concluded_after_start",
                violation_error_message=_("Ngày kết luận không được trước ngày bắt đầu."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.unit}: {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])


class FollowUpQuerySet(DueDateQuerySetMixin, ScopedQuerySet[ModelT]):
    due_field = "deadline"

    def done_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}status": FollowUpStatus.DONE})


class FollowUp(models.Model):
    """A recommendation of a conclusion, to be carried out by a unit by a deadline."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra, giám sát"), on_delete=models.CASCADE,
        related_name="follow_ups",
    )  # fmt: skip
    content = ParagraphField(_("nội dung kiến nghị"))
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT,
        related_name="inspection_follow_ups",
    )  # fmt: skip
    deadline = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN, db_index=True,
    )  # fmt: skip
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    evidence = ParagraphField(_("kết quả thực hiện"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTIONS
        unit_field = "owner_unit"

    class Meta:
        verbose_name = _("kiến nghị sau kiểm tra, giám sát")
        verbose_name_plural = _("kiến nghị sau kiểm tra, giám sát")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return str(self.content)[:80]

    def get_absolute_url(self) -> str:
        return (
            reverse("inspections:inspection_detail", args=[self.inspection_id])
            + f"#kien-nghi-{self.pk}"
        )


class CaseQuerySet(DueDateQuerySetMixin, ScopedQuerySet[ModelT]):
    due_field = "due_on"

    def done_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}status__in": CASE_SETTLED})


class Case(models.Model):
    """A denunciation or a disciplinary complaint (confidential, Luật Tố cáo 2018).

    No field holds the denouncer's identity: the paper file's reference code is all the portal
    keeps. The summary and every other text are confidential with the record.
    """

    kind = models.CharField(_("loại đơn"), max_length=16, choices=CaseKind.choices)
    level = models.CharField(
        _("cấp giải quyết"), max_length=16, choices=CaseLevel.choices, default=CaseLevel.DISTRICT
    )
    received_on = models.DateField(_("ngày cơ quan có thẩm quyền nhận đơn"))
    paper_reference = CodeField(_("số hồ sơ giấy"), max_length=40)
    subject_type = models.CharField(_("đối tượng"), max_length=16, choices=SubjectType.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("tổ chức bị tố cáo, khiếu nại (hoặc nơi sinh hoạt)"),
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    person = models.ForeignKey(
        Person, verbose_name=_("đảng viên bị tố cáo, khiếu nại"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    summary = ParagraphField(_("tóm tắt nội dung"))
    handling_body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.RECEIVED,
        db_index=True,
    )  # fmt: skip
    due_on = models.DateField(_("hạn giải quyết"))
    not_accepted_reason = ParagraphField(_("lý do không thụ lý"), blank=True)
    conclusion = ParagraphField(_("kết luận"), blank=True)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=CaseOutcome.choices, blank=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    summary_folded = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTIONS
        unit_field = "unit"
        confidential = True

    class Meta:
        verbose_name = _("đơn tố cáo, khiếu nại")
        verbose_name_plural = _("đơn tố cáo, khiếu nại")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=models.F("received_on")),
                name="inspections_case_concluded_after_receipt",
                violation_error_message=_("Ngày kết luận không được trước ngày nhận đơn."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        # No content: a case is named by its kind and paper reference only.
        return f"{self.get_kind_display()} {self.paper_reference}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:case_detail", args=[self.pk])


class CaseExtension(models.Model):
    """An extension of a case's time limit: why, by whom, to which date."""

    case = models.ForeignKey(
        Case, verbose_name=_("đơn"), on_delete=models.CASCADE, related_name="extensions"
    )
    previous_due_on = models.DateField(_("hạn cũ"))
    new_due_on = models.DateField(_("hạn mới"))
    reason = ParagraphField(_("lý do gia hạn"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gia hạn"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTIONS
        unit_field = "case__unit"
        confidential = True

    class Meta:
        verbose_name = _("gia hạn giải quyết đơn")
        verbose_name_plural = _("gia hạn giải quyết đơn")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_due_on:%d/%m/%Y} → {self.new_due_on:%d/%m/%Y}"


class CaseTimeLimit(models.Model):
    """How long a kind of case may take at a level, and whether the days are working days."""

    kind = models.CharField(_("loại đơn"), max_length=16, choices=CaseKind.choices)
    level = models.CharField(_("cấp giải quyết"), max_length=16, choices=CaseLevel.choices)
    days = models.PositiveSmallIntegerField(_("số ngày"))
    day_count = models.CharField(
        _("cách tính"), max_length=10, choices=DayCount.choices, default=DayCount.CALENDAR
    )

    class Meta:
        verbose_name = _("thời hạn giải quyết đơn")
        verbose_name_plural = _("thời hạn giải quyết đơn")
        ordering = ["kind", "level"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "level"], name="inspections_time_limit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.get_level_display()}: {self.days}"


class Discipline(models.Model):
    """A discipline decision on a member or an organisation (kỷ luật đảng)."""

    subject_type = models.CharField(_("đối tượng"), max_length=16, choices=SubjectType.choices)
    form = models.CharField(_("hình thức kỷ luật"), max_length=16, choices=DisciplineForm.choices)
    # The organisation disciplined, or the member's unit.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("tổ chức đảng (hoặc nơi sinh hoạt)"), on_delete=models.PROTECT,
        related_name="disciplines",
    )  # fmt: skip
    person = models.ForeignKey(
        Person, verbose_name=_("đảng viên"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="disciplines",
    )  # fmt: skip
    symbol = CodeField(_("số quyết định"), max_length=40)
    decided_on = models.DateField(_("ngày quyết định"))
    deciding_body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan quyết định"), on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="disciplines",
    )  # fmt: skip
    # The case behind it: shown only to those admitted to the case.
    case = models.ForeignKey(
        Case, verbose_name=_("đơn tố cáo, khiếu nại"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="disciplines",
    )  # fmt: skip
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.INSPECTIONS
        unit_field = "unit"

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deciding_body", "symbol"], name="inspections_discipline_symbol_unique",
                violation_error_message=_("Cơ quan này đã có quyết định kỷ luật mang số này."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.symbol} – {self.get_form_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:discipline_detail", args=[self.pk])


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
