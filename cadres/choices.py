from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """The four ratings of a cadre's work (Quy định 124-QĐ/TW wording)."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


# Keyed by the stored value (a plain str), as the rows read it.
RATING_ABBREVIATIONS: dict[str, str] = {
    Rating.EXCELLENT: "HTXSNV",
    Rating.GOOD: "HTTNV",
    Rating.COMPLETED: "HTNV",
    Rating.NOT_COMPLETED: "KHTNV",
}


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa tự đánh giá")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
    ASSESSED = "assessed", _("Cấp trên đã nhận xét")
    APPROVED = "approved", _("Đã phê duyệt")


# What an import (and services.evaluation_bulk_approve) may approve in one step: months that
# went through the cadre's self-assessment. A missing or draft month is rated only through the
# explicit exception (services.evaluation_rate_unassessed), with a reason. The approval grid
# is stricter: it approves only the selected months the superior assessed, through the
# workflow's "approve" step (services.evaluation_approve_selected).
GRID_APPROVABLE = (EvaluationStatus.SELF_ASSESSED, EvaluationStatus.ASSESSED)


class DecisionKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Bổ nhiệm")
    REAPPOINTMENT = "reappointment", _("Bổ nhiệm lại")
    CONCURRENCE = "concurrence", _("Hiệp y")
    TRANSFER = "transfer", _("Điều động")
    NOMINATION = "nomination", _("Giới thiệu ứng cử")


class TestResult(models.TextChoices):
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")
