"""The quarterly report's states and sections."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


# The states in which the ward may still write the report.
EDITABLE = (ReportStatus.NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED)


class Section(models.TextChoices):
    """The narrative sections, in the order of the report (and a comment on the figures)."""

    RESULTS = "results", _("Kết quả đạt được")
    LIMITATIONS = "limitations", _("Hạn chế, nguyên nhân")
    NEXT_TASKS = "next_tasks", _("Nhiệm vụ quý tới")
    PROPOSALS = "proposals", _("Đề xuất, kiến nghị")
    FIGURES = "figures", _("Số liệu")


NARRATIVE = (Section.RESULTS, Section.LIMITATIONS, Section.NEXT_TASKS, Section.PROPOSALS)
# The sections a report cannot be submitted without.
REQUIRED = (Section.RESULTS, Section.LIMITATIONS, Section.NEXT_TASKS)
