"""Mass-mobilisation work with citizens: dialogues and their commitments, and public-opinion
cases (dư luận xã hội phản ánh) from intake to answer, with the resolution rate computed from
the records (``selectors.resolution_rate``).

A case names the unit it concerns and, once assigned, the unit answering it: both see it
(``OpinionCaseQuerySet.scope_filter``). The citizen who raised it (name, phone, address) is
personal data (Nghị định 13/2023): shown only to the mass-mobilisation role and the assigned
unit (``selectors.sees_citizen``), masked in everyone else's exports.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from longbien.core.links import reverse
from longbien.deadlines import DueDateQuerySetMixin
from longbien.fields import CodeField, LineField, ParagraphField
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.scope import Area, ModelT, ScopedQuerySet, either, unit_q
from longbien.text import fold

from .choices import (
    CASE_FINISHED,
    AssignmentKind,
    CaseCategory,
    CaseSource,
    CaseStatus,
    CommitmentStatus,
    CritiqueKind,
    DialogueLevel,
    ModelField,
    Organiser,
    Outcome,
    Recognition,
    Urgency,
)

# Words too common to tell two cases apart (the duplicate suggestion ignores them).
STOP_WORDS = frozenset(
    [
        "va",
        "cua",
        "cac",
        "nhung",
        "la",
        "co",
        "khong",
        "duoc",
        "cho",
        "tai",
        "o",
        "tren",
        "trong",
        "voi",
        "da",
        "dang",
        "se",
        "ve",
        "den",
        "tu",
        "nay",
        "do",
        "mot",
        "hai",
        "nguoi",
        "dan",
        "phan",
        "anh",
        "de",
        "nghi",
        "viec",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str | None) -> list[str]:
    """The distinct folded words of ``text`` that can tell cases apart, sorted."""
    return sorted({w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS})


class Dialogue(models.Model):
    """A dialogue of the Party committee and authorities with citizens (đối thoại với Nhân dân)."""

    level = models.CharField(_("cấp"), max_length=10, choices=DialogueLevel.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    held_on = models.DateField(_("ngày đối thoại"))
    chair = LineField(_("người chủ trì"), max_length=200)
    topic = LineField(_("chủ đề"), max_length=300)
    topic_folded = models.CharField(max_length=300, editable=False, db_index=True)
    participants = models.PositiveIntegerField(_("số người tham dự"))
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "unit"

    class Meta:
        verbose_name = _("cuộc đối thoại")
        verbose_name_plural = _("cuộc đối thoại")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on", "unit"], name="dialogue_period")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:dialogue_detail", args=[self.pk])


class DialogueIssue(models.Model):
    """An issue citizens raised at a dialogue: answered there, or a commitment to follow up."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("cuộc đối thoại"), on_delete=models.CASCADE, related_name="issues"
    )
    content = ParagraphField(_("ý kiến, kiến nghị"))
    answer = ParagraphField(_("trả lời tại hội nghị"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "dialogue__unit"

    class Meta:
        verbose_name = _("ý kiến tại đối thoại")
        verbose_name_plural = _("ý kiến tại đối thoại")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.content)[:80]

    def get_absolute_url(self) -> str:
        return reverse("dialogues:dialogue_detail", args=[self.dialogue_id]) + f"#y-kien-{self.pk}"


class CommitmentQuerySet(DueDateQuerySetMixin, ScopedQuerySet[ModelT]):
    due_field = "deadline"

    def done_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}status": CommitmentStatus.DONE})

    def scope_filter(self, user: Any, action: str = scope.VIEW) -> Q:
        """The owner unit's, and the dialogue unit's (who made the promise follows it up)."""
        own = unit_q(user, Area.DIALOGUES, action, "owner_unit", self.model)
        if action != scope.VIEW:
            return own
        return either(
            self.model, own, unit_q(user, Area.DIALOGUES, action, "issue__dialogue__unit")
        )


