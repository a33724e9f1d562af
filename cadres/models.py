"""Cadre work: monthly evaluations, personnel decisions, tests, plans, assignments, training.

Every model is scoped through ``Scope`` (area ``cadres``) so ``objects.restrict(user)`` keeps
only the rows of units the user may see; personal data stays within scope (Nghị định 13/2023).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from longbien import tallies
from longbien.core.links import reverse
from longbien.fields import CodeField, LineField, ParagraphField
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Position
from longbien.org.scope import ModelT, ScopedQuerySet

from .choices import DecisionKind, EvaluationStatus, Rating, TestResult

# A Party document symbol: number-KIND/ISSUER, e.g. 125-QĐ/QU, 12-QĐ/TU, 05-QĐNS/QU.
SYMBOL_RE = re.compile(r"^\d{1,5}[a-z]?-[A-ZĐ]{1,8}(/[A-ZĐ0-9]{1,12}){1,3}$")


def validate_symbol(value: str) -> None:
    if not SYMBOL_RE.match(value or ""):
        raise ValidationError(
            _("Số hiệu không hợp lệ: dùng dạng số-LOẠI/CƠ QUAN, ví dụ 125-QĐ/QU."),
            code="invalid_symbol",
        )


RATING_Q = Q(rating="") | Q(rating__in=Rating.values)


class CadreQuerySet(ScopedQuerySet[ModelT]):
    """The "own records" rule: the user's subtree, and for reading the records about oneself.

    A cadre whose account is linked to a person reads their own evaluations, plans,
    decisions, tests and classes wherever they are kept (``Scope.person_field``), and nobody
    else's; changing them stays with the roles (and the workflow's own checks).
    """

    def scope_filter(self, user, action: str = scope.VIEW) -> Q:
        subtree = super().scope_filter(user, action)
        person_field = getattr(self.model.Scope, "person_field", "")
        if action != scope.VIEW or not person_field:
            return subtree
        return scope.either(self.model, subtree, scope.own_records_q(user, person_field))

    def allows(self, user, obj, action: str = scope.VIEW) -> bool:
        person_field = getattr(self.model.Scope, "person_field", "")
        if action == scope.VIEW and person_field and scope.owns(user, obj, person_field):
            return True
        return scope.unit_allows(user, obj, action)


class SessionQuerySet(ScopedQuerySet[ModelT]):
    """Test sessions and training classes: organised in the subtree, or attended by its people.

    For reading, a ward sees a district session one of its people (or the user themself)
    takes part in: the participants' own restrict hook decides which.
    """

    def scope_filter(self, user, action: str = scope.VIEW) -> Q:
        subtree = super().scope_filter(user, action)
        if action != scope.VIEW:
            return subtree
        participants = self.model._meta.get_field("participants").related_model
        field = self.model.Scope.participants_fk
        attended = Q(pk__in=participants.objects.restrict(user).values(field))
        return scope.either(self.model, subtree, attended)


class Evaluation(models.Model):
    """One cadre's evaluation for one month: self → superior → approved, then locked."""

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="evaluations"
    )
    # The person's unit at the time: moving later does not move past months.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("tháng"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    self_assessment = ParagraphField(_("tự nhận xét"), blank=True)
    self_rating = models.CharField(
        _("tự xếp loại"), max_length=20, choices=Rating.choices, blank=True
    )
    superior_assessment = ParagraphField(_("nhận xét của cấp trên"), blank=True)
    proposed_rating = models.CharField(
        _("cấp trên đề xuất"), max_length=20, choices=Rating.choices, blank=True
    )
    rating = models.CharField(_("xếp loại"), max_length=20, choices=Rating.choices, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    returned_reason = LineField(_("lý do trả lại"), max_length=500, blank=True)
    # Set only when the committee rated a month the cadre never self-assessed (an exception
    # taken explicitly, with its reason, outside the grid).
    unassessed_reason = LineField(
        _("lý do xếp loại khi cán bộ không tự đánh giá"), max_length=500, blank=True
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận xét"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    self_assessed_at = models.DateTimeField(_("tự đánh giá lúc"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("nhận xét lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # The person's sort key, kept by the database (migration 0011: a trigger copies it from
    # the person on every insert, and again whenever the person's name changes): the
    # register's order, newest month first then by name, is one index of this table, so a
    # page ten thousand rows deep costs what the first does.
    person_sort_key = models.CharField(
        _("khóa sắp xếp cán bộ"), max_length=1000, editable=False, default="", db_collation="C"
    )

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu đánh giá hằng tháng")
        verbose_name_plural = _("phiếu đánh giá hằng tháng")
        ordering = ["-year", "-month", "person_sort_key", "id"]

        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "month"],
                name="cadres_evaluation_one_per_person_month",
                violation_error_message=_("Cán bộ này đã có phiếu đánh giá của tháng này."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="cadres_evaluation_month_valid",
                violation_error_message=_("Tháng phải từ 1 đến 12."),
            ),
            models.CheckConstraint(
                condition=RATING_Q,
                name="cadres_evaluation_rating_valid",
                violation_error_message=_("Xếp loại không hợp lệ; chỉ chọn một trong bốn mức."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.APPROVED) | ~Q(rating=""),
                name="cadres_evaluation_approved_has_rating",
                violation_error_message=_("Phiếu đã phê duyệt phải có xếp loại."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "month", "status"], name="cadres_eval_period"),
            models.Index(
                fields=["-year", "-month", "person_sort_key", "id"], name="cadres_eval_register"
            ),
        ]

    class Scope:
        area = "cadres"
        # What it says is read by the cadre, the evaluation chain above them, organisation
        # staff and leadership, not by the ward's other staff (counts stay in "cadres").
        view_area = scope.Area.EVALUATIONS
        unit_field = "unit"
        person_field = "person"

    def __str__(self) -> str:
        # Translated now (not lazily): an import's audit rows name thousands of evaluations.
        return gettext("%(person)s – tháng %(month)s/%(year)s") % {
            "person": self.person,
            "month": self.month,
            "year": self.year,
        }

    def get_absolute_url(self) -> str:
        return reverse("cadres:evaluation_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == EvaluationStatus.APPROVED

    @property
    def period_label(self) -> str:
        return f"{self.month:02d}/{self.year}"


# The evaluations counted per unit's whole subtree, month, status and rating, kept by the
# database's triggers (longbien.tallies): the figures over a ward, a district or the city read
# a few hundred rows instead of every evaluation below it.
EVALUATION_TALLY = tallies.Tally(
    table="cadres_evaluationtally",
    source="cadres_evaluation",
    unit_column="unit_id",
    columns=("year", "month", "status", "rating"),
)


class EvaluationTally(tallies.TallyModel):
    """How many evaluations of ``unit``'s subtree have a month, a status and a rating."""

    tally = EVALUATION_TALLY
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    status = models.CharField(_("trạng thái"), max_length=20)
    rating = models.CharField(_("xếp loại"), max_length=20)

    class Meta:
        verbose_name = _("số phiếu đánh giá theo đơn vị")
        verbose_name_plural = _("số phiếu đánh giá theo đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month", "status", "rating"],
                name="cadres_evaluationtally_key",
            )
        ]


