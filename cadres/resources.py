"""Import/export of evaluations, personnel decisions and test results (Vietnamese headers).

An imported evaluation row with a final rating is an approved month: it is refused when the
month is already locked with another rating (revisions go through the service, with a reason).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from longbien.core.io import Register, ScopedResource, register
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Position
from longbien.org.resources import ChoiceLabelWidget, DateWidget

from .choices import DecisionKind, EvaluationStatus, Rating, TestResult
from .models import Evaluation, PersonnelDecision, QualificationTest, TestParticipant


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key by code whose unknown values give a Vietnamese error."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(
                _("Không tìm thấy “%(value)s” trong danh mục %(what)s.")
                % {"value": value, "what": self.model._meta.verbose_name}
            ) from exc


def _rating_widget() -> ChoiceLabelWidget:
    from .choices import RATING_ABBREVIATIONS

    widget = ChoiceLabelWidget(Rating.choices)
    # Abbreviations (HTXSNV, …) are accepted on import as well.
    widget.aliases = {abbr.lower(): value for value, abbr in RATING_ABBREVIATIONS.items()}
    original = widget.clean

    def clean(value, row=None, **kwargs):
        text = (str(value) if value is not None else "").strip().lower()
        if text in widget.aliases:
            return widget.aliases[text]
        return original(value, row, **kwargs)

    widget.clean = clean
    return widget


class EvaluationResource(ScopedResource):
    person = fields.Field(
        attribute="person", column_name="Mã cán bộ",
        widget=CodeWidget(Person, field="code"),
    )  # fmt: skip
    full_name = fields.Field(attribute="person__full_name", column_name="Họ và tên", readonly=True)
    unit = fields.Field(
        attribute="unit", column_name="Mã đơn vị", readonly=True,
        widget=CodeWidget(OrgUnit, field="code"),
    )  # fmt: skip
    year = fields.Field(attribute="year", column_name="Năm", widget=widgets.IntegerWidget())
    month = fields.Field(attribute="month", column_name="Tháng", widget=widgets.IntegerWidget())
    self_rating = fields.Field(
        attribute="self_rating", column_name="Tự xếp loại", widget=_rating_widget(), default=""
    )
    proposed_rating = fields.Field(
        attribute="proposed_rating", column_name="Cấp trên đề xuất", widget=_rating_widget(),
        default="",
    )  # fmt: skip
    rating = fields.Field(
        attribute="rating", column_name="Xếp loại", widget=_rating_widget(), default=""
    )
    status = fields.Field(
        attribute="status", column_name="Trạng thái", readonly=True,
        widget=ChoiceLabelWidget(EvaluationStatus.choices),
    )  # fmt: skip

    scope_area = scope.Area.CADRES

    class Meta:
        model = Evaluation
        import_id_fields = ("person", "year", "month")
        fields = (
            "person", "full_name", "unit", "year", "month", "self_rating", "proposed_rating",
            "rating", "status",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "unit")
            .order_by("-year", "-month", "unit__path", "person__sort_key")
        )

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        # Remembered to refuse changing a locked month's rating.
        instance._stored_rating = "" if new else instance.rating
        instance._stored_status = "" if new else instance.status
        return instance, new

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None and instance.person_id:
            instance.unit = instance.person.unit
        if getattr(instance, "_stored_status", "") == EvaluationStatus.APPROVED and (
            instance.rating != instance._stored_rating
        ):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Tháng %(month)s/%(year)s đã được phê duyệt và khóa; không sửa qua nhập tệp.")
                % {"month": instance.month, "year": instance.year}
            )
        elif instance.rating and instance.status != EvaluationStatus.APPROVED:
            instance.status = EvaluationStatus.APPROVED
            instance.approved_by = self.user if getattr(self.user, "pk", None) else None
            instance.approved_at = timezone.now()
        if getattr(self.user, "person_id", None) and self.user.person_id == instance.person_id:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Không được tự phê duyệt phiếu đánh giá của chính mình.")
            )
        if errors:
            raise ValidationError(errors)

    def in_scope(self, instance):
        if instance.person_id is None:
            return True  # the missing person is reported on its own column
        return scope.can(self.user, scope.Area.CADRES, scope.CHANGE, instance.unit) and (
            instance.pk is None
            or scope.can(self.user, scope.Area.CADRES, scope.CHANGE, instance.person.unit)
            or scope.can_on(self.user, instance, scope.CHANGE)
        )


class DecisionResource(ScopedResource):
    person = fields.Field(
        attribute="person", column_name="Mã cán bộ",
        widget=CodeWidget(Person, field="code"),
    )  # fmt: skip
    full_name = fields.Field(attribute="person__full_name", column_name="Họ và tên", readonly=True)
    kind = fields.Field(
        attribute="kind", column_name="Loại quyết định",
        widget=ChoiceLabelWidget(DecisionKind.choices),
    )  # fmt: skip
    symbol = fields.Field(attribute="symbol", column_name="Số quyết định")
    decision_date = fields.Field(
        attribute="decision_date", column_name="Ngày quyết định", widget=DateWidget()
    )
    from_position = fields.Field(
        attribute="from_position", column_name="Chức vụ cũ",
        widget=CodeWidget(Position, field="name"),
    )  # fmt: skip
    from_unit = fields.Field(
        attribute="from_unit", column_name="Đơn vị cũ",
        widget=CodeWidget(OrgUnit, field="code"),
    )  # fmt: skip
    to_position = fields.Field(
        attribute="to_position", column_name="Chức vụ mới",
        widget=CodeWidget(Position, field="name"),
    )  # fmt: skip
    to_unit = fields.Field(
        attribute="to_unit", column_name="Đơn vị mới",
        widget=CodeWidget(OrgUnit, field="code"),
    )  # fmt: skip
    note = fields.Field(attribute="note", column_name="Ghi chú", default="")

    scope_area = scope.Area.CADRES

    class Meta:
        model = PersonnelDecision
        import_id_fields = ("person", "kind", "symbol")
        fields = (
            "person", "full_name", "kind", "symbol", "decision_date", "from_position",
            "from_unit", "to_position", "to_unit", "note",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "from_position", "from_unit", "to_position", "to_unit")
            .order_by("-decision_date", "-id")
        )

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.person_id:
            instance.unit = instance.to_unit or instance.person.unit

    def in_scope(self, instance):
        if instance.person_id is None:
            return True
        return scope.can(
            self.user, scope.Area.CADRES, scope.CHANGE, instance.person.unit
        ) and super().in_scope(instance)


class TestResultResource(ScopedResource):
    test = fields.Field(
        attribute="test", column_name="Mã kỳ sát hạch",
        widget=CodeWidget(QualificationTest, field="pk"),
    )  # fmt: skip
    subject = fields.Field(attribute="test__subject", column_name="Nội dung", readonly=True)
    person = fields.Field(
        attribute="person", column_name="Mã cán bộ",
        widget=CodeWidget(Person, field="code"),
    )  # fmt: skip
    full_name = fields.Field(attribute="person__full_name", column_name="Họ và tên", readonly=True)
    score = fields.Field(attribute="score", column_name="Điểm", widget=widgets.DecimalWidget())
    result = fields.Field(
        attribute="result", column_name="Kết quả", readonly=True,
        widget=ChoiceLabelWidget(TestResult.choices),
    )  # fmt: skip

    scope_area = scope.Area.CADRES

    class Meta:
        model = TestParticipant
        import_id_fields = ("test", "person")
        fields = ("test", "subject", "person", "full_name", "score", "result")
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("test", "person").order_by("test", "person")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.person_id:
            instance.unit = instance.person.unit
        if instance.score is None:
            instance.result = ""  # registered for the session, no score yet
        elif instance.test_id:
            instance.result = (
                TestResult.PASSED
                if instance.score >= instance.test.pass_mark
                else TestResult.FAILED
            )

    def in_scope(self, instance):
        # Scores are entered by the organiser: the session's unit must be in scope too.
        if instance.test_id and not scope.can(
            self.user, scope.Area.CADRES, scope.CHANGE, instance.test.unit
        ):
            return False
        return super().in_scope(instance)


register(
    Register("evaluations", gettext_lazy("Đánh giá cán bộ hằng tháng"), EvaluationResource, scope.Area.CADRES),
    Register("decisions", gettext_lazy("Quyết định nhân sự"), DecisionResource, scope.Area.CADRES),
    Register("test-results", gettext_lazy("Kết quả sát hạch"), TestResultResource, scope.Area.CADRES),
)  # fmt: skip