class Commitment(models.Model):
    """A promise made at a dialogue, tracked to completion: owner, deadline, progress, evidence."""

    issue = models.OneToOneField(
        DialogueIssue, verbose_name=_("ý kiến"), on_delete=models.CASCADE, related_name="commitment"
    )
    content = ParagraphField(_("nội dung cam kết"))
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT,
        related_name="dialogue_commitments",
    )  # fmt: skip
    deadline = models.DateField(_("thời hạn"))
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN, db_index=True,
    )  # fmt: skip
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    evidence = ParagraphField(_("kết quả thực hiện"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "owner_unit"

    class Meta:
        verbose_name = _("cam kết tại đối thoại")
        verbose_name_plural = _("cam kết tại đối thoại")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="dialogues_commitment_progress",
                violation_error_message=_("Tiến độ phải từ 0 đến 100%."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(self.content)[:80]

    def get_absolute_url(self) -> str:
        return self.issue.get_absolute_url()


class OpinionCaseQuerySet(DueDateQuerySetMixin, ScopedQuerySet[ModelT]):
    due_field = "due_on"

    def done_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}status__in": CASE_FINISHED})

    def scope_filter(self, user: Any, action: str = scope.VIEW) -> Q:
        """Cases concerning the user's units and cases assigned to them."""
        return either(
            self.model,
            unit_q(user, Area.DIALOGUES, action, "unit", self.model),
            unit_q(user, Area.DIALOGUES, action, "assigned_unit", self.model),
        )


class OpinionCase(models.Model):
    """A public-opinion case (dư luận xã hội phản ánh): intake, assignment, answer, outcome."""

    source = models.CharField(_("nguồn"), max_length=16, choices=CaseSource.choices)
    received_on = models.DateField(_("ngày tiếp nhận"))
    content = ParagraphField(_("nội dung phản ánh"))
    words = ArrayField(models.CharField(max_length=40), default=list, editable=False, blank=True)
    content_folded = models.TextField(editable=False, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị liên quan"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("lĩnh vực"), max_length=16, choices=CaseCategory.choices)
    urgency = models.CharField(
        _("mức độ"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # The citizen who raised it (optional; personal data: see selectors.sees_citizen).
    citizen_name = LineField(_("họ tên người phản ánh"), max_length=200, blank=True)
    citizen_phone = CodeField(_("điện thoại người phản ánh"), max_length=20, blank=True)
    citizen_address = LineField(_("địa chỉ người phản ánh"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED,
        db_index=True,
    )  # fmt: skip
    assigned_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    answer = ParagraphField(_("nội dung trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    transferred_to = LineField(_("chuyển đến cơ quan"), max_length=300, blank=True)
    dialogue_issue = models.ForeignKey(
        DialogueIssue, verbose_name=_("từ ý kiến tại đối thoại"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="cases",
    )  # fmt: skip
    reception = models.ForeignKey(
        "Reception", verbose_name=_("từ buổi tiếp công dân"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="cases",
    )  # fmt: skip
    merged_into = models.ForeignKey(
        "self", verbose_name=_("gộp vào vụ việc"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="merged",
    )  # fmt: skip
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = OpinionCaseQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "unit"

    class Meta:
        verbose_name = _("vụ việc dư luận phản ánh")
        verbose_name_plural = _("vụ việc dư luận phản ánh")
        ordering = ["-received_on", "-id"]
        indexes = [
            GinIndex(fields=["words"], name="dialogues_case_words"),
            models.Index(fields=["due_on", "unit"], name="dialogues_case_due"),
            models.Index(fields=["received_on", "unit"], name="dialogues_case_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("received_on")),
                name="dialogues_case_due_after_receipt",
                violation_error_message=_("Hạn trả lời không được trước ngày tiếp nhận."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                name="dialogues_case_answer_after_receipt",
                violation_error_message=_("Ngày trả lời không được trước ngày tiếp nhận."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="dialogues_case_not_merged_into_itself",
                violation_error_message=_("Không thể gộp vụ việc vào chính nó."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"#{self.pk} {str(self.content)[:70]}"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:case_detail", args=[self.pk])

    def refresh_words(self) -> None:
        self.content_folded = fold(self.content)
        self.words = words(self.content)[:200]


class CaseAssignment(models.Model):
    """Each hand-over of a case: assigned, reassigned, transferred or reopened, with its due date."""

    case = models.ForeignKey(
        OpinionCase, verbose_name=_("vụ việc"), on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=AssignmentKind.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    reason = ParagraphField(_("lý do"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "case__unit"

    class Meta:
        verbose_name = _("lượt giao xử lý")
        verbose_name_plural = _("lượt giao xử lý")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y}"


# --- Around the cases: critique and supervision, feedback, reception, models --------------


class Critique(models.Model):
    """A social critique conference (phản biện xã hội, Quyết định 217) or a thematic
    supervision (giám sát chuyên đề) by the Fatherland Front or a socio-political organisation:
    what was examined, what was found, and the recommendations with the responses to each."""

    kind = models.CharField(_("hình thức"), max_length=12, choices=CritiqueKind.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.CharField(_("tổ chức chủ trì"), max_length=10, choices=Organiser.choices)
    held_on = models.DateField(_("ngày tổ chức"))
    subject = LineField(_("văn bản, nội dung phản biện hoặc giám sát"), max_length=300)
    subject_folded = models.CharField(max_length=300, editable=False, db_index=True)
    findings = ParagraphField(_("kết quả, phát hiện"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "unit"

    class Meta:
        verbose_name = _("phản biện xã hội, giám sát chuyên đề")
        verbose_name_plural = _("phản biện xã hội, giám sát chuyên đề")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on", "unit"], name="dialogues_critique_period")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:critique_detail", args=[self.pk])


class Recommendation(models.Model):
    """A recommendation of a critique or supervision, and the addressee's response to it."""

    critique = models.ForeignKey(
        Critique, verbose_name=_("phản biện, giám sát"), on_delete=models.CASCADE,
        related_name="recommendations",
    )  # fmt: skip
    content = ParagraphField(_("nội dung kiến nghị"))
    addressee = LineField(_("cơ quan tiếp nhận kiến nghị"), max_length=300)
    response = ParagraphField(_("nội dung tiếp thu, phản hồi"), blank=True)
    responded_on = models.DateField(_("ngày phản hồi"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "critique__unit"

    class Meta:
        verbose_name = _("kiến nghị sau phản biện, giám sát")
        verbose_name_plural = _("kiến nghị sau phản biện, giám sát")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(response=""),
                name="dialogues_recommendation_response_text",
                violation_error_message=_("Hãy ghi nội dung phản hồi."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(self.content)[:80]

    def get_absolute_url(self) -> str:
        return (
            reverse("dialogues:critique_detail", args=[self.critique_id]) + f"#kien-nghi-{self.pk}"
        )


class Feedback(models.Model):
    """Feedback on building the Party and the government (góp ý xây dựng Đảng, xây dựng chính
    quyền, Quyết định 218): who sent it, to whom, and the response with its date."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    sender = models.CharField(_("tổ chức góp ý"), max_length=10, choices=Organiser.choices)
    received_on = models.DateField(_("ngày góp ý"))
    content = ParagraphField(_("nội dung góp ý"))
    content_folded = models.TextField(editable=False, blank=True)
    addressee = LineField(_("cơ quan được góp ý"), max_length=300)
    response = ParagraphField(_("nội dung tiếp thu, trả lời"), blank=True)
    responded_on = models.DateField(_("ngày trả lời"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "unit"

    class Meta:
        verbose_name = _("ý kiến góp ý xây dựng Đảng, chính quyền")
        verbose_name_plural = _("ý kiến góp ý xây dựng Đảng, chính quyền")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["received_on", "unit"], name="dialogues_feedback_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=models.F("received_on")),
                name="dialogues_feedback_answer_after_receipt",
                violation_error_message=_("Ngày trả lời không được trước ngày góp ý."),
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(response=""),
                name="dialogues_feedback_response_text",
                violation_error_message=_("Hãy ghi nội dung trả lời."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{str(self.content)[:70]} ({self.received_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:feedback_detail", args=[self.pk])


class Reception(models.Model):
    """A citizen reception session (buổi tiếp công dân): the leader who received citizens,
    when and where; the cases raised there are opinion cases linked back to it."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("ngày tiếp"))
    leader = LineField(_("lãnh đạo tiếp công dân"), max_length=200)
    leader_title = LineField(_("chức vụ"), max_length=200, blank=True)
    place = LineField(_("địa điểm"), max_length=300)
    citizens = models.PositiveIntegerField(_("số lượt công dân"), default=0)
    notes = ParagraphField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "unit"

    class Meta:
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = _("buổi tiếp công dân")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on", "unit"], name="dialogues_reception_period")]

    def __str__(self) -> str:
        return f"{self.leader} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:reception_detail", args=[self.pk])


class MobilisationModel(models.Model):
    """A "skilful mass mobilisation" model (mô hình dân vận khéo): per unit and year, by field,
    with the level that recognised it."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    name = LineField(_("tên mô hình"), max_length=300)
    name_folded = models.CharField(max_length=300, editable=False, db_index=True)
    field = models.CharField(_("lĩnh vực"), max_length=16, choices=ModelField.choices)
    recognition = models.CharField(_("cấp công nhận"), max_length=10, choices=Recognition.choices)
    description = ParagraphField(_("mô tả, kết quả"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Scope:
        area = Area.DIALOGUES
        unit_field = "unit"

    class Meta:
        verbose_name = _("mô hình dân vận khéo")
        verbose_name_plural = _("mô hình dân vận khéo")
        ordering = ["-year", "unit__code", "id"]
        indexes = [models.Index(fields=["year", "unit"], name="dialogues_model_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "name_folded"], name="dialogues_model_once_a_year",
                violation_error_message=_("Đơn vị đã có mô hình này trong năm."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:model_detail", args=[self.pk])