class EvaluationRevision(models.Model):
    """A change of an approved (locked) evaluation's rating, with its reason."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("phiếu đánh giá"),
    )
    old_rating = models.CharField(_("xếp loại cũ"), max_length=20, choices=Rating.choices)
    new_rating = models.CharField(_("xếp loại mới"), max_length=20, choices=Rating.choices)
    reason = LineField(_("lý do điều chỉnh"), max_length=500)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều chỉnh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revised_at = models.DateTimeField(_("điều chỉnh lúc"), auto_now_add=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("điều chỉnh xếp loại")
        verbose_name_plural = _("điều chỉnh xếp loại")
        ordering = ["-revised_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="cadres_revision_reason_required",
                violation_error_message=_("Điều chỉnh xếp loại phải có lý do."),
            ),
        ]

    class Scope:
        area = "cadres"
        view_area = scope.Area.EVALUATIONS  # as its evaluation's
        unit_field = "evaluation__unit"
        person_field = "evaluation__person"

    def __str__(self) -> str:
        return (
            f"{self.evaluation} ({self.get_old_rating_display()} → {self.get_new_rating_display()})"
        )


class PersonnelDecision(models.Model):
    """A personnel decision: appointment, reappointment, concurrence, transfer, nomination."""

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("loại quyết định"), max_length=20, choices=DecisionKind.choices)
    # The unit whose records hold the decision: the destination, else the person's unit.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    from_position = models.ForeignKey(
        Position, verbose_name=_("chức vụ cũ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị cũ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    to_position = models.ForeignKey(
        Position, verbose_name=_("chức vụ mới"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    to_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị mới"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    symbol = CodeField(_("số quyết định"), max_length=40, validators=[validate_symbol])
    decision_date = models.DateField(_("ngày quyết định"))
    note = LineField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định nhân sự")
        verbose_name_plural = _("quyết định nhân sự")
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "symbol"],
                name="cadres_decision_unique_per_person",
                violation_error_message=_("Quyết định này đã được ghi cho cán bộ này."),
            ),
        ]

    class Scope:
        area = "cadres"
        unit_field = "unit"
        person_field = "person"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.symbol} – {self.person}"


class QualificationTest(models.Model):
    """A qualification test session (sát hạch) organised by a unit."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    subject = LineField(_("nội dung sát hạch"), max_length=300)
    held_on = models.DateField(_("ngày sát hạch"))
    pass_mark = models.DecimalField(
        _("điểm đạt"), max_digits=4, decimal_places=1, default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ sát hạch")
        verbose_name_plural = _("kỳ sát hạch")
        ordering = ["-held_on", "-id"]

    class Scope:
        area = "cadres"
        unit_field = "unit"
        participants_fk = "test"

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("cadres:test_detail", args=[self.pk])


class TestParticipant(models.Model):
    """A person registered for a test session, with their score and result once entered.

    Scoped by the person's unit at the time, so a ward sees its own people in a district session.
    """

    test = models.ForeignKey(
        QualificationTest,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("kỳ sát hạch"),
    )
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="tests"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty until the score is entered: people are registered for a session before it is held.
    score = models.DecimalField(
        _("điểm"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    result = models.CharField(_("kết quả"), max_length=10, choices=TestResult.choices, blank=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("người dự sát hạch")
        verbose_name_plural = _("người dự sát hạch")
        ordering = ["test", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["test", "person"],
                name="cadres_test_participant_once",
                violation_error_message=_("Cán bộ này đã có tên trong kỳ sát hạch."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="cadres_test_score_range",
                violation_error_message=_("Điểm phải từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True, result="")
                | Q(score__isnull=False, result__in=TestResult.values),
                name="cadres_test_result_follows_score",
                violation_error_message=_("Kết quả phải đi cùng điểm: có điểm mới có kết quả."),
            ),
        ]

    class Scope:
        area = "cadres"
        unit_field = "unit"
        person_field = "person"

    def __str__(self) -> str:
        return f"{self.person} – {self.test}"


class SelfImprovementPlan(models.Model):
    """A person's yearly self-improvement plan (kế hoạch tu dưỡng, rèn luyện)."""

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="plans"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    commitments = ParagraphField(_("nội dung cam kết"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch tu dưỡng, rèn luyện")
        verbose_name_plural = _("kế hoạch tu dưỡng, rèn luyện")
        ordering = ["-year", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="cadres_plan_one_per_year",
                violation_error_message=_("Cán bộ này đã có kế hoạch tu dưỡng của năm này."),
            ),
        ]

    class Scope:
        area = "cadres"
        unit_field = "unit"
        person_field = "person"

    def __str__(self) -> str:
        return _("Kế hoạch năm %(year)s – %(person)s") % {"year": self.year, "person": self.person}

    def get_absolute_url(self) -> str:
        return reverse("cadres:plan_detail", args=[self.pk])


class PlanReview(models.Model):
    """The cell meeting's monthly review note on a plan."""

    plan = models.ForeignKey(
        SelfImprovementPlan,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("kế hoạch tu dưỡng"),
    )
    month = models.PositiveSmallIntegerField(
        _("tháng"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    note = ParagraphField(_("nhận xét"))

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhận xét hằng tháng")
        verbose_name_plural = _("nhận xét hằng tháng")
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "month"],
                name="cadres_plan_review_once_a_month",
                violation_error_message=_("Tháng này đã có nhận xét."),
            ),
        ]

    class Scope:
        area = "cadres"
        unit_field = "plan__unit"
        person_field = "plan__person"

    def __str__(self) -> str:
        return f"{self.plan} – {self.month}"


class TaskAssignment(models.Model):
    """A task assigned to a Party member for a year, with its year-end result."""

    person = models.ForeignKey(
        Person, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    task = ParagraphField(_("nhiệm vụ được phân công"))
    result = models.CharField(
        _("kết quả cuối năm"), max_length=20, choices=Rating.choices, blank=True
    )
    result_note = LineField(_("ghi chú kết quả"), max_length=300, blank=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công nhiệm vụ")
        verbose_name_plural = _("phân công nhiệm vụ")
        ordering = ["-year", "person__sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=Rating.values),
                name="cadres_assignment_result_valid",
                violation_error_message=_("Kết quả không hợp lệ; chỉ chọn một trong bốn mức."),
            ),
        ]

    class Scope:
        area = "cadres"
        unit_field = "unit"
        person_field = "person"

    def __str__(self) -> str:
        return f"{self.person} – {self.year}"


class TrainingClass(models.Model):
    """A training class for key cadres."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    name = LineField(_("tên lớp"), max_length=300)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lớp bồi dưỡng")
        verbose_name_plural = _("lớp bồi dưỡng")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="cadres_training_dates_ordered",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]

    class Scope:
        area = "cadres"
        unit_field = "unit"
        participants_fk = "training"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:training_detail", args=[self.pk])


class TrainingParticipant(models.Model):
    """A person enrolled in a training class, and whether they completed it."""

    training = models.ForeignKey(
        TrainingClass,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("lớp bồi dưỡng"),
    )
    person = models.ForeignKey(
        Person, verbose_name=_("học viên"), on_delete=models.PROTECT, related_name="trainings"
    )
    completed = models.BooleanField(_("hoàn thành"), default=False)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "person"], name="cadres_training_participant_once"
            ),
        ]

    class Scope:
        area = "cadres"
        unit_field = "person__unit"
        person_field = "person"

    def __str__(self) -> str:
        return f"{self.person} – {self.training}"
