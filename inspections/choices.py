"""The inspections app's choices: what is inspected, how, and the states of its records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    SUPERVISION = "supervision", _("Giám sát")


class SubjectType(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức đảng")
    MEMBER = "member", _("Đảng viên")


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề")
    SIGNS = "signs", _("Khi có dấu hiệu vi phạm")


class PlanItemStatus(models.TextChoices):
    DRAFT = "draft", _("Dự kiến")
    APPROVED = "approved", _("Đã duyệt")
    CANCELLED = "cancelled", _("Đã hủy")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang tiến hành")
    CONCLUDED = "concluded", _("Đã kết luận")
    CLOSED = "closed", _("Đã kết thúc")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


# The forms each kind of subject can receive (Điều lệ Đảng, Điều 35–36).
FORMS_FOR: dict[str, tuple[str, ...]] = {
    SubjectType.MEMBER: (
        DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.DISMISSAL,
        DisciplineForm.EXPULSION,
    ),
    SubjectType.ORGANISATION: (
        DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.DISSOLUTION,
    ),
}  # fmt: skip


class CaseKind(models.TextChoices):
    DENUNCIATION = "denunciation", _("Tố cáo")
    COMPLAINT = "complaint", _("Khiếu nại kỷ luật đảng")


class CaseLevel(models.TextChoices):
    DISTRICT = "district", _("Cấp quận")
    GRASSROOTS = "grassroots", _("Cấp cơ sở")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ACCEPTED = "accepted", _("Đã thụ lý")
    NOT_ACCEPTED = "not_accepted", _("Không thụ lý")
    VERIFYING = "verifying", _("Đang xác minh")
    CONCLUDED = "concluded", _("Đã kết luận")
    CLOSED = "closed", _("Đã kết thúc")


# A case needs no more handling (the time limit stops) once it is in one of these.
CASE_SETTLED = (CaseStatus.NOT_ACCEPTED, CaseStatus.CONCLUDED, CaseStatus.CLOSED)


class CaseOutcome(models.TextChoices):
    WELL_FOUNDED = "well_founded", _("Đúng")
    PARTLY = "partly", _("Đúng một phần")
    UNFOUNDED = "unfounded", _("Sai")


class DayCount(models.TextChoices):
    CALENDAR = "calendar", _("Ngày lịch")
    WORKING = "working", _("Ngày làm việc")
